// Package container reads and writes binpipe containers: a self-describing, checksummed,
// framed file of fixed-size records whose fields are each encoded by their own binpipe stage
// chain and then, optionally, compressed with zstd. The byte format is specified in
// docs/format.md (version 1); this package is its reference implementation.
//
//	w, err := container.NewWriter(file, container.TelemetryHeader(), container.WriterOptions{})
//	_, err = io.Copy(w, records) // frames are encoded in parallel, written in order
//	err = w.Close()              // writes the trailer
//
//	r, err := container.NewReader(file, container.ReaderOptions{})
//	_, err = io.Copy(out, r)     // frames are decoded in parallel; both CRCs are checked
//
// Every problem in a container is a *FormatError naming the frame, the byte offset in the
// file, the field (if any) and what is wrong. Every length read from a file is checked
// against a limit before anything is allocated for it (see Limits in docs/format.md).
package container
