package main

import (
	"os"
	"os/exec"
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

// TestPluginNew: the scaffolded Go and Rust projects pass their own tests, build with the
// machine's Go and the pinned Rust toolchain, and pass plugin check.
func TestPluginNew(t *testing.T) {
	dir := t.TempDir()
	repo, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	run := func(dir string, env []string, name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	goDir := filepath.Join(dir, "my-go")
	runCLI(t, dir, nil, "plugin", "new", "--lang", "go", "--sdk", filepath.Join(repo, "plugins/go/sdk"), goDir).want(t, 0, "wrote a go plugin project", "")
	run(goDir, nil, "go", "test", "./...")
	run(goDir, []string{"GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0"}, "go", "build", "-buildmode=c-shared", "-o", "p.wasm", ".")
	runCLI(t, dir, nil, "plugin", "check", "--wasi", filepath.Join(goDir, "p.wasm")).want(t, 0, `plugin "my-go"`, "")

	rustDir := filepath.Join(dir, "my-rust")
	runCLI(t, dir, nil, "plugin", "new", "--lang", "rust", "--sdk", filepath.Join(repo, "plugins/sdk"), rustDir).want(t, 0, "wrote a rust plugin project", "")
	// the repository's pinned toolchain (rust-toolchain.toml), through rustup's override
	toolchain := []string{"RUSTUP_TOOLCHAIN=" + pinnedToolchain(t, repo), "CARGO_TARGET_DIR=" + filepath.Join(dir, "target")}
	run(rustDir, toolchain, "cargo", "test", "--quiet")
	run(rustDir, toolchain, "cargo", "build", "--quiet", "--release", "--target", "wasm32-unknown-unknown")
	runCLI(t, dir, nil, "plugin", "check", filepath.Join(dir, "target/wasm32-unknown-unknown/release/my_rust.wasm")).want(t, 0, `plugin "my-rust"`, "")

	runCLI(t, dir, nil, "plugin", "new", "--lang", "cobol", filepath.Join(dir, "x")).want(t, 2, "", "want go or rust")
	runCLI(t, dir, nil, "plugin", "new", "--lang", "go", goDir).want(t, 1, "", "not empty")
}

// pinnedToolchain is the channel of the repository's rust-toolchain.toml.
func pinnedToolchain(t *testing.T, repo string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, "rust-toolchain.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "channel = "); ok {
			return strings.Trim(v, `"`)
		}
	}
	t.Fatal("no channel in rust-toolchain.toml")
	return ""
}
