package pipeline

import binpipe "github.com/binpipe/binpipe/go-host"

// interimChain stands in for binpipe.ChainWorker until it lands: Go buffers and
// Engine.RunChain (a copy in and out), the same methods.
type interimChain struct {
	e       *binpipe.Engine
	kernels []binpipe.Stage
	in, out []byte
}

func newInterimChain(e *binpipe.Engine, maxInput int, kernels ...binpipe.Stage) (*interimChain, error) {
	bound, err := binpipe.ChainOutputBound(maxInput, kernels...)
	if err != nil {
		return nil, err
	}
	return &interimChain{e: e, kernels: kernels, in: make([]byte, maxInput), out: make([]byte, 0, bound+16)}, nil
}

func (c *interimChain) Input() []byte { return c.in }

func (c *interimChain) Run(n int) ([]byte, error) {
	out, err := c.e.RunChain(c.out[:0], c.in[:n], c.kernels...)
	if err != nil {
		return nil, err
	}
	c.out = out
	return out, nil
}

func (c *interimChain) Close() error { return nil }
