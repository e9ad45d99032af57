package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		args   []string
		status int
		stdout string // substring expected on stdout
		stderr string // substring expected on stderr
	}{
		{nil, 2, "", "usage: binpipe"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"help"}, 0, "usage: binpipe", ""},
		{[]string{"version"}, 0, "binpipe 0.1.0 (kernels binpipe:kernels@0.1.0", ""},
		{[]string{"version", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"demo", "-bogus"}, 2, "", "flag provided but not defined"},
		{[]string{"demo", "-time", "0s"}, 2, "", "-time must be positive"},
		{[]string{"demo", "-h"}, 0, "", "usage: binpipe demo"},
		{[]string{"demo", "-time", "1ms"}, 0, "All backends agree", ""},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		status := run(tt.args, &stdout, &stderr)
		if status != tt.status || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("run(%q) = %d\nstdout: %s\nstderr: %s\nwant status %d, stdout containing %q, stderr containing %q",
				tt.args, status, stdout.String(), stderr.String(), tt.status, tt.stdout, tt.stderr)
		}
	}
}
