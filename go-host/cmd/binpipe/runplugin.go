package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/binpipe/binpipe/go-host/pipeline"
	"github.com/binpipe/binpipe/go-host/plugin"
)

// pluginSHA256Sep separates a --plugin path from the SHA-256 it must have:
// --plugin filter.wasm@sha256=<64 hex digits>.
const pluginSHA256Sep = "@sha256="

// loadPlugin loads the plugin named by a --plugin value (a path, optionally pinned by
// SHA-256) under limits. It returns the plugin's pipeline stage and a function that closes it.
func loadPlugin(ctx context.Context, arg string, limits plugin.Limits) (pipeline.Stage, func(), error) {
	path, digest, pinned := strings.Cut(arg, pluginSHA256Sep)
	opts := []plugin.Option{plugin.WithLimits(limits)}
	if pinned {
		opts = append(opts, plugin.WithSHA256(digest))
	}
	p, err := plugin.LoadFile(ctx, path, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("--plugin %s: %w", path, err)
	}
	return pipeline.Transform(p), func() { _ = p.Close(context.Background()) }, nil
}
