package main

import (
	"fmt"
	"slices"
)

// The entry-point table: the one declaration from which the Rust shims
// (tools/native/shim/src/entries.rs), the Go trampolines and declarations
// (go-host/internal/native/z*.go, z*.s) and the verifier's list of entries are generated.

// argKind is how one argument crosses from Go to the blob. Every argument is one machine
// word on both sides; a slice is two arguments (pointer, length).
type argKind int

const (
	argIn      argKind = iota // []byte read by the kernel: Rust &[u8]
	argOut                    // []byte written by the kernel: Rust &mut [u8]
	argIn32                   // []uint32 read: Rust &[u32] (length in elements)
	argOut32                  // []uint32 written: Rust &mut [u32]
	argIn64                   // []uint64 read: Rust &[u64]
	argOut64                  // []uint64 written: Rust &mut [u64]
	argWord                   // one uint64: Rust u64
	argOutLike                // []byte written, as long as the argument named by like: pointer only
)

// arg is one named argument of an entry.
type arg struct {
	name string
	kind argKind
	like string // argOutLike: the input argument whose length this output has
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
	notOn  []string // tiers that do not build it (their blob would not verify; see the entry)
}

// on reports whether e is built for tier t.
func (e entry) on(t tier) bool { return !slices.Contains(e.notOn, t.name) }

// maxWords is the most argument words an entry may take: System V passes six in registers
// (AAPCS64 eight), and the trampolines pass nothing on the stack.
const maxWords = 6

// checkEntries refuses an entry the generators cannot render: too many argument words, or an
// outLike argument whose like is not an earlier input of the entry.
func checkEntries() error {
	for _, e := range entries {
		words := 0
		for i, a := range e.args {
			switch a.kind {
			case argWord, argOutLike:
				words++
			default:
				words += 2
			}
			if a.kind == argOutLike && !slices.ContainsFunc(e.args[:i], func(b arg) bool { return b.name == a.like && b.kind == argIn }) {
				return fmt.Errorf("entry %s: %s is like %q, which is not an earlier []byte input", e.name, a.name, a.like)
			}
		}
		if words > maxWords {
			return fmt.Errorf("entry %s takes %d argument words, more than %d", e.name, words, maxWords)
		}
	}
	return nil
}

func in(n string) arg    { return arg{name: n, kind: argIn} }
func out(n string) arg   { return arg{name: n, kind: argOut} }
func word(n string) arg  { return arg{name: n, kind: argWord} }
func in32(n string) arg  { return arg{name: n, kind: argIn32} }
func out32(n string) arg { return arg{name: n, kind: argOut32} }
func in64(n string) arg  { return arg{name: n, kind: argIn64} }
func out64(n string) arg { return arg{name: n, kind: argOut64} }

// outLike is an output []byte as long as the input named like, passed as a pointer alone
// (System V has six argument registers: this saves one where an entry would need seven).
func outLike(n, like string) arg { return arg{name: n, kind: argOutLike, like: like} }

