package purego

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// colWidth is each element type's width, in WIT order.
var colWidth = [10]int{1, 2, 4, 8, 1, 2, 4, 8, 4, 8}

// naiveCompare decodes the column with encoding/binary.Read into a typed slice and compares
// element by element with Go's operators: an implementation independent of Compare's.
func naiveCompare(column []byte, ty, op uint8, value uint64) []byte {
	n := len(column) / colWidth[ty]
	out := make([]byte, (n+7)/8)
	set := func(i int, ok bool) {
		if ok {
			out[i/8] |= 1 << (i % 8)
		}
	}
	r := func(v any) {
		if err := binary.Read(bytes.NewReader(column), binary.LittleEndian, v); err != nil {
			panic(err)
		}
	}
	switch ty {
	case ColU8, ColU16, ColU32, ColU64:
		xs := make([]uint64, n)
		switch ty {
		case ColU8:
			copy8 := make([]uint8, n)
			r(copy8)
			for i, x := range copy8 {
				xs[i] = uint64(x)
			}
		case ColU16:
			t := make([]uint16, n)
			r(t)
			for i, x := range t {
				xs[i] = uint64(x)
			}
		case ColU32:
			t := make([]uint32, n)
			r(t)
			for i, x := range t {
				xs[i] = uint64(x)
			}
		default:
			r(xs)
		}
		for i, x := range xs {
			set(i, opHolds(op, cmpInt(x < value, x == value)))
		}
	case ColI8, ColI16, ColI32, ColI64:
		xs := make([]int64, n)
		switch ty {
		case ColI8:
			t := make([]int8, n)
			r(t)
			for i, x := range t {
				xs[i] = int64(x)
			}
		case ColI16:
			t := make([]int16, n)
			r(t)
			for i, x := range t {
				xs[i] = int64(x)
			}
		case ColI32:
			t := make([]int32, n)
			r(t)
			for i, x := range t {
				xs[i] = int64(x)
			}
		default:
			r(xs)
		}
		v := int64(value)
		for i, x := range xs {
			set(i, opHolds(op, cmpInt(x < v, x == v)))
		}
	case ColF32:
		t := make([]float32, n)
		r(t)
		v := float32(math.Float64frombits(value))
		for i, x := range t {
			set(i, floatHolds(op, float64(x), float64(v)))
		}
	case ColF64:
		t := make([]float64, n)
		r(t)
		v := math.Float64frombits(value)
		for i, x := range t {
			set(i, floatHolds(op, x, v))
		}
	}
	return out
}

// cmpInt is -1, 0 or 1 from "less" and "equal".
func cmpInt(less, equal bool) int {
	switch {
	case less:
		return -1
	case equal:
		return 0
	}
	return 1
}

// opHolds says whether op accepts the three-way comparison c.
func opHolds(op uint8, c int) bool {
	return [6]bool{c == 0, c != 0, c < 0, c <= 0, c > 0, c >= 0}[op]
}

// floatHolds is op on IEEE floats: any NaN makes every op false except ne.
func floatHolds(op uint8, x, v float64) bool {
	if math.IsNaN(x) || math.IsNaN(v) {
		return op == OpNe
	}
	return opHolds(op, cmpInt(x < v, x == v))
}

// specialBits are element bit patterns worth testing for ty: limits, zero, one, and for
// floats NaNs, infinities, signed zeros, subnormals.
func specialBits(ty uint8) []uint64 {
	w := colWidth[ty]
	switch ty {
	case ColF32:
		return []uint64{0, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000,
			0x7F7FFFFF, 0xFF7FFFFF, 1, 0x80000001, 0x7FC00000, 0xFFC00000, 0x7F800001}
	case ColF64:
		return []uint64{0, 1 << 63, math.Float64bits(1), math.Float64bits(-1), 0x7FF0 << 48,
			0xFFF0 << 48, math.MaxUint64 >> 1, 1, math.Float64bits(0.1), 0x7FF8 << 48,
			0xFFF8 << 48, math.Float64bits(3.5e38)}
	}
	mask := uint64(math.MaxUint64) >> (64 - 8*w)
	top := uint64(1) << (8*w - 1)
	out := []uint64{0, 1, 2, mask, mask - 1, top, top - 1, top + 1, 0x7F, 0x80}
	for i := range out {
		out[i] &= mask
	}
	return out
}

