//! The canonical ABI behind [`export!`](crate::export); not part of the API.
//!
//! Layouts (wasm32, little-endian; `wit/plugin/plugin.wit`, docs/abi.md §1):
//!
//! - `describe() -> description` returns a 24-byte, 4-aligned area: name (ptr u32 @0, len
//!   @4), version (ptr @8, len @12), record-size u32 @16, max-batch u32 @20.
//! - `cabi_realloc(0, 0, 1, n)` is how the host asks for room for an `n`-byte batch; this
//!   module answers with its batch buffer, the same every call (grown when needed), and traps
//!   on any other request (the host makes none).
//! - `transform(ptr, len) -> result<list<u8>, plugin-error>` gets that buffer back and returns
//!   a 32-byte, 8-aligned area: discriminant u8 @0 (0 ok, 1 error); ok: list ptr u32 @8, len
//!   @12; error: message ptr @8, len @12, offset discriminant u8 @16, offset u64 @24.
//!
//! What an area points to (output, error message, name, version) stays valid until the next
//! call, so the module needs no `cabi_post_*` functions.

use crate::{Plugin, PluginError};

/// `describe`'s return area.
#[repr(C, align(4))]
struct DescribeArea([u8; 24]);

/// `transform`'s return area.
#[repr(C, align(8))]
struct TransformArea([u8; 32]);

/// What a plugin instance keeps from call to call.
pub struct State {
    /// The buffer batches are copied into; its length is the longest batch so far.
    batch: Vec<u8>,
    /// The last call's output.
    output: Vec<u8>,
    /// The last call's error, whose message the return area points to.
    error: Option<PluginError>,
    describe_area: DescribeArea,
    transform_area: TransformArea,
}

impl Default for State {
    fn default() -> Self {
        Self::new()
    }
}

/// A pointer as the wasm32 address it is (natively, its low 32 bits).
fn addr(p: *const u8) -> u32 {
    p as usize as u32
}

