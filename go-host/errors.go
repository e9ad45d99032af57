package binpipe

import (
	"strconv"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
)

// errorString is the type of binpipe's sentinel errors: constants, so no caller can replace them.
type errorString string

// Error returns the sentinel's text.
func (e errorString) Error() string { return string(e) }

// Sentinel errors. Every error a kernel reports matches exactly one of ErrInvalidArgument,
// ErrInvalidData and ErrTooLarge with errors.Is; errors.As with a *KernelError gives the details.
const (
	// ErrInvalidArgument reports a parameter outside its documented range (for example an
	// elemSize outside 1..=255). It is the WIT kernel-error case invalid-argument.
	ErrInvalidArgument = errorString("binpipe: invalid argument")
	// ErrInvalidData reports input that violates a format; the *KernelError carries the
	// offset. It is the WIT kernel-error case invalid-data.
	ErrInvalidData = errorString("binpipe: invalid data")
	// ErrTooLarge reports input above a size limit; the *KernelError carries the limit in
	// Offset. It is the WIT kernel-error case too-large.
	ErrTooLarge = errorString("binpipe: input too large")
	// ErrTrap reports that the wasm module trapped or broke its ABI during a call. The instance
	// that failed has been discarded; the next call uses a fresh one. A trap is a bug in the
	// module, never a property of the input, and it is never turned into a panic.
	ErrTrap = errorString("binpipe: wasm trap")
	// ErrClosed reports a call on an Engine after Close.
	ErrClosed = errorString("binpipe: engine closed")
	// ErrNoNative reports a BackendNative engine (or a WithNativeTier tier) that this build and
	// CPU cannot run: the purego build tag, a GOARCH without native code, or a CPU without the
	// tier's instructions. BackendAuto then uses Go and wasm.
	ErrNoNative = errorString("binpipe: no native code for this build and CPU")
	// ErrIncompatibleModule reports a wasm module that does not speak this host's fast-path ABI
	// version or WIT package version, or lacks an export the host needs.
	ErrIncompatibleModule = errorString("binpipe: incompatible wasm module")
)

// Kind says which WIT kernel-error case a *KernelError is.
type Kind int

// The kernel-error cases of the WIT package binpipe:kernels, in WIT order.
const (
	// KindInvalidArgument is the WIT case invalid-argument; it matches ErrInvalidArgument.
	KindInvalidArgument Kind = iota + 1
	// KindInvalidData is the WIT case invalid-data; it matches ErrInvalidData.
	KindInvalidData
	// KindTooLarge is the WIT case too-large; it matches ErrTooLarge.
	KindTooLarge
)

// String returns the WIT name of the case, for example "invalid-argument".
func (k Kind) String() string {
	switch k {
	case KindInvalidArgument:
		return "invalid-argument"
	case KindInvalidData:
		return "invalid-data"
	case KindTooLarge:
		return "too-large"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// sentinel is the sentinel error matching k.
func (k Kind) sentinel() error {
	switch k {
	case KindInvalidArgument:
		return ErrInvalidArgument
	case KindInvalidData:
		return ErrInvalidData
	case KindTooLarge:
		return ErrTooLarge
	}
	return nil
}

// KernelError is a kernel's refusal of its input: the Go form of the WIT kernel-error.
//
//	var kerr *binpipe.KernelError
//	if errors.As(err, &kerr) && kerr.Kind == binpipe.KindInvalidData {
//		log.Printf("bad input at byte %d", kerr.Offset)
//	}
//
// errors.Is(err, ErrInvalidArgument) (or ErrInvalidData, ErrTooLarge) tests the Kind.
type KernelError struct {
	// Kernel is the WIT name of the kernel, for example "shuffle".
	Kernel string
	// Kind is the kernel-error case.
	Kind Kind
	// Offset is the data offset for KindInvalidData (see docs/kernels.md for the offset rule)
	// and the size limit for KindTooLarge; 0 otherwise.
	Offset uint64
	// Message says what is wrong, in the words of whichever implementation ran the kernel;
	// it is for people, not for comparisons.
	Message string
}

// Error formats the error as "binpipe: <kernel>: <kind>: <message>" plus the offset or limit.
func (e *KernelError) Error() string {
	s := "binpipe: " + e.Kernel + ": " + e.Kind.String()
	if e.Message != "" {
		s += ": " + e.Message
	}
	switch e.Kind {
	case KindInvalidData:
		s += " at offset " + strconv.FormatUint(e.Offset, 10)
	case KindTooLarge:
		s += " (limit " + strconv.FormatUint(e.Offset, 10) + " bytes)"
	}
	return s
}

// Unwrap returns the sentinel error of e's Kind.
func (e *KernelError) Unwrap() error { return e.Kind.sentinel() }

// Is reports whether target is the sentinel error of e's Kind.
func (e *KernelError) Is(target error) bool {
	s := e.Kind.sentinel()
	return s != nil && target == s
}

// trapError is a failed wasm call: it matches ErrTrap and wraps the runtime's error.
type trapError struct {
	kernel string
	err    error
}

// Error names the kernel and the runtime's description of the trap.
func (e *trapError) Error() string {
	return "binpipe: " + e.kernel + ": wasm trap: " + e.err.Error()
}

// Unwrap makes the error match ErrTrap and the runtime's error.
func (e *trapError) Unwrap() []error { return []error{ErrTrap, e.err} }

// fromGuest converts an error record read from the module to a *KernelError.
func fromGuest(kernel string, r *callresult.Error) *KernelError {
	var k Kind
	switch r.Kind {
	case callresult.InvalidArgument:
		k = KindInvalidArgument
	case callresult.InvalidData:
		k = KindInvalidData
	case callresult.TooLarge:
		k = KindTooLarge
	default:
		k = Kind(r.Kind)
	}
	return &KernelError{Kernel: kernel, Kind: k, Offset: r.Offset, Message: r.Message}
}

// invalidData builds the KindInvalidData error of a Go kernel that refused its input at offset.
func invalidData(kernel string, offset int, msg string) *KernelError {
	return &KernelError{Kernel: kernel, Kind: KindInvalidData, Offset: uint64(offset), Message: msg}
}

// abiError is a result the module should never give: like a trap, it discards the instance.
type abiError struct{ msg string }

// Error says what the module returned.
func (e *abiError) Error() string { return "module broke its ABI: " + e.msg }

// invalidArgument builds the KindInvalidArgument error every backend returns for a bad parameter.
func invalidArgument(kernel, msg string) *KernelError {
	return &KernelError{Kernel: kernel, Kind: KindInvalidArgument, Message: msg}
}

// markedError gives err an extra sentinel to match with errors.Is, keeping err's text.
type markedError struct {
	sentinel error
	err      error
}

// Error is the wrapped error's text.
func (e *markedError) Error() string { return e.err.Error() }

// Unwrap makes the error match both the sentinel and the wrapped error.
func (e *markedError) Unwrap() []error { return []error{e.sentinel, e.err} }
