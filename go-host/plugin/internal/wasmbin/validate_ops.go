package wasmbin

// The fixed signatures of the instructions whose operand and result types depend only on
// the opcode: numeric, memory (with their natural alignments), saturating truncation, SIMD
// (with their lane counts). The validator looks them up instead of handling each.

// opSig is one instruction's signature.
type opSig struct {
	ok      bool
	in, out string // operand and result types, one byte each, the bottom of the stack first
	align   byte   // memory instructions: the natural alignment exponent plus one (0: none)
	lanes   byte   // lane instructions: the number of lanes, above every valid lane index
}

// One-type lists, to write signatures with.
const (
	tI = "\x7f" // i32
	tL = "\x7e" // i64
	tF = "\x7d" // f32
	tD = "\x7c" // f64
	tV = "\x7b" // v128
)

// Signature tables: plain opcodes, 0xfc sub-opcodes 0-7 (the rest need their immediates), and
// 0xfd sub-opcodes.
var (
	plainSigs [256]opSig
	miscSigs  [8]opSig
	simdSigs  [256]opSig
)

// sigRange gives opcodes from..to (inclusive) of tab the signature in -> out.
func sigRange(tab []opSig, from, to int, in, out string) {
	for op := from; op <= to; op++ {
		tab[op] = opSig{ok: true, in: in, out: out}
	}
}

// memSig gives op of tab the signature in -> out of a memory access of natural alignment
// 2^align, and lanes lanes (0: not a lane instruction).
func memSig(tab []opSig, op int, in, out string, align, lanes byte) {
	tab[op] = opSig{ok: true, in: in, out: out, align: align + 1, lanes: lanes}
}

func init() {
	p := plainSigs[:]
	for _, r := range []struct {
		from, to int
		in, out  string
	}{
		{0x41, 0x41, "", tI}, {0x42, 0x42, "", tL}, {0x43, 0x43, "", tF}, {0x44, 0x44, "", tD},
		{0x3f, 0x3f, "", tI}, {0x40, 0x40, tI, tI}, // memory.size, memory.grow
		{0x45, 0x45, tI, tI}, {0x46, 0x4f, tI + tI, tI},
		{0x50, 0x50, tL, tI}, {0x51, 0x5a, tL + tL, tI},
		{0x5b, 0x60, tF + tF, tI}, {0x61, 0x66, tD + tD, tI},
		{0x67, 0x69, tI, tI}, {0x6a, 0x78, tI + tI, tI},
		{0x79, 0x7b, tL, tL}, {0x7c, 0x8a, tL + tL, tL},
		{0x8b, 0x91, tF, tF}, {0x92, 0x98, tF + tF, tF},
		{0x99, 0x9f, tD, tD}, {0xa0, 0xa6, tD + tD, tD},
		{0xa7, 0xa7, tL, tI}, {0xa8, 0xa9, tF, tI}, {0xaa, 0xab, tD, tI},
		{0xac, 0xad, tI, tL}, {0xae, 0xaf, tF, tL}, {0xb0, 0xb1, tD, tL},
		{0xb2, 0xb3, tI, tF}, {0xb4, 0xb5, tL, tF}, {0xb6, 0xb6, tD, tF},
		{0xb7, 0xb8, tI, tD}, {0xb9, 0xba, tL, tD}, {0xbb, 0xbb, tF, tD},
		{0xbc, 0xbc, tF, tI}, {0xbd, 0xbd, tD, tL}, {0xbe, 0xbe, tI, tF}, {0xbf, 0xbf, tL, tD},
		{0xc0, 0xc1, tI, tI}, {0xc2, 0xc4, tL, tL}, // sign extension
	} {
		sigRange(p, r.from, r.to, r.in, r.out)
	}
	// loads (address -> value) and stores (address, value -> ), with natural alignments
	for _, l := range []struct {
		op    int
		t     string
		align byte
	}{
		{0x28, tI, 2}, {0x29, tL, 3}, {0x2a, tF, 2}, {0x2b, tD, 3},
		{0x2c, tI, 0}, {0x2d, tI, 0}, {0x2e, tI, 1}, {0x2f, tI, 1},
		{0x30, tL, 0}, {0x31, tL, 0}, {0x32, tL, 1}, {0x33, tL, 1}, {0x34, tL, 2}, {0x35, tL, 2},
	} {
		memSig(p, l.op, tI, l.t, l.align, 0)
	}
	for _, s := range []struct {
		op    int
		t     string
		align byte
	}{
		{0x36, tI, 2}, {0x37, tL, 3}, {0x38, tF, 2}, {0x39, tD, 3},
		{0x3a, tI, 0}, {0x3b, tI, 1}, {0x3c, tL, 0}, {0x3d, tL, 1}, {0x3e, tL, 2},
	} {
		memSig(p, s.op, tI+s.t, "", s.align, 0)
	}
	// saturating truncations
	m := miscSigs[:]
	sigRange(m, 0, 1, tF, tI)
	sigRange(m, 2, 3, tD, tI)
	sigRange(m, 4, 5, tF, tL)
	sigRange(m, 6, 7, tD, tL)
	simdInit(simdSigs[:])
}
