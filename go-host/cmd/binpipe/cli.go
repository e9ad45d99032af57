package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"golang.org/x/term"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1 // bad data, I/O error, internal error
	exitUsage       = 2
	exitInterrupted = 130
)

// stdio is where a command reads and writes; tests and main fill it differently.
type stdio struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// progress reports whether long work may draw a progress bar on stderr.
	progress bool
}

// newStdio returns the process's streams; progress bars only when stderr is a terminal.
func newStdio() stdio {
	return stdio{
		stdin:    os.Stdin,
		stdout:   os.Stdout,
		stderr:   os.Stderr,
		progress: term.IsTerminal(int(os.Stderr.Fd())),
	}
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, std stdio, args []string) error
}

// commands maps each subcommand's name to its implementation.
var commands = map[string]command{
	"sum":      {"checksum files or stdin (crc32c, crc32, xxh3), printed like sha256sum", cmdSum},
	"validate": {"validate utf8 FILE: report the offset of the first invalid UTF-8 byte", cmdValidate},
	"run":      {"run a chain of streamable kernel stages and plugins over IN, writing OUT", cmdRun},
	"pack":     {"encode IN into the framed container OUT", cmdPack},
	"unpack":   {"decode the container IN back into the original bytes OUT", cmdUnpack},
	"verify":   {"check every frame and CRC of the container IN", cmdVerify},
	"demo":     {"pack and unpack generated telemetry records; throughput, sizes, Go vs wasm", cmdDemo},
	"bench":    {"kernel benchmark table: auto vs pure Go vs the standard library", cmdBench},
	"plugin":   {"plugin check FILE.wasm: load, describe, run a sample (time, fuel, memory); plugin new: a project", cmdPlugin},
	"version":  {"print the versions of binpipe, its kernel contract and wazero", cmdVersion},
}

// usage is the top-level help text.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: binpipe <command> [flags] [args]\n\ncommands:\n")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(&b, "  %-9s %s\n", name, commands[name].summary)
	}
	b.WriteString("\nIN and OUT may be \"-\" (stdin, stdout); every command takes --json.\n" +
		"Exit status: 0 ok, 1 failed (bad data, I/O), 2 bad usage, 130 interrupted.\n" +
		"Run 'binpipe <command> -h' for a command's flags.\n")
	return b.String()
}

// run is the whole program: it dispatches args to a command and turns its error into an exit
// status and a message. It never lets a panic escape: a bug prints one line, not a trace.
func run(ctx context.Context, args []string, std stdio) int {
	if len(args) == 0 {
		fmt.Fprint(std.stderr, usage())
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(std.stdout, usage())
		return exitOK
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(std.stderr, "binpipe: unknown command %q\n\n%s", name, usage())
		return exitUsage
	}
	err := runCommand(ctx, std, name, cmd, args[1:])
	status := report(ctx, std, name, err)
	if status != exitOK && wantsJSON(args[1:]) && !jsonWritten.Load() {
		writeJSONError(std.stdout, name, status, err)
	}
	return status
}

// cancelGrace is how long a cancelled command may take to stop on its own (say, while a read
// from a pipe that never ends holds it) before runCommand gives up on it.
const cancelGrace = 500 * time.Millisecond

// runCommand runs cmd on its own goroutine and returns its error; a panic becomes an error
// (one line, no trace). Once ctx is cancelled the command has cancelGrace to return; after
// that every output still being written is removed and the command is abandoned, so an
// interrupt always ends the process promptly and never leaves a complete-looking file.
func runCommand(ctx context.Context, std stdio, name string, cmd command, args []string) error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				if os.Getenv("BINPIPE_TRACE") == "1" {
					std.stderr.Write(debug.Stack())
				}
				done <- fmt.Errorf("internal error: %v (please report it with the command line; BINPIPE_TRACE=1 prints where it happened)", r)
			}
		}()
		done <- cmd.run(ctx, std, args)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	select {
	case err := <-done:
		return err
	case <-time.After(cancelGrace):
		abortOutputs()
		return ctx.Err()
	}
}

// report prints err (if any) and returns the exit status it means.
func report(ctx context.Context, std stdio, name string, err error) int {
	var usageErr *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &usageErr):
		if usageErr.msg != "" {
			fmt.Fprintf(std.stderr, "binpipe %s: %s\n", name, usageErr.msg)
		}
		if usageErr.usage != "" {
			fmt.Fprintf(std.stderr, "usage: %s\n", usageErr.usage)
		}
		return exitUsage
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		fmt.Fprintf(std.stderr, "binpipe %s: interrupted; no output file was left behind\n", name)
		return exitInterrupted
	case errors.Is(err, errReported):
		return exitFailed
	}
	fmt.Fprintf(std.stderr, "binpipe %s: %v\n", name, err)
	return exitFailed
}

// wantsJSON reports whether the command line asks for --json (before any "--").
func wantsJSON(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "--json", "-json", "--json=true", "-json=true":
			return true
		}
	}
	return false
}

// usageError is a command line the command cannot run: exit status 2.
type usageError struct {
	msg   string // what is wrong; empty if the flag package already said it
	usage string // the command's synopsis
}

func (e *usageError) Error() string { return e.msg }

// errReported is a failure whose details the command has already printed (exit status 1).
var errReported = errors.New("failed (reported above)")

// newFlags returns a flag set for the named command, with --json and the synopsis shown by -h.
func newFlags(name, synopsis, about string, std stdio) (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(std.stderr)
	jsonOut := fs.Bool("json", false, "print machine-readable JSON on stdout")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n\n%s\n\nflags:\n", synopsis, about)
		fs.PrintDefaults()
	}
	return fs, jsonOut
}

// parseArgs parses flags anywhere among args (not only before the first positional argument,
// as package flag does) and checks that there are between minArgs and maxArgs positional
// arguments (maxArgs < 0: no limit). "--" ends the flags; "-" is a positional argument.
func parseArgs(fs *flag.FlagSet, synopsis string, args []string, minArgs, maxArgs int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{usage: synopsis} // package flag printed the reason
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	switch {
	case len(pos) < minArgs:
		return nil, &usageError{msg: fmt.Sprintf("missing arguments: got %d, want %d", len(pos), minArgs), usage: synopsis}
	case maxArgs >= 0 && len(pos) > maxArgs:
		return nil, &usageError{msg: fmt.Sprintf("unexpected argument %q", pos[maxArgs]), usage: synopsis}
	}
	return pos, nil
}

// usagef returns a usage error (exit status 2) with a formatted message.
func usagef(synopsis, format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...), usage: synopsis}
}
