// Package pool keeps a bounded set of reusable, non-goroutine-safe resources (wasm instances).
//
// At most Size resources exist at once; Get waits when all are in use. Put returns a resource
// for reuse only if the caller says it is healthy and the keep policy accepts it (binpipe drops
// instances whose memory grew very large); otherwise the resource is closed and a new one is
// made on demand. Close closes idle resources at once and busy ones when they come back.
//
// The pool sits on every wasm call, whose crossing costs only tens of nanoseconds, so the
// common case avoids locks and channels: one idle resource lives in an atomic slot that Get
// swaps out and Put swaps back; the mutex-guarded list serves concurrent callers.
package pool

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Get after Close.
var ErrClosed = errors.New("pool closed")

// Pool is a bounded pool of *E. The zero value is not usable; use New.
type Pool[E any] struct {
	make  func(context.Context) (*E, error)
	close func(*E)
	keep  func(*E) bool
	size  int

	fast   atomic.Pointer[E] // one idle resource, taken and returned without the lock
	isShut atomic.Bool       // closed, readable without the lock

	mu      sync.Mutex
	freed   sync.Cond    // signalled when a resource goes idle or a slot frees up
	idle    []*E         // LIFO: the most recently used instance has the warmest caches
	live    int          // resources that exist: idle + in use
	waiting atomic.Int32 // goroutines blocked in Get
	closed  bool
	stats   Stats
}

// Stats counts what the pool did, for tests and diagnostics.
type Stats struct {
	Created   int // resources made
	Discarded int // resources closed because they were unhealthy or too large
	Idle      int // resources waiting for reuse now
}

// New returns a pool of at most size resources made by mk and closed by cl. keep, if not nil,
// decides whether a healthy resource is worth keeping.
func New[E any](size int, mk func(context.Context) (*E, error), cl func(*E), keep func(*E) bool) *Pool[E] {
	p := &Pool[E]{make: mk, close: cl, keep: keep, size: max(size, 1)}
	p.freed.L = &p.mu
	return p
}

// Get returns an idle resource or makes one (with ctx), waiting while size resources are in use.
func (p *Pool[E]) Get(ctx context.Context) (*E, error) {
	if x := p.fast.Swap(nil); x != nil {
		return x, nil
	}
	p.mu.Lock()
	for {
		switch {
		case p.closed:
			p.mu.Unlock()
			return nil, ErrClosed
		case len(p.idle) > 0:
			x := p.idle[len(p.idle)-1]
			p.idle[len(p.idle)-1] = nil
			p.idle = p.idle[:len(p.idle)-1]
			p.mu.Unlock()
			return x, nil
		case p.live < p.size:
			p.live++
			p.mu.Unlock()
			x, err := p.make(ctx)
			p.mu.Lock()
			if err != nil {
				p.live--
				p.signal()
				p.mu.Unlock()
				return nil, err
			}
			p.stats.Created++
			p.mu.Unlock()
			return x, nil
		}
		// Announce the wait before the last look at the slot, so a Put that fills the slot
		// after this look sees the waiter and signals it.
		p.waiting.Add(1)
		if x := p.fast.Swap(nil); x != nil {
			p.waiting.Add(-1)
			p.mu.Unlock()
			return x, nil
		}
		p.freed.Wait()
		p.waiting.Add(-1)
	}
}

// signal wakes one waiter; p.mu is held.
func (p *Pool[E]) signal() {
	if p.waiting.Load() > 0 {
		p.freed.Signal()
	}
}

// Put gives back a resource from Get. An unhealthy resource (one that trapped) is closed and
// never reused.
func (p *Pool[E]) Put(x *E, healthy bool) {
	drop := !healthy || (p.keep != nil && !p.keep(x))
	if !drop && !p.isShut.Load() && p.fast.CompareAndSwap(nil, x) {
		if p.waiting.Load() > 0 { // a Get is blocked while x sits in the slot: wake it
			p.mu.Lock()
			p.signal()
			p.mu.Unlock()
		}
		return
	}
	p.mu.Lock()
	if !drop && !p.closed {
		p.idle = append(p.idle, x)
		p.signal()
		p.mu.Unlock()
		return
	}
	if !p.closed {
		p.stats.Discarded++
	}
	p.mu.Unlock()
	// Close before giving up the slot, so that at most size resources ever exist: a Get
	// waiting for the slot makes its replacement only after this one is gone.
	p.close(x)
	p.mu.Lock()
	p.live--
	p.signal()
	p.mu.Unlock()
}

// Close closes every idle resource; busy ones are closed when they are put back. Get fails
// with ErrClosed afterwards, also in goroutines waiting in Get.
func (p *Pool[E]) Close() {
	p.mu.Lock()
	p.closed = true
	p.isShut.Store(true)
	idle := p.idle
	if x := p.fast.Swap(nil); x != nil {
		idle = append(idle, x)
	}
	p.idle = nil
	p.live -= len(idle)
	p.freed.Broadcast()
	p.mu.Unlock()
	for _, x := range idle {
		p.close(x)
	}
}

// Stats returns a snapshot of the counters.
func (p *Pool[E]) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Idle = len(p.idle)
	if p.fast.Load() != nil {
		s.Idle++
	}
	return s
}
