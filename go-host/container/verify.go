package container

import "io"

// Summary describes a container that Verify checked.
type Summary struct {
	Header Header
	// Frames is the number of frames.
	Frames int64
	// RawBytes is the number of unpacked bytes.
	RawBytes int64
	// ContainerBytes is the size of the container.
	ContainerBytes int64
	// RawCRC32C is the CRC-32C of the unpacked bytes (as `binpipe sum --algo crc32c` gives it).
	RawCRC32C uint32
}

// Verify reads a whole container from r, decoding every frame and checking every CRC, the
// structure and the trailer, and returns its summary. A problem in the data is a
// *FormatError.
func Verify(r io.Reader) (Summary, error) {
	cr, err := NewReader(r, ReaderOptions{})
	if err != nil {
		return Summary{}, err
	}
	defer cr.Close()
	if _, err := cr.WriteTo(io.Discard); err != nil {
		return Summary{}, err
	}
	return Summary{
		Header: cr.Header(), Frames: int64(cr.seen.frames), RawBytes: int64(cr.seen.rawBytes),
		ContainerBytes: cr.off, RawCRC32C: cr.seen.rawCRC,
	}, nil
}
