package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// linkerScript places .text at 0 and the constants after it at a 64-byte boundary (AVX-512
// loads of constants are aligned); every other allocated input section lands in an orphan
// section of its own, which the verifier refuses.
const linkerScript = `SECTIONS {
  . = 0;
  .text : { *(.text .text.*) }
  . = ALIGN(64);
  .rodata : { *(.rodata .rodata.*) }
  /DISCARD/ : { *(.eh_frame .eh_frame_hdr .comment .note .note.*) }
}
`

// buildTier compiles the shim crate for t (cargo, profile native) and links it into an ELF
// file in work; it returns the ELF's path.
func buildTier(root, work string, t tier) (string, error) {
	cmd := exec.Command("cargo", "build", "--quiet", "--locked", "-p", "binpipe-native-shim",
		"--profile", "native", "--target", t.triple,
		"--target-dir", filepath.Join(root, "target", "native", t.name))
	cmd.Dir = root
	// Only the encoded form reaches the build of every crate (not build scripts: --target).
	cmd.Env = append(os.Environ(), "CARGO_ENCODED_RUSTFLAGS="+strings.Join(t.rustflags(), "\x1f"), "RUSTFLAGS=")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: cargo build: %w", t.name, err)
	}
	lib := filepath.Join(root, "target", "native", t.name, t.triple, "native", "libbinpipe_native_shim.a")
	return link(work, t.name, entrySymbols(t), []string{lib})
}

// link links the objects or archives into work/name.elf with only the roots (the entry
// points) kept (everything else is garbage-collected); relocations stay in the output
// (--emit-relocs) for the verifier, and so do undefined symbols, which it refuses by name.
func link(work, name string, roots, inputs []string) (string, error) {
	script := filepath.Join(work, "blob.ld")
	if err := os.WriteFile(script, []byte(linkerScript), 0o644); err != nil {
		return "", err
	}
	lld, err := rustLLD()
	if err != nil {
		return "", err
	}
	elfPath := filepath.Join(work, name+".elf")
	args := []string{"-flavor", "gnu", "-T", script, "--gc-sections", "--emit-relocs", "-static",
		"--no-pie", "--build-id=none", "-z", "norelro", "-z", "noexecstack", "-e", "0",
		"--orphan-handling=place", "--unresolved-symbols=ignore-all", "-o", elfPath}
	for _, r := range roots {
		args = append(args, "--undefined="+r)
	}
	args = append(args, inputs...)
	cmd := exec.Command(lld, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: rust-lld: %w", name, err)
	}
	return elfPath, nil
}

// rustLLD is the lld that ships with the pinned toolchain.
func rustLLD() (string, error) {
	out, err := exec.Command("rustc", "--print", "sysroot").Output()
	if err != nil {
		return "", fmt.Errorf("rustc --print sysroot: %w", err)
	}
	host, err := exec.Command("rustc", "--print", "host-tuple").Output()
	if err != nil {
		return "", fmt.Errorf("rustc --print host-tuple: %w", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "lib", "rustlib", strings.TrimSpace(string(host)), "bin", "rust-lld"), nil
}

// entrySymbols are the entry points of tier t as the blob names them.
func entrySymbols(t tier) []string {
	var names []string
	for _, e := range entries {
		if e.on(t) {
			names = append(names, "bp_"+e.name)
		}
	}
	return names
}
