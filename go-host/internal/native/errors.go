package native

import "github.com/binpipe/binpipe/go-host/internal/callresult"

// tooLarge is the error of an input longer than limit bytes.
func tooLarge(kernel string, limit uint64) error {
	return &callresult.Error{Kind: callresult.TooLarge, Offset: limit, Message: kernel + ": input too large"}
}

// invalidData is the error of input that violates its format at offset.
func invalidData(offset uint64, message string) error {
	return &callresult.Error{Kind: callresult.InvalidData, Offset: offset, Message: message}
}

// invalidArgument is the error of a parameter outside its documented range.
func invalidArgument(message string) error {
	return &callresult.Error{Kind: callresult.InvalidArgument, Message: message}
}
