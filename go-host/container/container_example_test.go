package container_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/container"
)

// Pack 12-byte records (a u64 counter and a u32 value) with the counter delta-encoded and
// both fields byte-shuffled, then read them back.
func Example() {
	records := make([]byte, 0, 1000*12)
	for i := range 1000 {
		records = binary.LittleEndian.AppendUint64(records, uint64(1_000_000+i*10))
		records = binary.LittleEndian.AppendUint32(records, uint32(i%7))
	}
	h := container.Header{
		RecordSize: 12,
		FrameSize:  12 * 4096,
		Fields: []container.Field{
			{Name: "counter", Offset: 0, Width: 8, Stages: []binpipe.Stage{binpipe.DeltaEncodeStage(8), binpipe.ShuffleStage(8)}},
			{Name: "value", Offset: 8, Width: 4, Stages: []binpipe.Stage{binpipe.ShuffleStage(4)}},
		},
		Compression: container.CompressionZstd,
	}
	var file bytes.Buffer
	w, err := container.NewWriter(&file, h, container.WriterOptions{})
	if err != nil {
		panic(err)
	}
	if _, err := w.Write(records); err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	packed := file.Len()

	r, err := container.NewReader(&file, container.ReaderOptions{})
	if err != nil {
		panic(err)
	}
	defer r.Close()
	back, err := io.ReadAll(r)
	fmt.Println(bytes.Equal(back, records), err, packed < len(records)/10)
	// Output: true <nil> true
}

// A damaged container gives a *FormatError that says where.
func ExampleFormatError() {
	h := container.DefaultHeader()
	h.Compression = container.CompressionNone // stored frames: the CRCs below do not depend on zstd
	var file bytes.Buffer
	w, _ := container.NewWriter(&file, h, container.WriterOptions{})
	_, _ = w.Write(bytes.Repeat([]byte("binpipe "), 1000))
	_ = w.Close()
	damaged := file.Bytes()
	damaged[len(damaged)-40] ^= 1 // a bit of the frame's payload

	_, err := container.Verify(bytes.NewReader(damaged))
	var fe *container.FormatError
	fmt.Println(errors.As(err, &fe), fe.Frame)
	fmt.Println(err)
	// Output:
	// true 0
	// container: frame 0 at offset 48: payload CRC-32C mismatch (stored 0x06aaeea6, computed 0x37db3a96)
}
