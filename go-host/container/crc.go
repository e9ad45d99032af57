package container

import binpipe "github.com/binpipe/binpipe/go-host"

// CRC-32C of a concatenation from the CRCs of its parts, so the trailer's whole-stream CRC
// costs no second pass over the data. CRCs are polynomials over GF(2) in reflected bit order
// (bit 31 is the coefficient of x^0): appending n bytes to a message multiplies its CRC by
// x^(8n) modulo the Castagnoli polynomial before the new bytes' CRC is added.

// castagnoli is the reflected CRC-32C polynomial.
const castagnoli = 0x82F63B78

// xPow2k[k] is x^(2^k) modulo the polynomial.
var xPow2k = func() (t [32]uint32) {
	t[0] = 1 << 30 // x^1
	for k := 1; k < len(t); k++ {
		t[k] = mulModP(t[k-1], t[k-1])
	}
	return t
}()

// mulModP multiplies a and b modulo the polynomial.
func mulModP(a, b uint32) uint32 {
	var p uint32
	for m := uint32(1) << 31; m != 0; m >>= 1 {
		if a&m != 0 {
			p ^= b
		}
		if b&1 != 0 {
			b = b>>1 ^ castagnoli
		} else {
			b >>= 1
		}
	}
	return p
}

// xPow8n returns x^(8n) modulo the polynomial.
func xPow8n(n uint64) uint32 {
	p := uint32(1) << 31 // x^0
	for k := 3; n != 0; k, n = k+1, n>>1 {
		if n&1 != 0 {
			p = mulModP(xPow2k[k%32], p)
		}
	}
	return p
}

// crc32cCombine returns the CRC-32C of a‖b from crcA = CRC-32C(a), crcB = CRC-32C(b) and
// lenB = len(b).
func crc32cCombine(crcA, crcB uint32, lenB uint64) uint32 {
	return mulModP(xPow8n(lenB), crcA) ^ crcB
}

// crc32c is the CRC-32C of b (the standard library's SSE4.2/ARM64 code via binpipe.CRC32C).
func crc32c(b []byte) uint32 { return binpipe.CRC32C(b, 0) }
