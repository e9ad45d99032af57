package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	binpipe "github.com/binpipe/binpipe/go-host"
)

const sumSynopsis = "binpipe sum [--algo crc32c|crc32|xxh3] [--json] [FILE...]"

const sumAbout = `Prints one line per FILE, "<checksum>  <FILE>", as sha256sum does; no FILE or "-" reads
stdin. crc32c is CRC-32C (Castagnoli, iSCSI), crc32 the CRC-32 of zlib and gzip, both as 8 hex
digits; xxh3 is XXH3-64 with seed 0 (16 hex digits). Every algorithm streams the input in 1 MiB
batches, so files and stdin of any size take the same small memory.
A FILE that cannot be read is reported and the others are still summed (exit status 1).`

// sumBatch is how much of a file each checksum call sees.
const sumBatch = 1 << 20

// sumResult is one line of sum's output.
type sumResult struct {
	File  string `json:"file"`
	Sum   string `json:"sum,omitempty"`
	Bytes int64  `json:"bytes"`
	Error string `json:"error,omitempty"`
}

// cmdSum checksums files or stdin.
func cmdSum(ctx context.Context, std stdio, args []string) error {
	fs, jsonOut := newFlags("sum", sumSynopsis, sumAbout, std)
	algo := fs.String("algo", "crc32c", "crc32c, crc32 or xxh3")
	files, err := parseArgs(fs, sumSynopsis, args, 0, -1)
	if err != nil {
		return err
	}
	var hash func(ctx context.Context, in *input, p *progress) (string, int64, error)
	switch strings.ToLower(*algo) {
	case "crc32c":
		hash = func(ctx context.Context, in *input, p *progress) (string, int64, error) {
			return streamCRC(ctx, in, p, binpipe.CRC32C)
		}
	case "crc32":
		hash = func(ctx context.Context, in *input, p *progress) (string, int64, error) {
			return streamCRC(ctx, in, p, binpipe.CRC32)
		}
	case "xxh3":
		hash = streamXXH3
	default:
		return usagef(sumSynopsis, "unknown --algo %q: want crc32c, crc32 or xxh3", *algo)
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	var results []sumResult
	failed := false
	for _, name := range files {
		res := sumResult{File: name}
		sum, n, err := sumOne(ctx, std, name, hash)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		res.Sum, res.Bytes = sum, n
		if err != nil {
			failed = true
			res.Error = err.Error()
			fmt.Fprintf(std.stderr, "binpipe sum: %s: %v\n", name, err)
		} else if !*jsonOut {
			fmt.Fprintf(std.stdout, "%s  %s\n", sum, name)
		}
		results = append(results, res)
	}
	if *jsonOut {
		if err := writeJSON(std.stdout, map[string]any{"algo": strings.ToLower(*algo), "files": results}); err != nil {
			return err
		}
	}
	if failed {
		return errReported
	}
	return nil
}

// sumOne opens one file and hashes it.
func sumOne(ctx context.Context, std stdio, name string, hash func(context.Context, *input, *progress) (string, int64, error)) (string, int64, error) {
	in, err := openInput(std, name)
	if err != nil {
		return "", 0, unwrapPath(err)
	}
	defer in.Close()
	p := newProgress(std, in.size, "sum "+name)
	defer p.done()
	return hash(ctx, in, p)
}

// streamCRC runs a seedable CRC over the input batch by batch, each batch continuing from
// the previous CRC.
func streamCRC(ctx context.Context, in *input, p *progress, crc func([]byte, uint32) uint32) (string, int64, error) {
	var c uint32
	total, err := streamBatches(ctx, in, p, func(batch []byte) { c = crc(batch, c) })
	if err != nil {
		return "", total, err
	}
	return fmt.Sprintf("%08x", c), total, nil
}

// streamXXH3 writes the input batch by batch to a streaming XXH3 state with seed 0.
func streamXXH3(ctx context.Context, in *input, p *progress) (string, int64, error) {
	h := binpipe.NewXXH3(0)
	total, err := streamBatches(ctx, in, p, func(batch []byte) { _, _ = h.Write(batch) })
	if err != nil {
		return "", total, err
	}
	return fmt.Sprintf("%016x", h.Sum64()), total, nil
}

// streamBatches reads the input in sumBatch pieces, giving each to add (the last may be
// short or empty), and returns the byte count; it stops at the first read error or when
// ctx is done.
func streamBatches(ctx context.Context, in *input, p *progress, add func([]byte)) (int64, error) {
	buf := make([]byte, sumBatch)
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, err := readFull(in.r, buf)
		add(buf[:n])
		total += int64(n)
		p.add(n)
		if errors.Is(err, io.EOF) {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}
