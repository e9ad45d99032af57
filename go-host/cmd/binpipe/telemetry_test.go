package main

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"path/filepath"
	"testing"
	"testing/iotest"
)

// TestTelemetry checks the generated records against contract E and that the stream is the
// same whatever the read sizes.
func TestTelemetry(t *testing.T) {
	const n = 10000*telemetryRecordSize + 7 // ends with a partial record
	whole, err := io.ReadAll(newTelemetry(n))
	if err != nil || len(whole) != n {
		t.Fatalf("ReadAll: %d bytes, %v", len(whole), err)
	}
	again, _ := io.ReadAll(newTelemetry(n))
	if !bytes.Equal(whole, again) {
		t.Fatal("two generators of the same size differ")
	}
	small, _ := io.ReadAll(iotest.OneByteReader(newTelemetry(n)))
	if !bytes.Equal(whole, small) {
		t.Fatal("one-byte reads give other bytes than big reads")
	}
	if err := iotest.TestReader(newTelemetry(1000), whole[:1000]); err != nil {
		t.Fatal(err)
	}
	var prev uint64
	seq := map[uint32]uint32{}
	valid := 0
	for i := 0; i+telemetryRecordSize <= n; i += telemetryRecordSize {
		r := whole[i : i+telemetryRecordSize]
		ts := binary.LittleEndian.Uint64(r)
		if i > 0 && (ts <= prev || ts-prev < 900_000 || ts-prev > 1_100_000) {
			t.Fatalf("record %d: timestamp step %d ns, want about 1 ms", i/32, ts-prev)
		}
		prev = ts
		sensor := binary.LittleEndian.Uint32(r[8:])
		if s := binary.LittleEndian.Uint32(r[12:]); s != seq[sensor]+1 {
			t.Fatalf("record %d: sensor %d seq %d after %d", i/32, sensor, s, seq[sensor])
		}
		seq[sensor]++
		if f := math.Float64frombits(binary.LittleEndian.Uint64(r[16:])); math.IsNaN(f) || f < 0 || f > 1000 {
			t.Fatalf("record %d: reading %v", i/32, f)
		}
		if c := math.Float32frombits(binary.LittleEndian.Uint32(r[24:])); c < 15 || c > 35 {
			t.Fatalf("record %d: temperature %v", i/32, c)
		}
		valid += int(binary.LittleEndian.Uint32(r[28:]) & 1)
	}
	if len(seq) != telemetrySensors || valid == 0 || valid == n/telemetryRecordSize {
		t.Errorf("%d sensors, %d of %d records valid: want %d sensors and some invalid records", len(seq), valid, n/telemetryRecordSize, telemetrySensors)
	}
}

// TestBench runs a short table for two kernels and checks its shape.
func TestBench(t *testing.T) {
	r := runCLI(t, t.TempDir(), nil, "bench", "--time", "1ms", "--kernel", "crc32c,hex-decode")
	r.want(t, 0, "hash/crc32", "")
	for _, want := range []string{"crc32c   4KiB", "hex-decode   1MiB", "hex.AppendDecode"} {
		r.want(t, 0, want, "")
	}
	runCLI(t, t.TempDir(), nil, "bench", "--time", "1ms", "--kernel", "xxh3", "--json").want(t, 0, `"kernel": "xxh3"`, "")
}

// TestDemo runs a small demo and checks its report, and --emit against the generator.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	r := runCLI(t, dir, nil, "demo", "--size", "3MiB", "--dir", dir)
	for _, want := range []string{"3.00 MiB of telemetry (98304 records of 32 bytes)", "auto (default dispatch)", "pure Go (BackendGo)",
		"identical", "plain zstd", "timestamp delta-encode:8", "zstd decode (column block)", "flags unshuffle:4"} {
		r.want(t, 0, want, "")
	}
	runCLI(t, dir, nil, "demo", "--size", "64KiB", "--json").want(t, 0, `"round_trip_identical": true`, "")
	runCLI(t, dir, nil, "demo", "--size", "1000", "--emit", "records").want(t, 0, "", "")
	want, _ := io.ReadAll(newTelemetry(992)) // rounded down to whole records
	if got := mustRead(t, filepath.Join(dir, "records")); !bytes.Equal(got, want) {
		t.Errorf("--emit wrote %d bytes that differ from the generator's %d", len(got), len(want))
	}
	onlyFiles(t, dir, "records")
}
