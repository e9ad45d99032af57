package plugin

import (
	"context"
	"encoding/binary"
	"math"

	"github.com/tetratelabs/wazero/api"
)

// poll_oneoff layouts (wasi_snapshot_preview1): a subscription is 48 bytes: userdata u64 @0,
// tag u8 @8 (0 clock, 1 fd_read, 2 fd_write); for a clock, id u32 @16, timeout u64 @24,
// precision u64 @32, flags u16 @40 (bit 0: timeout is absolute). An event is 32 bytes:
// userdata u64 @0, error u16 @8, type u8 @10, then fd_readwrite nbytes u64 @16, flags u16
// @24.
const (
	subscriptionSize = 48
	eventSize        = 32
)

// wasiPollOneoff waits for the subscriptions on the virtual clock: fd subscriptions report
// EBADF at once; otherwise the clock advances to the earliest clock expiry (no real time
// passes), and the clock subscriptions expired by then are reported.
func wasiPollOneoff(_ context.Context, mod api.Module, w *wasiState, stack []uint64) {
	inPtr, outPtr, n, neventsPtr := arg(stack, 0), arg(stack, 1), arg(stack, 2), arg(stack, 3)
	mem := mod.Memory()
	if n == 0 || n > wasiMaxSubscriptions {
		stack[0] = errnoInval
		return
	}
	in, ok1 := mem.Read(inPtr, n*subscriptionSize)
	_, ok2 := mem.Read(outPtr, n*eventSize)
	_, ok3 := mem.Read(neventsPtr, 4)
	if !ok1 || !ok2 || !ok3 {
		stack[0] = errnoFault
		return
	}
	chargeFuel(mod, uint64(n))
	type sub struct {
		userdata, expiry uint64
		tag              byte
		badClock         bool
	}
	subs := make([]sub, n)
	fdReady := false
	earliest := uint64(math.MaxUint64)
	for i := range subs {
		s := in[i*subscriptionSize:]
		subs[i] = sub{userdata: binary.LittleEndian.Uint64(s), tag: s[8]}
		switch s[8] {
		case 0:
			id, timeout := binary.LittleEndian.Uint32(s[16:]), binary.LittleEndian.Uint64(s[24:])
			if id > 1 {
				subs[i].badClock, fdReady = true, true
				continue
			}
			expiry := timeout
			if binary.LittleEndian.Uint16(s[40:])&1 == 0 {
				expiry = w.clock + min(timeout, math.MaxInt64-w.clock)
			}
			subs[i].expiry = expiry
			earliest = min(earliest, expiry)
		case 1, 2:
			fdReady = true
		default:
			stack[0] = errnoInval
			return
		}
	}
	if !fdReady && earliest > w.clock {
		w.advance(earliest - w.clock)
	}
	out, _ := mem.Read(outPtr, n*eventSize)
	var count uint32
	for _, s := range subs {
		var errno uint16
		switch {
		case s.tag == 0 && s.badClock:
			errno = errnoInval
		case s.tag == 0 && s.expiry > w.clock:
			continue
		case s.tag != 0:
			errno = errnoBadf
		}
		e := out[count*eventSize : (count+1)*eventSize]
		clear(e)
		binary.LittleEndian.PutUint64(e, s.userdata)
		binary.LittleEndian.PutUint16(e[8:], errno)
		e[10] = s.tag
		count++
	}
	mem.WriteUint32Le(neventsPtr, count)
	stack[0] = errnoSuccess
}
