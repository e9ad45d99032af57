// Command goprobe is a Go plugin for the host's WASI tests, using the packages most Go code
// does (fmt, os, time): its first byte picks what it does with the batch.
//
//	0xff  panics (the Go runtime prints the panic and, in a reactor, traps)
//	0xfe  prints a line to stdout and refuses the batch at offset 3
//	0xfd  sleeps an hour (on the virtual clock: no time passes), then echoes the batch
//	0xfc  exits with code 3 (os.Exit)
//	0xfa  appends the number of calls this instance has run, a byte: it counts up only if
//	      the Go runtime is started once per instance, not per call
//	else  echoes the batch
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/binpipe/binpipe/plugins/go/sdk"
)

type probe struct{}

// calls counts this instance's Transform calls.
var calls byte

func (probe) Describe() sdk.Description { return sdk.Description{Name: "goprobe", Version: "1"} }

func (probe) Transform(batch, out []byte) ([]byte, error) {
	calls++
	if len(batch) > 0 {
		switch batch[0] {
		case 0xff:
			panic("goprobe: boom")
		case 0xfe:
			fmt.Println("goprobe: refusing the batch")
			return out, sdk.ErrorAt(3, "byte 3 is bad")
		case 0xfd:
			start := time.Now()
			time.Sleep(time.Hour)
			if time.Since(start) < time.Hour {
				return out, sdk.ErrorAt(0, "slept less than an hour")
			}
		case 0xfc:
			os.Exit(3)
		case 0xfa:
			return append(out, calls), nil
		}
	}
	return append(out, batch...), nil
}

func init() { sdk.Register(probe{}) }

func main() {}
