// Package pool keeps a bounded set of reusable, non-goroutine-safe resources (wasm instances).
//
// At most Size resources exist at once; Get blocks when all are in use. Put returns a resource
// for reuse only if the caller says it is healthy and the keep policy accepts it (binpipe drops
// instances whose memory grew very large); otherwise the resource is closed and a new one is
// made on demand. Close closes idle resources at once and busy ones when they come back.
package pool

import (
	"context"
	"errors"
	"sync"
)

// ErrClosed is returned by Get after Close.
var ErrClosed = errors.New("pool closed")

// Pool is a bounded pool of T. The zero value is not usable; use New.
type Pool[T any] struct {
	make  func(context.Context) (T, error)
	close func(T)
	keep  func(T) bool

	slots chan struct{} // one token per resource that may exist; taken while in use
	idle  chan T

	mu     sync.Mutex
	closed bool
	stats  Stats
}

// Stats counts what the pool did, for tests and diagnostics.
type Stats struct {
	Created   int // resources made
	Discarded int // resources closed because they were unhealthy or too large
	Idle      int // resources waiting for reuse now
}

// New returns a pool of at most size resources made by mk and closed by cl. keep, if not nil,
// decides whether a healthy resource is worth keeping.
func New[T any](size int, mk func(context.Context) (T, error), cl func(T), keep func(T) bool) *Pool[T] {
	size = max(size, 1)
	return &Pool[T]{
		make: mk, close: cl, keep: keep,
		slots: make(chan struct{}, size),
		idle:  make(chan T, size),
	}
}

// Get returns an idle resource or makes one, waiting while size resources are in use.
func (p *Pool[T]) Get(ctx context.Context) (T, error) {
	var zero T
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		<-p.slots
		return zero, ErrClosed
	}
	select {
	case x := <-p.idle:
		return x, nil
	default:
	}
	x, err := p.make(ctx)
	if err != nil {
		<-p.slots
		return zero, err
	}
	p.mu.Lock()
	p.stats.Created++
	p.mu.Unlock()
	return x, nil
}

// Put gives back a resource from Get. An unhealthy resource (one that trapped) is closed and
// never reused.
func (p *Pool[T]) Put(x T, healthy bool) {
	defer func() { <-p.slots }()
	p.mu.Lock()
	closed := p.closed
	drop := !healthy || (p.keep != nil && !p.keep(x))
	if drop && !closed {
		p.stats.Discarded++
	}
	if !drop && !closed {
		// Under the lock so Close cannot drain idle between the check and the send; the send
		// never blocks because idle has room for every slot.
		p.idle <- x
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	p.close(x)
}

// Close closes every idle resource; busy ones are closed when they are put back. Get fails
// with ErrClosed afterwards.
func (p *Pool[T]) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	for {
		select {
		case x := <-p.idle:
			p.close(x)
		default:
			return
		}
	}
}

// Stats returns a snapshot of the counters.
func (p *Pool[T]) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Idle = len(p.idle)
	return s
}
