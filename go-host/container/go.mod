module github.com/binpipe/binpipe/go-host/container

go 1.25.0

require (
	github.com/binpipe/binpipe/go-host v0.0.0
	github.com/klauspost/compress v1.20.4
)

require (
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.44.0 // indirect
)

replace github.com/binpipe/binpipe/go-host => ../