/// Writes `v` at `area[at..at + 4]`.
fn put(area: &mut [u8], at: usize, v: u32) {
    area[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

impl State {
    /// An instance's state before its first call.
    pub const fn new() -> Self {
        Self {
            batch: Vec::new(),
            output: Vec::new(),
            error: None,
            describe_area: DescribeArea([0; 24]),
            transform_area: TransformArea([0; 32]),
        }
    }

    /// Fills and returns `describe`'s return area for `P`.
    pub fn describe<P: Plugin>(&mut self) -> *const u8 {
        let d = P::describe();
        let a = &mut self.describe_area.0;
        put(a, 0, addr(d.name.as_ptr()));
        put(a, 4, d.name.len() as u32);
        put(a, 8, addr(d.version.as_ptr()));
        put(a, 12, d.version.len() as u32);
        put(a, 16, d.record_size);
        put(a, 20, d.max_batch);
        a.as_ptr()
    }

    /// The buffer the host copies a batch of `size` bytes into: the same one every call,
    /// grown (and the new part zeroed, once) when `size` is larger than any batch before.
    pub fn batch_buffer(&mut self, size: usize) -> *mut u8 {
        if self.batch.len() < size {
            self.batch.resize(size, 0);
        }
        self.batch.as_mut_ptr()
    }

    /// Runs `P` on the first `len` bytes of the batch buffer and returns `transform`'s return
    /// area; `None` unless `ptr` is the batch buffer and `len` fits in it.
    pub fn transform<P: Plugin>(&mut self, ptr: *const u8, len: usize) -> Option<*const u8> {
        if ptr != self.batch.as_ptr() || len > self.batch.len() {
            return None;
        }
        let batch = &self.batch[..len];
        self.output.clear();
        self.error = None;
        let a = &mut self.transform_area.0;
        a.fill(0);
        match P::transform(batch, &mut self.output) {
            Ok(()) => {
                put(a, 8, addr(self.output.as_ptr()));
                put(a, 12, self.output.len() as u32);
            }
            Err(e) => {
                a[0] = 1;
                put(a, 8, addr(e.message.as_ptr()));
                put(a, 12, e.message.len() as u32);
                if let Some(offset) = e.offset {
                    a[16] = 1;
                    a[24..32].copy_from_slice(&offset.to_le_bytes());
                }
                self.error = Some(e);
            }
        }
        Some(a.as_ptr())
    }
}

#[cfg(target_arch = "wasm32")]
mod exports {
    use super::State;
    use crate::Plugin;
    use core::cell::UnsafeCell;

    /// The module's one [`State`].
    struct Instance(UnsafeCell<State>);

    // SAFETY: a wasm32 plugin module has one thread (no shared memory, no threads proposal),
    // so the state is never reached from two threads.
    unsafe impl Sync for Instance {}

    static INSTANCE: Instance = Instance(UnsafeCell::new(State::new()));

    /// The module's state, for the export running now.
    fn state() -> &'static mut State {
        // SAFETY: one thread, and the host calls one export at a time and cannot re-enter the
        // module while it runs (the module imports nothing), so while an export runs this is
        // the only reference to the state; each export takes it once and drops it on return.
        unsafe { &mut *INSTANCE.0.get() }
    }

    /// The `describe` export.
    pub fn describe<P: Plugin>() -> *const u8 {
        state().describe::<P>()
    }

    /// The `transform` export; traps unless `batch` is what `cabi_realloc` handed out.
    pub fn transform<P: Plugin>(batch: *const u8, len: usize) -> *const u8 {
        state()
            .transform::<P>(batch, len)
            .unwrap_or_else(|| core::arch::wasm32::unreachable())
    }

    /// The `cabi_realloc` export: the batch buffer for `(0, 0, 1, n)`, a trap for anything else.
    pub fn realloc(old: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
        if !old.is_null() || old_size != 0 || align != 1 {
            core::arch::wasm32::unreachable();
        }
        state().batch_buffer(new_size)
    }
}

#[cfg(target_arch = "wasm32")]
pub use exports::{describe, realloc, transform};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Description, records};

    /// Doubles every 2-byte record; refuses a batch starting with 0xff at byte 1.
    struct Double;

    impl Plugin for Double {
        fn describe() -> Description {
            Description::new("double", "9.9")
                .record_size(2)
                .max_batch(64)
        }

        fn transform(batch: &[u8], output: &mut Vec<u8>) -> Result<(), PluginError> {
            if batch.first() == Some(&0xff) {
                return Err(PluginError::new("no").at(1));
            }
            for r in records(batch, 2)? {
                output.extend_from_slice(r);
                output.extend_from_slice(r);
            }
            Ok(())
        }
    }

    fn word(area: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(area[at..at + 4].try_into().unwrap())
    }

    /// The 32 bytes of a transform area.
    fn area(p: *const u8) -> [u8; 32] {
        // SAFETY: p is State::transform_area, alive and 32 bytes long while the test's state is.
        unsafe { *(p as *const [u8; 32]) }
    }

    /// Copies `batch` in as the host does and runs the transform.
    fn run(s: &mut State, batch: &[u8]) -> [u8; 32] {
        let p = s.batch_buffer(batch.len());
        // SAFETY: batch_buffer returned room for batch.len() bytes, not aliased by `batch`.
        unsafe { core::ptr::copy_nonoverlapping(batch.as_ptr(), p, batch.len()) };
        area(
            s.transform::<Double>(p, batch.len())
                .expect("the batch buffer"),
        )
    }

    #[test]
    fn describe_area_holds_the_description() {
        let mut s = State::new();
        let p = s.describe::<Double>();
        // SAFETY: p is State::describe_area, 24 bytes, alive with s.
        let a = unsafe { *(p as *const [u8; 24]) };
        assert_eq!(word(&a, 4), 6);
        assert_eq!(word(&a, 12), 3);
        assert_eq!((word(&a, 16), word(&a, 20)), (2, 64));
        assert_eq!(p as usize % 4, 0);
    }

    #[test]
    fn ok_area_points_at_the_output_and_buffers_are_reused() {
        let mut s = State::new();
        let a = run(&mut s, &[1, 2, 3, 4]);
        assert_eq!(a[0], 0);
        assert_eq!(s.output, [1, 2, 1, 2, 3, 4, 3, 4]);
        assert_eq!((word(&a, 8), word(&a, 12)), (addr(s.output.as_ptr()), 8));
        let (batch, output) = (s.batch.as_ptr(), s.output.as_ptr());
        let a = run(&mut s, &[5, 6]);
        assert_eq!(s.output, [5, 6, 5, 6]);
        assert_eq!(word(&a, 12), 4);
        assert_eq!(
            (s.batch.as_ptr(), s.output.as_ptr()),
            (batch, output),
            "no new buffers"
        );
    }

    #[test]
    fn error_area_holds_message_and_offset() {
        let mut s = State::new();
        let a = run(&mut s, &[0xff, 0]);
        assert_eq!(a[0], 1);
        let e = s.error.as_ref().unwrap();
        assert_eq!((word(&a, 8), word(&a, 12)), (addr(e.message.as_ptr()), 2));
        assert_eq!((a[16], &a[24..32]), (1, &1u64.to_le_bytes()[..]));
        let a = run(&mut s, &[1, 2, 3]);
        assert_eq!((a[0], a[16], a[24]), (1, 1, 2), "partial record at 2");
        let a = run(&mut s, &[]);
        assert_eq!((a[0], word(&a, 12)), (0, 0), "an error does not stick");
    }

    #[test]
    fn only_the_batch_buffer_is_accepted() {
        let mut s = State::new();
        let p = s.batch_buffer(8);
        assert!(
            s.transform::<Double>(p, 9).is_none(),
            "longer than the buffer"
        );
        let other = [0u8; 8];
        assert!(s.transform::<Double>(other.as_ptr(), 8).is_none());
        assert!(s.transform::<Double>(p, 8).is_some());
    }
}
