package purego

import (
	"encoding/binary"
	"math/bits"
)

// XXH3 returns the XXH3 64-bit hash (xxHash 0.8 specification) of data with seed, equal to
// the reference XXH3_64bits_withSeed.
//
//	XXH3(nil, 0) == 0x2D06800538D394C2
//
// Inputs of up to 240 bytes take a few 64×64→128-bit multiplies of input words mixed with
// the secret; longer ones run eight 64-bit accumulators over 64-byte stripes, scrambled after
// every 1024-byte block. A non-zero seed turns the default secret into a custom one for long
// inputs (on the stack: XXH3 does not allocate).
func XXH3(data []byte, seed uint64) uint64 {
	n := len(data)
	switch {
	case n <= 16:
		return xxh3Len0To16(data, seed)
	case n <= 128:
		return xxh3Len17To128(data, seed)
	case n <= xxh3MidMax:
		return xxh3Len129To240(data, seed)
	}
	if seed == 0 {
		return xxh3Long(data, &xxh3Secret)
	}
	var custom [xxh3SecretLen]byte
	xxh3SeedSecret(&custom, seed)
	return xxh3Long(data, &custom)
}

// xxh3SeedSecret writes the secret of seed to dst: the default secret with seed added to its
// even and subtracted from its odd 64-bit words (seed 0 gives the default secret).
func xxh3SeedSecret(dst *[xxh3SecretLen]byte, seed uint64) {
	for i := 0; i < xxh3SecretLen; i += 16 {
		binary.LittleEndian.PutUint64(dst[i:], le64(xxh3Secret[i:])+seed)
		binary.LittleEndian.PutUint64(dst[i+8:], le64(xxh3Secret[i+8:])-seed)
	}
}

const (
	xxh3SecretLen = 192
	xxh3Stripe    = 64
	// Stripes per block: the secret advances 8 bytes per stripe, (192-64)/8 times.
	xxh3StripesPerBlock = (xxh3SecretLen - xxh3Stripe) / 8
	xxh3Block           = xxh3Stripe * xxh3StripesPerBlock
	xxh3MidMax          = 240

	prime32_1 = 0x9E3779B1
	prime32_2 = 0x85EBCA77
	prime32_3 = 0xC2B2AE3D
	prime64_1 = 0x9E3779B185EBCA87
	prime64_2 = 0xC2B2AE3D27D4EB4F
	prime64_3 = 0x165667B19E3779F9
	prime64_4 = 0x85EBCA77C2B2AE63
	prime64_5 = 0x27D4EB2F165667C5
	primeMx1  = 0x165667919E3779F9
	primeMx2  = 0x9FB21C651E98DF25
)

// xxh3Secret is the default secret, XXH3_kSecret.
var xxh3Secret = [xxh3SecretLen]byte{
	0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
	0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
	0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
	0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
	0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
	0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
	0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
	0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
	0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
	0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
	0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
	0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
}

func le64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }
func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

