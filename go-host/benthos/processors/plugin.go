package processors

import (
	"context"
	"fmt"

	"github.com/binpipe/binpipe/go-host/plugin"
	"github.com/redpanda-data/benthos/v4/public/service"
)

// pluginSpec documents binpipe_plugin's configuration.
func pluginSpec() *service.ConfigSpec {
	return service.NewConfigSpec().
		Categories("Mapping").
		Summary("Runs a sandboxed binpipe plugin (a wasm module against wit/plugin/plugin.wit) on every message.").
		Description("The module is loaded once, refused unless its SHA-256 matches, and run under wazero with the plugin limits; instances are pooled. " +
			"A message the plugin refuses, traps on or runs out of time or fuel on keeps its content and gets an error (binpipe_kernel is plugin:<name>); an instance that trapped or timed out is thrown away and replaced, so the next message runs on a fresh one.").
		Field(service.NewStringField("path").Description("The plugin's wasm module.")).
		Field(service.NewStringField("sha256").Description("The module's SHA-256, in hex. Loading fails if it differs.")).
		Field(service.NewIntField("memory_pages").Description("Most linear memory, in 64 KiB pages (0: the default, 256).").Default(0).Advanced()).
		Field(service.NewDurationField("deadline").Description("Bound on each message's call.").Default("2s").Advanced()).
		Field(service.NewIntField("max_output").Description("Largest output per message, in bytes (0: the default, 64 MiB).").Default(0).Advanced()).
		Field(service.NewIntField("fuel").Description("Metered work per call (0: the default).").Default(0).Advanced()).
		Field(service.NewBoolField("wasi").Description("Grant the minimal virtual WASI (Go-built plugins need it).").Default(false).Advanced()).
		Field(service.NewIntField("record_size").Description("Refuse to start unless the plugin declares this record size (0: do not check).").Default(0).Advanced())
}

// newPlugin loads the plugin with its pin and limits.
func newPlugin(conf *service.ParsedConfig, mgr *service.Resources) (service.BatchProcessor, error) {
	path, err := conf.FieldString("path")
	if err != nil {
		return nil, err
	}
	digest, err := conf.FieldString("sha256")
	if err != nil {
		return nil, err
	}
	var lim plugin.Limits
	pages, err := conf.FieldInt("memory_pages")
	if err != nil {
		return nil, err
	}
	lim.MemoryPages = uint32(pages)
	if lim.Deadline, err = conf.FieldDuration("deadline"); err != nil {
		return nil, err
	}
	if lim.MaxOutput, err = conf.FieldInt("max_output"); err != nil {
		return nil, err
	}
	fuel, err := conf.FieldInt("fuel")
	if err != nil {
		return nil, err
	}
	lim.Fuel = uint64(fuel)
	if lim.WASI, err = conf.FieldBool("wasi"); err != nil {
		return nil, err
	}
	recordSize, err := conf.FieldInt("record_size")
	if err != nil {
		return nil, err
	}
	p, err := plugin.LoadFile(context.Background(), path, plugin.WithSHA256(digest), plugin.WithLimits(lim))
	if err != nil {
		return nil, err
	}
	if recordSize != 0 && p.RecordSize() != recordSize {
		_ = p.Close(context.Background())
		return nil, fmt.Errorf("plugin %q has record size %d, the config says %d", p.Name(), p.RecordSize(), recordSize)
	}
	return newBatchProc(mgr, func(ctx context.Context, src []byte) ([]byte, error) {
		return p.Transform(ctx, nil, src)
	}, p.Close), nil
}
