package bench

import (
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// api is the binpipe API a benchmark case calls: the package functions (BackendAuto) when e is
// nil, else the same calls on an Engine, so that BenchmarkBackends can time binpipe's Go and
// wasm paths on BenchmarkPeers' inputs. Engine errors panic (the inputs are valid).
type api struct{ e *binpipe.Engine }

func (a api) CRC32(d []byte, seed uint32) uint32 {
	if a.e == nil {
		return binpipe.CRC32(d, seed)
	}
	return must(a.e.CRC32(d, seed))
}

func (a api) CRC32C(d []byte, seed uint32) uint32 {
	if a.e == nil {
		return binpipe.CRC32C(d, seed)
	}
	return must(a.e.CRC32C(d, seed))
}

func (a api) XXH3(d []byte, seed uint64) uint64 {
	if a.e == nil {
		return binpipe.XXH3(d, seed)
	}
	return must(a.e.XXH3(d, seed))
}

func (a api) FindByte(d []byte, c byte) int {
	if a.e == nil {
		return binpipe.FindByte(d, c)
	}
	return must(a.e.FindByte(d, c))
}

func (a api) FindAny(d, needles []byte) (int, error) {
	if a.e == nil {
		return binpipe.FindAny(d, needles)
	}
	return a.e.FindAny(d, needles)
}

func (a api) CountByte(d []byte, c byte) int {
	if a.e == nil {
		return binpipe.CountByte(d, c)
	}
	return must(a.e.CountByte(d, c))
}

func (a api) IndexByte(dst []uint32, d []byte, c byte) ([]uint32, error) {
	if a.e == nil {
		return binpipe.IndexByte(dst, d, c)
	}
	return a.e.IndexByte(dst, d, c)
}

func (a api) Mismatch(x, y []byte) int {
	if a.e == nil {
		return binpipe.Mismatch(x, y)
	}
	return must(a.e.Mismatch(x, y))
}

func (a api) UTF8Validate(d []byte) error {
	if a.e == nil {
		return binpipe.UTF8Validate(d)
	}
	return a.e.UTF8Validate(d)
}

func (a api) ASCIIPrefix(d []byte) int {
	if a.e == nil {
		return binpipe.ASCIIPrefix(d)
	}
	return must(a.e.ASCIIPrefix(d))
}

func (a api) HexEncode(dst, src []byte, upper bool) []byte {
	if a.e == nil {
		return binpipe.HexEncode(dst, src, upper)
	}
	return must(a.e.HexEncode(dst, src, upper))
}

func (a api) HexDecode(dst, src []byte) ([]byte, error) {
	if a.e == nil {
		return binpipe.HexDecode(dst, src)
	}
	return a.e.HexDecode(dst, src)
}

func (a api) Base64Encode(dst, src []byte, al binpipe.Alphabet, pad bool) []byte {
	if a.e == nil {
		return binpipe.Base64Encode(dst, src, al, pad)
	}
	return must(a.e.Base64Encode(dst, src, al, pad))
}

func (a api) Base64Decode(dst, src []byte, al binpipe.Alphabet, pad bool) ([]byte, error) {
	if a.e == nil {
		return binpipe.Base64Decode(dst, src, al, pad)
	}
	return a.e.Base64Decode(dst, src, al, pad)
}

func (a api) VarintEncode(dst []byte, v []uint64) []byte {
	if a.e == nil {
		return binpipe.VarintEncode(dst, v)
	}
	return must(a.e.VarintEncode(dst, v))
}

func (a api) VarintDecode(dst []uint64, src []byte) ([]uint64, error) {
	if a.e == nil {
		return binpipe.VarintDecode(dst, src)
	}
	return a.e.VarintDecode(dst, src)
}

func (a api) Shuffle(dst, src []byte, es int) ([]byte, error) {
	if a.e == nil {
		return binpipe.Shuffle(dst, src, es)
	}
	return a.e.Shuffle(dst, src, es)
}

func (a api) Unshuffle(dst, src []byte, es int) ([]byte, error) {
	if a.e == nil {
		return binpipe.Unshuffle(dst, src, es)
	}
	return a.e.Unshuffle(dst, src, es)
}

func (a api) DeltaEncode(dst, src []byte, w int) ([]byte, error) {
	if a.e == nil {
		return binpipe.DeltaEncode(dst, src, w)
	}
	return a.e.DeltaEncode(dst, src, w)
}

func (a api) DeltaDecode(dst, src []byte, w int) ([]byte, error) {
	if a.e == nil {
		return binpipe.DeltaDecode(dst, src, w)
	}
	return a.e.DeltaDecode(dst, src, w)
}

func (a api) Byteswap(dst, src []byte, w int) ([]byte, error) {
	if a.e == nil {
		return binpipe.Byteswap(dst, src, w)
	}
	return a.e.Byteswap(dst, src, w)
}

func (a api) Bitpack(dst []byte, v []uint32, bits int) ([]byte, error) {
	if a.e == nil {
		return binpipe.Bitpack(dst, v, bits)
	}
	return a.e.Bitpack(dst, v, bits)
}

func (a api) Bitunpack(dst []uint32, src []byte, bits, count int) ([]uint32, error) {
	if a.e == nil {
		return binpipe.Bitunpack(dst, src, bits, count)
	}
	return a.e.Bitunpack(dst, src, bits, count)
}

func (a api) ExtractField(dst, src []byte, rs, off, w int) ([]byte, error) {
	if a.e == nil {
		return binpipe.ExtractField(dst, src, rs, off, w)
	}
	return a.e.ExtractField(dst, src, rs, off, w)
}

func (a api) Compare(dst, col []byte, ty binpipe.ElemType, op binpipe.CmpOp, v binpipe.Scalar) ([]byte, error) {
	if a.e == nil {
		return binpipe.Compare(dst, col, ty, op, v)
	}
	return a.e.Compare(dst, col, ty, op, v)
}

func (a api) Select(dst, col []byte, w int, bitmap []byte) ([]byte, error) {
	if a.e == nil {
		return binpipe.Select(dst, col, w, bitmap)
	}
	return a.e.Select(dst, col, w, bitmap)
}

func (a api) Aggregate(col []byte, ty binpipe.ElemType) (binpipe.Stats, error) {
	if a.e == nil {
		return binpipe.Aggregate(col, ty)
	}
	return a.e.Aggregate(col, ty)
}

// BenchmarkBackends times binpipe alone on BenchmarkPeers' inputs with an Engine per backend:
// <kernel>/<size>/binpipe-go (BackendGo) and binpipe-wasm (BackendWasm). It shows which path
// BackendAuto should take on these inputs (the thresholds in ../thresholds.go). Keep its
// output apart from BenchmarkPeers' when charting: both of its impls are binpipe.
//
//	go test -run '^$' -bench BenchmarkBackends -benchtime 200ms -count 3
func BenchmarkBackends(b *testing.B) {
	engines := []struct {
		name string
		opt  binpipe.Backend
	}{{"binpipe-go", binpipe.BackendGo}, {"binpipe-wasm", binpipe.BackendWasm}}
	apis := make([]api, len(engines))
	for i, e := range engines {
		eng, err := binpipe.New(b.Context(), binpipe.WithBackend(e.opt))
		if err != nil {
			b.Fatal(err)
		}
		defer eng.Close()
		apis[i] = api{eng}
	}
	for _, k := range kernelCases {
		b.Run(k.name, func(b *testing.B) {
			for _, n := range []int{4 << 10, 64 << 10, 1 << 20} {
				for i, e := range engines {
					im := k.setup(apis[i], n)[0]
					im.run()
					b.Run(sizeName(n)+"/"+e.name, func(b *testing.B) {
						b.SetBytes(int64(n))
						for b.Loop() {
							im.run()
						}
					})
				}
			}
		})
	}
}