// mulFold64 is the 128-bit product of a and b with its halves XORed together.
func mulFold64(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// xxh64Avalanche is XXH64's final mix, used by the 0..3-byte paths.
func xxh64Avalanche(h uint64) uint64 {
	h ^= h >> 33
	h *= prime64_2
	h ^= h >> 29
	h *= prime64_3
	return h ^ h>>32
}

// xxh3Avalanche is XXH3_avalanche.
func xxh3Avalanche(h uint64) uint64 {
	h ^= h >> 37
	h *= primeMx1
	return h ^ h>>32
}

// rrmxmx is the stronger avalanche of the 4..8-byte path.
func rrmxmx(h uint64, n uint64) uint64 {
	h ^= bits.RotateLeft64(h, 49) ^ bits.RotateLeft64(h, 24)
	h *= primeMx2
	h ^= h>>35 + n
	h *= primeMx2
	return h ^ h>>28
}

func xxh3Len0To16(data []byte, seed uint64) uint64 {
	s := xxh3Secret[:]
	n := len(data)
	switch {
	case n > 8:
		bitflip1 := (le64(s[24:]) ^ le64(s[32:])) + seed
		bitflip2 := (le64(s[40:]) ^ le64(s[48:])) - seed
		lo := le64(data) ^ bitflip1
		hi := le64(data[n-8:]) ^ bitflip2
		acc := uint64(n) + bits.ReverseBytes64(lo) + hi + mulFold64(lo, hi)
		return xxh3Avalanche(acc)
	case n >= 4:
		seed ^= uint64(bits.ReverseBytes32(uint32(seed))) << 32
		in1 := uint64(le32(data))
		in2 := uint64(le32(data[n-4:]))
		bitflip := (le64(s[8:]) ^ le64(s[16:])) - seed
		return rrmxmx((in2+in1<<32)^bitflip, uint64(n))
	case n > 0:
		combined := uint32(data[0])<<16 | uint32(data[n>>1])<<24 | uint32(data[n-1]) | uint32(n)<<8
		bitflip := uint64(le32(s)^le32(s[4:])) + seed
		return xxh64Avalanche(uint64(combined) ^ bitflip)
	default:
		return xxh64Avalanche(seed ^ le64(s[56:]) ^ le64(s[64:]))
	}
}

// mix16 mixes 16 input bytes with 16 secret bytes and the seed.
func mix16(in, secret []byte, seed uint64) uint64 {
	return mulFold64(le64(in)^(le64(secret)+seed), le64(in[8:])^(le64(secret[8:])-seed))
}

func xxh3Len17To128(data []byte, seed uint64) uint64 {
	s := xxh3Secret[:]
	n := len(data)
	acc := uint64(n) * prime64_1
	if n > 32 {
		if n > 64 {
			if n > 96 {
				acc += mix16(data[48:], s[96:], seed)
				acc += mix16(data[n-64:], s[112:], seed)
			}
			acc += mix16(data[32:], s[64:], seed)
			acc += mix16(data[n-48:], s[80:], seed)
		}
		acc += mix16(data[16:], s[32:], seed)
		acc += mix16(data[n-32:], s[48:], seed)
	}
	acc += mix16(data, s, seed)
	acc += mix16(data[n-16:], s[16:], seed)
	return xxh3Avalanche(acc)
}

func xxh3Len129To240(data []byte, seed uint64) uint64 {
	s := xxh3Secret[:]
	n := len(data)
	acc := uint64(n) * prime64_1
	head := data[:128:128]
	for i := 0; i < 128; i += 16 {
		acc += mix16(head[i:i+16:i+16], s[i:i+16:i+16], seed)
	}
	acc = xxh3Avalanche(acc)
	// The blocks after the eighth reuse the secret from offset 3; two sums halve the chain.
	rest, key := data[128:n&^15], s[3:]
	var acc2 uint64
	for len(rest) >= 32 {
		acc += mix16(rest[:16:16], key[:16:16], seed)
		acc2 += mix16(rest[16:32:32], key[16:32:32], seed)
		rest, key = rest[32:], key[32:]
	}
	if len(rest) >= 16 {
		acc += mix16(rest[:16:16], key[:16:16], seed)
	}
	// The last 16 bytes use secret 136-17.
	acc += acc2 + mix16(data[n-16:], s[136-17:], seed)
	return xxh3Avalanche(acc)
}

// xxh3Accumulate adds the 64-byte stripes of data (a multiple of 64 bytes, at most 16
// stripes) to acc, stripe i keyed with secret[8*i:]. The accumulators live in locals for the
// whole run so they stay in registers.
func xxh3Accumulate(acc *[8]uint64, data []byte, secret []byte) {
	a0, a1, a2, a3, a4, a5, a6, a7 := acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], acc[7]
	for len(data) >= xxh3Stripe && len(secret) >= xxh3Stripe {
		p := data[:xxh3Stripe:xxh3Stripe]
		k := secret[:xxh3Stripe:xxh3Stripe]
		d0, d1, d2, d3 := le64(p[0:]), le64(p[8:]), le64(p[16:]), le64(p[24:])
		d4, d5, d6, d7 := le64(p[32:]), le64(p[40:]), le64(p[48:]), le64(p[56:])
		k0, k1, k2, k3 := d0^le64(k[0:]), d1^le64(k[8:]), d2^le64(k[16:]), d3^le64(k[24:])
		k4, k5, k6, k7 := d4^le64(k[32:]), d5^le64(k[40:]), d6^le64(k[48:]), d7^le64(k[56:])
		a0 += d1 + (k0&0xFFFFFFFF)*(k0>>32)
		a1 += d0 + (k1&0xFFFFFFFF)*(k1>>32)
		a2 += d3 + (k2&0xFFFFFFFF)*(k2>>32)
		a3 += d2 + (k3&0xFFFFFFFF)*(k3>>32)
		a4 += d5 + (k4&0xFFFFFFFF)*(k4>>32)
		a5 += d4 + (k5&0xFFFFFFFF)*(k5>>32)
		a6 += d7 + (k6&0xFFFFFFFF)*(k6>>32)
		a7 += d6 + (k7&0xFFFFFFFF)*(k7>>32)
		data = data[xxh3Stripe:]
		secret = secret[8:]
	}
	acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], acc[7] = a0, a1, a2, a3, a4, a5, a6, a7
}

