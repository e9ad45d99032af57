// Command native builds binpipe-kernels' native tiers into verified machine-code blobs and
// generates the Go assembly that embeds them in go-host/internal/native.
//
//	go run . -root ../..          # regenerate the committed files
//	go run . -root ../.. -check   # rebuild and fail on any byte difference
//
// From the entry table (table.go) it writes the Rust shims (shim/src/entries.rs), builds the
// shim crate once per tier (tiers.go) with the pinned toolchain, links each with rust-lld
// (build.go), verifies each linked blob (verify.go), and writes, per tier, the blob and its
// ABI0 trampolines (zblob_<tier>_<goarch>.s) plus the Go declarations (z*.go).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

func main() {
	root := flag.String("root", "../..", "repository root")
	check := flag.Bool("check", false, "rebuild and compare with the committed files instead of writing them")
	only := flag.String("only", "", "for diagnosis: build and verify only this entry (writes nothing; keeps the linked ELF files in -keep)")
	keep := flag.String("keep", "", "for diagnosis: directory to keep the linked ELF files in")
	flag.Parse()
	if *only != "" {
		entries = slices.DeleteFunc(entries, func(e entry) bool { return e.name != *only })
		*check = true
	}
	if err := run(*root, *check, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "native:", err)
		os.Exit(1)
	}
}

// generated is one output file: its path under the root and its bytes.
type generated struct {
	path string
	data []byte
}

func run(root string, check bool, keep string) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	if err := checkEntries(); err != nil {
		return err
	}
	rs, err := rustEntries()
	if err != nil {
		return err
	}
	files := []generated{{"tools/native/shim/src/entries.rs", rs}}
	if !check { // the build compiles the committed shims, so they come first
		if err := write(root, files[0]); err != nil {
			return err
		}
	}
	work := keep
	if work == "" {
		if work, err = os.MkdirTemp("", "binpipe-native-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	blobs := map[string]*blob{}
	byArch := map[string][]tier{}
	for _, t := range tiers {
		elfPath, err := buildTier(root, work, t)
		if err != nil {
			return err
		}
		b, err := verify(elfPath, t.goarch, entrySymbols(t))
		if err != nil {
			return fmt.Errorf("tier %s: %w", t.name, err)
		}
		blobs[t.name] = b
		byArch[t.goarch] = append(byArch[t.goarch], t)
		fmt.Fprintf(os.Stderr, "native: %s: %d bytes, %d entries verified\n", t.name, len(b.code), len(b.entries))
		files = append(files, generated{fmt.Sprintf("go-host/internal/native/zblob_%s_%s.s", t.name, t.goarch), goAsm(t, b)})
	}
	files = append(files, generated{"go-host/internal/native/ztable.go", goTable()})
	for _, arch := range []string{"amd64", "arm64"} {
		files = append(files, generated{fmt.Sprintf("go-host/internal/native/ztrampolines_%s.go", arch), goDecls(arch, byArch[arch], blobs)})
	}
	var stale []string
	for _, f := range files {
		if check {
			old, err := os.ReadFile(filepath.Join(root, f.path))
			if err != nil || !bytes.Equal(old, f.data) {
				stale = append(stale, f.path)
			}
			continue
		}
		if err := write(root, f); err != nil {
			return err
		}
	}
	if len(stale) > 0 {
		return fmt.Errorf("differ from a rebuild from source (run 'just native' and commit): %v", stale)
	}
	if check {
		fmt.Fprintln(os.Stderr, "native: the committed files are byte-identical to a rebuild from source")
	}
	return nil
}

func write(root string, f generated) error {
	p := filepath.Join(root, f.path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, f.data, 0o644)
}
