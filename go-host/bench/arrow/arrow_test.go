// Package arrow compares binpipe's column kernels with Apache Arrow's Go compute kernels
// (github.com/apache/arrow-go, AVX2/SSE4 assembly for comparisons and filters, no cgo). It is
// a module of its own because arrow-go brings some 30 modules (Parquet, Thrift, compressors)
// and takes minutes to build; the main peer benchmark (../, BenchmarkPeers) stays light.
//
//	cd go-host/bench/arrow && go test -run '^$' -bench BenchmarkArrow -benchtime 200ms -count 3
package arrow

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	binpipe "github.com/binpipe/binpipe/go-host"
)

// temperatures and ids are the inputs of ../ (BenchmarkPeers compare and select): n bytes of
// float64 readings uniform in [0, 50) and of pseudo-random 8-byte ids.
func temperatures(n int) []byte {
	r := uint64(23)
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		r = r*6364136223846793005 + 1442695040888963407
		x := r ^ r>>29
		binary.LittleEndian.PutUint64(b[i:], math.Float64bits(float64(x>>11)/(1<<53)*50))
	}
	return b
}

func ids(n int) []byte {
	b := make([]byte, n)
	x := uint64(1)
	for i := range b {
		x = x*6364136223846793005 + 1442695040888963407
		b[i] = byte(x >> 56)
	}
	return b
}

// column wraps the n elements in b (little-endian, or a bitmap in binpipe's bit order, which is
// Arrow's) as an Arrow array of type t without copying.
func column(t arrow.DataType, b []byte, n int) arrow.Array {
	d := array.NewData(t, n, []*memory.Buffer{nil, memory.NewBufferBytes(b)}, nil, 0, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

type kernel struct {
	name    string
	binpipe func() []byte
	arrow   func() []byte
}

func cases(n int) []kernel {
	ctx := context.Background()
	temps := temperatures(n)
	tempCol := column(arrow.PrimitiveTypes.Float64, temps, n/8)
	thirty := compute.NewDatum(scalar.NewFloat64Scalar(30))
	tempDatum := compute.NewDatum(tempCol)
	bitmap, err := binpipe.Compare(nil, temps, binpipe.F64, binpipe.Gt, binpipe.Float(30))
	if err != nil {
		panic(err)
	}
	idBytes := ids(n)
	idCol := column(arrow.PrimitiveTypes.Uint64, idBytes, n/8)
	filter := column(arrow.FixedWidthTypes.Boolean, bitmap, n/8)
	cmpOut := make([]byte, 0, len(bitmap))
	selOut := make([]byte, 0, n)
	return []kernel{
		{"compare",
			func() []byte {
				cmpOut, _ = binpipe.Compare(cmpOut[:0], temps, binpipe.F64, binpipe.Gt, binpipe.Float(30))
				return cmpOut
			},
			func() []byte {
				out, err := compute.CallFunction(ctx, "greater", nil, tempDatum, thirty)
				if err != nil {
					panic(err)
				}
				defer out.Release()
				return out.(*compute.ArrayDatum).Value.Buffers()[1].Bytes()[:len(bitmap)]
			}},
		{"select",
			func() []byte {
				selOut, _ = binpipe.Select(selOut[:0], idBytes, 8, bitmap)
				return selOut
			},
			func() []byte {
				out, err := compute.FilterArray(ctx, idCol, filter, *compute.DefaultFilterOptions())
				if err != nil {
					panic(err)
				}
				defer out.Release()
				return out.Data().Buffers()[1].Bytes()[:out.Len()*8]
			}},
	}
}

// TestSameAnswer checks that Arrow computes binpipe's bitmap and selection.
func TestSameAnswer(t *testing.T) {
	for _, n := range []int{4 << 10, 64 << 10} {
		for _, k := range cases(n) {
			want := bytes.Clone(k.binpipe())
			if got := k.arrow(); !bytes.Equal(got, want) {
				t.Errorf("%s at %d bytes: arrow-go differs from binpipe", k.name, n)
			}
		}
	}
}

// BenchmarkArrow: <kernel>/<size>/<impl>, impl binpipe (package function, BackendAuto) or
// arrow-compute; MB/s of the column's bytes.
func BenchmarkArrow(b *testing.B) {
	for _, name := range []string{"compare", "select"} {
		b.Run(name, func(b *testing.B) {
			for _, n := range []int{4 << 10, 64 << 10, 1 << 20} {
				for _, k := range cases(n) {
					if k.name != name {
						continue
					}
					size := map[int]string{4 << 10: "4KiB", 64 << 10: "64KiB", 1 << 20: "1MiB"}[n]
					for _, im := range []struct {
						name string
						f    func() []byte
					}{{"binpipe", k.binpipe}, {"arrow-compute", k.arrow}} {
						im.f()
						b.Run(size+"/"+im.name, func(b *testing.B) {
							b.SetBytes(int64(n))
							for b.Loop() {
								im.f()
							}
						})
					}
				}
			}
		})
	}
}
