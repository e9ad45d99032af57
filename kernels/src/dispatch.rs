//! Run-time dispatch done once: a per-kernel cached function pointer.
//!
//! The first call of a kernel lands in `detect`, which asks the kernel's `select` for the
//! implementation for [`Isa::preferred`](crate::Isa::preferred) (the widest tier unless a
//! narrower one measured faster for that kernel), stores it, and calls it; every later
//! call loads the pointer and jumps. On aarch64 and wasm32 the choice is a compile-time
//! constant, but the same mechanism keeps one code path for every target.

/// Defines `pub(crate) fn $name(args) -> ret` that calls `$select(Isa::preferred($kernel))`'s
/// choice, caching it in an `AtomicPtr`; `$kernel` is the kernel's WIT name.
///
/// `$select` must return, for a tier, a function that is safe to call on any CPU where that
/// tier is available.
macro_rules! cached_dispatch {
    ($(#[$meta:meta])* $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty = $select:path, $kernel:literal) => {
        $(#[$meta])*
        pub(crate) fn $name($($arg: $ty),*) -> $ret {
            use core::sync::atomic::{AtomicPtr, Ordering};
            type Kernel = unsafe fn($($ty),*) -> $ret;
            static CHOSEN: AtomicPtr<()> = AtomicPtr::new(detect as *mut ());
            /// Picks the implementation, remembers it, and runs it this once.
            unsafe fn detect($($arg: $ty),*) -> $ret {
                let chosen: Kernel = $select($crate::Isa::preferred($kernel));
                CHOSEN.store(chosen as *mut (), Ordering::Relaxed);
                // SAFETY: `$select` returns only implementations the CPU supports for the tier,
                // and `Isa::preferred` names an available tier.
                unsafe { chosen($($arg),*) }
            }
            let chosen = CHOSEN.load(Ordering::Relaxed);
            // SAFETY: CHOSEN only ever holds `detect` or a `Kernel` stored by `detect`; both have
            // the `Kernel` signature, and the stored one is supported by this CPU.
            let chosen = unsafe { core::mem::transmute::<*mut (), Kernel>(chosen) };
            // SAFETY: as above, the CPU supports the chosen implementation.
            unsafe { chosen($($arg),*) }
        }
    };
}

pub(crate) use cached_dispatch;
