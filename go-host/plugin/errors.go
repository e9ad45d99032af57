package plugin

import (
	"errors"
	"strconv"
)

// Kind says what went wrong in a plugin call or load.
type Kind int

// The kinds of *Error.
const (
	// KindLoad: the module was refused when loading (bad digest, not wasm, an import not
	// granted, an export missing or of the wrong type, initial memory above the limit). A
	// failing describe call during Load has the kind of its failure instead.
	KindLoad Kind = iota + 1
	// KindTrap: the plugin trapped (unreachable, division by zero, out-of-bounds access,
	// stack overflow, ...).
	KindTrap
	// KindTimeout: the call ran past its deadline, used up its fuel, or its context was
	// cancelled (then errors.Is(err, context.Canceled) holds).
	KindTimeout
	// KindMemory: the plugin ran out of memory (it trapped after a memory.grow failed at the
	// limit) or returned more than Limits.MaxOutput bytes.
	KindMemory
	// KindProtocol: the plugin broke the canonical ABI: a pointer or length outside its
	// memory, a bad discriminant, a string that is not UTF-8.
	KindProtocol
	// KindPlugin: the plugin refused the batch with its own plugin-error; Msg is its message
	// and Offset its offset. The instance stays healthy.
	KindPlugin
)

// String names the kind: "load", "trap", "timeout", "memory", "protocol", "plugin".
func (k Kind) String() string {
	switch k {
	case KindLoad:
		return "load"
	case KindTrap:
		return "trap"
	case KindTimeout:
		return "timeout"
	case KindMemory:
		return "memory"
	case KindProtocol:
		return "protocol"
	case KindPlugin:
		return "plugin"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is every failure of a plugin load or call.
//
//	var perr *plugin.Error
//	if errors.As(err, &perr) && perr.Kind == plugin.KindTimeout { ... }
type Error struct {
	Kind   Kind
	Plugin string // the plugin's name from describe ("" before describe ran)
	Offset int64  // byte offset in the batch the error refers to; -1 if none
	Msg    string
	Err    error // the underlying error (wazero's trap, a context error, ...), or nil
}

// Error formats as "plugin <name>: <kind>: <msg>[ at offset N][: <err>]".
func (e *Error) Error() string {
	s := "plugin"
	if e.Plugin != "" {
		s += " " + strconv.Quote(e.Plugin)
	}
	s += ": " + e.Kind.String() + ": " + e.Msg
	if e.Offset >= 0 {
		s += " at offset " + strconv.FormatInt(e.Offset, 10)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// ErrClosed is returned by calls on a Plugin after Close.
var ErrClosed = errors.New("plugin: closed")

// ErrPartialRecord is returned (wrapped) by Transform for a batch that is not a whole number
// of the records the plugin's description asks for.
var ErrPartialRecord = errors.New("plugin: batch is not a whole number of records")

// loadErr is a KindLoad *Error.
func loadErr(name, msg string, err error) *Error {
	return &Error{Kind: KindLoad, Plugin: name, Offset: -1, Msg: msg, Err: err}
}
