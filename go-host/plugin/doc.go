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
// wazero can stop a call only where the compiled code checks for it: with
// WithCloseOnContextDone it checks at loop headers, and nowhere else. A plugin without loops
// can still run for hours — a function that calls itself twice, to a depth of 40, makes 2^40
// calls — and would never reach a check. So Load rewrites the module before compiling it
// (package internal/wasmbin decodes every instruction of every function body):
//
//   - two mutable i64 globals, fuel and floor, are appended (appending moves no existing
//     index) and exported under names reserved for the host;
//   - at the entry of every function and at the header of every loop, it inserts
//     fuel -= cost; if fuel < floor { unreachable }, where cost is the number of
//     instructions in the function's or the loop's body.
//
// The host sets fuel to Limits.Fuel and floor to 0 before each call. A watcher registered on
// the call's context (context.AfterFunc) sets floor to the maximum when the deadline passes;
// the plugin only reads floor, so this store cannot be lost. The next charge then traps, and
// the host reports KindTimeout. How soon is the next charge? Between two charges, the code
// runs inside one function body without taking a loop back-edge (a back-edge lands on a loop
// header, which charges) and without entering a function (an entry charges); returning to
// the caller does not charge, but the caller's body, like every body, is straight-line code
// and block exits that only move forward. So between two charges each instruction of each
// active body runs at most once, and in total no more than the instructions of the bodies on
// the call stack — a bounded, static amount. memory.fill and memory.copy are the only
// instructions whose time depends on their operands, and they are bounded by the memory
// limit. Hence any call ends within the deadline plus the time of that bounded stretch.
//
// The same charges count work: a function entry pays for every instruction of its body and a
// loop iteration for every instruction of the loop's body, so the fuel spent bounds the
// instructions run, and a call that uses up Limits.Fuel traps (KindTimeout) on every machine
// alike. wazero's own loop-header checks (WithCloseOnContextDone) are on as well.
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
// trusted; a bug there is a bug in the sandbox. Stack depth is bounded by wazero (a deep
// recursion is a KindTrap). Memory is bounded per instance: a pool of n instances may hold n
// times Limits.MemoryPages.
package plugin
