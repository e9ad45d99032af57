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
    /// VPCLMULQDQ vouched for by the caller ([`Kernels::assume_vpclmulqdq`]), beside what the
    /// crate detects itself.
    vpclmulqdq: bool,
}

impl Kernels {
    /// The kernels for `isa`, or `None` if this build or CPU cannot run it.
    pub fn new(isa: Isa) -> Option<Kernels> {
        isa.is_available().then_some(Kernels {
            isa,
            vpclmulqdq: false,
        })
    }

    /// The scalar reference kernels (always available).
    pub const fn scalar() -> Kernels {
        Kernels {
            isa: Isa::Scalar,
            vpclmulqdq: false,
        }
    }

    /// These kernels with the 256- and 512-bit carry-less multiply (VPCLMULQDQ) known to be
    /// there, so crc32 and crc32c fold with it on the AVX2 and AVX-512 tiers. For builds
    /// without `std`, which decide features at compile time and would otherwise take the
    /// 128-bit path; with `std` the crate detects VPCLMULQDQ itself and this changes nothing.
    ///
    /// # Safety
    /// The CPU must support VPCLMULQDQ (CPUID leaf 7, ECX bit 10) and the OS the vector
    /// registers it uses.
    #[cfg(target_arch = "x86_64")]
    pub const unsafe fn assume_vpclmulqdq(self) -> Kernels {
        Kernels {
            vpclmulqdq: true,
            ..self
        }
    }

    /// The tier these kernels run on.
    pub const fn isa(&self) -> Isa {
        self.isa
    }

    /// Whether VPCLMULQDQ was vouched for ([`Kernels::assume_vpclmulqdq`]).
    pub(crate) const fn vpclmulqdq(&self) -> bool {
        self.vpclmulqdq
    }

    /// [`crate::crc32c`] on this tier.
    pub fn crc32c(&self, data: &[u8], seed: u32) -> u32 {
        // One call per branch, as in `crc32`: direct calls where features are compile-time.
        // SAFETY: `new` checked that the CPU runs `self.isa`, `assume_vpclmulqdq`'s caller
        // vouched for VPCLMULQDQ, and `select` returns only implementations those can run.
        unsafe {
            if self.vpclmulqdq {
                crc32c::select::<true>(self.isa)(data, seed)
            } else {
                crc32c::select::<false>(self.isa)(data, seed)
            }
        }
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
