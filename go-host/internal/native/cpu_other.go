//go:build purego || !(amd64 || arm64)

package native

// cpuHas is false: this build has no native tiers.
func cpuHas(Tier) bool { return false }

// tables is empty: this build has no blobs.
var tables = map[Tier]*table{}

// blobSizes is empty: this build has no blobs.
var blobSizes = map[Tier]int{}

// blobAddrs returns nothing: this build has no blobs.
func blobAddrs() map[Tier]uintptr { return nil }

// tierKernels is empty: this build has no blobs.
var tierKernels = map[Tier]map[string]bool{}

// clmulWide is false: this build has no blobs.
func clmulWide() bool { return false }
