// Package plugin runs untrusted pipeline stages: wasm core modules of the WIT world
// binpipe:plugin@0.1.0 (wit/plugin/plugin.wit), under wazero, with limits they cannot escape.
//
//	p, err := plugin.LoadFile(ctx, "filter.wasm", plugin.WithSHA256(digest))
//	if err != nil { ... }
//	defer p.Close(ctx)
//	out, err := p.Transform(ctx, nil, batch)   // or pipeline.New(opts, p.Stage())
//
// # What a plugin can do
//
// Nothing but compute on the batch it is given: Load refuses any import (no WASI, no host
// function is granted), so a plugin cannot read files, reach the network, see the clock or
// call into the host. Its memory is its own linear memory, bounded by Limits.MemoryPages
// (wazero refuses to grow it further; a module asking for more initial memory is refused at
// load). Its result is copied out after every pointer and length it returns has been checked
// against its memory (KindProtocol otherwise) and the size against Limits.MaxOutput
// (KindMemory). A trap, a timeout or a protocol error closes the instance; the pool makes a
// fresh one for the next call, so no state of a failed call is ever seen again.
//
// # Why deadlines hold, with and without loops
//
// Compiled wasm code runs until it returns: Go cannot preempt it, and no watcher goroutine can
// help (a garbage collection waits for every goroutine to stop, and the one running wasm never
// does, so the watcher may not even run). wazero's WithCloseOnContextDone makes the compiled
// code leave to Go at every loop header to check the context; it costs 2-3x on loop-heavy
// code, and does nothing for code without loops — a function that calls itself twice, to a
// depth of 40, makes 2^40 calls and runs for hours. So Load rewrites the module before
// compiling it (package internal/wasmbin, which decodes every instruction of every function
// body):
//
//   - two mutable i64 globals, fuel and budget, are appended (appending moves no existing
//     index) and exported under names reserved for the host;
//   - one function is imported from the host, yield, which ends the call (by panicking with
//     the context's error, which wazero returns as the call's error) if the call's context is
//     done: deadline passed or caller cancelled. Every defined function's index moves up by
//     one, and every reference to one (calls, ref.func, exports, start, element segments,
//     global initialisers) is renumbered;
//   - at the entry of every function and at the header of every loop it inserts a charge,
//     fuel -= cost, where cost is the number of instructions in the function's or the loop's
//     body; when fuel drops below 0 the charge calls yield, then moves one slice
//     (wasmbin.DefaultSlice, 2^20) from budget to fuel, or traps if the budget is spent.
//
// So the plugin calls yield at least once per slice of fuel, and fuel goes down at least as
// fast as instructions run: between two charges the code runs inside the bodies on the call
// stack without taking a loop back-edge (a back-edge lands on a loop header, which charges)
// and without entering a function (an entry charges); there control only moves forward, so
// each instruction of each body runs at most once, and the charges paid for all of them on
// entry. memory.fill and memory.copy are the only instructions whose time depends on their
// operands, and they are bounded by the memory limit. Hence a call ends within its deadline
// plus the time of one slice (about a millisecond). The tests show it: a 2^61-call tree stops
// at a 20 ms deadline, while the uninstrumented module, even with WithCloseOnContextDone,
// makes all of its 2^27 calls past that deadline; every hostile fixture ends within twice its
// deadline plus a second.
//
// The fuel also bounds work: a call that spends Limits.Fuel traps (KindTimeout) on every
// machine alike. The host sets fuel and budget before each call from Limits.Fuel; the start
// function gets Limits.Fuel too. What the charges cost (BenchmarkInstrumentation in
// internal/wasmbin, 2-core x86-64): the example filter plugin runs its 1 MiB batch at 3.7
// GB/s instead of 5.2 uninstrumented, and 0.83 with WithCloseOnContextDone, which the host
// therefore leaves off; a 10-instruction loop takes up to twice as long; call-heavy code
// shows no measurable difference.
//
// # Errors
//
// Every failure is an *Error with a Kind: KindLoad (refused at load), KindTrap, KindTimeout
// (deadline, fuel, or the caller's context), KindMemory (a trap after memory.grow failed at
// the limit — the rewriter also records failed grows — or output above MaxOutput),
// KindProtocol (the ABI was broken), KindPlugin (the plugin's own plugin-error, with its
// offset in the batch; the instance stays in use).
//
// # Limits of the sandbox
//
// The plugin shares the host's process and CPU: a plugin that burns its whole deadline on
// every call slows the pipeline down, it cannot stop it. wazero's compiler and runtime are
// trusted; a bug there is a bug in the sandbox. Memory outside linear memory is bounded too,
// but not by Limits.MemoryPages: tables by MaxTableElements (8 bytes an element), and the
// call stack by wazero, which grows it up to about 100 MB before a deep recursion becomes a
// KindTrap (the time that takes counts against the deadline). A pool of n instances may
// hold n times these amounts. The module's bytes are decoded by this package before wazero
// sees them, and sections announcing more entries than they hold are refused, because wazero
// allocates by the announced counts. A plugin sees no clock, but it can measure time by
// counting, so it is not a side-channel sandbox.
package plugin