// valueOf turns element bits into Compare's value argument (sign-extended, or f64 bits).
func valueOf(ty uint8, b uint64) uint64 {
	w := colWidth[ty]
	switch {
	case ty == ColF32:
		return math.Float64bits(float64(math.Float32frombits(uint32(b))))
	case ty >= ColI8 && ty <= ColI64:
		shift := 64 - 8*w
		return uint64(int64(b<<shift) >> shift)
	}
	return b
}

// mixedColumn is n elements, two of three from the specials, the rest random.
func mixedColumn(rng *rand.Rand, ty uint8, n int) []byte {
	w := colWidth[ty]
	pool := specialBits(ty)
	out := make([]byte, 0, n*w)
	var b [8]byte
	for range n {
		x := rng.Uint64()
		if rng.IntN(3) != 0 {
			x = pool[rng.IntN(len(pool))]
		}
		binary.LittleEndian.PutUint64(b[:], x)
		out = append(out, b[:w]...)
	}
	return out
}

func TestCompareMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for ty := range uint8(10) {
		values := []uint64{}
		for _, b := range specialBits(ty) {
			values = append(values, valueOf(ty, b))
		}
		if ty == ColF32 {
			// f64 values an f32 column rounds: to +-inf, to zero, ties to even.
			for _, f := range []float64{1e39, -1e39, math.MaxFloat64, 1e-320, 1 + 0x1p-24, 1 + 0x1p-24 + 0x1p-40, 0.1} {
				values = append(values, math.Float64bits(f))
			}
		}
		for _, n := range []int{0, 1, 7, 8, 9, 63, 64, 65, 100, 1000} {
			col := mixedColumn(rng, ty, n)
			for _, v := range values {
				for op := range uint8(6) {
					want := naiveCompare(col, ty, op, v)
					got := make([]byte, len(want)+2)
					got[len(want)], got[len(want)+1] = 0xEE, 0xEE
					Compare(got, col, ty, op, v)
					if !bytes.Equal(got[:len(want)], want) || got[len(want)] != 0xEE {
						t.Fatalf("ty %d op %d value %#x n %d: got %x want %x", ty, op, v, n, got, want)
					}
				}
			}
		}
	}
}

func TestCompareHandChecked(t *testing.T) {
	f32s := func(xs ...float32) []byte {
		var b []byte
		for _, x := range xs {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
		return b
	}
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	cases := []struct {
		col   []byte
		ty    uint8
		op    uint8
		value uint64
		want  []byte
	}{
		{[]byte{5, 0, 9, 0, 1, 0, 7, 0}, ColU16, OpGt, 5, []byte{0b1010}},
		{[]byte{0xFF, 0x01, 0x80}, ColI8, OpLt, 0, []byte{0b101}},
		{[]byte{0xFF, 0x01, 0x80}, ColU8, OpLt, 0x80, []byte{0b010}},
		// 1e39 rounds to +inf in an f32 column.
		{f32s(inf, math.MaxFloat32), ColF32, OpEq, math.Float64bits(1e39), []byte{0b01}},
		// -0.0 == +0.0; NaN matches only ne.
		{f32s(0, negZero, nan), ColF32, OpEq, 0, []byte{0b011}},
		{f32s(0, negZero, nan), ColF32, OpNe, 0, []byte{0b100}},
		{f32s(0, negZero, nan), ColF32, OpGe, math.Float64bits(math.NaN()), []byte{0}},
		{f32s(0, negZero, nan), ColF32, OpNe, math.Float64bits(math.NaN()), []byte{0b111}},
		{bytes.Repeat([]byte{0}, 9), ColU8, OpEq, 0, []byte{0xFF, 0x01}},
	}
	for i, c := range cases {
		got := make([]byte, len(c.want))
		Compare(got, c.col, c.ty, c.op, c.value)
		if !bytes.Equal(got, c.want) {
			t.Errorf("case %d: got %08b want %08b", i, got, c.want)
		}
	}
}

// naiveSelect keeps the elements whose bit is set, testing each bit on its own.
func naiveSelect(column []byte, width int, bitmap []byte) []byte {
	var out []byte
	for i := 0; i < len(column)/width; i++ {
		if bitmap[i/8]>>(i%8)&1 == 1 {
			out = append(out, column[i*width:(i+1)*width]...)
		}
	}
	return out
}

func TestSelectMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, width := range []int{1, 2, 4, 8} {
		for n := range 300 {
			col := make([]byte, n*width)
			for i := range col {
				col[i] = byte(rng.Uint32())
			}
			// Densities from empty to full; unused bits and a trailing byte set.
			for _, density := range []int{0, 1, 4, 7, 8} {
				bitmap := make([]byte, (n+7)/8+1)
				for i := range n {
					if rng.IntN(8) < density {
						bitmap[i/8] |= 1 << (i % 8)
					}
				}
				if n%8 != 0 {
					bitmap[n/8] |= 0xFF << (n % 8)
				}
				bitmap[len(bitmap)-1] = 0xFF
				want := naiveSelect(col, width, bitmap)
				// dst exactly as long as the result: nothing may be written past it.
				got := make([]byte, len(want))
				if w := Select(got, col, width, bitmap); w != len(want) || !bytes.Equal(got, want) {
					t.Fatalf("width %d n %d density %d: wrote %d, got %x want %x", width, n, density, w, got, want)
				}
			}
		}
	}
}

