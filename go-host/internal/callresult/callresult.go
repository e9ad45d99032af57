// Package callresult holds what a wasm call reports in guest memory beyond plain integers, as both
// ABIs (fastpath, cabi) read it, before the root package turns it into its public form: the
// kernel error (a *binpipe.KernelError) and the aggregate record (a binpipe.Stats).
package callresult

import "strconv"

// Kind values, numbered as in the fast-path error record (docs/abi.md); the canonical ABI's
// 0-based variant discriminants are converted by adding 1.
const (
	InvalidArgument uint32 = 1
	InvalidData     uint32 = 2
	TooLarge        uint32 = 3
)

// Error is a kernel's refusal of its input, as the module described it. It is an ordinary
// outcome: the instance that returned it stays healthy.
type Error struct {
	Kind    uint32
	Offset  uint64
	Message string
}

// Error describes the refusal; the root package replaces it with a *binpipe.KernelError.
func (e *Error) Error() string {
	return "kernel error kind " + strconv.FormatUint(uint64(e.Kind), 10) + ": " + e.Message
}

// Scalar classes, numbered as the fast-path stats record's class field and the WIT scalar
// variant's cases.
const (
	ClassUnsigned uint32 = 0
	ClassSigned   uint32 = 1
	ClassFloat    uint32 = 2
)

// Stats is column.aggregate's result as the module wrote it: Min, Max and Sum are raw 64-bit
// patterns (u64, s64 two's complement or f64 bits) of class Class; Min and Max are meaningful
// only if HasMin and HasMax.
type Stats struct {
	Count          uint64
	HasMin, HasMax bool
	Class          uint32
	Min, Max, Sum  uint64
}
