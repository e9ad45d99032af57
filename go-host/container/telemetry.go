package container

import binpipe "github.com/binpipe/binpipe/go-host"

// TelemetryRecordSize is the size of the demo telemetry record (contract E).
const TelemetryRecordSize = 32

// TelemetryHeader is the header for the demo telemetry records: 32 bytes, little-endian,
// timestamp u64 @0, sensor_id u32 @8, seq u32 @12, reading f64 @16, temperature f32 @24,
// flags u32 @28. Timestamps and per-sensor counters are delta-encoded (small, regular steps),
// then every column is byte-shuffled so that zstd sees runs of similar bytes. 1 MiB frames,
// zstd.
func TelemetryHeader() Header {
	return Header{
		Version:    Version,
		RecordSize: TelemetryRecordSize,
		Fields: []Field{
			{Name: "timestamp", Offset: 0, Width: 8, Stages: []binpipe.Stage{binpipe.DeltaEncodeStage(8), binpipe.ShuffleStage(8)}},
			{Name: "sensor_id", Offset: 8, Width: 4, Stages: []binpipe.Stage{binpipe.ShuffleStage(4)}},
			{Name: "seq", Offset: 12, Width: 4, Stages: []binpipe.Stage{binpipe.DeltaEncodeStage(4), binpipe.ShuffleStage(4)}},
			{Name: "reading", Offset: 16, Width: 8, Stages: []binpipe.Stage{binpipe.ShuffleStage(8)}},
			{Name: "temperature", Offset: 24, Width: 4, Stages: []binpipe.Stage{binpipe.ShuffleStage(4)}},
			{Name: "flags", Offset: 28, Width: 4, Stages: []binpipe.Stage{binpipe.ShuffleStage(4)}},
		},
		FrameSize:   1 << 20,
		Compression: CompressionZstd,
	}
}
