//! Measured tier preferences: the kernels whose AVX2 tier beats their AVX-512 tier on a CPU
//! family, so the crate's dispatch takes AVX2 there although AVX-512 is available. Width is
//! not speed: a 512-bit loop can lose to a 256-bit one (fewer ports for 512-bit shuffles,
//! double-pumped execution, setup that a short input does not amortise). Each entry names the
//! measurement behind it; docs/benchmarks-rust.md has the tables.

use crate::Isa;

impl Isa {
    /// The tier the crate's dispatch runs `kernel` (its WIT name, e.g. `"base64-encode"`) on
    /// here: [`Isa::best`], except AVX2 where that tier measured faster than AVX-512 on this
    /// CPU's family. Explicit tiers ([`crate::Kernels::new`]) are never changed.
    pub fn preferred(kernel: &str) -> Isa {
        let best = Isa::best();
        #[cfg(target_arch = "x86_64")]
        if best == Isa::Avx512 && x86::avx2_first(kernel) {
            return Isa::Avx2;
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = kernel; // one tier per build elsewhere: nothing to prefer
        best
    }
}

/// The x86_64 preference table and the CPU vendor it is keyed by.
#[cfg(target_arch = "x86_64")]
mod x86 {
    /// A CPU designer, as far as tier preferences differ between them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Vendor {
        /// `GenuineIntel`.
        Intel,
        /// `AuthenticAMD`.
        Amd,
        /// Anything else.
        Other,
    }

    /// The kernels (WIT names) whose AVX2 tier measured faster than their AVX-512 tier on a
    /// CPU of the vendor, on a quiet machine (`cargo bench -p binpipe-kernels`), at 64 KiB and
    /// over the sizes taken together (4 KiB, 64 KiB, 1 MiB).
    pub(super) const AVX2_FIRST: &[(&str, Vendor)] = &[
        // Intel Xeon (AVX-512 F/BW/VL/DQ/VBMI/VBMI2), 64 KiB: AVX2 16.1 GiB/s, AVX-512 12.9.
        ("base64-encode", Vendor::Intel),
        // The same Xeon, 64 KiB: AVX2 105 GiB/s, AVX-512 85.
        ("ascii-prefix", Vendor::Intel),
        // AMD EPYC (Zen 4, 512-bit work in two 256-bit halves), dense bytes: AVX2 171/176/125
        // GiB/s at 4 KiB/64 KiB/1 MiB, AVX-512 157/165/127. The only kernel where AVX2 won on
        // Zen 4 (docs/benchmarks-rust.md).
        ("count-byte", Vendor::Amd),
    ];

    /// Whether `kernel` prefers AVX2 over AVX-512 on this CPU.
    pub(super) fn avx2_first(kernel: &str) -> bool {
        let here = vendor();
        AVX2_FIRST.iter().any(|&(k, v)| k == kernel && v == here)
    }

    /// This CPU's vendor, from `cpuid` leaf 0.
    pub(super) fn vendor() -> Vendor {
        let id = core::arch::x86_64::__cpuid(0);
        match (id.ebx, id.edx, id.ecx) {
            (0x756e_6547, 0x4965_6e69, 0x6c65_746e) => Vendor::Intel, // "GenuineIntel"
            (0x6874_7541, 0x6974_6e65, 0x444d_4163) => Vendor::Amd,   // "AuthenticAMD"
            _ => Vendor::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use crate::Isa;

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn every_entry_names_a_kernel_of_the_contract() {
        let wit =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../wit/kernels.wit"))
                .expect("wit/kernels.wit beside the crate");
        for (kernel, _) in super::x86::AVX2_FIRST {
            assert!(
                wit.contains(&std::format!("    {kernel}: func(")),
                "{kernel} is not a function of wit/kernels.wit"
            );
        }
        std::println!("cpu vendor: {:?}", super::x86::vendor());
    }

    #[test]
    fn preferred_is_best_or_avx2_below_avx512() {
        for kernel in ["base64-encode", "ascii-prefix", "crc32", "no-such-kernel"] {
            let tier = Isa::preferred(kernel);
            assert!(tier.is_available(), "{kernel}: {tier} is not available");
            assert!(
                tier == Isa::best() || (tier == Isa::Avx2 && Isa::best() == Isa::Avx512),
                "{kernel}: {tier} with best {}",
                Isa::best()
            );
        }
        assert_eq!(Isa::preferred("crc32"), Isa::best());
        assert_eq!(Isa::preferred("no-such-kernel"), Isa::best());
    }
}
