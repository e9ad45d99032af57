package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// packVariants are pack's flag sets the round-trip test covers.
var packVariants = [][]string{
	nil, // the defaults: 1-byte records, no fields, 1 MiB frames, zstd
	{"--telemetry"},
	{"--telemetry", "--frame-size", "64KiB", "--workers", "1"},
	{"--record-size", "12", "--field", "a:0:4:delta-encode:4,shuffle:4", "--field", "b:4:8:byteswap:8,shuffle:8",
		"--frame-size", "96KiB", "--compression", "none", "--workers", "3"},
	{"--record-size", "7", "--field", "x:1:3", "--frame-size", "7000", "--level", "19"},
}

// TestPackRoundTrip checks unpack(pack(x)) == x for several sizes (0 and 1 byte, a record, one
// frame exactly, many frames with a partial last one) and flag sets, through files and pipes.
// The telemetry presets get telemetry records, the other flag sets random bytes.
func TestPackRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 31, 32, 1 << 16, 1 << 20, 3<<20 + 5} {
		for vi, flags := range packVariants {
			if n >= 1<<20 && vi%2 == 0 {
				continue // the big sizes: flag sets 1 and 3 are enough
			}
			data := random(n, uint64(n))
			if len(flags) > 0 && flags[0] == "--telemetry" {
				data, _ = io.ReadAll(newTelemetry(int64(n)))
			}
			in := writeFile(t, dir, "in", data)
			args := append(append([]string{"pack"}, flags...), in, "in.bp")
			runCLI(t, dir, nil, args...).want(t, 0, "", "")
			runCLI(t, dir, nil, "verify", "in.bp").want(t, 0, "in.bp: OK: format v1", "")
			runCLI(t, dir, nil, "unpack", "in.bp", "out").want(t, 0, "", "")
			if got, _ := os.ReadFile(filepath.Join(dir, "out")); !bytes.Equal(got, data) {
				t.Fatalf("size %d, pack flags %q: unpack gave %d bytes that differ from the %d packed", n, flags, len(got), len(data))
			}
			if vi > 1 {
				continue // pipes: with the defaults and the telemetry preset
			}
			packed := runCLI(t, dir, data, append(append([]string{"pack"}, flags...), "-", "-")...)
			packed.want(t, 0, "", "")
			unpacked := runCLI(t, dir, []byte(packed.stdout), "unpack", "-", "-")
			unpacked.want(t, 0, "", "")
			if unpacked.stdout != string(data) {
				t.Fatalf("size %d, pack flags %q, through pipes: round trip differs", n, flags)
			}
		}
	}
	onlyFiles(t, dir, "in", "in.bp", "out")
}

// onlyFiles fails unless dir holds exactly the named files (no temporary files left).
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

func TestPackUsage(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in", random(1000, 1))
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"pack", in}, "missing arguments"},
		{[]string{"pack", "--compression", "lz4", in, "out"}, `unknown --compression "lz4"`},
		{[]string{"pack", "--field", "ts:zero:8", in, "out"}, "OFFSET and WIDTH must be decimal"},
		{[]string{"pack", "--field", "ts", in, "out"}, "want NAME:OFFSET:WIDTH"},
		{[]string{"pack", "--record-size", "8", "--field", "ts:0:8:frobnicate:3", in, "out"}, "frobnicate"},
		{[]string{"pack", "--telemetry", "--record-size", "4", in, "out"}, "--telemetry sets the record size"},
		{[]string{"pack", "--record-size", "8", "--field", "a:0:8", "--field", "b:4:4", in, "out"}, "overlap"},
		{[]string{"pack", "--record-size", "8", "--field", "a:4:8", in, "out"}, ""},
		{[]string{"pack", "--record-size", "3", "--frame-size", "1000", in, "out"}, "multiple"},
		{[]string{"pack", "--frame-size", "1GiB", in, "out"}, "above the format's limit"},
		{[]string{"pack", "--frame-size", "lots", in, "out"}, "bad size"},
		{[]string{"unpack", in}, "missing arguments"},
		{[]string{"verify"}, "missing arguments"},
	} {
		runCLI(t, dir, nil, tt.args...).want(t, 2, "", tt.msg)
	}
	onlyFiles(t, dir, "in")
}

