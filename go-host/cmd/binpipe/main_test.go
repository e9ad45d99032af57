package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// cliBinary is the binpipe executable built by TestMain; every test runs it as a real process.
var cliBinary string

// raceEnabled is set when the tests run under -race (race_test.go).
var raceEnabled bool

// cacheHome is the XDG_CACHE_HOME of every run: the compiled-module cache of the tests,
// shared by them, apart from the user's.
var cacheHome string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "binpipe-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cliBinary = filepath.Join(dir, "binpipe")
	cacheHome = filepath.Join(dir, "cache")
	args := []string{"build", "-o", cliBinary}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building binpipe:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the cliBinary did.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the cliBinary with args, stdin (nil: empty) and the working directory dir.
func runCLI(t *testing.T, dir string, stdin []byte, args ...string) result {
	t.Helper()
	cmd := cliCommand(dir, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("binpipe %q: %v", args, err)
		}
		code = ee.ExitCode()
	}
	r := result{code, stdout.String(), stderr.String()}
	noTrace(t, args, r.stderr)
	return r
}

// cliCommand returns the binary's command for args, run in dir.
func cliCommand(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(cliBinary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cacheHome)
	return cmd
}

// noTrace fails if stderr looks like a Go panic or runtime trace.
func noTrace(t *testing.T, args []string, stderr string) {
	t.Helper()
	for _, bad := range []string{"goroutine ", "panic", "runtime error", ".go:"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("binpipe %q: stderr contains %q:\n%s", args, bad, stderr)
		}
	}
}

// want checks a run's exit status and that stdout and stderr contain the given strings.
func (r result) want(t *testing.T, code int, stdout, stderr string) {
	t.Helper()
	if r.code != code || !strings.Contains(r.stdout, stdout) || !strings.Contains(r.stderr, stderr) {
		t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s\nwant stdout containing %q, stderr containing %q",
			r.code, code, r.stdout, r.stderr, stdout, stderr)
	}
}

// writeFile writes data to name in dir and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// random returns n deterministic pseudo-random bytes.
func random(n int, seed uint64) []byte {
	s := splitMix64(seed)
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(s.next() >> 7)
	}
	return out
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in", []byte("hello"))
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{nil, 2, "", "usage: binpipe"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"help"}, 0, "usage: binpipe", ""},
		{[]string{"version"}, 0, "binpipe 0.1.0 (kernels binpipe:kernels@0.1.0", ""},
		{[]string{"version", "--json"}, 0, `"kernels": "binpipe:kernels@0.1.0"`, ""},
		{[]string{"version", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"sum", "--bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"sum", "--algo", "md5", in}, 2, "", `unknown --algo "md5"`},
		{[]string{"sum", "-h"}, 0, "", "usage: binpipe sum"},
		{[]string{"validate", "utf16", in}, 2, "", `unknown format "utf16"`},
		{[]string{"validate", "utf8"}, 2, "", "missing arguments"},
		{[]string{"validate", "utf8", in, in}, 2, "", "unexpected argument"},
		{[]string{"bench", "--kernel", "nope"}, 2, "", `unknown kernel "nope"`},
		{[]string{"bench", "--time", "0s"}, 2, "", "--time must be positive"},
	}
	for _, tt := range tests {
		runCLI(t, dir, nil, tt.args...).want(t, tt.code, tt.stdout, tt.stderr)
	}
}

func TestSizeFlag(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{{"0", 0, true}, {"4096", 4096, true}, {"64KiB", 64 << 10, true}, {"256MiB", 256 << 20, true},
		{"1g", 1 << 30, true}, {"3MB", 3 << 20, true}, {"-1", 0, false}, {"1.5MiB", 0, false}, {"MiB", 0, false}} {
		got, err := parseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
