package native

import "context"

// XXH3 returns the XXH3-64 of data with seed.
//
// XXH3 has no chunked form in the kernels crate (its state would have to cross calls), so
// one call hashes all of data: 20-30 µs per MiB (TestChunkDuration, measured under load), so
// inputs above ~4 MiB can delay a stop-the-world past 100 µs.
func (k Kernels) XXH3(_ context.Context, data []byte, seed uint64) (uint64, error) {
	if k.t == nil {
		return 0, k.unsupported("xxh3-64")
	}
	return k.t.xxh3_64(ptr(data), uint(len(data)), seed), nil
}

// CRC32C returns the CRC-32C of data continuing from seed, chunk by chunk.
func (k Kernels) CRC32C(_ context.Context, data []byte, seed uint32) (uint32, error) {
	if k.t == nil {
		return 0, k.unsupported("crc32c")
	}
	if k.wide {
		return k.crc(k.t.crc32c_wide, data, seed), nil
	}
	return k.crc(k.t.crc32c, data, seed), nil
}

// CRC32 returns the CRC-32/ISO-HDLC of data continuing from seed, chunk by chunk.
func (k Kernels) CRC32(_ context.Context, data []byte, seed uint32) (uint32, error) {
	if k.t == nil {
		return 0, k.unsupported("crc32")
	}
	if k.wide {
		return k.crc(k.t.crc32_wide, data, seed), nil
	}
	return k.crc(k.t.crc32, data, seed), nil
}

// crc feeds data to a CRC entry in chunks, each continuing from the last one's CRC.
func (k Kernels) crc(entry func(*byte, uint, uint64) uint64, data []byte, seed uint32) uint32 {
	for {
		c := min(len(data), chunkBytes)
		seed = uint32(entry(ptr(data), uint(c), uint64(seed)))
		if data = data[c:]; len(data) == 0 {
			return seed
		}
	}
}