// entries, in the order of the generated files. Every entry is built for every tier but
// those in its notOn.
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
		doc:  "CRC-32C of data continuing from seed (128-bit PCLMULQDQ folds).",
		args: []arg{in("data"), word("seed")},
		rust: `u64::from(k.crc32c(data, seed as u32))`,
	},
	{
		// A second entry, not a flag: a run-time choice inside the blob compiles to an
		// indirect call, which the verifier refuses.
		name: "crc32c_wide", kernel: "crc32c",
		doc:   "CRC-32C of data continuing from seed, folding with VPCLMULQDQ: only for CPUs that have it.",
		args:  []arg{in("data"), word("seed")},
		rust:  `u64::from(with_vpclmulqdq(k).crc32c(data, seed as u32))`,
		notOn: []string{"neon"},
	},
	{
		name: "crc32", kernel: "crc32",
		doc:  "CRC-32/ISO-HDLC of data continuing from seed (128-bit PCLMULQDQ folds).",
		args: []arg{in("data"), word("seed")},
		rust: `u64::from(k.crc32(data, seed as u32))`,
	},
	{
		// A second entry, not a flag: a run-time choice inside the blob compiles to an
		// indirect call, which the verifier refuses.
		name: "crc32_wide", kernel: "crc32",
		doc:   "CRC-32/ISO-HDLC of data continuing from seed, folding with VPCLMULQDQ: only for CPUs that have it.",
		args:  []arg{in("data"), word("seed")},
		rust:  `u64::from(with_vpclmulqdq(k).crc32(data, seed as u32))`,
		notOn: []string{"neon"},
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
	{
		name: "base64_decode", kernel: "base64-decode",
		doc:  "Strictly decodes the base64 src into dst; returns the length written, 2^63 | offset for invalid data, u64::MAX if dst is too short.",
		args: []arg{in("src"), out("dst"), word("url"), word("pad")},
		rust: `match k.base64_decode_into(src, alphabet(url), pad != 0, dst) {
			Ok(n) => n as u64,
			Err(e) => data_error(e),
		}`,
	},
	{
		name: "byteswap", kernel: "byteswap",
		doc:  "Reverses each width-byte element of src into dst (same length); returns 0, u64::MAX for a bad width or length.",
		args: []arg{in("src"), out("dst"), word("width")},
		rust: `status(k.byteswap_into(src, width as u8, dst))`,
	},
	{
		name: "byteswap_in_place", kernel: "byteswap",
		doc:  "Reverses each width-byte element of buf where it stands; returns 0, u64::MAX for a bad width.",
		args: []arg{out("buf"), word("width")},
		rust: `status(k.byteswap_in_place(buf, width as u8))`,
	},
	{
		name: "bitunpack", kernel: "bitunpack",
		doc:  "Unpacks dst.len() values of bits bits each from src; returns 0, u64::MAX for bad arguments or a short src.",
		args: []arg{in("src"), out32("dst"), word("bits")},
		rust: `status(k.bitunpack_into(src, bits as u8, dst.len() as u32, dst))`,
	},
	{
		name: "count_byte", kernel: "count-byte",
		doc:  "Returns the number of bytes of data equal to needle.",
		args: []arg{in("data"), word("needle")},
		rust: `k.count_byte(data, needle as u8)`,
	},
	{
		name: "mismatch", kernel: "mismatch",
		doc:  "Returns the first offset where a and b differ (the shorter length if one is a prefix of the other), u64::MAX if they are equal.",
		args: []arg{in("a"), in("b")},
		rust: `found(k.mismatch(a, b))`,
	},
	{
		name: "index_byte", kernel: "index-byte",
		doc:  "Writes the offset of every needle in data to dst (at least as long as the count); returns how many, u64::MAX if dst is too short or data too long.",
		args: []arg{in("data"), out32("dst"), word("needle")},
		rust: `match k.index_byte_into(data, needle as u8, dst) {
			Ok(n) => n as u64,
			Err(_) => u64::MAX,
		}`,
	},
	{
		name: "shuffle", kernel: "shuffle",
		doc:  "Writes the Blosc byte shuffle of src (elements of elem_size bytes) to dst (same length); returns 0, u64::MAX for bad arguments.",
		args: []arg{in("src"), out("dst"), word("elem_size")},
		rust: `status(k.shuffle_into(src, elem_size as u32, dst))`,
		// On AVX-512, LLVM calls memcpy for the 1 KiB block copies through a register it loads
		// once (an indirect call, which the verifier refuses); AVX2 serves those CPUs.
		notOn: []string{"avx512"},
	},
	{
		name: "unshuffle", kernel: "unshuffle",
		doc:  "Writes the inverse Blosc byte shuffle of src to dst (same length); returns 0, u64::MAX for bad arguments.",
		args: []arg{in("src"), out("dst"), word("elem_size")},
		rust: `status(k.unshuffle_into(src, elem_size as u32, dst))`,
	},
	{
		name: "delta_encode", kernel: "delta-encode",
		doc:  "Writes the deltas of the width-byte elements of src to dst (same length); returns 0, u64::MAX for bad arguments.",
		args: []arg{in("src"), out("dst"), word("width")},
		rust: `status(k.delta_encode_into(src, width as u8, dst))`,
	},
	{
		name: "delta_decode", kernel: "delta-decode",
		doc:  "Writes the running sums of the width-byte elements of src to dst (same length); returns 0, u64::MAX for bad arguments.",
		args: []arg{in("src"), out("dst"), word("width")},
		rust: `status(k.delta_decode_into(src, width as u8, dst))`,
	},
	{
		name: "find_any", kernel: "find-any",
		doc:  "Returns the offset of the first byte of data equal to any of needles (1 to 16), u64::MAX if there is none or on bad needles.",
		args: []arg{in("data"), in("needles")},
		rust: `match k.find_any(data, needles) {
			Ok(at) => found(at),
			Err(_) => u64::MAX,
		}`,
	},
	{
		name: "bitpack", kernel: "bitpack",
		doc:  "Packs values at bits bits each into dst; returns the length written, u64::MAX for bad arguments or a value of 2^bits or more.",
		args: []arg{in32("values"), out("dst"), word("bits")},
		rust: `match k.bitpack_into(values, bits as u8, dst) {
			Ok(n) => n as u64,
			Err(_) => u64::MAX,
		}`,
	},
	{
		name: "varint_decode", kernel: "varint-decode",
		doc:  "Decodes the LEB128 varints of src into dst (at least len(src) values); returns how many, 2^63 | offset for invalid data, u64::MAX if dst is too short.",
		args: []arg{in("src"), out64("dst")},
		rust: `match k.varint_decode_into(src, dst) {
			Ok(n) => n as u64,
			Err(e) => data_error(e),
		}`,
	},
	{
		name: "compare", kernel: "compare",
		doc:  "Writes the bitmap of the elements x of column for which x op value holds to dst (spec = ty | op << 8 | class << 16, WIT order); returns its length, u64::MAX for bad arguments.",
		args: []arg{in("column"), out("dst"), word("spec"), word("value")},
		rust: `match (elem_type(spec & 0xff), cmp_op(spec >> 8 & 0xff), scalar(spec >> 16, value)) {
			(Some(ty), Some(op), Some(value)) => match k.compare_into(column, ty, op, value, dst) {
				Ok(n) => n as u64,
				Err(_) => u64::MAX,
			},
			_ => u64::MAX,
		}`,
	},
	{
		name: "select_into", kernel: "select", // "select" is a Go keyword
		doc:  "Copies the width-byte elements of column whose bit is set in bitmap (ceil(n / 8) bytes) to dst (as long as column); returns the length written, u64::MAX for bad arguments.",
		args: []arg{in("column"), in("bitmap"), outLike("dst", "column"), word("width")},
		rust: `match k.select_into(column, width as u8, bitmap, dst) {
			Ok(n) => n as u64,
			Err(_) => u64::MAX,
		}`,
	},
	{
		name: "aggregate", kernel: "aggregate",
		doc:  "Writes count, has_min | has_max << 1, min, max and sum of column (element type ty, WIT order) to stats (5 words; scalars as their bits, floats as f64); returns 0, u64::MAX for bad arguments.",
		args: []arg{in("column"), out64("stats"), word("ty")},
		rust: `match elem_type(ty).map(|ty| k.aggregate(column, ty)) {
			Some(Ok(s)) => write_stats(&s, stats),
			_ => u64::MAX,
		}`,
	},
	{
		name: "varint_encode", kernel: "varint-encode",
		doc:  "Writes the shortest LEB128 varints of values to dst; returns the length written, u64::MAX if dst is too short.",
		args: []arg{in64("values"), out("dst")},
		rust: `match k.varint_encode_into(values, dst) {
			Ok(n) => n as u64,
			Err(_) => u64::MAX,
		}`,
	},
	{
		name: "extract_field", kernel: "extract-field",
		doc:  "Copies bytes [offset, offset + width) of every complete record of src (shape = record_size | offset << 32) to dst; returns the length written, u64::MAX for bad arguments.",
		args: []arg{in("src"), out("dst"), word("shape"), word("width")},
		rust: `match k.extract_field_into(src, shape as u32, (shape >> 32) as u32, width as u32, dst) {
			Ok(n) => n as u64,
			Err(_) => u64::MAX,
		}`,
	},
	{
		name: "find_byte", kernel: "find-byte",
		doc:  "Returns the offset of the first byte of data equal to needle, u64::MAX if there is none.",
		args: []arg{in("data"), word("needle")},
		rust: `found(k.find_byte(data, needle as u8))`,
	},
	{
		name: "utf8_validate", kernel: "utf8-validate",
		doc:  "Returns u64::MAX if data is UTF-8, else valid_up_to | error_len << 56 (error_len 0 for a sequence cut off by the end).",
		args: []arg{in("data")},
		rust: `match k.utf8_validate(data) {
			Ok(()) => u64::MAX,
			Err(e) => e.valid_up_to as u64 | u64::from(e.error_len.unwrap_or(0)) << 56,
		}`,
	},
}
