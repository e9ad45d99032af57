package plugin

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/binpipe/binpipe/go-host/internal/pool"
	"github.com/tetratelabs/wazero"
)

// Description is what a plugin says about itself (the WIT record description).
type Description struct {
	Name    string // short name, used in errors and statistics
	Version string // the plugin's own version
	// RecordSize is 0 if the plugin accepts batches of any length; otherwise every batch must
	// be a whole number of records this long.
	RecordSize uint32
	// MaxBatch is 0 for no limit; otherwise the largest batch, in bytes, the plugin accepts
	// (Transform splits longer batches).
	MaxBatch uint32
}

// Plugin is a loaded plugin: one compiled module and a pool of instances. It is safe for
// concurrent use; each call runs on an instance of its own.
type Plugin struct {
	rt       wazero.Runtime
	compiled wazero.CompiledModule
	limits   Limits
	desc     Description
	pool     *pool.Pool[instance]
	closed   atomic.Bool
}

// Describe returns the plugin's description, read once when it was loaded.
func (p *Plugin) Describe() Description { return p.desc }

// Name returns the description's name. With RecordSize and Transform it makes the plugin a
// pipeline.Transformer: pipeline.Transform(p) is the plugin as a pipeline stage.
func (p *Plugin) Name() string { return p.desc.Name }

// RecordSize returns the description's record size (0: batches of any length).
func (p *Plugin) RecordSize() int { return int(p.desc.RecordSize) }

// Limits returns the limits the plugin runs under, defaults filled in.
func (p *Plugin) Limits() Limits { return p.limits }

// describe calls describe on a first instance, checks the description and keeps it. A
// describe that traps, times out or breaks the ABI fails Load with that kind; a description
// that makes no sense is KindProtocol.
func (p *Plugin) describe(ctx context.Context) error {
	in, err := p.pool.Get(ctx)
	if err != nil {
		return err
	}
	callCtx, cancel := context.WithTimeout(ctx, p.limits.Deadline)
	defer cancel()
	in.meter(p.limits.Fuel)
	d, err := in.callDescribe(callCtx)
	if err != nil {
		p.pool.Put(in, false)
		var perr *Error
		if !errors.As(err, &perr) {
			perr = p.failure(in, "describe", err, ctx, callCtx)
		}
		in.attachLog(perr)
		return perr
	}
	p.pool.Put(in, true)
	switch {
	case d.Name == "":
		return protocolErr("describe returned an empty name")
	case d.RecordSize != 0 && d.MaxBatch != 0 && d.MaxBatch < d.RecordSize:
		perr := protocolErr("describe: max-batch %d is below record-size %d", d.MaxBatch, d.RecordSize)
		perr.Plugin = d.Name
		return perr
	}
	p.desc = d
	return nil
}

// Transform runs the plugin on the batch src and appends its result to dst. A batch longer
// than the description's MaxBatch is split into the longest whole-record pieces that fit, run
// one after the other on one instance (their results concatenated); a batch that is not a
// whole number of RecordSize records is refused with ErrPartialRecord. The whole call, all
// its pieces together, has one deadline (Limits.Deadline), one fuel budget (Limits.Fuel) and
// one output limit (Limits.MaxOutput); they start once the call has its instance. A
// replacement instance the call makes first runs its start function under a deadline and
// fuel of its own (the same limits), so a call takes at most about twice the deadline. Every other failure is an *Error; an instance that trapped, timed
// out or broke the ABI is closed and replaced by a fresh one for the next call. On error, dst
// may hold the results of the pieces before the failing one.
func (p *Plugin) Transform(ctx context.Context, dst, src []byte) ([]byte, error) {
	out, _, err := p.TransformStats(ctx, dst, src)
	return out, err
}

// CallStats is what one Transform call used.
type CallStats struct {
	// Fuel is the metered work the call spent (see Limits.Fuel), all its pieces together.
	Fuel uint64
	// MemoryBytes is the size of the instance's linear memory after the call.
	MemoryBytes uint32
}

// TransformStats is Transform, also returning what the call used (zero when it failed before
// it had an instance).
func (p *Plugin) TransformStats(ctx context.Context, dst, src []byte) ([]byte, CallStats, error) {
	var stats CallStats
	dst, err := p.transform(ctx, dst, src, &stats)
	return dst, stats, err
}

// transform is Transform, filling stats once the call has its instance.
func (p *Plugin) transform(ctx context.Context, dst, src []byte, stats *CallStats) ([]byte, error) {
	if rs := int(p.desc.RecordSize); rs != 0 && len(src)%rs != 0 {
		return dst, fmt.Errorf("plugin %q: %w: %d bytes, records of %d", p.desc.Name, ErrPartialRecord, len(src), rs)
	}
	if p.closed.Load() {
		return dst, ErrClosed
	}
	if err := ctx.Err(); err != nil { // a short call would never reach a yield to notice
		return dst, &Error{Kind: KindTimeout, Plugin: p.desc.Name, Offset: -1, Msg: "transform not started: the caller's context ended", Err: err}
	}
	// Waiting for an idle instance is not the plugin's time; making a new one (its start
	// function) runs under a deadline and fuel of its own (see instantiate).
	in, err := p.pool.Get(ctx)
	if err != nil {
		if errors.Is(err, pool.ErrClosed) || p.closed.Load() { // closed while making an instance
			return dst, ErrClosed
		}
		var perr *Error
		if errors.As(err, &perr) {
			perr.Plugin = p.desc.Name
		}
		return dst, err
	}
	callCtx, cancel := context.WithTimeout(ctx, p.limits.Deadline)
	defer cancel()
	in.meter(p.limits.Fuel)
	piece := len(src)
	if mb := int(p.desc.MaxBatch); mb != 0 && piece > mb {
		piece = mb
		if rs := int(p.desc.RecordSize); rs != 0 {
			piece -= piece % rs
		}
	}
	first := len(dst)
	for off := 0; ; off += piece {
		end := min(off+piece, len(src))
		start := len(dst)
		dst, err = in.callTransform(callCtx, dst, src[off:end], p.limits.MaxOutput-(start-first))
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) {
				perr = p.failure(in, "transform", err, ctx, callCtx)
			}
			in.attachLog(perr)
			perr.Plugin = p.desc.Name
			if perr.Offset >= 0 {
				perr.Offset += int64(off)
			}
			*stats = in.stats(p.limits.Fuel) // before the instance goes back (or is closed)
			p.pool.Put(in, perr.Kind == KindPlugin)
			if p.closed.Load() {
				return dst[:start], ErrClosed
			}
			return dst[:start], perr
		}
		if end == len(src) {
			*stats = in.stats(p.limits.Fuel)
			p.pool.Put(in, true)
			return dst, nil
		}
	}
}

// Close closes the plugin: idle instances at once, busy ones as their calls end (a call in
// flight fails). Later calls return ErrClosed.
func (p *Plugin) Close(ctx context.Context) error {
	if p.closed.Swap(true) {
		return nil
	}
	p.pool.Close()
	return p.rt.Close(ctx)
}
