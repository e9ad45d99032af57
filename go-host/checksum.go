package binpipe

import (
	"hash/crc32"

	"github.com/binpipe/binpipe/go-host/internal/purego"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// CRC32C returns the CRC-32C (Castagnoli) of data, continuing from seed: CRC32C(b, CRC32C(a, 0))
// equals CRC32C(a‖b, 0), and seed 0 starts fresh. CRC32C([]byte("123456789"), 0) is 0xE3069283.
// The error is ErrClosed, or ErrTrap if the wasm module failed.
func (e *Engine) CRC32C(data []byte, seed uint32) (uint32, error) {
	return e.crc("crc32c", kCRC32C, data, seed, castagnoli)
}

// CRC32 returns the CRC-32/ISO-HDLC of data (the CRC of zlib, gzip and PNG), continuing from
// seed exactly as zlib's crc32(seed, data). CRC32([]byte("123456789"), 0) is 0xCBF43926.
func (e *Engine) CRC32(data []byte, seed uint32) (uint32, error) {
	return e.crc("crc32", kCRC32, data, seed, crc32.IEEETable)
}

// crc runs CRC32C or CRC32; the wasm and native paths feed long inputs in chunks, each
// continuing from the previous chunk's CRC (an empty input still makes one call).
func (e *Engine) crc(kernel string, k kernelID, data []byte, seed uint32, tab *crc32.Table) (uint32, error) {
	if e.closed.Load() {
		return 0, ErrClosed
	}
	p := e.route(k, len(data), true)
	switch {
	case p == pathGo:
		return crc32.Update(seed, tab, data), nil
	case p.isNative() && tab == castagnoli:
		v, err := e.nk(p).CRC32C(e.ctx, data, seed)
		return v, e.nativeErr(kernel, err)
	case p.isNative():
		v, err := e.nk(p).CRC32(e.ctx, data, seed)
		return v, e.nativeErr(kernel, err)
	}
	err := e.call(kernel, p, func(ks kernels) error {
		c := e.chunk()
		for {
			n := min(len(data), c)
			var err error
			if tab == castagnoli {
				seed, err = ks.CRC32C(e.ctx, data[:n], seed)
			} else {
				seed, err = ks.CRC32(e.ctx, data[:n], seed)
			}
			if data = data[n:]; err != nil || len(data) == 0 {
				return err
			}
		}
	})
	return seed, err
}

// XXH3 returns the 64-bit XXH3 hash (xxHash 0.8) of data with seed. XXH3(nil, 0) is
// 0x2D06800538D394C2.
func (e *Engine) XXH3(data []byte, seed uint64) (uint64, error) {
	const kernel = "xxh3-64"
	if e.closed.Load() {
		return 0, ErrClosed
	}
	p := e.route(kXXH3, len(data), true)
	switch {
	case p == pathGo:
		return purego.XXH3(data, seed), nil
	case p.isNative():
		h, err := e.nk(p).XXH3(e.ctx, data, seed)
		return h, e.nativeErr(kernel, err)
	}
	if err := e.fits(kernel, len(data)); err != nil {
		return 0, err
	}
	var h uint64
	err := e.call(kernel, p, func(k kernels) (err error) {
		h, err = k.XXH3(e.ctx, data, seed)
		return err
	})
	return h, err
}

// CRC32C returns the CRC-32C (Castagnoli) of data, continuing from seed: CRC32C(b, CRC32C(a, 0))
// equals CRC32C(a‖b, 0), and seed 0 starts fresh.
//
//	crc := binpipe.CRC32C([]byte("123456789"), 0) // 0xE3069283
//
// It runs Go's hash/crc32, which uses the CPU's CRC instructions, unless this CPU class's
// measured table (tuned.go) says native code is faster.
func CRC32C(data []byte, seed uint32) uint32 {
	v, err := defaultEngine().CRC32C(data, seed)
	if err != nil {
		// Only reachable if the module failed; the answer is well defined, so compute it in Go.
		return crc32.Update(seed, castagnoli, data)
	}
	return v
}

// CRC32 returns the CRC-32/ISO-HDLC of data (zlib, gzip, PNG; hash/crc32's IEEE), continuing
// from seed exactly as zlib's crc32(seed, data) and crc32.Update do.
//
//	crc := binpipe.CRC32([]byte("123456789"), 0) // 0xCBF43926
//
// It runs Go's hash/crc32, which uses the CPU's carry-less multiply, unless this CPU class's
// measured table says native code is faster.
func CRC32(data []byte, seed uint32) uint32 {
	v, err := defaultEngine().CRC32(data, seed)
	if err != nil {
		return crc32.Update(seed, crc32.IEEETable, data)
	}
	return v
}

// XXH3 returns the 64-bit XXH3 hash (xxHash 0.8 specification) of data with seed, the value
// of XXH3_64bits_withSeed.
//
//	h := binpipe.XXH3([]byte("hello"), 0)
func XXH3(data []byte, seed uint64) uint64 {
	v, err := defaultEngine().XXH3(data, seed)
	if err != nil {
		return purego.XXH3(data, seed)
	}
	return v
}
