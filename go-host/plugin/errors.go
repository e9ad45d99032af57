package plugin

import (
	"errors"
	"strconv"
	"strings"
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
	// KindExit: the plugin called WASI's proc_exit (Limits.WASI; os.Exit in a Go plugin);
	// Code is the exit code, Log what it printed. The instance is replaced. (A Go plugin's
	// panic is a KindTrap whose Log holds the panic.)
	KindExit
)

// String names the kind: "load", "trap", "timeout", "memory", "protocol", "plugin", "exit".
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
	case KindExit:
		return "exit"
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
	// Code is the exit code of a KindExit error.
	Code uint32
	// Log is what the plugin wrote to stdout and stderr during the failed call, under
	// Limits.WASI: its first 4096 bytes, then "…" if there was more.
	Log string
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
	if e.Log != "" {
		first, _, more := strings.Cut(strings.TrimSpace(e.Log), "\n")
		if more {
			first += " …"
		}
		s += " (plugin output: " + strconv.Quote(first) + ")"
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

// exitError ends a call whose plugin called proc_exit; wazero returns it as the call's error.
type exitError struct{ code uint32 }

func (e *exitError) Error() string {
	return "proc_exit(" + strconv.FormatUint(uint64(e.code), 10) + ")"
}

// errNoWASIState ends a WASI call made without the instance's state (a host bug).
var errNoWASIState = errors.New("plugin: a WASI call outside a host operation")
