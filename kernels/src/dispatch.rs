//! Dispatch: which implementation of a kernel a plain call (`crate::crc32c`, …) runs.
//!
//! On x86_64 the tier is chosen at run time, once: each kernel keeps a cached function
//! pointer that starts at `detect`; the first call asks the kernel's `select` for the
//! implementation for [`Isa::preferred`](crate::Isa::preferred) (the widest tier unless a
//! narrower one measured faster for that kernel), stores it, and calls it; every later call
//! loads the pointer and jumps.
//!
//! On every other target the tier is a compile-time constant ([`COMPILED`]: NEON is part of
//! the aarch64 baseline, a wasm module either was compiled with simd128 or was not), so the
//! call goes straight to that tier's implementation: `select` of a constant folds into a
//! direct call, which can inline, and no pointer is loaded.

/// The one tier a non-x86_64 build runs (what [`Isa::preferred`](crate::Isa::preferred)
/// returns there for every kernel): NEON or simd128 when compiled in, else scalar, and scalar
/// with the `force-scalar` feature.
#[cfg(not(target_arch = "x86_64"))]
pub(crate) const COMPILED: crate::Isa = if cfg!(feature = "force-scalar") {
    crate::Isa::Scalar
} else if cfg!(all(target_arch = "aarch64", target_feature = "neon")) {
    crate::Isa::Neon
} else if cfg!(all(target_arch = "wasm32", target_feature = "simd128")) {
    crate::Isa::Simd128
} else {
    crate::Isa::Scalar
};

/// Defines `pub(crate) fn $name(args) -> ret` that calls `$select(Isa::preferred($kernel))`'s
/// choice: on x86_64 caching it in an `AtomicPtr`, elsewhere calling `$select(COMPILED)`
/// directly; `$kernel` is the kernel's WIT name.
///
/// `$select` must return, for a tier, a function that is safe to call on any CPU where that
/// tier is available.
macro_rules! cached_dispatch {
    ($(#[$meta:meta])* $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty = $select:path, $kernel:literal) => {
        $(#[$meta])*
        #[cfg(target_arch = "x86_64")]
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

        $(#[$meta])*
        #[cfg(not(target_arch = "x86_64"))]
        #[inline]
        pub(crate) fn $name($($arg: $ty),*) -> $ret {
            let chosen: unsafe fn($($ty),*) -> $ret = $select($crate::dispatch::COMPILED);
            // SAFETY: `COMPILED` is the tier this build was compiled for, so every CPU that runs
            // the build has it, and `$select` returns only implementations that tier supports.
            unsafe { chosen($($arg),*) }
        }
    };
}

pub(crate) use cached_dispatch;

#[cfg(all(test, not(target_arch = "x86_64")))]
mod tests {
    use super::COMPILED;
    use crate::Isa;

    #[test]
    fn compiled_tier_is_the_preferred_one() {
        assert!(COMPILED.is_available());
        assert_eq!(COMPILED, Isa::preferred("crc32c"));
        assert_eq!(COMPILED, Isa::best());
    }
}
