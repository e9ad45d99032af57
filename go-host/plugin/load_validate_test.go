package plugin_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/binpipe/binpipe/go-host/plugin"
	. "github.com/binpipe/binpipe/go-host/plugin/internal/wasmtest"
)

// TestLoadRefusesInvalidTypes checks that a plugin whose body has an operand type error (an
// i64 where i32.eqz needs an i32), or that uses externref, is a KindLoad error naming the
// byte, refused by binpipe's validator before wazero compiles it.
func TestLoadRefusesInvalidTypes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		transform []byte
		locals    []byte
		want      string
	}{
		{"operand type", Cat(I64Const(0), []byte{0x45}), nil, "i32 expected, i64 found"},
		{"externref local", I32Const(0), []byte{0x6f}, "externref is not supported"},
	} {
		wasm := spec{name: "typed", transform: tc.transform, locals: tc.locals}.bytes()
		_, err := plugin.Load(context.Background(), wasm)
		var perr *plugin.Error
		if !errors.As(err, &perr) || perr.Kind != plugin.KindLoad || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "at byte") {
			t.Errorf("%s: %v, want a load error at a byte saying %q", tc.name, err, tc.want)
		}
	}
}
