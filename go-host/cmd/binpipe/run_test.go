package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestRunKernels runs streamable kernel chains over files and pipes, with batches small
// enough to cut the data many times, and compares with the standard library.
func TestRunKernels(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 4095, 4096, 100_000} {
		data := random(n, uint64(n)+3)
		in := writeFile(t, dir, "in", data)
		for _, tt := range []struct {
			stages []string
			want   []byte
		}{
			{[]string{"hex-encode"}, []byte(hex.EncodeToString(data))},
			{[]string{"hex-encode:upper"}, bytes.ToUpper([]byte(hex.EncodeToString(data)))},
			{[]string{"base64-encode:url,nopad"}, []byte(base64.RawURLEncoding.EncodeToString(data))},
			{[]string{"base64-encode", "base64-decode", "hex-encode"}, []byte(hex.EncodeToString(data))},
			{[]string{"hex-encode", "hex-decode"}, data},
		} {
			args := []string{"run", "--batch-size", "4KiB"}
			for _, s := range tt.stages {
				args = append(args, "--stage", s)
			}
			runCLI(t, dir, nil, append(args, in, "out")...).want(t, 0, "", "")
			if got, _ := os.ReadFile(filepath.Join(dir, "out")); !bytes.Equal(got, tt.want) {
				t.Errorf("%d bytes, stages %q: output differs (%d bytes, want %d)", n, tt.stages, len(got), len(tt.want))
			}
			r := runCLI(t, dir, data, append(args, "-", "-")...)
			r.want(t, 0, "", "")
			if !bytes.Equal([]byte(r.stdout), tt.want) {
				t.Errorf("%d bytes, stages %q, through pipes: output differs", n, tt.stages)
			}
		}
	}
	runCLI(t, dir, []byte("0123"), "run", "--json", "--stage", "hex-decode", "-", "out").want(t, 0, `"out_bytes": 2`, "")
	onlyFiles(t, dir, "in", "out")
}

// TestRunRefuses checks the command lines run refuses (exit 2) and the data it fails on
// (exit 1, naming the batch, the stage and the input offset), leaving no OUT.
func TestRunRefuses(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in", random(1000, 5))
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"run", in, "out"}, "no stages"},
		{[]string{"run", "--stage", "shuffle:4", in, "out"}, "shuffle:4 cannot run per batch"},
		{[]string{"run", "--stage", "hex-encode", "--stage", "delta-encode:8", in, "out"}, "delta-encode:8"},
		{[]string{"run", "--stage", "frobnicate:2", in, "out"}, `unknown stage name "frobnicate"`},
		{[]string{"run", "--stage", "byteswap:3", in, "out"}, "byteswap:3"},
		{[]string{"run", "--stage", "hex-encode", in}, "missing arguments"},
		{[]string{"run", "--stage", "hex-encode", "--batch-size", "-5", in, "out"}, "bad size"},
	} {
		runCLI(t, dir, nil, tt.args...).want(t, 2, "", tt.msg)
	}
	// Invalid hex at input offset 10001: the error names its batch (4 KiB batches: batch 2),
	// the stage and the offset.
	text := bytes.Repeat([]byte("ab"), 8000)
	text[10001] = 'x'
	bad := writeFile(t, dir, "bad.hex", text)
	runCLI(t, dir, nil, "run", "--batch-size", "4KiB", "--stage", "hex-decode", bad, "out").
		want(t, 1, "", "batch 2, stage 0 (hex-decode), input offset 10001")
	runCLI(t, dir, nil, "run", "--json", "--batch-size", "4KiB", "--stage", "hex-decode", bad, "out").
		want(t, 1, "\"batch\": 2,\n  \"stage\": \"hex-decode\",\n  \"offset\": 10001", "")
	runCLI(t, dir, nil, "run", "--json", "--stage", "shuffle:4", bad, "out").want(t, 2, `"exit_status": 2`, "")
	runCLI(t, dir, nil, "run", "--stage", "hex-decode", "--stage", "hex-encode", bad, "out").
		want(t, 1, "", fmt.Sprintf("input offset %d", 10001))
	onlyFiles(t, dir, "bad.hex", "in")
}
