package sdk

import (
	"errors"
	"strconv"
)

// Description is what a plugin says about itself (the WIT record description).
type Description struct {
	// Name is short, used in the host's errors and statistics (e.g. "filter"); not empty.
	Name string
	// Version is the plugin's own version, free text.
	Version string
	// RecordSize is 0 if the plugin accepts batches of any length; otherwise every batch is a
	// whole number of records this long (the host refuses other batches before the call).
	RecordSize uint32
	// MaxBatch is 0 for no limit; otherwise the largest batch, in bytes, the plugin accepts
	// (the host splits longer batches into whole records).
	MaxBatch uint32
}

// Plugin is a binpipe plugin. Register one from an init function.
type Plugin interface {
	// Describe describes the plugin; the host calls it once, when it loads the module.
	Describe() Description
	// Transform transforms one batch: it appends its result to out, which is empty (with the
	// capacity of earlier outputs), and returns the extended slice. The batch is valid only
	// during the call. A non-nil error refuses the batch: the host stops the pipeline and
	// reports the error's text and, for an *Error with an offset, the offset.
	Transform(batch, out []byte) ([]byte, error)
}

// Error is a plugin error with an optional byte offset within the batch.
type Error struct {
	// Message is the human-readable reason (the host keeps its first 4096 bytes).
	Message string
	// Offset is the byte of the batch the error refers to, at most the batch's length; a
	// negative Offset means none.
	Offset int64
}

// Error returns the message and the offset, if any.
func (e *Error) Error() string {
	if e.Offset < 0 {
		return e.Message
	}
	return e.Message + " (at byte " + strconv.FormatInt(e.Offset, 10) + ")"
}

// ErrorAt returns an *Error with this message at byte offset of the batch.
func ErrorAt(offset int, message string) *Error {
	return &Error{Message: message, Offset: int64(offset)}
}

// registered is the plugin the exports call.
var registered Plugin

// Register makes p the module's plugin. Call it once, from an init function of the main
// package; a second call panics.
func Register(p Plugin) {
	if registered != nil {
		panic("sdk.Register called twice")
	}
	if p == nil {
		panic("sdk.Register(nil)")
	}
	registered = p
}

// Records checks that batch is a whole number of size-byte records and returns their
// count, or an *Error at the offset of the trailing partial record, with the same message as
// the Rust SDK's records. It panics if size is not positive.
func Records(batch []byte, size int) (int, error) {
	if size <= 0 {
		panic("sdk.Records: record size " + strconv.Itoa(size))
	}
	whole := len(batch) - len(batch)%size
	if whole != len(batch) {
		return 0, ErrorAt(whole, "batch of "+strconv.Itoa(len(batch))+" bytes is not a whole number of "+strconv.Itoa(size)+"-byte records")
	}
	return whole / size, nil
}

// lift splits err into a message and an offset (-1: none).
func lift(err error) (string, int64) {
	var e *Error
	if errors.As(err, &e) {
		return e.Message, e.Offset
	}
	return err.Error(), -1
}
