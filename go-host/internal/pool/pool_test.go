package pool

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

type res struct {
	id     int
	big    bool
	closed atomic.Bool
	busy   atomic.Bool
}

// TestHammer: many goroutines share a pool of 3; never more than 3 resources exist or are in
// use, no resource is used by two goroutines at once, and unhealthy or big ones are replaced.
func TestHammer(t *testing.T) {
	var live, made atomic.Int32
	p := New(3,
		func(context.Context) (*res, error) {
			if live.Add(1) > 3 {
				t.Error("more than 3 resources alive")
			}
			return &res{id: int(made.Add(1))}, nil
		},
		func(r *res) {
			if r.closed.Swap(true) {
				t.Error("resource closed twice")
			}
			live.Add(-1)
		},
		func(r *res) bool { return !r.big },
	)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				r, err := p.Get(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if r.closed.Load() || r.busy.Swap(true) {
					t.Error("got a closed or busy resource")
				}
				r.big = (g+i)%97 == 0
				r.busy.Store(false)
				p.Put(r, (g*i)%89 != 1)
			}
		}()
	}
	wg.Wait()
	s := p.Stats()
	if s.Discarded == 0 || s.Created != s.Discarded+s.Idle {
		t.Errorf("stats %+v: want discards, and created = discarded + idle", s)
	}
	p.Close()
	if live.Load() != 0 {
		t.Errorf("%d resources alive after Close", live.Load())
	}
	if _, err := p.Get(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close: %v", err)
	}
}

func TestMakeError(t *testing.T) {
	boom := errors.New("boom")
	fail := true
	p := New(1, func(context.Context) (*res, error) {
		if fail {
			return nil, boom
		}
		return &res{}, nil
	}, func(*res) {}, nil)
	if _, err := p.Get(context.Background()); !errors.Is(err, boom) {
		t.Fatalf("Get = %v, want boom", err)
	}
	fail = false // the failed make must have released its slot
	r, err := p.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p.Put(r, true)
}
