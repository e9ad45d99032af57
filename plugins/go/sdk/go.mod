module github.com/binpipe/binpipe/plugins/go/sdk

go 1.24
