package fastpath

import (
	"context"
	"fmt"

	"github.com/binpipe/binpipe/go-host/internal/wasm"
)

// UTF8Validate is bp_utf8_validate: validUpTo, and status 0 if data is valid UTF-8, 1 to 3 the
// length of the invalid sequence at validUpTo, or 4 if data ends inside a sequence.
func (x *Instance) UTF8Validate(ctx context.Context, data []byte) (validUpTo uint64, status uint32, err error) {
	res, err := x.value(ctx, x.utf8Validate, wasm.FastUTF8Validate, data)
	if err != nil {
		return 0, 0, err
	}
	validUpTo, status = res&0xffff_ffff, uint32(res>>32)
	if status > 4 || validUpTo > uint64(len(data)) || (status == 0) != (validUpTo == uint64(len(data))) {
		return 0, 0, fmt.Errorf("%s: returned kind %d, valid_up_to %d for %d bytes", wasm.FastUTF8Validate, status, validUpTo, len(data))
	}
	return validUpTo, status, nil
}

// ASCIIPrefix is bp_ascii_prefix.
func (x *Instance) ASCIIPrefix(ctx context.Context, data []byte) (uint64, error) {
	res, err := x.value(ctx, x.asciiPrefix, wasm.FastASCIIPrefix, data)
	if err == nil && res > uint64(len(data)) {
		return 0, fmt.Errorf("%s: returned %d for %d bytes", wasm.FastASCIIPrefix, res, len(data))
	}
	return res, err
}
