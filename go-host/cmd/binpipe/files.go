package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// input is an opened IN argument: a file, or stdin for "-".
type input struct {
	name string
	r    io.Reader
	file *os.File // nil for stdin
	size int64    // -1 when unknown (stdin, pipes)
}

// openInput opens path for reading; "-" is stdin. A directory is refused.
func openInput(std stdio, path string) (*input, error) {
	if path == "-" {
		return &input{name: "-", r: std.stdin, size: -1}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	size := int64(-1)
	if st.Mode().IsRegular() {
		size = st.Size()
	}
	return &input{name: path, r: f, file: f, size: size}, nil
}

// Close closes the file (not stdin).
func (in *input) Close() error {
	if in.file == nil {
		return nil
	}
	return in.file.Close()
}

// output is an OUT argument being written: a temporary file in OUT's directory that commit
// renames to OUT, or stdout for "-", or OUT itself if it is a device or a named pipe. Until
// commit, a regular OUT is untouched; abort (or a crash) leaves at most a hidden
// ".OUT.tmp-*" file, never a file named OUT.
type output struct {
	w      io.Writer
	file   *os.File // the temporary file; nil for stdout and direct outputs
	direct *os.File // OUT itself when it is a device or a named pipe, else nil
	final  string
	done   bool
}

// createOutput starts writing path ("-" is stdout).
func createOutput(std stdio, path string) (*output, error) {
	if path == "-" {
		return &output{w: std.stdout, final: "-"}, nil
	}
	if st, err := os.Stat(path); err == nil {
		switch {
		case st.IsDir():
			return nil, fmt.Errorf("%s: is a directory", path)
		case !st.Mode().IsRegular():
			// A device or a named pipe (/dev/null, a FIFO): written in place, as a temporary
			// file renamed over it would replace the device itself.
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				return nil, err
			}
			return &output{w: f, direct: f, final: path}, nil
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, err
	}
	o := &output{w: f, file: f, final: path}
	outputs.Lock()
	outputs.live[o] = true
	outputs.Unlock()
	return o, nil
}

// openInOut opens the input inPath and creates the output outPath, for the commands that read
// one file and write another; if the output cannot be created the input is closed again.
func openInOut(std stdio, inPath, outPath string) (*input, *output, error) {
	in, err := openInput(std, inPath)
	if err != nil {
		return nil, nil, err
	}
	out, err := createOutput(std, outPath)
	if err != nil {
		_ = in.Close()
		return nil, nil, err
	}
	return in, out, nil
}

// outputs are the outputs being written, for abortOutputs.
var outputs = struct {
	sync.Mutex
	live map[*output]bool
}{live: map[*output]bool{}}

// abortOutputs discards every output not yet committed (the process is about to exit).
func abortOutputs() {
	outputs.Lock()
	defer outputs.Unlock()
	for o := range outputs.live {
		o.discard()
	}
}

// commit makes the output visible under its final name: close, then rename. For stdout it
// only marks the output done.
func (o *output) commit() error {
	outputs.Lock()
	defer outputs.Unlock()
	if o.done {
		return errors.New("output committed after it was discarded")
	}
	o.done = true
	delete(outputs.live, o)
	if o.direct != nil {
		if err := o.direct.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", o.final, err)
		}
		return nil
	}
	if o.file == nil {
		return nil
	}
	tmp := o.file.Name()
	err := o.file.Chmod(0o644)
	if cerr := o.file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, o.final)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", o.final, err)
	}
	return nil
}

// abort discards the temporary file unless commit already ran; safe to defer.
func (o *output) abort() {
	outputs.Lock()
	defer outputs.Unlock()
	o.discard()
}

// discard removes the temporary file unless the output is done; outputs' lock is held.
func (o *output) discard() {
	if o.done {
		return
	}
	o.done = true
	delete(outputs.live, o)
	if o.direct != nil {
		o.direct.Close()
	}
	if o.file != nil {
		o.file.Close()
		os.Remove(o.file.Name())
	}
}

// readFull reads into buf until it is full or the input ends; it returns the byte count and
// io.EOF only when nothing more can come (n may be > 0 together with io.EOF).
func readFull(r io.Reader, buf []byte) (int, error) {
	n, err := io.ReadFull(r, buf)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

// unwrapPath drops the "open NAME:" prefix of a *PathError when the caller already names the
// file, keeping the reason ("no such file or directory").
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
