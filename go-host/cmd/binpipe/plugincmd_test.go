package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPluginCheck: check describes the example plugins and runs them on a sample and on a
// generated batch, and refuses every hostile fixture that a host must refuse at load (with
// --wasi for the WASI fixtures), exiting 1 with the load error.
func TestPluginCheck(t *testing.T) {
	dir := t.TempDir()
	filter := pluginPath(t, "examples/filter.wasm")
	sample := pluginPath(t, "examples/telemetry.bin")
	runCLI(t, dir, nil, "plugin", "check", "--sample", sample, filter).want(t, 0, `plugin "filter" version "0.1.0", record size 32`, "")
	r := runCLI(t, dir, nil, "plugin", "check", "--calls", "2", "--json", filter)
	r.want(t, 0, `"Name": "filter"`, "")
	if strings.Count(r.stdout, `"fuel": `) != 2 {
		t.Errorf("want two calls reported: %s", r.stdout)
	}
	runCLI(t, dir, nil, "plugin", "check", pluginPath(t, "hostile/import-wasi-fd-write.wasm")).want(t, 1, "", "load: the module imports wasi_snapshot_preview1.fd_write")
	runCLI(t, dir, nil, "plugin", "nope").want(t, 2, "", "usage: binpipe plugin check")

	wats, _ := filepath.Glob(filepath.Join(filepath.Dir(pluginPath(t, "hostile/control.wat")), "*.wat"))
	refused := 0
	for _, wat := range wats {
		src, err := os.ReadFile(wat)
		if err != nil {
			t.Fatal(err)
		}
		text := string(src)
		if !strings.Contains(text, "\n;; expect: load ") {
			continue
		}
		args := []string{"plugin", "check"}
		if strings.Contains(text, "\n;; wasi\n") {
			args = append(args, "--wasi")
		}
		r := runCLI(t, dir, nil, append(args, strings.TrimSuffix(wat, ".wat")+".wasm")...)
		if r.code != 1 || !strings.Contains(r.stderr, "plugin") {
			t.Errorf("%s: exit %d, stderr %q; want 1 and the load error", filepath.Base(wat), r.code, r.stderr)
		}
		refused++
	}
	if refused < 20 {
		t.Errorf("only %d load-phase fixtures found", refused)
	}
}