// TestCorruptContainers flips bytes at many places of a small container and truncates it at
// many lengths: unpack and verify exit 1 naming the frame and offset, never leave OUT behind,
// and never print a trace.
func TestCorruptContainers(t *testing.T) {
	dir := t.TempDir()
	data, _ := io.ReadAll(newTelemetry(5*4096 + 100))
	writeFile(t, dir, "in", data)
	runCLI(t, dir, nil, "pack", "--telemetry", "--frame-size", "4KiB", "in", "good.bp").want(t, 0, "", "")
	good, err := os.ReadFile(filepath.Join(dir, "good.bp"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		name string
		data []byte
	}
	step := max(1, len(good)/60)
	for i := 0; i < len(good); i += step {
		bad := bytes.Clone(good)
		bad[i] ^= 0x40
		cases = append(cases, struct {
			name string
			data []byte
		}{fmt.Sprintf("flip byte %d", i), bad})
		cases = append(cases, struct {
			name string
			data []byte
		}{fmt.Sprintf("truncate to %d", i), good[:i]})
	}
	cases = append(cases, struct {
		name string
		data []byte
	}{"flip the last byte", append(bytes.Clone(good[:len(good)-1]), good[len(good)-1]^1)})
	for _, c := range cases {
		writeFile(t, dir, "bad.bp", c.data)
		r := runCLI(t, dir, nil, "unpack", "bad.bp", "out")
		if r.code != 1 || !strings.Contains(r.stderr, "offset ") {
			t.Errorf("%s: unpack exit %d, stderr %q; want 1 and a message naming the offset", c.name, r.code, r.stderr)
		}
		if r.code == 1 && !strings.Contains(r.stderr, "frame ") && !strings.Contains(r.stderr, "header") && !strings.Contains(r.stderr, "trailer") {
			t.Errorf("%s: unpack's message names neither a frame, the header nor the trailer: %q", c.name, r.stderr)
		}
		v := runCLI(t, dir, nil, "verify", "bad.bp")
		if v.code != 1 || !strings.Contains(v.stderr, "offset ") {
			t.Errorf("%s: verify exit %d, stderr %q; want 1 naming the offset", c.name, v.code, v.stderr)
		}
		onlyFiles(t, dir, "bad.bp", "good.bp", "in")
	}
	runCLI(t, dir, random(5000, 9), "unpack", "-", "out").want(t, 1, "", "offset 0")
	runCLI(t, dir, good[:len(good)/2], "unpack", "--json", "-", "out").want(t, 1, `"frame": `, "")
	onlyFiles(t, dir, "bad.bp", "good.bp", "in")
}

// TestInterrupted starts pack and unpack on a stdin that never ends, waits until they are
// writing their temporary file, and stops them: SIGINT makes them clean up and exit 130;
// SIGKILL leaves at most a hidden temporary file, never OUT.
func TestInterrupted(t *testing.T) {
	dir := t.TempDir()
	data, _ := io.ReadAll(newTelemetry(8 << 20))
	writeFile(t, dir, "in", data)
	runCLI(t, dir, nil, "pack", "--telemetry", "--frame-size", "64KiB", "in", "in.bp").want(t, 0, "", "")
	packed, _ := os.ReadFile(filepath.Join(dir, "in.bp"))
	for _, tt := range []struct {
		args  []string
		input []byte // written to stdin, which then stays open
		sig   syscall.Signal
	}{
		{[]string{"pack", "--telemetry", "--frame-size", "64KiB", "-", "out"}, data, syscall.SIGINT},
		{[]string{"unpack", "-", "out"}, packed[:len(packed)/2], syscall.SIGINT},
		{[]string{"pack", "-", "out"}, data, syscall.SIGTERM},
		{[]string{"unpack", "-", "out"}, packed[:len(packed)/2], syscall.SIGKILL},
	} {
		cmd := cliCommand(dir, tt.args...)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go stdin.Write(tt.input) // stdin stays open: the command waits for more
		if !waitForTemp(dir, "out", 20*time.Second) {
			t.Fatalf("%q: no temporary output appeared", tt.args)
		}
		time.Sleep(100 * time.Millisecond)
		if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
			t.Fatalf("%q: out exists before the command finished", tt.args)
		}
		cmd.Process.Signal(tt.sig)
		err = cmd.Wait()
		stdin.Close()
		code := cmd.ProcessState.ExitCode()
		noTrace(t, tt.args, stderr.String())
		if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
			t.Errorf("%q, %v: out exists after the interruption", tt.args, tt.sig)
		}
		if tt.sig == syscall.SIGKILL {
			if err == nil {
				t.Errorf("%q: killed, yet exit status 0", tt.args)
			}
			removeTemps(t, dir, "out")
			continue
		}
		if code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("%q, %v: exit %d, stderr %q; want %d and \"interrupted\"", tt.args, tt.sig, code, stderr.String(), exitInterrupted)
		}
		onlyFiles(t, dir, "in", "in.bp")
	}
}

// waitForTemp waits until dir holds a temporary file for out.
func waitForTemp(dir, out string, timeout time.Duration) bool {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m, _ := filepath.Glob(filepath.Join(dir, "."+out+".tmp-*")); len(m) > 0 {
			return true
		}
	}
	return false
}

// removeTemps deletes the temporary files a killed run left for out.
func removeTemps(t *testing.T, dir, out string) {
	m, _ := filepath.Glob(filepath.Join(dir, "."+out+".tmp-*"))
	for _, p := range m {
		if err := os.Remove(p); err != nil {
			t.Error(err)
		}
	}
}

// TestDeviceOutput writes to devices in place (never replacing them with a file) and reports
// a failing writer with exit status 1.
func TestDeviceOutput(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "in", random(100_000, 4))
	runCLI(t, dir, nil, "pack", "in", "/dev/null").want(t, 0, "", "")
	if st, err := os.Stat("/dev/null"); err != nil || st.Mode().IsRegular() {
		t.Fatalf("/dev/null is no longer a device: %v, %v", st, err)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		runCLI(t, dir, nil, "pack", "in", "/dev/full").want(t, 1, "", "no space left on device")
	}
	onlyFiles(t, dir, "in")
}
