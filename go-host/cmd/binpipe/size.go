package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// sizeFlag is a byte count given as a number with an optional binary suffix: 4096, 64KiB,
// 1MiB, 2GiB (K, M, G and KB, MB, GB mean the same powers of 1024).
type sizeFlag int64

// String formats the size as the shortest exact binary multiple.
func (s *sizeFlag) String() string { return formatSize(int64(*s)) }

// Set parses a size.
func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

var sizeUnits = []struct {
	suffix string
	shift  uint
}{
	{"kib", 10}, {"mib", 20}, {"gib", 30}, {"tib", 40},
	{"kb", 10}, {"mb", 20}, {"gb", 30}, {"tb", 40},
	{"k", 10}, {"m", 20}, {"g", 30}, {"t", 40}, {"b", 0},
}

// parseSize parses a byte count such as "256MiB".
func parseSize(v string) (int64, error) {
	lower := strings.ToLower(strings.TrimSpace(v))
	shift := uint(0)
	for _, u := range sizeUnits {
		if strings.HasSuffix(lower, u.suffix) {
			lower, shift = strings.TrimSuffix(lower, u.suffix), u.shift
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(lower), 10, 64)
	if err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("bad size %q: want a non-negative number with an optional suffix KiB, MiB or GiB", v)
	}
	return n << shift, nil
}

// formatSize prints n bytes exactly, in the largest binary unit that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		name  string
		shift uint
	}{{"GiB", 30}, {"MiB", 20}, {"KiB", 10}} {
		if n != 0 && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}

// humanBytes prints n bytes rounded, for reports ("1.50 GiB").
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.2f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// rate is n bytes over d in MB/s (0 if d is 0).
func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds() / 1e6
}
