package container

import (
	"fmt"
	"testing"
)

// BenchmarkScatter measures putting one decoded column back into its records (the telemetry
// layout: 32-byte records), per width:
//
//	go test -run '^$' -bench Scatter
func BenchmarkScatter(b *testing.B) {
	const records = 32768
	dst := make([]byte, records*32)
	for _, width := range []int{1, 2, 4, 8, 3} {
		col := make([]byte, records*width)
		b.Run(fmt.Sprintf("width-%d", width), func(b *testing.B) {
			b.SetBytes(int64(len(col)))
			for b.Loop() {
				scatter(dst, col, 32, 32-width, width)
			}
		})
	}
}
