package fastpath

import (
	"context"
	"fmt"
	"math"

	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// CRC32C is bp_crc32c over data, continuing from seed.
func (x *Instance) CRC32C(ctx context.Context, data []byte, seed uint32) (uint32, error) {
	return x.crc(ctx, x.crc32c, wasm.FastCRC32C, data, seed)
}

// CRC32 is bp_crc32 (CRC-32/ISO-HDLC) over data, continuing from seed.
func (x *Instance) CRC32(ctx context.Context, data []byte, seed uint32) (uint32, error) {
	return x.crc(ctx, x.crc32, wasm.FastCRC32, data, seed)
}

func (x *Instance) crc(ctx context.Context, fn api.Function, name string, data []byte, seed uint32) (uint32, error) {
	res, err := x.value(ctx, fn, name, data, api.EncodeU32(seed))
	if err != nil {
		return 0, err
	}
	if res > math.MaxUint32 {
		return 0, fmt.Errorf("%s: returned %d, not a u32", name, res)
	}
	return uint32(res), nil
}

// XXH3 is bp_xxh3_64 over data with seed; the hash comes back through the out-buffer.
func (x *Instance) XXH3(ctx context.Context, data []byte, seed uint64) (uint64, error) {
	if err := x.ensure(ctx, &x.out, 8); err != nil {
		return 0, err
	}
	if err := x.load(ctx, &x.in, "input buffer", data); err != nil {
		return 0, err
	}
	x.stack[0], x.stack[1], x.stack[2], x.stack[3] = api.EncodeU32(x.in.ptr), api.EncodeU32(uint32(len(data))), seed, api.EncodeU32(x.out.ptr)
	if err := x.status(ctx, x.xxh3, wasm.FastXXH3); err != nil {
		return 0, err
	}
	return mem.U64(x.mem, "xxh3 result", x.out.ptr)
}
