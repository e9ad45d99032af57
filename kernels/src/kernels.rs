//! [`Kernels`]: every kernel on one explicitly chosen tier.

use crate::{Isa, KernelError, count, crc32c, shuffle};

/// The kernels pinned to one [`Isa`] tier, for differential tests and benchmarks.
///
/// Built only for a tier the CPU can run, so its methods are safe to call.
///
/// ```
/// use binpipe_kernels::{Isa, Kernels};
/// for isa in Isa::available() {
///     let k = Kernels::new(isa).unwrap();
///     assert_eq!(k.crc32c(b"123456789", 0), 0xE306_9283);
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kernels {
    isa: Isa,
}

impl Kernels {
    /// The kernels for `isa`, or `None` if this build or CPU cannot run it.
    pub fn new(isa: Isa) -> Option<Kernels> {
        isa.is_available().then_some(Kernels { isa })
    }

    /// The scalar reference kernels (always available).
    pub const fn scalar() -> Kernels {
        Kernels { isa: Isa::Scalar }
    }

    /// The tier these kernels run on.
    pub const fn isa(&self) -> Isa {
        self.isa
    }

    /// [`crate::crc32c`] on this tier.
    pub fn crc32c(&self, data: &[u8], seed: u32) -> u32 {
        let kernel = crc32c::select(self.isa);
        // SAFETY: `new` checked that the CPU runs `self.isa`, and `select` returns only
        // implementations that tier can run.
        unsafe { kernel(data, seed) }
    }

    /// [`crate::count_byte`] on this tier.
    pub fn count_byte(&self, data: &[u8], needle: u8) -> u64 {
        let kernel = count::select(self.isa);
        // SAFETY: as in `crc32c`: the tier was checked and `select` honours it.
        unsafe { kernel(data, needle) }
    }

    /// [`crate::shuffle_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::shuffle_into`].
    pub fn shuffle_into(
        &self,
        src: &[u8],
        elem_size: u32,
        dst: &mut [u8],
    ) -> Result<(), KernelError> {
        let elem_size = shuffle::check_args(src, elem_size, dst)?;
        let kernel = shuffle::select_shuffle(self.isa);
        // SAFETY: as in `crc32c`; `check_args` established the kernel's length preconditions.
        unsafe { kernel(src, elem_size, dst) };
        Ok(())
    }

    /// [`crate::unshuffle_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::unshuffle_into`].
    pub fn unshuffle_into(
        &self,
        src: &[u8],
        elem_size: u32,
        dst: &mut [u8],
    ) -> Result<(), KernelError> {
        let elem_size = shuffle::check_args(src, elem_size, dst)?;
        let kernel = shuffle::select_unshuffle(self.isa);
        // SAFETY: as in `shuffle_into`.
        unsafe { kernel(src, elem_size, dst) };
        Ok(())
    }
}
