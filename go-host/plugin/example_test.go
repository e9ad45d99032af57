package plugin_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"log"

	"github.com/binpipe/binpipe/go-host/plugin"
)

// Load the example redact plugin, which zeroes the sensor_id of every 32-byte telemetry
// record, and run it on one record.
func ExampleLoad() {
	ctx := context.Background()
	p, err := plugin.LoadFile(ctx, "../../tests/plugins/examples/redact.wasm",
		plugin.WithLimits(plugin.Limits{MemoryPages: 64}), plugin.WithPoolSize(2))
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close(ctx)

	record := make([]byte, 32)
	binary.LittleEndian.PutUint32(record[8:], 1234) // sensor_id
	binary.LittleEndian.PutUint32(record[12:], 7)   // seq
	out, err := p.Transform(ctx, nil, record)
	if err != nil {
		log.Fatal(err)
	}
	d := p.Describe()
	fmt.Println(d.Name, d.RecordSize)
	fmt.Println(binary.LittleEndian.Uint32(out[8:]), binary.LittleEndian.Uint32(out[12:]))
	// Output:
	// redact 32
	// 0 7
}
