// Command binpipe runs binpipe's kernels from the command line.
//
//	binpipe demo [-time 200ms]   throughput of every kernel: wasm fast path vs pure Go vs hybrid
//	binpipe version              versions of binpipe, its kernel contract and wazero
//
// Exit status: 0 on success, 1 on an error, 2 on bad usage.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"text/tabwriter"
	"time"

	binpipe "github.com/binpipe/binpipe/go-host"
)

const usage = `usage: binpipe <command> [flags]

commands:
  demo      measure every kernel on built-in data: wasm fast path vs pure Go vs hybrid (auto)
  version   print the versions of binpipe, its kernel contract and wazero

run 'binpipe <command> -h' for a command's flags
`

// errUsage marks errors that exit with status 2; the usage text has already been printed.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "demo":
		err = demo(args[1:], stdout, stderr)
	case "version":
		err = version(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "binpipe: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(stderr, "binpipe %s: %v\n", args[0], err)
	return 1
}

// parse parses a command's flags; it allows no positional arguments.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "binpipe %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

func version(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	wazero := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/tetratelabs/wazero" {
				wazero = d.Version
			}
		}
	}
	fmt.Fprintf(stdout, "binpipe %s (kernels %s, wazero %s, %s %s/%s)\n",
		binpipe.Version, binpipe.WITPackage, wazero, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}

func demo(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	per := fs.Duration("time", 200*time.Millisecond, "how long to run each kernel, size and backend")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: binpipe demo [-time 200ms]\n\n"+
			"Runs crc32c, count-byte, shuffle and unshuffle (element sizes 8 and 12) on 64 KiB and\n"+
			"1 MiB of built-in pseudo-random data with each backend, checks that they agree, and\n"+
			"prints MB/s. Element size 8 has Go assembly on amd64; 12 is plain Go there.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if *per <= 0 {
		fmt.Fprintf(stderr, "binpipe demo: -time must be positive\n")
		return errUsage
	}
	ctx := context.Background()
	backends := []binpipe.Backend{binpipe.BackendWasm, binpipe.BackendGo, binpipe.BackendAuto}
	engines := make([]*binpipe.Engine, len(backends))
	for i, b := range backends {
		e, err := binpipe.New(ctx, binpipe.WithBackend(b))
		if err != nil {
			return err
		}
		defer e.Close()
		engines[i] = e
	}
	data := demoData(1 << 20)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "kernel\tsize\twasm MB/s\tgo MB/s\tauto MB/s\twasm/go\t\n")
	cases := []struct {
		kernel string
		es     int // element size for shuffle and unshuffle
	}{{"crc32c", 0}, {"count-byte", 0}, {"shuffle", 8}, {"unshuffle", 8}, {"shuffle", 12}, {"unshuffle", 12}}
	for _, c := range cases {
		kernel := c.kernel
		if c.es != 0 {
			kernel = fmt.Sprintf("%s/%d", c.kernel, c.es)
		}
		for _, size := range []int{64 << 10, 1 << 20} {
			in := data[:size]
			var rates []float64
			var first []byte
			for i, e := range engines {
				res, rate, err := measure(e, c.kernel, c.es, in, *per)
				if err != nil {
					return fmt.Errorf("%s on %v: %w", kernel, backends[i], err)
				}
				if i == 0 {
					first = res
				} else if !bytes.Equal(res, first) {
					return fmt.Errorf("%s: backends %v and %v disagree", kernel, backends[0], backends[i])
				}
				rates = append(rates, rate)
			}
			fmt.Fprintf(tw, "%s\t%d KiB\t%.0f\t%.0f\t%.0f\t%.2fx\t\n", kernel, size>>10, rates[0], rates[1], rates[2], rates[0]/rates[1])
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nAll backends agree. auto = the hybrid dispatch the package-level functions use.\n")
	return nil
}

// demoData is deterministic: SplitMix64 from seed 1, as in the conformance vectors.
func demoData(n int) []byte {
	out := make([]byte, 0, n)
	state := uint64(1)
	for len(out) < n {
		state += 0x9E3779B97F4A7C15
		z := state
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		z ^= z >> 31
		for i := 0; i < 8; i++ {
			out = append(out, byte(z>>(8*i)))
		}
	}
	return out[:n]
}

// measure runs kernel (with element size es, for shuffles) on in repeatedly for about d; it returns the last result (as bytes, for
// comparing backends) and the throughput in MB/s.
func measure(e *binpipe.Engine, kernel string, es int, in []byte, d time.Duration) ([]byte, float64, error) {
	out := make([]byte, 0, len(in))
	var res []byte
	iters := 0
	start := time.Now()
	for iters == 0 || time.Since(start) < d {
		var err error
		switch kernel {
		case "crc32c":
			var v uint32
			v, err = e.CRC32C(in, 0)
			res = fmt.Appendf(res[:0], "%d", v)
		case "count-byte":
			var v int
			v, err = e.CountByte(in, 0x5a)
			res = fmt.Appendf(res[:0], "%d", v)
		case "shuffle":
			out, err = e.Shuffle(out[:0], in, es)
			res = out
		case "unshuffle":
			out, err = e.Unshuffle(out[:0], in, es)
			res = out
		}
		if err != nil {
			return nil, 0, err
		}
		iters++
	}
	secs := time.Since(start).Seconds()
	return res, float64(iters) * float64(len(in)) / secs / 1e6, nil
}
