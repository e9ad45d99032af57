//! Shared test support: every available tier, and inputs swept over lengths and alignments.
#![allow(dead_code)]

use binpipe_kernels::{Isa, Kernels};

/// Longest input length the sweeps cover (inclusive).
pub const MAX_LEN: usize = 1024;
/// Alignments (offsets from a 64-byte boundary) the sweeps cover: `0..ALIGNMENTS`.
pub const ALIGNMENTS: usize = 64;

/// The kernels of every tier this CPU runs except scalar, printing which tiers are skipped
/// and why (so a run on a CPU without AVX-512 says so instead of passing silently).
pub fn simd_tiers() -> Vec<Kernels> {
    let mut tiers = Vec::new();
    for isa in Isa::ALL.into_iter().filter(|&isa| isa != Isa::Scalar) {
        match Kernels::new(isa) {
            Some(k) => tiers.push(k),
            None => eprintln!("note: skipping {isa}: not available on this CPU or target"),
        }
    }
    tiers
}

/// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
pub fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.extend_from_slice(&z.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A buffer holding `data` starting `align` bytes past a 64-byte boundary, with guard bytes
/// on both sides; `view` returns the aligned slice.
pub struct Aligned {
    storage: Vec<u8>,
    start: usize,
    len: usize,
}

impl Aligned {
    /// Copies `data` to offset `align` (mod 64) inside fresh storage.
    pub fn new(data: &[u8], align: usize) -> Aligned {
        let mut storage = vec![0xA5; data.len() + 2 * 64 + ALIGNMENTS];
        let base = storage.as_ptr() as usize;
        let start = (64 - base % 64) % 64 + 64 + align;
        storage[start..start + data.len()].copy_from_slice(data);
        Aligned {
            storage,
            start,
            len: data.len(),
        }
    }

    /// The placed data.
    pub fn view(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len]
    }

    /// The placed data, mutably.
    pub fn view_mut(&mut self) -> &mut [u8] {
        &mut self.storage[self.start..self.start + self.len]
    }

    /// Whether the guard bytes around the data are untouched.
    pub fn guards_intact(&self) -> bool {
        let (before, rest) = self.storage.split_at(self.start);
        before.iter().chain(&rest[self.len..]).all(|&b| b == 0xA5)
    }
}

/// Calls `check(len, align, data)` for every length `0..=MAX_LEN` and alignment
/// `0..ALIGNMENTS`, with data from `make(len)` placed at that alignment.
pub fn sweep(mut make: impl FnMut(usize) -> Vec<u8>, mut check: impl FnMut(usize, usize, &[u8])) {
    for len in 0..=MAX_LEN {
        let data = make(len);
        for align in 0..ALIGNMENTS {
            let placed = Aligned::new(&data, align);
            check(len, align, placed.view());
        }
    }
}
