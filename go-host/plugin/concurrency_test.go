package plugin_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/binpipe/binpipe/go-host/plugin"
	. "github.com/binpipe/binpipe/go-host/plugin/internal/wasmtest"
)

// selective inverts its batch, but traps when the batch starts with 0xff and refuses it with a
// plugin error when it starts with 0xfe.
func selective() spec {
	s := invert("selective")
	firstIs := func(b int32) []byte { return Cat(LocalGet(0), load8u(), I32Const(b), i32Eq) }
	s.transform = Cat(
		LocalGet(1), i32Eqz, ifVoid, elseOp,
		firstIs(0xff), ifVoid, unreachable, end,
		firstIs(0xfe), ifVoid, errResult(strMessage, 10, 0), []byte{0x0f}, end,
		end,
		s.transform)
	return s
}

// TestHammer calls one plugin from many goroutines at once, with batches that succeed, trap
// and fail: every result is right, every trap replaces its instance, and the pool never holds
// more instances than its size.
func TestHammer(t *testing.T) {
	const poolSize, goroutines, calls = 3, 16, 150
	p := load(t, selective(), plugin.WithPoolSize(poolSize))
	var traps atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				src := []byte(fmt.Sprintf("goroutine %d call %d", g, i))
				switch i % 7 {
				case 3:
					src[0] = 0xff
				case 5:
					src[0] = 0xfe
				}
				got, err := p.Transform(context.Background(), nil, src)
				var perr *plugin.Error
				errors.As(err, &perr)
				switch {
				case src[0] == 0xff && (perr == nil || perr.Kind != plugin.KindTrap):
					errs <- fmt.Errorf("trap batch: %v", err)
				case src[0] == 0xfe && (perr == nil || perr.Kind != plugin.KindPlugin || perr.Msg != "bad record"):
					errs <- fmt.Errorf("refused batch: %v", err)
				case src[0] < 0xfe && (err != nil || !bytes.Equal(got, inverted(src))):
					errs <- fmt.Errorf("batch %q: %q, %v", src, got, err)
				default:
					if src[0] == 0xff {
						traps.Add(1)
					}
					continue
				}
				return
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := p.PoolStats()
	if int64(s.Discarded) != traps.Load() || s.Created-s.Discarded > poolSize || s.Idle > poolSize {
		t.Errorf("pool %+v after %d traps: want one discard per trap and at most %d instances", s, traps.Load(), poolSize)
	}
}

// TestCloseWhileCalling closes a plugin while calls run: they end (with ErrClosed or their
// result), nothing hangs or panics.
func TestCloseWhileCalling(t *testing.T) {
	p, err := plugin.Load(context.Background(), invert("x").bytes(), plugin.WithLimits(testLimits), plugin.WithPoolSize(2))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := p.Transform(context.Background(), nil, make([]byte, 64<<10))
				if errors.Is(err, plugin.ErrClosed) {
					return
				}
				if err != nil {
					t.Errorf("during Close: %v", err)
					return
				}
			}
		}()
	}
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
}
