package pipeline

import "unsafe"

// overlaps reports whether a's bytes lie in b's backing array (up to b's capacity): whether
// writing into b[:cap(b)] could change a.
func overlaps(a, b []byte) bool {
	if len(a) == 0 || cap(b) == 0 {
		return false
	}
	// SAFETY: the pointers are only converted to addresses and compared, never dereferenced
	// or turned back into pointers; both slices stay alive (they are arguments).
	pa, pb := uintptr(unsafe.Pointer(unsafe.SliceData(a))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return pa < pb+uintptr(cap(b)) && pb < pa+uintptr(len(a))
}

// sameStart reports whether a and b start at the same byte (both non-empty).
func sameStart(a, b []byte) bool {
	return len(a) > 0 && len(b) > 0 && &a[0] == &b[0]
}
