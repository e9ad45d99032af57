// Package kerr holds the kernel error a wasm call reports, as read from guest memory, before the
// root package turns it into a *binpipe.KernelError. Both ABIs (fastpath, cabi) produce it.
package kerr

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
