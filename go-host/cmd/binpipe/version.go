package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	binpipe "github.com/binpipe/binpipe/go-host"
)

const versionSynopsis = "binpipe version [--json]"

// cmdVersion prints the versions of binpipe, its kernel contract, wazero and Go.
func cmdVersion(_ context.Context, std stdio, args []string) error {
	fs, jsonOut := newFlags("version", versionSynopsis, "Prints the versions of binpipe, its kernel contract (WIT package), wazero and Go.", std)
	if _, err := parseArgs(fs, versionSynopsis, args, 0, 0); err != nil {
		return err
	}
	wazero := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/tetratelabs/wazero" {
				wazero = d.Version
			}
		}
	}
	if *jsonOut {
		return writeJSON(std.stdout, map[string]string{
			"binpipe": binpipe.Version, "kernels": binpipe.WITPackage, "wazero": wazero,
			"go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH,
		})
	}
	_, err := fmt.Fprintf(std.stdout, "binpipe %s (kernels %s, wazero %s, %s %s/%s)\n",
		binpipe.Version, binpipe.WITPackage, wazero, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
