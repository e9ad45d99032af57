package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync/atomic"

	"github.com/binpipe/binpipe/go-host/container"
	"github.com/binpipe/binpipe/go-host/pipeline"
)

// jsonWritten records that a command printed its JSON result, so that a failure after it
// does not add a second document.
var jsonWritten atomic.Bool

// writeJSON prints v as one indented JSON document.
func writeJSON(w io.Writer, v any) error {
	jsonWritten.Store(true)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// jsonError is the --json output of a command that failed before printing a result.
type jsonError struct {
	Command    string `json:"command"`
	ExitStatus int    `json:"exit_status"`
	Error      string `json:"error"`
	// Where the data was bad, when the error says: a container's frame (-1: header or
	// trailer), byte offset and field; a pipeline's batch, stage and input offset.
	Frame  *int64 `json:"frame,omitempty"`
	Field  string `json:"field,omitempty"`
	Batch  *int64 `json:"batch,omitempty"`
	Stage  string `json:"stage,omitempty"`
	Offset *int64 `json:"offset,omitempty"`
}

// writeJSONError prints err as a jsonError.
func writeJSONError(w io.Writer, name string, status int, err error) {
	je := jsonError{Command: name, ExitStatus: status, Error: "failed"}
	if err != nil {
		je.Error = err.Error()
	}
	var fe *container.FormatError
	var pe *pipeline.Error
	switch {
	case errors.As(err, &fe):
		je.Frame, je.Offset, je.Field = &fe.Frame, &fe.Offset, fe.Field
	case errors.As(err, &pe):
		je.Batch, je.Offset, je.Stage = &pe.Batch, &pe.Offset, pe.StageName
	case errors.Is(err, context.Canceled):
		je.Error = "interrupted"
	}
	_ = writeJSON(w, je)
}
