module github.com/binpipe/binpipe/go-host/cmd/binpipe

go 1.26.0

require (
	github.com/binpipe/binpipe/go-host v0.0.0
	github.com/schollz/progressbar/v3 v3.19.1
	github.com/zeebo/xxh3 v1.1.0
	golang.org/x/term v0.48.0
)

require (
	github.com/binpipe/binpipe/go-host/container v0.0.0
	github.com/klauspost/compress v1.20.4
	github.com/klauspost/cpuid/v2 v2.2.10 // indirect
	github.com/mitchellh/colorstring v0.0.0-20190213212951-d06e56a500db // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/binpipe/binpipe/go-host => ../..

replace github.com/binpipe/binpipe/go-host/container => ../../container