// naiveAggregate folds a typed decode of the column (binary.Read): integer sums in uint64
// (wrapping), float min and max by explicit rules, the 8 lanes summed one at a time.
func naiveAggregate(column []byte, ty uint8) Stats {
	n := len(column) / colWidth[ty]
	s := Stats{Count: uint64(n)}
	if ty >= ColF32 {
		xs := make([]float64, n)
		if ty == ColF32 {
			t := make([]float32, n)
			_ = binary.Read(bytes.NewReader(column), binary.LittleEndian, t)
			for i, x := range t {
				xs[i] = float64(x)
			}
		} else {
			_ = binary.Read(bytes.NewReader(column), binary.LittleEndian, xs)
		}
		var lo, hi float64
		for _, x := range xs {
			if math.IsNaN(x) {
				continue
			}
			// IEEE order, except that -0.0 sorts before +0.0.
			less := func(a, b float64) bool {
				if a == 0 && b == 0 {
					return math.Signbit(a) && !math.Signbit(b)
				}
				return a < b
			}
			if !s.HasMin || less(x, lo) {
				lo = x
			}
			if !s.HasMax || less(hi, x) {
				hi = x
			}
			s.HasMin, s.HasMax = true, true
		}
		if s.HasMin {
			s.Min, s.Max = math.Float64bits(lo), math.Float64bits(hi)
		}
		var l [8]float64
		for k := range 8 {
			for i := k; i < n; i += 8 {
				l[k] += xs[i]
			}
		}
		sum := ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
		s.Sum = math.Float64bits(sum)
		if math.IsNaN(sum) {
			s.Sum = canonicalNaN
		}
		return s
	}
	signed := ty >= ColI8
	w := colWidth[ty]
	for i := range n {
		var b [8]byte
		copy(b[:], column[i*w:(i+1)*w])
		x := binary.LittleEndian.Uint64(b[:])
		if signed && x>>(8*w-1)&1 == 1 {
			x |= math.MaxUint64 << (8 * w) // sign-extend (no-op for w == 8)
		}
		s.Sum += x
		less := func(a, b uint64) bool {
			if signed {
				return int64(a) < int64(b)
			}
			return a < b
		}
		if !s.HasMin || less(x, s.Min) {
			s.Min = x
		}
		if !s.HasMax || less(s.Max, x) {
			s.Max = x
		}
		s.HasMin, s.HasMax = true, true
	}
	return s
}

func TestAggregateMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for ty := range uint8(10) {
		for _, n := range []int{0, 1, 2, 7, 8, 9, 15, 63, 64, 65, 130, 1000, 5000} {
			col := mixedColumn(rng, ty, n)
			if got, want := Aggregate(col, ty), naiveAggregate(col, ty); got != want {
				t.Fatalf("ty %d n %d: got %+v want %+v", ty, n, got, want)
			}
		}
		// Each special repeated: extremes, wrapping sums, all NaN.
		for _, b := range specialBits(ty) {
			col := mixedColumn(rng, ty, 0)
			var e [8]byte
			binary.LittleEndian.PutUint64(e[:], b)
			for range 77 {
				col = append(col, e[:colWidth[ty]]...)
			}
			if got, want := Aggregate(col, ty), naiveAggregate(col, ty); got != want {
				t.Fatalf("ty %d all %#x: got %+v want %+v", ty, b, got, want)
			}
		}
	}
}

func TestAggregateHandChecked(t *testing.T) {
	f64s := func(xs ...float64) []byte {
		var b []byte
		for _, x := range xs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
		return b
	}
	negZero := math.Copysign(0, -1)
	s := Aggregate(f64s(0, negZero, math.NaN()), ColF64)
	if s.Count != 3 || !s.HasMin || s.Min != 1<<63 || s.Max != 0 || s.Sum != canonicalNaN {
		t.Errorf("zeros and NaN: %+v", s)
	}
	if s := Aggregate(f64s(math.NaN(), math.NaN()), ColF64); s.HasMin || s.HasMax || s.Count != 2 {
		t.Errorf("all NaN: %+v", s)
	}
	if s := Aggregate(f64s(math.Inf(1), math.Inf(-1)), ColF64); s.Sum != canonicalNaN {
		t.Errorf("inf - inf: sum %#x", s.Sum)
	}
	if s := Aggregate(bytes.Repeat([]byte{0xFF}, 16), ColU64); s.Sum != math.MaxUint64-1 {
		t.Errorf("u64 wrap: %#x", s.Sum)
	}
	if s := Aggregate(bytes.Repeat([]byte{0xFF}, 16), ColI8); int64(s.Sum) != -16 || int64(s.Min) != -1 {
		t.Errorf("i8: %+v", s)
	}
	if s := Aggregate(nil, ColI16); s != (Stats{}) {
		t.Errorf("empty: %+v", s)
	}
	// The 8-lane order: lane 0 is 1e16 + -1e16 = 0, the other lanes keep their ones, so the
	// sum is 8, where a sequential sum loses the ones to rounding and gives 1.
	col := f64s(1e16, 1, 1, 1, 1, 1, 1, 1, -1e16, 1)
	if s := Aggregate(col, ColF64); math.Float64frombits(s.Sum) != 8 {
		t.Errorf("lanes: %v", math.Float64frombits(s.Sum))
	}
}

// vectorCase is one line of tests/vectors/column.json.
type vectorCase struct {
	Name   string                     `json:"name"`
	Kernel string                     `json:"kernel"`
	Args   map[string]json.RawMessage `json:"args"`
	Input  struct {
		Hex *string `json:"hex"`
		Gen *struct {
			Seed uint64 `json:"seed"`
			Len  int    `json:"len"`
		} `json:"gen"`
	} `json:"input"`
	Expect map[string]json.RawMessage `json:"expect"`
}

// splitmix64 is the vector format's generated input.
func splitmix64(seed uint64, n int) []byte {
	out := make([]byte, 0, n+8)
	for len(out) < n {
		seed += 0x9E3779B97F4A7C15
		z := seed
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		z ^= z >> 31
		out = binary.LittleEndian.AppendUint64(out, z)
	}
	return out[:n]
}

var tyNames = map[string]uint8{"u8": 0, "u16": 1, "u32": 2, "u64": 3, "i8": 4, "i16": 5, "i32": 6, "i64": 7, "f32": 8, "f64": 9}
var opNames = map[string]uint8{"eq": 0, "ne": 1, "lt": 2, "le": 3, "gt": 4, "ge": 5}

// scalarBits parses a vector scalar ({"unsigned": N}, {"signed": N}, {"float": "0x…"}) into
// its class and bits.
func scalarBits(raw json.RawMessage) (string, uint64) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		panic(err)
	}
	for k, v := range m {
		s := strings.Trim(string(v), `"`)
		switch k {
		case "unsigned":
			u, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				panic(err)
			}
			return k, u
		case "signed":
			i, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				panic(err)
			}
			return k, uint64(i)
		case "float":
			u, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
			if err != nil {
				panic(err)
			}
			return k, u
		}
	}
	panic("empty scalar")
}

