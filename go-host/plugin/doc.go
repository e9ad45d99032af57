// Package plugin runs untrusted pipeline stages: wasm core modules of the WIT world
// binpipe:plugin@0.1.0 (wit/plugin/plugin.wit), under wazero, with limits they cannot escape.
//
//	p, err := plugin.LoadFile(ctx, "filter.wasm", plugin.WithSHA256(digest))
//	if err != nil { ... }
//	defer p.Close(ctx)
//	out, err := p.Transform(ctx, nil, batch)   // or pipeline.New(opts, pipeline.Transform(p))
//
// # What a plugin can do
//
// Nothing but compute on the batch it is given: Load refuses any import (no WASI, no host
// function is granted), so a plugin cannot read files, reach the network, see the clock or
// call into the host. Limits.WASI, opt-in per plugin, grants the minimal virtual WASI that Go
// plugins need (wasi.go, wasi_fd.go: no files, virtual deterministic clocks and random,
// stdout and stderr into a bounded per-call log returned with errors, proc_exit a KindExit
// error); every other import is still refused. Its memory is its own linear memory, bounded by Limits.MemoryPages
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
//   - mutable globals are appended (appending moves no existing index): fuel and budget,
//     exported under names reserved for the host, a grow-failed flag and a stack counter;
//   - one function is imported from the host, yield, which ends the call (by panicking with
//     the context's error, which wazero returns as the call's error) if the call's context is
//     done: deadline passed or caller cancelled. Every defined function's index moves up by
//     one, and every reference to one (calls, ref.func, exports, start, element segments,
//     global initialisers) is renumbered; every index is checked against its index space
//     first, so that no invalid index lands on the import or on anything appended;
//   - at the entry of every function and at the header of every loop it inserts a charge,
//     fuel -= cost, where cost is the number of instructions in the function's or the loop's
//     body; when fuel drops below 0 the charge calls yield, then refills fuel to one slice
//     (wasmbin.DefaultSlice, 2^20) from budget, or traps if the budget is spent;
//   - the instructions whose work depends on their operands (memory.fill, memory.copy,
//     memory.init, table.fill, table.copy, table.init, memory.grow, table.grow) become calls
//     of appended helper functions that keep their semantics (the whole range is checked
//     before anything is written) and do the work in chunks, each charged by its length.
//
// So the plugin calls yield at least once per slice of fuel, and fuel goes down at least as
// fast as instructions run: between two charges the code runs inside the bodies on the call
// stack without taking a loop back-edge (a back-edge lands on a loop header, which charges)
// and without entering a function (an entry charges); there control only moves forward, so
// each instruction of each body runs at most once, and the charges paid for all of them on
// entry; no single instruction does more than a chunk's work between charges. Hence a call
// ends within its deadline plus the time of one slice (about a millisecond), and the host's
// goroutines, which a garbage collection stops until the wasm code reaches Go, are never held
// longer. The tests show it: a 2^61-call tree stops at a 20 ms deadline, while the
// uninstrumented module, even with WithCloseOnContextDone, makes all of its 2^27 calls past
// that deadline; a loop of 16 MiB fills stalls the host for the whole call uninstrumented and
// not beyond a tick instrumented; every hostile fixture keeps the bounds of
// tests/plugins/limits.json.
//
// The fuel also bounds work: a call that spends Limits.Fuel traps (KindTimeout) on every
// machine alike. One Transform call, however many pieces its batch is split into, has one
// deadline and one fuel budget; the start function of a new instance, made before the call's
// deadline starts, runs under a deadline and Limits.Fuel of its own. What the charges cost
// (BenchmarkInstrumentation in internal/wasmbin, 2-core x86-64): the example filter plugin
// runs its 1 MiB batch at 3.7 GB/s instead of 5.2 uninstrumented, and 0.83 with
// WithCloseOnContextDone, which the host therefore leaves off.
//
// # Module limits
//
// Load refuses, before compiling, a module beyond Limits.Module (ModuleLimits): its size, the
// number of types, functions, globals, tables and table elements, segments, exports, locals,
// the nesting depth, br_table sizes and control points, because wazero's compile time and
// memory grow with them (faster than linearly for control points). Their defaults are the
// contract both hosts share (tests/plugins/limits.json; docs/plugins.md).
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
// but not by Limits.MemoryPages: tables by ModuleLimits.MaxTableElements (8 bytes an element),
// and the call stack by the rewriter, which traps (KindTrap) a call whose active frames weigh
// more than 2^20 slots (a frame: 8 slots, plus its parameters, locals and instructions).
// Linear memory is reserved at its maximum when an instance is made (address space; pages
// cost memory once touched). A pool of n instances may hold n times these amounts. The module's bytes are decoded by this package before wazero
// sees them, and sections announcing more entries than they hold are refused, because wazero
// allocates by the announced counts. A plugin sees no clock, but it can measure time by
// counting, so it is not a side-channel sandbox.
package plugin
