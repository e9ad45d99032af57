// Package sdk writes binpipe plugins in Go: implement Plugin, call Register from an init
// function, and build the main package as a wasip1 reactor module:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o filter.wasm .
//
// A binpipe plugin is a wasm core module of the WIT world binpipe:plugin@0.1.0
// (wit/plugin/plugin.wit): the host hands it one batch of bytes per call and takes back the
// transformed batch. This package is the whole guest side: it exports describe, transform,
// cabi_realloc and cabi_post_transform with //go:wasmexport and lays out the canonical ABI
// behind them, so a plugin is plain Go:
//
//	type filter struct{}
//
//	func (filter) Describe() sdk.Description {
//		return sdk.Description{Name: "filter", Version: "0.1.0", RecordSize: 32}
//	}
//
//	func (filter) Transform(batch, out []byte) ([]byte, error) {
//		for r := range slices.Chunk(batch, 32) {
//			if r[28]&1 == 1 {
//				out = append(out, r...)
//			}
//		}
//		return out, nil
//	}
//
//	func init() { sdk.Register(filter{}) }
//
//	func main() {}
//
// # The Go runtime and WASI
//
// Go's runtime imports a few wasi_snapshot_preview1 functions (clocks, random, fd_write,
// poll_oneoff, proc_exit, sched_yield, args and environment sizes), and packages syscall, os
// and time (so fmt too) add five file functions; a Go plugin loads only on a host that grants
// the minimal virtual WASI (go-host/plugin: Limits.WASI), which offers exactly these with no
// files. Code that opens files, reads stdin or uses the network imports more and is refused
// at load. The host calls the module's _initialize export once per instance, which starts the
// runtime and runs the init functions, then reuses the instance for many calls. Printing
// (fmt.Println, println, a panic's message) goes to the host's bounded per-call log, returned
// with a failed call's error; os.Exit is the host's exit error; a panic traps the call. Time
// and random are virtual and deterministic: time.Sleep returns at once, with the clock moved
// on.
//
// # Memory
//
// The batch is borrowed from a buffer the module keeps from call to call (the host copies each
// batch into it through cabi_realloc), and out is the previous call's output buffer, emptied:
// once both have grown, a call that appends within out's capacity allocates nothing unless the
// plugin does. Neither buffer shrinks; the host's memory limit bounds them and the Go heap.
//
// The exports run on the wasm thread with no other goroutine able to run between calls; a
// plugin must not start goroutines that outlive a call.
package sdk
