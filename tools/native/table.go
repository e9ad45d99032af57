package main

// The entry-point table: the one declaration from which the Rust shims
// (tools/native/shim/src/entries.rs), the Go trampolines and declarations
// (go-host/internal/native/z*.go, z*.s) and the verifier's list of entries are generated.

// argKind is how one argument crosses from Go to the blob. Every argument is one machine
// word on both sides; a slice is two arguments (pointer, length).
type argKind int

const (
	argIn    argKind = iota // []byte read by the kernel: Rust &[u8]
	argOut                  // []byte written by the kernel: Rust &mut [u8]
	argIn32                 // []uint32 read: Rust &[u32] (length in elements)
	argOut32                // []uint32 written: Rust &mut [u32]
	argIn64                 // []uint64 read: Rust &[u64]
	argOut64                // []uint64 written: Rust &mut [u64]
	argWord                 // one uint64: Rust u64
)

// arg is one named argument of an entry.
type arg struct {
	name string
	kind argKind
}

// entry is one C-ABI function of the blob: the kernel it runs, its arguments, and the Rust
// expression (over the arguments and `k`, the tier's binpipe_kernels::Kernels) that computes
// its u64 result.
type entry struct {
	name   string // symbol is "bp_" + name; Go trampoline is name + "_" + tier
	kernel string // WIT name, for Kernels.Has
	doc    string // what the entry returns (the Rust and Go doc comment)
	args   []arg
	rust   string
}

func in(n string) arg    { return arg{n, argIn} }
func out(n string) arg   { return arg{n, argOut} }
func word(n string) arg  { return arg{n, argWord} }
func in32(n string) arg  { return arg{n, argIn32} }
func out32(n string) arg { return arg{n, argOut32} }
func in64(n string) arg  { return arg{n, argIn64} }
func out64(n string) arg { return arg{n, argOut64} }

// entries, in the order of the generated files. Every entry is built for every tier.
var entries = []entry{
	{
		name: "xxh3_64", kernel: "xxh3-64",
		doc:  "XXH3-64 of data with seed.",
		args: []arg{in("data"), word("seed")},
		rust: `k.xxh3_64(data, seed)`,
	},
	{
		name: "base64_encode", kernel: "base64-encode",
		doc:  "Writes the base64 of src (url-safe alphabet if url != 0, padded if pad != 0) to dst; returns the length written, u64::MAX if dst is too short.",
		args: []arg{in("src"), out("dst"), word("url"), word("pad")},
		rust: `match k.base64_encode_into(src, alphabet(url), pad != 0, dst) {
			Ok(n) => n as u64,
			Err(_) => u64::MAX,
		}`,
	},
	{
		name: "ascii_prefix", kernel: "ascii-prefix",
		doc:  "Returns the length of the longest prefix of data below 0x80.",
		args: []arg{in("data")},
		rust: `k.ascii_prefix(data) as u64`,
	},
	{
		name: "crc32c", kernel: "crc32c",
		doc:  "CRC-32C of data continuing from seed.",
		args: []arg{in("data"), word("seed")},
		rust: `u64::from(k.crc32c(data, seed as u32))`,
	},
	{
		name: "crc32", kernel: "crc32",
		doc:  "CRC-32/ISO-HDLC of data continuing from seed.",
		args: []arg{in("data"), word("seed")},
		rust: `u64::from(k.crc32(data, seed as u32))`,
	},
	{
		name: "hex_encode", kernel: "hex-encode",
		doc:  "Writes two hex digits per byte of src to dst (uppercase if upper != 0); returns the length written, u64::MAX if dst is too short.",
		args: []arg{in("src"), out("dst"), word("upper")},
		rust: `match k.hex_encode_into(src, upper != 0, dst) {
			Ok(n) => n as u64,
			Err(_) => u64::MAX,
		}`,
	},
	{
		name: "hex_decode", kernel: "hex-decode",
		doc:  "Decodes the hex digits of src into dst; returns the length written, 2^63 | offset for invalid data, u64::MAX if dst is too short.",
		args: []arg{in("src"), out("dst")},
		rust: `match k.hex_decode_into(src, dst) {
			Ok(n) => n as u64,
			Err(e) => data_error(e),
		}`,
	},
}
