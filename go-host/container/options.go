package container

import (
	"runtime"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// WriterOptions tune a Writer. The zero value is fine.
type WriterOptions struct {
	// Workers is the number of frames encoded at once; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Window is the number of frames in flight (being filled, encoded or waiting to be written
	// in order); it bounds memory to about Window x (frame size + column block bound). 0 means
	// 2 x Workers.
	Window int
	// Engine runs the field chains; nil means binpipe's default engine.
	Engine *binpipe.Engine
	// Level is the zstd level (1 fastest .. 22 best, mapped to the encoder's four speeds);
	// 0 means the encoder's default.
	Level int
	// Progress, if set, is called after each frame is written with the raw bytes packed and
	// the frame bytes written so far (the header and trailer not counted).
	Progress func(rawBytes, frameBytes int64)
}

// ReaderOptions tune a Reader. The zero value is fine.
type ReaderOptions struct {
	// Workers is the number of frames decoded at once; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Window is the number of frames in flight (read, being decoded, or waiting to be read in
	// order); it bounds memory to about Window x (2 x column block bound + frame size). 0
	// means 2 x Workers.
	Window int
	// Engine runs the inverse field chains; nil means binpipe's default engine.
	Engine *binpipe.Engine
	// MaxFrameSize refuses containers whose frame size is above it; 0 means MaxFrameSize.
	MaxFrameSize uint32
}

// concurrency returns the worker count and window for the given option values.
func concurrency(workers, window int) (int, int) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if window <= 0 {
		window = 2 * workers
	}
	return workers, max(window, 1)
}

// chainOf returns e's RunChain, or the package's if e is nil.
func chainOf(e *binpipe.Engine) chainFunc {
	if e == nil {
		return binpipe.RunChain
	}
	return e.RunChain
}
