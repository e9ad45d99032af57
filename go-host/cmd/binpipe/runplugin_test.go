package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// pluginDir is where the repository keeps the example and hostile plugins.
var pluginDir = filepath.Join("..", "..", "..", "tests", "plugins")

// pluginPath returns the absolute path of a committed plugin, or skips the test if the
// repository has none (a copy of this module alone).
func pluginPath(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(pluginDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no %s: %v", rel, err)
	}
	return p
}

// TestRunPlugins runs the example plugins, alone and with kernels, and compares with the
// same transformations written in Go: redact zeroes bytes 8..12 of each 32-byte record,
// filter keeps the records whose flags have bit 0 set.
func TestRunPlugins(t *testing.T) {
	dir := t.TempDir()
	redact, filter := pluginPath(t, "examples/redact.wasm"), pluginPath(t, "examples/filter.wasm")
	data, _ := io.ReadAll(newTelemetry(3000 * telemetryRecordSize))
	in := writeFile(t, dir, "in", data)
	var redacted, kept []byte
	for r := data; len(r) > 0; r = r[telemetryRecordSize:] {
		rec := bytes.Clone(r[:telemetryRecordSize])
		if binary.LittleEndian.Uint32(rec[28:])&1 == 1 {
			kept = append(kept, rec...)
		}
		copy(rec[8:12], make([]byte, 4))
		redacted = append(redacted, rec...)
	}
	sum := sha256.Sum256(mustRead(t, redact))
	for _, tt := range []struct {
		args []string
		want []byte
	}{
		{[]string{"--plugin", redact}, redacted},
		{[]string{"--plugin", redact + "@sha256=" + hex.EncodeToString(sum[:])}, redacted},
		{[]string{"--plugin", filter, "--batch-size", "1000"}, kept}, // rounded up to whole records
		{[]string{"--plugin", filter, "--plugin", redact, "--workers", "3", "--batch-size", "4KiB"}, redactAll(kept)},
		{[]string{"--stage", "hex-encode", "--stage", "hex-decode", "--plugin", redact, "--stage", "hex-encode"}, []byte(hex.EncodeToString(redacted))},
	} {
		args := append(append([]string{"run"}, tt.args...), in, "out")
		runCLI(t, dir, nil, args...).want(t, 0, "", "")
		if got := mustRead(t, filepath.Join(dir, "out")); !bytes.Equal(got, tt.want) {
			t.Errorf("%q: %d bytes out, want %d (or they differ)", tt.args, len(got), len(tt.want))
		}
	}
	// pack --plugin stores the plugins' output.
	runCLI(t, dir, nil, "pack", "--telemetry", "--plugin", filter, "--plugin", redact, in, "out").want(t, 0, "", "")
	runCLI(t, dir, nil, "unpack", "out", "out").want(t, 0, "", "")
	if got := mustRead(t, filepath.Join(dir, "out")); !bytes.Equal(got, redactAll(kept)) {
		t.Errorf("pack --plugin filter --plugin redact: unpack gave %d bytes, want %d (or they differ)", len(got), len(kept))
	}
	r := runCLI(t, dir, data, "run", "--plugin", filter, "-", "-")
	r.want(t, 0, "", "")
	if r.stdout != string(kept) {
		t.Error("filter through pipes: output differs")
	}
	onlyFiles(t, dir, "in", "out")
}

// redactAll zeroes bytes 8..12 of each 32-byte record of a copy of data.
func redactAll(data []byte) []byte {
	out := bytes.Clone(data)
	for i := 0; i+telemetryRecordSize <= len(out); i += telemetryRecordSize {
		copy(out[i+8:i+12], make([]byte, 4))
	}
	return out
}

// TestRunHostilePlugins checks that a plugin that attacks the host fails the run with exit
// status 1 and the right kind of error, and leaves no OUT.
func TestRunHostilePlugins(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in", random(4096, 2))
	control := pluginPath(t, "hostile/control.wasm") // a well-behaved probe
	for _, tt := range []struct {
		fixture string
		flags   []string
		msg     string
	}{
		{"hostile/infinite-loop.wasm", []string{"--plugin-deadline", "300ms"}, "timeout"},
		{"hostile/call-tree.wasm", []string{"--plugin-deadline", "300ms"}, "timeout"},
		{"hostile/grow-bomb.wasm", nil, "memory"},
		{"hostile/div-zero.wasm", nil, "trap"},
		{"hostile/import-wasi-fd-write.wasm", nil, "no import is granted"},
		{"hostile/huge-initial-memory.wasm", nil, "memory"},
		{"hostile/missing-transform.wasm", nil, "transform"},
	} {
		p := pluginPath(t, tt.fixture)
		args := append(append([]string{"run"}, tt.flags...), "--plugin", p, in, "out")
		runCLI(t, dir, nil, args...).want(t, 1, "", tt.msg)
	}
	runCLI(t, dir, nil, "run", "--plugin", control, in, "out").want(t, 0, "", "")
	os.Remove(filepath.Join(dir, "out"))
	runCLI(t, dir, nil, "run", "--plugin", control+"@sha256="+hex.EncodeToString(make([]byte, 32)), in, "out").want(t, 1, "", "pinned")
	runCLI(t, dir, nil, "run", "--plugin", filepath.Join(dir, "missing.wasm"), in, "out").want(t, 1, "", "no such file")
	runCLI(t, dir, nil, "run", "--plugin-deadline", "0s", "--plugin", control, in, "out").want(t, 2, "", "--plugin-deadline must be positive")
	runCLI(t, dir, nil, "run", "--plugin-memory", "100KiB", "--plugin", control, in, "out").want(t, 2, "", "multiple of 64KiB")
	onlyFiles(t, dir, "in")
}

// mustRead reads a file or fails the test.
func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
