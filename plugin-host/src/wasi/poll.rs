//! `poll_oneoff` on the virtual clock (go-host/plugin/wasi_poll.go).
//!
//! A subscription is 48 bytes: userdata u64 @0, tag u8 @8 (0 clock, 1 fd_read, 2 fd_write);
//! for a clock, id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40 (bit 0: the
//! timeout is absolute). An event is 32 bytes: userdata u64 @0, error u16 @8, type u8 @10,
//! then fd_readwrite nbytes u64 @16 and flags u16 @24.

use wasmtime::Caller;

use super::{
    EBADF, EFAULT, EINVAL, ESUCCESS, Errno, MAX_SUBSCRIPTIONS, charge, enter, range, u32_at, u64_at,
};
use crate::store::StoreState;

const SUBSCRIPTION: u64 = 48;
const EVENT: usize = 32;

/// One subscription, read before any event is written (the two areas may overlap).
struct Subscription {
    userdata: u64,
    tag: u8,
    expiry: u64,
    bad_clock: bool,
}

/// Waits for the subscriptions on the virtual clock: fd subscriptions report `EBADF` at
/// once; otherwise the clock advances to the earliest clock expiry (no real time passes) and
/// the clock subscriptions expired by then are reported.
pub(super) fn poll_oneoff(
    mut caller: Caller<'_, StoreState>,
    input: i32,
    output: i32,
    n: i32,
    nevents: i32,
) -> Errno {
    let (memory, _) = enter(&mut caller)?;
    let n = n as u32;
    if n == 0 || n > MAX_SUBSCRIPTIONS {
        return Ok(EINVAL);
    }
    let (Some(input), Some(output), Some(nevents)) = (
        range(memory, input, u64::from(n) * SUBSCRIPTION),
        range(memory, output, u64::from(n) * EVENT as u64),
        range(memory, nevents, 4),
    ) else {
        return Ok(EFAULT);
    };
    charge(&mut caller, u64::from(n))?;
    let (memory, state) = enter(&mut caller)?;
    let clock = &mut state.wasi;
    let mut subs = Vec::with_capacity(n as usize);
    let mut fd_ready = false;
    let mut earliest = u64::MAX;
    for s in memory[input].chunks_exact(SUBSCRIPTION as usize) {
        let mut sub = Subscription {
            userdata: u64_at(s, 0),
            tag: s[8],
            expiry: 0,
            bad_clock: false,
        };
        match s[8] {
            0 => {
                let (id, timeout) = (u32_at(s, 16), u64_at(s, 24));
                if id > 1 {
                    sub.bad_clock = true;
                    fd_ready = true;
                } else {
                    let absolute = u16::from_le_bytes([s[40], s[41]]) & 1 == 1;
                    sub.expiry = if absolute {
                        timeout
                    } else {
                        clock.clock + timeout.min(i64::MAX as u64 - clock.clock)
                    };
                    earliest = earliest.min(sub.expiry);
                }
            }
            1 | 2 => fd_ready = true,
            _ => return Ok(EINVAL),
        }
        subs.push(sub);
    }
    if !fd_ready && earliest > clock.clock {
        clock.advance(earliest - clock.clock);
    }
    let now = clock.clock;
    let events = &mut memory[output];
    let mut count = 0u32;
    for sub in &subs {
        let errno = match sub.tag {
            0 if sub.bad_clock => EINVAL,
            0 if sub.expiry > now => continue,
            0 => ESUCCESS,
            _ => EBADF,
        };
        let event = &mut events[count as usize * EVENT..(count as usize + 1) * EVENT];
        event.fill(0);
        event[0..8].copy_from_slice(&sub.userdata.to_le_bytes());
        event[8..10].copy_from_slice(&(errno as u16).to_le_bytes());
        event[10] = sub.tag;
        count += 1;
    }
    memory[nevents].copy_from_slice(&count.to_le_bytes());
    Ok(ESUCCESS)
}
