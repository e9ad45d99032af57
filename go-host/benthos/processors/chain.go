package processors

import (
	"context"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/redpanda-data/benthos/v4/public/service"
)

// chainSpec documents binpipe_chain's configuration.
func chainSpec() *service.ConfigSpec {
	return service.NewConfigSpec().
		Categories("Parsing").
		Summary("Runs a binpipe kernel chain on every message.").
		Description("The chain is a binpipe chain spec, as binpipe.ParseChain and the binpipe CLI read it: kernels with their parameters, comma-separated, each stage's output the next one's input. " +
			"A message a stage refuses keeps its content and gets an error and the metadata binpipe_error, binpipe_stage, binpipe_kernel and binpipe_offset.").
		Field(service.NewStringField("chain").
			Description("The chain spec.").
			Example("delta-encode:8,shuffle:8").Example("hex-encode"))
}

// newChain parses the chain once; RunChain is safe from many goroutines.
func newChain(conf *service.ParsedConfig, mgr *service.Resources) (service.BatchProcessor, error) {
	spec, err := conf.FieldString("chain")
	if err != nil {
		return nil, err
	}
	stages, err := binpipe.ParseChain(spec)
	if err != nil {
		return nil, err
	}
	return newBatchProc(mgr, func(_ context.Context, src []byte) ([]byte, error) {
		return binpipe.RunChain(nil, src, stages...)
	}, nil), nil
}

// utf8Spec documents binpipe_utf8's configuration (it has none).
func utf8Spec() *service.ConfigSpec {
	return service.NewConfigSpec().
		Categories("Parsing").
		Summary("Validates that every message is UTF-8, with binpipe's SIMD validator.").
		Description("A message that is not UTF-8 keeps its content and gets an error, with the offset of the first invalid byte in binpipe_offset. Valid messages pass unchanged.")
}

// newUTF8 makes the validation processor.
func newUTF8(_ *service.ParsedConfig, mgr *service.Resources) (service.BatchProcessor, error) {
	return newBatchProc(mgr, func(_ context.Context, src []byte) ([]byte, error) {
		if err := binpipe.UTF8Validate(src); err != nil {
			return nil, err
		}
		return src, nil
	}, nil), nil
}
