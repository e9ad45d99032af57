// Package processors registers binpipe's stages as Benthos batch processors:
//
//	binpipe_chain     a kernel chain (binpipe.ParseChain's spec) on every message
//	binpipe_plugin    a sandboxed wasm plugin (SHA-256 pinned, with the plugin limits)
//	binpipe_utf8      UTF-8 validation
//
// Importing the package registers them (blank import, as Benthos plugins do). It has no
// Kafka code: users of any Benthos distribution import it and keep their own inputs and
// outputs.
//
// A message that a stage refuses is not dropped and not changed: it keeps its content, gets
// Benthos' per-message error (route it with a switch output or a catch processor) and the
// metadata keys binpipe_error, binpipe_kernel, binpipe_stage and binpipe_offset (those that
// apply). The other messages of the batch go on, and so does the stream.
package processors

import (
	"context"
	"errors"
	"strconv"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/plugin"
	"github.com/redpanda-data/benthos/v4/public/service"
)

// Metadata keys set on a message that a processor refused.
const (
	MetaError  = "binpipe_error"
	MetaKernel = "binpipe_kernel"
	MetaStage  = "binpipe_stage"
	MetaOffset = "binpipe_offset"
)

func init() {
	for _, r := range []struct {
		name string
		spec *service.ConfigSpec
		ctor service.BatchProcessorConstructor
	}{
		{"binpipe_chain", chainSpec(), newChain},
		{"binpipe_plugin", pluginSpec(), newPlugin},
		{"binpipe_utf8", utf8Spec(), newUTF8},
	} {
		if err := service.RegisterBatchProcessor(r.name, r.spec, r.ctor); err != nil {
			panic(err)
		}
	}
}

// transformFunc is one processor's work on one message's bytes.
type transformFunc func(ctx context.Context, src []byte) ([]byte, error)

// batchProc applies fn to every message of a batch, counting what it does in Benthos' metrics.
type batchProc struct {
	fn     transformFunc
	close  func(ctx context.Context) error
	ok     *service.MetricCounter
	failed *service.MetricCounter
	bytes  *service.MetricCounter
}

// newBatchProc wraps fn with the metrics every binpipe processor reports.
func newBatchProc(mgr *service.Resources, fn transformFunc, closeFn func(context.Context) error) *batchProc {
	m := mgr.Metrics()
	return &batchProc{
		fn:     fn,
		close:  closeFn,
		ok:     m.NewCounter("binpipe_messages_ok"),
		failed: m.NewCounter("binpipe_messages_failed"),
		bytes:  m.NewCounter("binpipe_bytes_in"),
	}
}

// ProcessBatch transforms every message in place; a refused message keeps its bytes and gets
// the error and its metadata.
func (p *batchProc) ProcessBatch(ctx context.Context, batch service.MessageBatch) ([]service.MessageBatch, error) {
	for _, msg := range batch {
		src, err := msg.AsBytes()
		if err != nil {
			markError(msg, err)
			p.failed.Incr(1)
			continue
		}
		p.bytes.Incr(int64(len(src)))
		out, err := p.fn(ctx, src)
		if err != nil {
			markError(msg, err)
			p.failed.Incr(1)
			continue
		}
		msg.SetBytes(out)
		p.ok.Incr(1)
	}
	return []service.MessageBatch{batch}, nil
}

// Close releases what the processor holds (a plugin's instances).
func (p *batchProc) Close(ctx context.Context) error {
	if p.close != nil {
		return p.close(ctx)
	}
	return nil
}

// markError sets Benthos' error on msg and binpipe's metadata naming kernel, stage and offset.
func markError(msg *service.Message, err error) {
	msg.SetError(err)
	msg.MetaSetMut(MetaError, err.Error())
	var cerr *binpipe.ChainError
	if errors.As(err, &cerr) {
		msg.MetaSetMut(MetaStage, strconv.Itoa(cerr.Stage))
	}
	var kerr *binpipe.KernelError
	var uerr *binpipe.UTF8Error
	var perr *plugin.Error
	switch {
	case errors.As(err, &kerr):
		msg.MetaSetMut(MetaKernel, kerr.Kernel)
		if kerr.Kind == binpipe.KindInvalidData {
			msg.MetaSetMut(MetaOffset, strconv.FormatUint(kerr.Offset, 10))
		}
	case errors.As(err, &uerr):
		msg.MetaSetMut(MetaKernel, "utf8-validate")
		msg.MetaSetMut(MetaOffset, strconv.Itoa(uerr.ValidUpTo))
	case errors.As(err, &perr):
		msg.MetaSetMut(MetaKernel, "plugin:"+perr.Plugin)
		if perr.Offset >= 0 {
			msg.MetaSetMut(MetaOffset, strconv.FormatInt(perr.Offset, 10))
		}
	}
}