// TestColumnVectors runs every successful case of the conformance vectors (the error cases
// are the caller's validation, not the twin's).
func TestColumnVectors(t *testing.T) {
	path := filepath.Join("..", "..", "..", "tests", "vectors", "column.json")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no vectors: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	ran := 0
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), ",")
		if !strings.HasPrefix(line, `{"name"`) {
			continue
		}
		var c vectorCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatal(err)
		}
		if _, isErr := c.Expect["error"]; isErr {
			continue
		}
		var data []byte
		if c.Input.Hex != nil {
			data, _ = hex.DecodeString(*c.Input.Hex)
		} else {
			data = splitmix64(c.Input.Gen.Seed, c.Input.Gen.Len)
		}
		var got []byte
		var gotStats *Stats
		arg := func(k string) string { return strings.Trim(string(c.Args[k]), `"`) }
		switch c.Kernel {
		case "compare":
			ty, op := tyNames[arg("ty")], opNames[arg("op")]
			_, v := scalarBits(c.Args["value"])
			got = make([]byte, (len(data)/colWidth[ty]+7)/8)
			Compare(got, data, ty, op, v)
		case "select":
			width, _ := strconv.Atoi(arg("width"))
			bitmap, _ := hex.DecodeString(arg("bitmap"))
			got = make([]byte, len(data))
			got = got[:Select(got, data, width, bitmap)]
		case "aggregate":
			s := Aggregate(data, tyNames[arg("ty")])
			gotStats = &s
		default:
			t.Fatalf("%s: unknown kernel %s", c.Name, c.Kernel)
		}
		if err := checkExpect(c.Expect, got, gotStats); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		ran++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d vector cases", ran)
}

// checkExpect compares an output (bytes or stats) with a case's expect object.
func checkExpect(expect map[string]json.RawMessage, got []byte, stats *Stats) error {
	if raw, ok := expect["hex"]; ok {
		var want string
		_ = json.Unmarshal(raw, &want)
		if hex.EncodeToString(got) != want {
			return fmt.Errorf("got %x want %s", got, want)
		}
		return nil
	}
	if raw, ok := expect["sha256"]; ok {
		var want string
		_ = json.Unmarshal(raw, &want)
		if sum := sha256Hex(got); sum != want {
			return fmt.Errorf("sha256 %s want %s", sum, want)
		}
		return nil
	}
	raw, ok := expect["stats"]
	if !ok || stats == nil {
		return fmt.Errorf("unexpected expect %v", expect)
	}
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m)
	count, _ := strconv.ParseUint(string(m["count"]), 10, 64)
	want := Stats{Count: count}
	if string(m["min"]) != "null" {
		_, want.Min = scalarBits(m["min"])
		want.HasMin = true
	}
	if string(m["max"]) != "null" {
		_, want.Max = scalarBits(m["max"])
		want.HasMax = true
	}
	_, want.Sum = scalarBits(m["sum"])
	if *stats != want {
		return fmt.Errorf("got %+v want %+v", *stats, want)
	}
	return nil
}

func BenchmarkCompareI32(b *testing.B) {
	col := splitmix64(1, 64<<10)
	dst := make([]byte, len(col)/32)
	b.SetBytes(int64(len(col)))
	for b.Loop() {
		Compare(dst, col, ColI32, OpLt, 7)
	}
}

func BenchmarkSelect4(b *testing.B) {
	col := splitmix64(1, 64<<10)
	bitmap := splitmix64(2, len(col)/32)
	dst := make([]byte, len(col))
	b.SetBytes(int64(len(col)))
	for b.Loop() {
		Select(dst, col, 4, bitmap)
	}
}

func BenchmarkAggregateF64(b *testing.B) {
	col := splitmix64(1, 64<<10)
	b.SetBytes(int64(len(col)))
	for b.Loop() {
		Aggregate(col, ColF64)
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
