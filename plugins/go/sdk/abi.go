package sdk

import "unsafe"

// The canonical ABI of binpipe:plugin@0.1.0 (wasm32, little-endian; wit/plugin/plugin.wit,
// docs/abi.md §1), as the exports in exports_wasip1.go speak it:
//
//   - describe() returns a 24-byte, 4-aligned area: name (ptr u32 @0, len @4), version (ptr
//     @8, len @12), record-size u32 @16, max-batch u32 @20;
//   - cabi_realloc(0, 0, 1, n) asks for room for an n-byte batch: the answer is the batch
//     buffer, the same every call (grown when needed); other requests panic (the host makes
//     none);
//   - transform(ptr, len) gets that buffer back and returns a 32-byte, 8-aligned area:
//     discriminant u8 @0 (0 ok, 1 error); ok: list ptr u32 @8, len @12; error: message ptr
//     @8, len @12, offset discriminant u8 @16, offset u64 @24;
//   - cabi_post_transform(area), called once the host has copied the result out, lets go of
//     the error message; the output buffer is kept for the next call.
//
// Everything an area points to is referenced from the state, so Go's collector (which does
// not move objects) keeps it where it is until the host is done with it.

// state is what the module keeps from call to call.
type state struct {
	batch         []byte // the buffer batches are copied into; its length is the longest so far
	out           []byte // the last output, or an empty slice with its capacity
	message       string // the last error's message, until post-return
	desc          Description
	describeArea  [6]uint32
	transformArea [4]uint64
}

// addr is the wasm32 address of p (natively, its low 32 bits).
func addr(p unsafe.Pointer) uint32 { return uint32(uintptr(p)) }

// bytesAddr is the address and length of b, as a canonical-ABI list.
func bytesAddr(b []byte) (uint32, uint32) {
	return addr(unsafe.Pointer(unsafe.SliceData(b))), uint32(len(b))
}

// stringAddr is the address and length of s, as a canonical-ABI string.
func stringAddr(s string) (uint32, uint32) {
	return addr(unsafe.Pointer(unsafe.StringData(s))), uint32(len(s))
}

// describe fills describe's return area with p's description and returns its address.
func (s *state) describe(p Plugin) uint32 {
	s.desc = p.Describe() // kept: the area points to its strings
	a := &s.describeArea
	a[0], a[1] = stringAddr(s.desc.Name)
	a[2], a[3] = stringAddr(s.desc.Version)
	a[4], a[5] = s.desc.RecordSize, s.desc.MaxBatch
	return addr(unsafe.Pointer(a))
}

// batchBuffer returns the address of room for an n-byte batch: the batch buffer, grown when
// n is larger than any batch before.
func (s *state) batchBuffer(n uint32) uint32 {
	if uint32(len(s.batch)) < n {
		s.batch = make([]byte, n)
	}
	p, _ := bytesAddr(s.batch)
	return p
}

// transform runs p on the first n bytes of the batch buffer and returns the address of
// transform's return area; ok is false unless ptr is the batch buffer and n fits in it.
func (s *state) transform(p Plugin, ptr, n uint32) (area uint32, ok bool) {
	if b, _ := bytesAddr(s.batch); ptr != b || n > uint32(len(s.batch)) {
		return 0, false
	}
	a := &s.transformArea
	*a = [4]uint64{}
	out, err := p.Transform(s.batch[:n:n], s.out[:0])
	if err != nil {
		msg, offset := lift(err)
		s.message = msg
		mp, ml := stringAddr(msg)
		a[0] = 1
		a[1] = uint64(mp) | uint64(ml)<<32
		if offset >= 0 {
			a[2] = 1
			a[3] = uint64(offset)
		}
	} else {
		s.out = out
		op, ol := bytesAddr(out)
		a[1] = uint64(op) | uint64(ol)<<32
	}
	return addr(unsafe.Pointer(a)), true
}

// postTransform lets go of what only the last result needed: the error message.
func (s *state) postTransform() { s.message = "" }
