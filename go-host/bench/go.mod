module github.com/binpipe/binpipe/go-host/bench

go 1.25.0

require (
	github.com/binpipe/binpipe/go-host v0.0.0
	github.com/parquet-go/bitpack v1.0.0
	github.com/parquet-go/parquet-go v0.32.0
	github.com/segmentio/asm v1.2.1
	github.com/zeebo/xxh3 v1.1.0
)

require (
	github.com/klauspost/cpuid/v2 v2.2.10 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.44.0 // indirect
)

replace github.com/binpipe/binpipe/go-host => ../
