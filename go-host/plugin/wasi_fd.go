package plugin

import (
	"context"

	"github.com/tetratelabs/wazero/api"
)

// The file functions of the minimal WASI: Go's packages syscall, os and time (and so fmt)
// import them to look for preopened directories and to set up stdin, stdout and stderr. There
// are no files: fds 0, 1 and 2 exist (stdout and stderr write to the log; fd_read is not
// granted, so stdin cannot be read), every other fd is EBADF, and no directory is preopened.
const (
	// fdstat fields: filetype character_device, rights fd_read (bit 1) or fd_write (bit 6).
	fileTypeCharacterDevice = 2
	rightFdRead             = 1 << 1
	rightFdWrite            = 1 << 6
	fdstatSize              = 24
)

// stdio reports whether fd is stdin, stdout or stderr.
func stdio(fd uint32) bool { return fd <= 2 }

// wasiFdClose accepts closing fds 0-2 (they stay usable) and refuses any other.
func wasiFdClose(_ context.Context, _ api.Module, _ *wasiState, stack []uint64) {
	stack[0] = errnoBadf
	if stdio(arg(stack, 0)) {
		stack[0] = errnoSuccess
	}
}

// wasiFdFdstatGet describes fds 0-2 as character devices, readable (0) or writable (1, 2).
func wasiFdFdstatGet(_ context.Context, mod api.Module, _ *wasiState, stack []uint64) {
	fd, ptr := arg(stack, 0), arg(stack, 1)
	if !stdio(fd) {
		stack[0] = errnoBadf
		return
	}
	b, ok := mod.Memory().Read(ptr, fdstatSize)
	if !ok {
		stack[0] = errnoFault
		return
	}
	clear(b)
	b[0] = fileTypeCharacterDevice
	rights := uint64(rightFdWrite)
	if fd == 0 {
		rights = rightFdRead
	}
	mod.Memory().WriteUint64Le(ptr+8, rights)
	stack[0] = errnoSuccess
}

// wasiFdFdstatSetFlags accepts and ignores flags for fds 0-2 and refuses any other fd.
func wasiFdFdstatSetFlags(_ context.Context, _ api.Module, _ *wasiState, stack []uint64) {
	stack[0] = errnoBadf
	if stdio(arg(stack, 0)) {
		stack[0] = errnoSuccess
	}
}

// wasiNoPreopen is fd_prestat_get and fd_prestat_dir_name: no fd is a preopened directory.
func wasiNoPreopen(_ context.Context, _ api.Module, _ *wasiState, stack []uint64) {
	stack[0] = errnoBadf
}
