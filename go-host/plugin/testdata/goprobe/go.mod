module github.com/binpipe/binpipe/go-host/plugin/testdata/goprobe

go 1.24

require github.com/binpipe/binpipe/plugins/go/sdk v0.0.0

replace github.com/binpipe/binpipe/plugins/go/sdk => ../../../../plugins/go/sdk
