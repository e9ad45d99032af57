//! Instruction-set tiers and how the crate decides which one the CPU can run.
//!
//! x86_64 decides at run time (with the `std` feature) because one binary must run on CPUs
//! from SSE2-only to AVX-512. aarch64 and wasm32 decide at compile time: NEON is part of the
//! aarch64 baseline, and a wasm module either was compiled with simd128 or it was not — the
//! engine cannot be asked.

/// A tier of vector instructions that kernels are written for.
///
/// A tier names the vector width and baseline a kernel may assume; a kernel that needs more
/// (for example `crc32c` needs SSE4.2 and PCLMULQDQ next to SSE2) checks that itself and falls
/// back to the next tier it can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Isa {
    /// Portable scalar Rust: the reference every other path is tested against.
    Scalar,
    /// x86_64 baseline, 128-bit vectors.
    Sse2,
    /// x86_64 AVX2 (with BMI1/BMI2 and POPCNT), 256-bit vectors.
    Avx2,
    /// x86_64 AVX-512 F+BW+VL (with AVX2), 512-bit vectors.
    Avx512,
    /// aarch64 Advanced SIMD, 128-bit vectors.
    Neon,
    /// wasm32 fixed-width SIMD, 128-bit vectors.
    Simd128,
}

impl Isa {
    /// Every tier, in the order tests and reports list them.
    pub const ALL: [Isa; 6] = [
        Isa::Scalar,
        Isa::Sse2,
        Isa::Avx2,
        Isa::Avx512,
        Isa::Neon,
        Isa::Simd128,
    ];

    /// The tier's short lowercase name (`"avx2"`).
    pub const fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Sse2 => "sse2",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
            Isa::Neon => "neon",
            Isa::Simd128 => "simd128",
        }
    }

    /// Whether this build, on this CPU, can run the tier.
    pub fn is_available(self) -> bool {
        match self {
            Isa::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Sse2 => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => x86::has_avx2(),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => x86::has_avx512(),
            #[cfg(target_arch = "aarch64")]
            Isa::Neon => cfg!(target_feature = "neon"),
            #[cfg(target_arch = "wasm32")]
            Isa::Simd128 => cfg!(target_feature = "simd128"),
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// The widest available tier, or [`Isa::Scalar`] when the `force-scalar` feature is on.
    pub fn best() -> Isa {
        if cfg!(feature = "force-scalar") {
            return Isa::Scalar;
        }
        Isa::ALL
            .iter()
            .rev()
            .copied()
            .find(|isa| isa.is_available())
            .unwrap_or(Isa::Scalar)
    }

    /// The tiers this build can run here, narrowest first.
    pub fn available() -> impl Iterator<Item = Isa> {
        Isa::ALL.into_iter().filter(|isa| isa.is_available())
    }
}

impl core::fmt::Display for Isa {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// x86_64 feature probes: run time with `std`, compile time without.
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    /// Expands to a run-time check with `std`, else to the compile-time `cfg!`.
    macro_rules! has {
        ($feature:tt) => {{
            #[cfg(feature = "std")]
            {
                std::is_x86_feature_detected!($feature)
            }
            #[cfg(not(feature = "std"))]
            {
                cfg!(target_feature = $feature)
            }
        }};
    }

    /// AVX2 tier: AVX2, BMI1, BMI2, POPCNT, LZCNT.
    pub(crate) fn has_avx2() -> bool {
        has!("avx2") && has!("bmi1") && has!("bmi2") && has!("popcnt") && has!("lzcnt")
    }

    /// AVX-512 tier: the AVX2 tier plus AVX-512 F, BW, VL.
    pub(crate) fn has_avx512() -> bool {
        has_avx2() && has!("avx512f") && has!("avx512bw") && has!("avx512vl")
    }

    /// Carry-less multiply on 128-bit lanes plus the SSE4.2 `crc32` instruction.
    pub(crate) fn has_sse42_pclmul() -> bool {
        has!("sse4.2") && has!("pclmulqdq")
    }

    /// Carry-less multiply on 256/512-bit lanes.
    pub(crate) fn has_vpclmulqdq() -> bool {
        has!("vpclmulqdq")
    }
}
