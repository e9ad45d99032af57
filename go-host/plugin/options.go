package plugin

import (
	"encoding/hex"
	"fmt"
	"math"
	"runtime"
	"strings"
	"time"
)

// Limits bound what one plugin may use. A zero field means its default.
type Limits struct {
	// MemoryPages is the most linear memory the plugin may have, in 64 KiB pages (default
	// 256: 16 MiB). A module whose initial memory is larger is refused at load; memory.grow
	// beyond it fails.
	MemoryPages uint32
	// Deadline bounds each Transform call, including the copy in and out and every piece the
	// batch is split into (default 2 s); a new instance's start function has a deadline of
	// its own. It holds for code with and without loops; see the package documentation.
	Deadline time.Duration
	// MaxOutput is the largest result, in bytes, a Transform call may return (default 64 MiB).
	MaxOutput int
	// Fuel is each call's budget of metered work (default DefaultFuel): every function entry
	// costs the number of instructions in its body and every loop iteration the number in the
	// loop's body, an upper bound of the instructions run, and the bulk memory and table
	// instructions in proportion to their length. Unlike the deadline it does not depend on
	// the machine, so a plugin that runs out of fuel does so on every machine.
	Fuel uint64
	// Module bounds the module's structure; Load checks it before compiling.
	Module ModuleLimits
	// WASI grants the plugin the minimal virtual WASI (see wasi.go and docs/plugins.md):
	// exactly the wasi_snapshot_preview1 functions Go's runtime imports, with no files, no
	// arguments or environment, stdout and stderr into a bounded per-call log, virtual
	// deterministic clocks and random, and proc_exit a KindExit error. Off by default: then
	// any import is refused. With it, a module exporting _initialize has it called once per
	// instance, under the start function's deadline and fuel, and Module.MaxDataSegments and
	// Module.MaxBlocks default to WASIMaxDataSegments and WASIMaxBlocks.
	WASI bool
}

// Defaults of Limits.
const (
	DefaultMemoryPages = 256
	DefaultDeadline    = 2 * time.Second
	DefaultMaxOutput   = 64 << 20
	// DefaultFuel is about ten seconds of wazero's fastest code on a current x86-64 core:
	// the deadline, not the fuel, normally ends a runaway call; the fuel makes the budget
	// reproducible for those who lower it.
	DefaultFuel = 10_000_000_000
)

// Module limits that default higher under Limits.WASI, since Go's runtime alone has about
// 23,000 data segments and 98,000 control points (the other defaults fit it).
const (
	WASIMaxDataSegments = 65536
	WASIMaxBlocks       = 262144
)

// withDefaults fills zero fields and checks the others.
func (l Limits) withDefaults() (Limits, error) {
	if l.MemoryPages == 0 {
		l.MemoryPages = DefaultMemoryPages
	}
	if l.Deadline == 0 {
		l.Deadline = DefaultDeadline
	}
	if l.MaxOutput == 0 {
		l.MaxOutput = DefaultMaxOutput
	}
	if l.Fuel == 0 {
		l.Fuel = DefaultFuel
	}
	if l.WASI {
		if l.Module.MaxDataSegments == 0 {
			l.Module.MaxDataSegments = WASIMaxDataSegments
		}
		if l.Module.MaxBlocks == 0 {
			l.Module.MaxBlocks = WASIMaxBlocks
		}
	}
	l.Module = l.Module.withDefaults()
	switch {
	case l.MemoryPages > 65536:
		return l, fmt.Errorf("Limits.MemoryPages %d above the 65536 pages of wasm32", l.MemoryPages)
	case l.Deadline < 0:
		return l, fmt.Errorf("Limits.Deadline %v is negative", l.Deadline)
	case l.MaxOutput < 0 || uint64(l.MaxOutput) > math.MaxUint32:
		return l, fmt.Errorf("Limits.MaxOutput %d outside 1..2^32-1", l.MaxOutput)
	case l.Fuel > math.MaxInt64:
		return l, fmt.Errorf("Limits.Fuel %d above 2^63-1", l.Fuel)
	}
	return l, nil
}

// config is what the Options set.
type config struct {
	sha256   []byte // nil: not pinned
	limits   Limits
	poolSize int
}

// Option configures Load.
type Option func(*config) error

// WithSHA256 pins the module: Load refuses bytes whose SHA-256 digest is not hexDigest (64
// hexadecimal digits, either case).
func WithSHA256(hexDigest string) Option {
	return func(c *config) error {
		d, err := hex.DecodeString(strings.TrimSpace(hexDigest))
		if err != nil || len(d) != 32 {
			return fmt.Errorf("WithSHA256(%q): want 64 hexadecimal digits", hexDigest)
		}
		c.sha256 = d
		return nil
	}
}

// WithLimits sets the plugin's limits; zero fields keep their defaults.
func WithLimits(l Limits) Option {
	return func(c *config) error {
		c.limits = l
		return nil
	}
}

// WithPoolSize sets the number of instances that may run at once (default
// runtime.GOMAXPROCS(0)). Each holds up to Limits.MemoryPages of memory.
func WithPoolSize(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("WithPoolSize(%d): want at least 1", n)
		}
		c.poolSize = n
		return nil
	}
}

// newConfig applies opts over the defaults.
func newConfig(opts []Option) (config, error) {
	c := config{poolSize: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return c, err
		}
	}
	var err error
	c.limits, err = c.limits.withDefaults()
	return c, err
}
