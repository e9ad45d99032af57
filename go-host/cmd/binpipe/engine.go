package main

import (
	"context"
	"os"
	"path/filepath"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// newEngine returns an engine with backend b whose wasm module, once compiled by wazero, is
// kept in the user's cache directory (binpipe/ under os.UserCacheDir), so that later runs
// skip the compilation. Without a usable cache directory it compiles every time.
func newEngine(ctx context.Context, b binpipe.Backend) (*binpipe.Engine, error) {
	if base, err := os.UserCacheDir(); err == nil {
		e, err := binpipe.New(ctx, binpipe.WithBackend(b), binpipe.WithCompilationCacheDir(filepath.Join(base, "binpipe")))
		if err == nil {
			return e, nil
		}
	}
	return binpipe.New(ctx, binpipe.WithBackend(b))
}
