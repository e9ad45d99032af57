package binpipe

// kernelID indexes the per-kernel dispatch tables (dispatch.go, tuned.go): one per function of
// the WIT package, in WIT order.
type kernelID uint8

const (
	kCRC32C kernelID = iota
	kCRC32
	kXXH3
	kCountByte
	kFindByte
	kFindAny
	kIndexByte
	kMismatch
	kUTF8Validate
	kASCIIPrefix
	kHexEncode
	kHexDecode
	kBase64Encode
	kBase64Decode
	kVarintEncode
	kVarintDecode
	kShuffle
	kUnshuffle
	kDeltaEncode
	kDeltaDecode
	kByteswap
	kBitpack
	kBitunpack
	kExtractField
	kCompare
	kSelect
	kAggregate
	numKernels
)

// kernelNames are the WIT names, indexed by kernelID.
var kernelNames = [numKernels]string{
	"crc32c", "crc32", "xxh3-64",
	"count-byte", "find-byte", "find-any", "index-byte", "mismatch",
	"utf8-validate", "ascii-prefix",
	"hex-encode", "hex-decode", "base64-encode", "base64-decode", "varint-encode", "varint-decode",
	"shuffle", "unshuffle", "delta-encode", "delta-decode", "byteswap", "bitpack", "bitunpack", "extract-field",
	"compare", "select", "aggregate",
}

// String returns the kernel's WIT name.
func (k kernelID) String() string { return kernelNames[k] }

// kernelByName returns the kernel whose WIT name is name.
func kernelByName(name string) (kernelID, bool) {
	for k, n := range kernelNames {
		if n == name {
			return kernelID(k), true
		}
	}
	return 0, false
}
