// Command filter is the example binpipe plugin filter written in Go: it keeps the telemetry
// records whose valid flag is set, as plugins/filter does in Rust, byte for byte.
//
// A telemetry record is 32 bytes, little-endian, with flags: u32 at offset 28; bit 0 is
// "valid". Batches must be whole records (the plugin describes itself with record size 32).
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath -o filter.wasm .
package main

import "github.com/binpipe/binpipe/plugins/go/sdk"

// recordSize is the length of one telemetry record.
const recordSize = 32

// flagsOffset is the offset of the flags field within a record.
const flagsOffset = 28

// filter is the plugin.
type filter struct{}

// Describe names the plugin and its record size.
func (filter) Describe() sdk.Description {
	return sdk.Description{Name: "filter", Version: "0.1.0", RecordSize: recordSize}
}

// Transform appends the records of batch whose flags bit 0 is set to out.
func (filter) Transform(batch, out []byte) ([]byte, error) {
	if _, err := sdk.Records(batch, recordSize); err != nil {
		return out, err
	}
	for start := 0; start < len(batch); start += recordSize {
		if batch[start+flagsOffset]&1 == 1 {
			out = append(out, batch[start:start+recordSize]...)
		}
	}
	return out, nil
}

func init() { sdk.Register(filter{}) }

func main() {}
