package native

import "testing"

// BenchmarkCrossing is the cost of crossing into a blob and back and nothing else: one
// count-byte entry call on zero bytes through the tier's table (the Go arguments moved into
// registers, the stack switched and aligned, the entry's argument check, VZEROUPPER). The
// Kernels methods do not cross for an empty input; Engine.CallCost adds the API's checks and
// routing on top.
func BenchmarkCrossing(b *testing.B) {
	for _, t := range Available() {
		k, _ := New(t)
		b.Run("tier="+t.String(), func(b *testing.B) {
			var sum uint64
			for b.Loop() {
				sum += k.t.count_byte(nil, 0, 0)
			}
			if sum != 0 {
				b.Fatalf("count-byte of nothing = %d", sum)
			}
		})
	}
}
