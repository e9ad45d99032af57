package main

import (
	"context"
	"fmt"
	"time"

	"github.com/binpipe/binpipe/go-host/container"
)

const verifySynopsis = "binpipe verify [--json] IN"

// verifyReport is verify's --json output.
type verifyReport struct {
	In             string     `json:"in"`
	OK             bool       `json:"ok"`
	Frames         int64      `json:"frames"`
	RawBytes       int64      `json:"raw_bytes"`
	ContainerBytes int64      `json:"container_bytes"`
	RawCRC32C      string     `json:"raw_crc32c"`
	Seconds        float64    `json:"seconds"`
	Header         *headerDoc `json:"header"`
}

// cmdVerify decodes a whole container, checking every frame, and prints its summary.
func cmdVerify(ctx context.Context, std stdio, args []string) error {
	fs, jsonOut := newFlags("verify", verifySynopsis, "Decodes every frame of the container IN (\"-\": stdin) and checks its structure, both\nCRC-32Cs of every frame and the trailer. Exit 0 if it is intact, 1 naming the first bad\nframe and byte offset.", std)
	pos, err := parseArgs(fs, verifySynopsis, args, 1, 1)
	if err != nil {
		return err
	}
	in, err := openInput(std, pos[0])
	if err != nil {
		return err
	}
	defer in.Close()
	bar := newProgress(std, in.size, "verify")
	start := time.Now()
	sum, err := container.Verify(ctxReader{ctx, bar.reader(in.r)})
	bar.done()
	if err = cancelled(ctx, err); err != nil {
		return err
	}
	rep := verifyReport{In: in.name, OK: true, Frames: sum.Frames, RawBytes: sum.RawBytes,
		ContainerBytes: sum.ContainerBytes, RawCRC32C: fmt.Sprintf("%08x", sum.RawCRC32C),
		Seconds: time.Since(start).Seconds(), Header: describeHeader(sum.Header)}
	if *jsonOut {
		return writeJSON(std.stdout, rep)
	}
	h := rep.Header
	_, err = fmt.Fprintf(std.stdout, "%s: OK: format v%d, %d frames of %s, %d-byte records, %d fields, %s; %s raw (crc32c %s) in %s\n",
		rep.In, h.Version, rep.Frames, formatSize(int64(h.FrameSize)), h.RecordSize, len(h.Fields), h.Compression,
		humanBytes(rep.RawBytes), rep.RawCRC32C, humanBytes(rep.ContainerBytes))
	return err
}