// xxh3Scramble is the end-of-block scramble: acc = (acc ^ acc>>47 ^ key) * PRIME32_1.
func xxh3Scramble(acc *[8]uint64, key []byte) {
	key = key[:64:64]
	for i := range acc {
		a := acc[i]
		acc[i] = (a ^ a>>47 ^ le64(key[8*i:])) * prime32_1
	}
}

// xxh3Long hashes an input of more than 240 bytes with secret.
func xxh3Long(data []byte, secret *[xxh3SecretLen]byte) uint64 {
	acc := xxh3AccInit
	n := len(data)
	// A block or stripe ending exactly at the end is left to the last stripe: the counts are
	// of n-1 bytes.
	blocks := (n - 1) / xxh3Block
	for b := 0; b < blocks; b++ {
		xxh3Accumulate(&acc, data[b*xxh3Block:(b+1)*xxh3Block], secret[:])
		xxh3Scramble(&acc, secret[xxh3SecretLen-xxh3Stripe:])
	}
	tail := data[blocks*xxh3Block:]
	stripes := (len(tail) - 1) / xxh3Stripe
	xxh3Accumulate(&acc, tail[:stripes*xxh3Stripe], secret[:])
	// The last 64 bytes, overlapping, keyed 7 bytes before the scramble key.
	return xxh3Finish(&acc, data[n-xxh3Stripe:], secret, uint64(n))
}

// xxh3AccInit is the accumulators' starting value for long inputs.
var xxh3AccInit = [8]uint64{prime32_3, prime64_1, prime64_2, prime64_3, prime64_4, prime32_2, prime64_5, prime32_1}

// xxh3Finish ends a long hash of n bytes: it accumulates last (the input's final 64 bytes,
// overlapping stripes already taken) keyed 7 bytes before the scramble key, then merges the
// accumulators into the 64-bit result.
func xxh3Finish(acc *[8]uint64, last []byte, secret *[xxh3SecretLen]byte, n uint64) uint64 {
	xxh3Accumulate(acc, last, secret[xxh3SecretLen-xxh3Stripe-7:])
	result := n * prime64_1
	key := secret[11:]
	for i := 0; i < 4; i++ {
		result += mulFold64(acc[2*i]^le64(key[16*i:]), acc[2*i+1]^le64(key[16*i+8:]))
	}
	return xxh3Avalanche(result)
}
