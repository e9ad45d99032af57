package plugin

import (
	"context"
	"encoding/binary"
	"math"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// The minimal virtual WASI (Limits.WASI): exactly the wasi_snapshot_preview1 functions Go's
// runtime imports (GOOS=wasip1), and the five file functions its packages syscall, os and
// time add (wasi_fd.go: fds 0-2 only, no preopened directory), each doing no more than a
// sandboxed plugin needs:
//
//   - args_get, args_sizes_get, environ_get, environ_sizes_get: no arguments, no environment;
//   - clock_time_get: realtime and monotonic read one virtual clock of the instance, which
//     starts at 0 (1970 for realtime) and advances 1 µs per read and by every sleep;
//     deterministic, the same on both hosts; other clocks are EINVAL;
//   - random_get: a deterministic stream (splitmix64 from a fixed seed, per instance): not
//     secret, the same on both hosts; it costs one unit of fuel per byte;
//   - fd_write: fd 1 and 2 go into the call's log (the first wasiLogBytes bytes are kept and
//     returned with the call's error); other fds are EBADF; at most wasiMaxIovecs iovecs;
//   - poll_oneoff: clock subscriptions advance the virtual clock to the earliest expiry and
//     return at once (a sleep costs no time); fd subscriptions report EBADF; at most
//     wasiMaxSubscriptions;
//   - sched_yield: returns;
//   - proc_exit: ends the call with a KindExit *Error carrying the code (the instance is
//     replaced).
//
// A pointer or length outside linear memory is EFAULT, with nothing written. Every function
// checks the call's deadline first, and those whose work grows with an argument charge fuel
// for it, so a flood of calls is bounded like any wasm code. Any other import is refused at
// load, WASI or not.
const (
	wasiModule = "wasi_snapshot_preview1"
	// wasiLogBytes is the most of a call's fd_write output kept for its error.
	wasiLogBytes = 4096
	// wasiMaxIovecs bounds one fd_write's iovec count (POSIX's IOV_MAX).
	wasiMaxIovecs = 1024
	// wasiMaxSubscriptions bounds one poll_oneoff's subscriptions.
	wasiMaxSubscriptions = 1024
	// wasiClockTick is how far the virtual clock advances on each read.
	wasiClockTick = 1000
	// wasiSeed seeds every instance's random stream.
	wasiSeed = 0x62696e70697065 // "binpipe"
)

// WASI errno values (wasi_snapshot_preview1).
const (
	errnoSuccess = 0
	errnoBadf    = 8
	errnoFault   = 21
	errnoInval   = 28
)

// wasiFunc is one granted WASI function: its name, type and implementation.
type wasiFunc struct {
	name            string
	params, results []api.ValueType
	fn              func(ctx context.Context, mod api.Module, w *wasiState, stack []uint64)
}

var i64 = api.ValueTypeI64

// wasiFuncs are the functions of the minimal WASI, in the order of wasi_snapshot_preview1.
var wasiFuncs = []wasiFunc{
	{"args_get", []api.ValueType{i32, i32}, []api.ValueType{i32}, wasiEmptyGet},
	{"args_sizes_get", []api.ValueType{i32, i32}, []api.ValueType{i32}, wasiEmptySizes},
	{"environ_get", []api.ValueType{i32, i32}, []api.ValueType{i32}, wasiEmptyGet},
	{"environ_sizes_get", []api.ValueType{i32, i32}, []api.ValueType{i32}, wasiEmptySizes},
	{"clock_time_get", []api.ValueType{i32, i64, i32}, []api.ValueType{i32}, wasiClockTimeGet},
	{"fd_close", []api.ValueType{i32}, []api.ValueType{i32}, wasiFdClose},
	{"fd_fdstat_get", []api.ValueType{i32, i32}, []api.ValueType{i32}, wasiFdFdstatGet},
	{"fd_fdstat_set_flags", []api.ValueType{i32, i32}, []api.ValueType{i32}, wasiFdFdstatSetFlags},
	{"fd_prestat_dir_name", []api.ValueType{i32, i32, i32}, []api.ValueType{i32}, wasiNoPreopen},
	{"fd_prestat_get", []api.ValueType{i32, i32}, []api.ValueType{i32}, wasiNoPreopen},
	{"fd_write", []api.ValueType{i32, i32, i32, i32}, []api.ValueType{i32}, wasiFdWrite},
	{"poll_oneoff", []api.ValueType{i32, i32, i32, i32}, []api.ValueType{i32}, wasiPollOneoff},
	{"proc_exit", []api.ValueType{i32}, nil, wasiProcExit},
	{"random_get", []api.ValueType{i32, i32}, []api.ValueType{i32}, wasiRandomGet},
	{"sched_yield", nil, []api.ValueType{i32}, wasiSchedYield},
}

// wasiFuncByName finds a granted WASI function.
func wasiFuncByName(name string) (wasiFunc, bool) {
	for _, f := range wasiFuncs {
		if f.name == name {
			return f, true
		}
	}
	return wasiFunc{}, false
}

// wasiState is one instance's WASI state: its virtual clock, its random stream and the log of
// the host operation running now.
type wasiState struct {
	clock   uint64 // virtual nanoseconds
	random  uint64 // splitmix64 state
	log     []byte // at most wasiLogBytes
	dropped uint64 // log bytes past the cap
}

// newWASIState is an instance's WASI state before its first call.
func newWASIState() *wasiState { return &wasiState{random: wasiSeed} }

// resetLog empties the log for a new host operation.
func (w *wasiState) resetLog() { w.log, w.dropped = w.log[:0], 0 }

// logText is the log as kept, with a note of what was dropped.
func (w *wasiState) logText() string {
	s := string(w.log)
	if w.dropped > 0 {
		s += "…"
	}
	return s
}

// wasiKey is the context key of the calling instance's *wasiState.
type wasiKey struct{}

// withWASI returns ctx carrying w for the WASI functions (ctx itself when w is nil).
func withWASI(ctx context.Context, w *wasiState) context.Context {
	if w == nil {
		return ctx
	}
	return context.WithValue(ctx, wasiKey{}, w)
}

// instantiateWASI adds the minimal WASI host module to rt.
func instantiateWASI(ctx context.Context, rt wazero.Runtime) error {
	b := rt.NewHostModuleBuilder(wasiModule)
	for _, f := range wasiFuncs {
		b.NewFunctionBuilder().
			WithGoModuleFunction(api.GoModuleFunc(wasiEntry(f.fn)), f.params, f.results).
			Export(f.name)
	}
	_, err := b.Instantiate(ctx)
	return err
}

// wasiEntry wraps a WASI function: it ends the call if its context is done and finds the
// instance's state (a call without one, which the host never makes, traps).
func wasiEntry(fn func(context.Context, api.Module, *wasiState, []uint64)) func(context.Context, api.Module, []uint64) {
	return func(ctx context.Context, mod api.Module, stack []uint64) {
		if err := ctx.Err(); err != nil {
			panic(err)
		}
		w, _ := ctx.Value(wasiKey{}).(*wasiState)
		if w == nil {
			panic(errNoWASIState)
		}
		fn(ctx, mod, w, stack)
	}
}

// chargeFuel takes cost from the calling module's fuel budget; past it the call ends as out of
// fuel (KindTimeout).
func chargeFuel(mod api.Module, cost uint64) {
	g, ok := mod.ExportedGlobal(wasmbin.BudgetExport).(api.MutableGlobal)
	if !ok {
		panic(errFuelSpent)
	}
	left := int64(g.Get()) - int64(min(cost, math.MaxInt64/2))
	g.Set(uint64(left))
	if left < 0 {
		panic(errFuelSpent)
	}
}

// arg is the i32 argument i of stack.
func arg(stack []uint64, i int) uint32 { return uint32(stack[i]) }

// wasiEmptyGet is args_get and environ_get: nothing to write.
func wasiEmptyGet(_ context.Context, _ api.Module, _ *wasiState, stack []uint64) {
	stack[0] = errnoSuccess
}

// wasiEmptySizes is args_sizes_get and environ_sizes_get: 0 entries, 0 bytes.
func wasiEmptySizes(_ context.Context, mod api.Module, _ *wasiState, stack []uint64) {
	mem := mod.Memory()
	countPtr, sizePtr := arg(stack, 0), arg(stack, 1)
	if _, ok := mem.Read(countPtr, 4); !ok {
		stack[0] = errnoFault
		return
	}
	if _, ok := mem.Read(sizePtr, 4); !ok {
		stack[0] = errnoFault
		return
	}
	mem.WriteUint32Le(countPtr, 0)
	mem.WriteUint32Le(sizePtr, 0)
	stack[0] = errnoSuccess
}

// wasiClockTimeGet reads the virtual clock (realtime 0 and monotonic 1 alike).
func wasiClockTimeGet(_ context.Context, mod api.Module, w *wasiState, stack []uint64) {
	id, resultPtr := arg(stack, 0), arg(stack, 2)
	if id > 1 {
		stack[0] = errnoInval
		return
	}
	if _, ok := mod.Memory().Read(resultPtr, 8); !ok {
		stack[0] = errnoFault
		return
	}
	w.advance(wasiClockTick)
	mod.Memory().WriteUint64Le(resultPtr, w.clock)
	stack[0] = errnoSuccess
}

// advance moves the virtual clock d nanoseconds on, saturating at 2^63-1.
func (w *wasiState) advance(d uint64) {
	if d > math.MaxInt64-w.clock {
		w.clock = math.MaxInt64
		return
	}
	w.clock += d
}

// wasiFdWrite appends what fd 1 or 2 is given to the log.
func wasiFdWrite(_ context.Context, mod api.Module, w *wasiState, stack []uint64) {
	fd, iovs, count, nwrittenPtr := arg(stack, 0), arg(stack, 1), arg(stack, 2), arg(stack, 3)
	mem := mod.Memory()
	switch {
	case fd != 1 && fd != 2:
		stack[0] = errnoBadf
		return
	case count > wasiMaxIovecs:
		stack[0] = errnoInval
		return
	}
	vec, ok := mem.Read(iovs, count*8)
	if _, ok2 := mem.Read(nwrittenPtr, 4); !ok || !ok2 {
		stack[0] = errnoFault
		return
	}
	chargeFuel(mod, uint64(count))
	var total uint64
	for i := range count {
		ptr, n := binary.LittleEndian.Uint32(vec[8*i:]), binary.LittleEndian.Uint32(vec[8*i+4:])
		if _, ok := mem.Read(ptr, n); !ok {
			stack[0] = errnoFault
			return
		}
		total += uint64(n)
	}
	if total > math.MaxUint32 {
		stack[0] = errnoInval
		return
	}
	for i := range count {
		ptr, n := binary.LittleEndian.Uint32(vec[8*i:]), binary.LittleEndian.Uint32(vec[8*i+4:])
		keep := min(n, uint32(wasiLogBytes-len(w.log)))
		if keep > 0 {
			b, _ := mem.Read(ptr, keep)
			chargeFuel(mod, uint64(keep))
			w.log = append(w.log, b...)
		}
		w.dropped += uint64(n - keep)
	}
	mem.WriteUint32Le(nwrittenPtr, uint32(total))
	stack[0] = errnoSuccess
}

// wasiRandomGet fills the buffer from the instance's deterministic stream, checking the
// deadline every 64 KiB.
func wasiRandomGet(ctx context.Context, mod api.Module, w *wasiState, stack []uint64) {
	ptr, n := arg(stack, 0), arg(stack, 1)
	buf, ok := mod.Memory().Read(ptr, n)
	if !ok {
		stack[0] = errnoFault
		return
	}
	chargeFuel(mod, uint64(n))
	for len(buf) > 0 {
		if err := ctx.Err(); err != nil {
			panic(err)
		}
		chunk := buf[:min(len(buf), 64<<10)]
		buf = buf[len(chunk):]
		for len(chunk) > 0 {
			var word [8]byte
			binary.LittleEndian.PutUint64(word[:], w.next())
			chunk = chunk[copy(chunk, word[:]):]
		}
	}
	stack[0] = errnoSuccess
}

// next is the next word of splitmix64.
func (w *wasiState) next() uint64 {
	w.random += 0x9e3779b97f4a7c15
	z := w.random
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// wasiSchedYield returns at once.
func wasiSchedYield(_ context.Context, _ api.Module, _ *wasiState, stack []uint64) {
	stack[0] = errnoSuccess
}

// wasiProcExit ends the call with the exit code.
func wasiProcExit(_ context.Context, _ api.Module, _ *wasiState, stack []uint64) {
	panic(&exitError{code: arg(stack, 0)})
}
