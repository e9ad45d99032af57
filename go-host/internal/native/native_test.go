package native

import (
	"context"
	"testing"
)

// tiers returns the kernels of every tier, skipping (and saying so) those this build or CPU
// lacks.
func tiers(t *testing.T) []Kernels {
	t.Helper()
	var out []Kernels
	for _, tier := range []Tier{TierAVX2, TierAVX512, TierNEON} {
		k, ok := New(tier)
		if !ok {
			t.Logf("tier %v: not available on this build/CPU, skipped", tier)
			continue
		}
		out = append(out, k)
	}
	if len(out) == 0 {
		t.Skip("no native tier available on this build/CPU")
	}
	return out
}

var ctx = context.Background()

func TestBlobAlignment(t *testing.T) {
	for tier, addr := range blobAddrs() {
		if addr%64 != 0 {
			t.Errorf("tier %v: blob at %#x, not 64-byte aligned", tier, addr)
		}
		if blobSizes[tier] == 0 {
			t.Errorf("tier %v: empty blob", tier)
		}
	}
	if len(blobAddrs()) == 0 {
		t.Skip("this build has no blobs")
	}
}

func TestTiers(t *testing.T) {
	if _, ok := New(TierNone); ok {
		t.Error("New(TierNone) succeeded")
	}
	var zero Kernels
	if _, err := zero.XXH3(ctx, nil, 0); err == nil {
		t.Error("zero Kernels ran XXH3")
	}
	for _, k := range tiers(t) {
		if !k.Has("xxh3-64") || k.Has("no-such-kernel") {
			t.Errorf("%v: Has is wrong", k.Tier())
		}
		for _, name := range k.Kernels() {
			if !k.Has(name) {
				t.Errorf("%v: Kernels lists %s, which Has denies", k.Tier(), name)
			}
		}
	}
}
