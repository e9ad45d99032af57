package plugin

import (
	"context"
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// Canonical-ABI layouts (wasm32, little-endian; see wit/plugin/plugin.wit and docs/abi.md §1).
//
// describe() -> description returns a pointer to a 24-byte, 4-aligned return area:
// name (ptr u32 @0, len u32 @4), version (ptr @8, len @12), record-size u32 @16,
// max-batch u32 @20.
//
// transform(batch: list<u8>) -> result<list<u8>, plugin-error> takes (ptr, len) of a block
// from cabi_realloc(0, 0, 1, len), which the plugin then owns, and returns a pointer to a
// 32-byte, 8-aligned return area (plugin-error holds an option<u64>, so payloads are
// 8-aligned): discriminant u8 @0 (0 ok, 1 error). Ok: list ptr u32 @8, len u32 @12. Error:
// message ptr u32 @8, len u32 @12; offset option discriminant u8 @16 (0 none, 1 some), value
// u64 @24.
//
// After copying a result out, the host calls cabi_post_<export>(area) once, if exported.
const (
	describeAreaSize  = 24
	describeAreaAlign = 4
	resultAreaSize    = 32
	resultAreaAlign   = 8
	// maxMessage is the longest plugin-error message kept (longer ones are cut; the contract's
	// max_error_message_bytes).
	maxMessage = 4096
	// maxDescribeString bounds the name and version a plugin may describe itself with.
	maxDescribeString = 256
)

// protocolErr is a KindProtocol *Error (the plugin name is filled in by the caller).
func protocolErr(format string, args ...any) *Error {
	return &Error{Kind: KindProtocol, Offset: -1, Msg: fmt.Sprintf(format, args...)}
}

// view returns the n bytes at ptr, or a KindProtocol error naming what they were for. A
// zero-length range is valid anywhere (Rust hands out dangling pointers for empty buffers).
func (in *instance) view(what string, ptr, n uint32) ([]byte, *Error) {
	if n == 0 {
		return nil, nil
	}
	b, ok := in.mem.Read(ptr, n)
	if !ok {
		return nil, protocolErr("%s [%#x, +%d) lies outside the plugin's %d bytes of memory", what, ptr, n, in.mem.Size())
	}
	return b, nil
}

// area returns the return area at ptr after checking its alignment and range.
func (in *instance) area(what string, ptr, size, align uint32) ([]byte, *Error) {
	if ptr%align != 0 {
		return nil, protocolErr("%s return area %#x is not %d-aligned", what, ptr, align)
	}
	if ptr == 0 {
		return nil, protocolErr("%s returned a null return area", what)
	}
	return in.view(what+" return area", ptr, size)
}

// str reads a string (ptr u32, len u32 at b) of at most limit bytes that must be UTF-8.
func (in *instance) str(what string, b []byte, limit uint32) (string, *Error) {
	ptr, n := binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[4:])
	if n > limit {
		return "", protocolErr("%s is %d bytes long; at most %d are allowed", what, n, limit)
	}
	v, err := in.view(what, ptr, n)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(v) {
		return "", protocolErr("%s is not valid UTF-8", what)
	}
	return string(v), nil
}

// callDescribe calls describe and lifts the description. A non-nil error is either a wazero
// error (a trap) or a *Error.
func (in *instance) callDescribe(ctx context.Context) (Description, error) {
	r, err := in.call(ctx, in.describe)
	if err != nil {
		return Description{}, err
	}
	a, perr := in.area("describe", uint32(r), describeAreaSize, describeAreaAlign)
	if perr != nil {
		return Description{}, perr
	}
	var d Description
	if d.Name, perr = in.str("describe name", a[0:], maxDescribeString); perr != nil {
		return d, perr
	}
	if d.Version, perr = in.str("describe version", a[8:], maxDescribeString); perr != nil {
		return d, perr
	}
	d.RecordSize = binary.LittleEndian.Uint32(a[16:])
	d.MaxBatch = binary.LittleEndian.Uint32(a[20:])
	if in.postDescribe != nil {
		if _, err := in.call(ctx, in.postDescribe, uint64(uint32(r))); err != nil {
			return d, err
		}
	}
	return d, nil
}

// callTransform copies src into the plugin, calls transform and appends the result to dst.
// A non-nil error is either a wazero error (a trap) or a *Error (protocol, memory, or the
// plugin's own error, after which the instance is still healthy).
func (in *instance) callTransform(ctx context.Context, dst, src []byte, maxOutput int) ([]byte, error) {
	n := uint32(len(src))
	p, err := in.call(ctx, in.realloc, 0, 0, 1, uint64(n))
	if err != nil {
		return dst, err
	}
	buf, perr := in.view("cabi_realloc block", uint32(p), n)
	if perr != nil {
		return dst, perr
	}
	copy(buf, src)
	r, err := in.call(ctx, in.transform, uint64(uint32(p)), uint64(n))
	if err != nil {
		return dst, err
	}
	a, perr := in.area("transform", uint32(r), resultAreaSize, resultAreaAlign)
	if perr != nil {
		return dst, perr
	}
	var result *Error
	switch a[0] {
	case 0:
		ptr, size := binary.LittleEndian.Uint32(a[8:]), binary.LittleEndian.Uint32(a[12:])
		out, perr := in.view("transform result", ptr, size) // a view: nothing is copied yet
		if perr != nil {
			return dst, perr
		}
		if uint64(size) > uint64(maxOutput) {
			return dst, &Error{Kind: KindMemory, Offset: -1,
				Msg: fmt.Sprintf("transform returned %d bytes, more than the %d left of the call's output limit", size, maxOutput)}
		}
		dst = append(dst, out...)
	case 1:
		if result = in.pluginError(a, n); result.Kind != KindPlugin {
			return dst, result
		}
	default:
		return dst, protocolErr("transform result discriminant %d (want 0 or 1)", a[0])
	}
	if in.postXform != nil {
		if _, err := in.call(ctx, in.postXform, uint64(uint32(r))); err != nil {
			return dst, err
		}
	}
	if result != nil {
		return dst, result
	}
	return dst, nil
}

// pluginError lifts the plugin-error of a transform return area for a batch of n bytes: a
// KindPlugin *Error, or a KindProtocol one if the error itself is malformed (an offset must
// name a byte of the batch, or its end).
func (in *instance) pluginError(a []byte, n uint32) *Error {
	ptr, n := binary.LittleEndian.Uint32(a[8:]), binary.LittleEndian.Uint32(a[12:])
	msg, perr := in.view("plugin-error message", ptr, n)
	if perr != nil {
		return perr
	}
	if !utf8.Valid(msg) {
		return protocolErr("plugin-error message is not valid UTF-8")
	}
	if len(msg) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = append(msg[:cut:cut], "…"...)
	}
	e := &Error{Kind: KindPlugin, Offset: -1, Msg: string(msg)}
	switch a[16] {
	case 0:
	case 1:
		off := binary.LittleEndian.Uint64(a[24:])
		if off > uint64(n) {
			return protocolErr("plugin-error offset %d lies past the batch's %d bytes", off, n)
		}
		e.Offset = int64(off)
	default:
		return protocolErr("plugin-error offset discriminant %d (want 0 or 1)", a[16])
	}
	return e
}
