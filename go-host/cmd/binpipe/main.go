// Command binpipe moves binary data through binpipe's SIMD kernels from the command line.
//
//	binpipe sum --algo crc32c|crc32|xxh3 [FILE...]     checksums, printed like sha256sum
//	binpipe validate utf8 FILE                          first invalid UTF-8 byte, streaming
//	binpipe run --stage SPEC... [--plugin F.wasm]... IN OUT   a stage chain over a stream
//	binpipe pack [flags] IN OUT, unpack IN OUT, verify IN     the framed container
//	binpipe demo [--size 256MiB]                        the main job on telemetry records
//	binpipe bench                                       the kernel benchmark table
//	binpipe plugin check [--wasi] [--sample FILE] FILE.wasm   load, describe, run; time, fuel, memory
//	binpipe plugin new --lang go|rust [--sdk DIR] DIR         a plugin project with a test
//	binpipe version
//
// IN and OUT may be "-" for stdin and stdout. Every command takes --json for
// machine-readable output. Files are written under a temporary name in OUT's directory and
// renamed when complete, so an interrupted run never leaves a file that looks complete.
//
// Exit status: 0 success; 1 the command failed (bad data, I/O error, internal error); 2 bad
// usage; 130 interrupted (SIGINT or SIGTERM).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, a second one kills the process the default way.
		<-ctx.Done()
		stop()
	}()
	os.Exit(run(ctx, os.Args[1:], newStdio()))
}
