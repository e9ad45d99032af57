package pipeline

import "strconv"

// Stage values of an *Error that no stage caused.
const (
	// StageRead marks an error returned by the io.Reader given to Run.
	StageRead = -1
	// StageWrite marks an error returned by the io.Writer given to Run.
	StageWrite = -2
)

// Error is the error that stopped a run: where it happened and why.
//
//	var perr *pipeline.Error
//	if errors.As(err, &perr) && perr.Stage >= 0 {
//		log.Printf("batch %d, stage %s, input byte %d: %v", perr.Batch, perr.StageName, perr.Offset, perr.Err)
//	}
//
// errors.Is and errors.As see through it to Err (for example binpipe.ErrInvalidData, or the
// reader's own error).
type Error struct {
	// Batch is the index of the failing batch, counted from 0; -1 if the error belongs to no
	// batch (a stage's worker could not be created).
	Batch int64
	// Offset is the input offset of the batch's first byte, plus the offset the stage reports
	// (a *binpipe.KernelError of kind invalid-data) when the stage is the pipeline's first and
	// so reads the input itself. For StageRead it is the input offset at which reading failed.
	// -1 when Batch is -1.
	Offset int64
	// Stage is the index, among the stages given to New, of the failing stage, or StageRead or
	// StageWrite.
	Stage int
	// StageName is the failing stage's Name(), or "read" or "write".
	StageName string
	// Err is the underlying error.
	Err error
}

// Error formats the error as "pipeline: <where>: <underlying error>".
func (e *Error) Error() string {
	var where string
	switch e.Stage {
	case StageRead:
		where = "read at input offset " + strconv.FormatInt(e.Offset, 10)
	case StageWrite:
		where = "write of batch " + strconv.FormatInt(e.Batch, 10) +
			" (input offset " + strconv.FormatInt(e.Offset, 10) + ")"
	default:
		where = "stage " + strconv.Itoa(e.Stage) + " (" + e.StageName + ")"
		if e.Batch >= 0 {
			where = "batch " + strconv.FormatInt(e.Batch, 10) + ", " + where +
				", input offset " + strconv.FormatInt(e.Offset, 10)
		}
	}
	return "pipeline: " + where + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
