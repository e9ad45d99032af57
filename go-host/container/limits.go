package container

// Limits of format version 1 (docs/format.md, "Limits"). A reader refuses any value above
// them before allocating memory for it.
const (
	// Version is the format version this package writes and reads.
	Version uint16 = 1
	// MaxHeaderSize bounds the header length field.
	MaxHeaderSize = 1 << 20
	// MaxFrameSize bounds the header's frame size: the raw bytes of one frame.
	MaxFrameSize = 64 << 20
	// MaxBlockSize bounds the column block of a full frame, computed from the header (the
	// worst-case size of every field's encoded column plus the rest column and the tail).
	MaxBlockSize = 256 << 20
	// MaxFields bounds the number of fields of a record.
	MaxFields = 4096
	// MaxStages bounds the stages of one field's chain (the run-chain limit).
	MaxStages = 64
	// MaxNameLen bounds a field name, in bytes.
	MaxNameLen = 255
	// MaxSpecLen bounds a stage spec string, in bytes.
	MaxSpecLen = 255
)

// Sizes of the fixed parts of the format.
const (
	headerPrefixLen = 16 // magic, version, flags, header length
	headerFixedLen  = 28 // the prefix, record size, frame size, compression, reserved, field count
	frameHeaderLen  = 24
	trailerLen      = 28
	crcLen          = 4
)

// magic opens every container: a high byte (not ASCII text), "BPC", then CR LF SUB LF, which
// text-mode transfers mangle detectably.
var magic = [8]byte{0x89, 'B', 'P', 'C', '\r', '\n', 0x1a, '\n'}

// Frame and trailer tags.
var (
	frameTag   = [4]byte{'B', 'P', 'F', 'R'}
	trailerTag = [4]byte{'B', 'P', 'E', 'N'}
)
