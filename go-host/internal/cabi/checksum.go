package cabi

import (
	"context"

	"github.com/tetratelabs/wazero/api"
)

// CRC32C calls checksum#crc32c.
func (c *Instance) CRC32C(ctx context.Context, data []byte, seed uint32) (uint32, error) {
	return c.crc(ctx, c.crc32c, data, seed)
}

// CRC32 calls checksum#crc32.
func (c *Instance) CRC32(ctx context.Context, data []byte, seed uint32) (uint32, error) {
	return c.crc(ctx, c.crc32, data, seed)
}

func (c *Instance) crc(ctx context.Context, e export, data []byte, seed uint32) (uint32, error) {
	p, err := c.lowerBytes(ctx, data)
	if err != nil {
		return 0, err
	}
	res, err := c.call(ctx, e, api.EncodeU32(p), uint64(len(data)), api.EncodeU32(seed))
	return api.DecodeU32(res), err
}

// XXH3 calls checksum#xxh3-64.
func (c *Instance) XXH3(ctx context.Context, data []byte, seed uint64) (uint64, error) {
	p, err := c.lowerBytes(ctx, data)
	if err != nil {
		return 0, err
	}
	return c.call(ctx, c.xxh3, api.EncodeU32(p), uint64(len(data)), seed)
}
