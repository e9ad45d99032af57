//! The vectorised search algorithms, written once over [`ScanOps`], and their per-ISA entry
//! points.
//!
//! # Finding the first flagged byte
//! `find-any` and `ascii-prefix` both look for the first byte with a property: a [`Flag`]
//! maps a vector of data to a vector whose bytes have their top bit set where the property
//! holds, and [`first_flagged`] scans four vectors per step, or-ing their flags for one test,
//! and locates the first hit with the flags' bit mask. The last partial vector is read
//! overlapping the previous one: the bytes it reads twice were not flagged the first time, so
//! the first flag found there is still the first in the input.
//!
//! # Any of up to 16 needles
//! With a byte table lookup ([`NibbleOps`]), membership in any set of bytes is exact in three
//! lookups: the needles form a 16 × 16 bitmap indexed by (low nibble, high nibble), stored as
//! two 16-byte tables by low nibble (bit `h` of `low_half[l]` for high nibbles `h < 8`, bit
//! `h - 8` of `high_half[l]` for the others). `lookup(low_half, b & 0x8F)` yields the row for
//! bytes below 0x80 and 0 for the others (an index with its top bit set reads 0 on every ISA),
//! `lookup(high_half, (b & 0x8F) ^ 0x80)` the reverse; or-ed, they give the byte's row, and a
//! third lookup by high nibble gives the bit to test, `1 << (h & 7)`. SSE2 has no byte lookup
//! (`pshufb` is SSSE3), so its tier compares with each distinct needle instead.
//!
//! # Every offset, first difference
//! `index-byte` turns each vector's compare into a bit mask and writes one offset per set bit,
//! skipping four vectors at a time when none matches; `mismatch` compares the two inputs four
//! vectors at a time and locates the first unequal byte the same way.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::NeedleSet;
use super::ops::{NibbleOps, ScanOps};
use super::scalar;

/// A byte property for [`first_flagged`].
pub(crate) trait Flag<V> {
    /// A vector whose bytes have their top bit set where `data`'s bytes have the property,
    /// and clear elsewhere.
    ///
    /// # Safety
    /// The CPU must support `V`'s instruction set.
    unsafe fn flag(&self, data: V) -> V;

    /// [`Flag::flag`] of four vectors; a flag whose work is a loop overrides it to run the
    /// loop once for all four.
    ///
    /// # Safety
    /// As [`Flag::flag`].
    #[inline(always)]
    unsafe fn flag4(&self, data: [V; 4]) -> [V; 4] {
        // Spelled out rather than `data.map(..)`: a closure does not inherit the caller's
        // target features, and its intrinsics would not inline.
        let [d0, d1, d2, d3] = data;
        // SAFETY: forwarded from the caller.
        unsafe { [self.flag(d0), self.flag(d1), self.flag(d2), self.flag(d3)] }
    }
}

/// Offset of the first flagged byte of a vector of flags, or `None` if none is flagged.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn first_in<V: ScanOps>(flags: V) -> Option<usize> {
    // SAFETY: the caller promises `V`'s ISA.
    let mask = unsafe { flags.msb_mask() };
    (mask != 0).then(|| (mask.trailing_zeros() >> V::MASK_SHIFT) as usize)
}

/// Offset of the first byte of `data` that `flag` marks, or `None`.
///
/// # Safety
/// The CPU must support `V`'s instruction set, and `data.len() >= V::BYTES`.
#[inline(always)]
pub(crate) unsafe fn first_flagged<V: ScanOps, F: Flag<V>>(data: &[u8], flag: &F) -> Option<usize> {
    let len = data.len();
    let start = data.as_ptr();
    let block = 4 * V::BYTES;
    let mut offset = 0;
    while len - offset >= block {
        // SAFETY: a whole block fits after `offset`, so the four loads read
        // `data[offset..offset + block]`; the caller promises `V`'s ISA (as for every vector
        // operation below).
        unsafe {
            let p = start.add(offset);
            let [f0, f1, f2, f3] = flag.flag4([
                V::load(p),
                V::load(p.add(V::BYTES)),
                V::load(p.add(2 * V::BYTES)),
                V::load(p.add(3 * V::BYTES)),
            ]);
            if f0.or(f1).or(f2.or(f3)).any_msb() {
                for (k, f) in [f0, f1, f2, f3].into_iter().enumerate() {
                    if let Some(i) = first_in(f) {
                        return Some(offset + k * V::BYTES + i);
                    }
                }
            }
        }
        offset += block;
    }
    while len - offset >= V::BYTES {
        // SAFETY: `data[offset..offset + V::BYTES]` is in bounds; `V`'s ISA as above.
        if let Some(i) = unsafe { first_in(flag.flag(V::load(start.add(offset)))) } {
            return Some(offset + i);
        }
        offset += V::BYTES;
    }
    if offset < len {
        let last = len - V::BYTES;
        // SAFETY: `len >= V::BYTES` (caller), so `data[last..]` is one whole vector; `V`'s ISA
        // as above. Its bytes before `offset` were not flagged, so a hit is at `>= offset`.
        if let Some(i) = unsafe { first_in(flag.flag(V::load(start.add(last)))) } {
            return Some(last + i);
        }
    }
    None
}

/// A [`Flag`] marking the bytes of a needle set.
trait SetFlag<V>: Flag<V> {
    /// The flag for `set`.
    ///
    /// # Safety
    /// The CPU must support `V`'s instruction set.
    unsafe fn new(set: &NeedleSet) -> Self;
}

/// `find-any` by comparing with each distinct needle (for SSE2, which has no byte lookup).
#[cfg(target_arch = "x86_64")]
struct EachNeedle<V> {
    /// The distinct needles, splatted; only `needles[..count]` are used.
    needles: [V; 16],
    /// Number of distinct needles, 1..=16.
    count: usize,
}

#[cfg(target_arch = "x86_64")]
impl<V: ScanOps> SetFlag<V> for EachNeedle<V> {
    #[inline(always)]
    unsafe fn new(set: &NeedleSet) -> Self {
        // SAFETY: the caller promises `V`'s ISA.
        let mut needles = [unsafe { V::splat(0) }; 16];
        for (v, &b) in needles.iter_mut().zip(set.distinct()) {
            // SAFETY: as above.
            *v = unsafe { V::splat(b) };
        }
        EachNeedle {
            needles,
            count: set.distinct().len(),
        }
    }
}

#[cfg(target_arch = "x86_64")]
impl<V: ScanOps> Flag<V> for EachNeedle<V> {
    #[inline(always)]
    unsafe fn flag(&self, data: V) -> V {
        // SAFETY: the caller promises `V`'s ISA (as for every vector operation here).
        let mut hits = unsafe { data.cmpeq(self.needles[0]) };
        for &n in self.needles[1..].iter().take(self.count.saturating_sub(1)) {
            // SAFETY: as above.
            hits = unsafe { hits.or(data.cmpeq(n)) };
        }
        hits
    }

    #[inline(always)]
    unsafe fn flag4(&self, data: [V; 4]) -> [V; 4] {
        // One pass over the needles for four vectors: the loop's overhead is paid once.
        let [d0, d1, d2, d3] = data;
        let first = self.needles[0];
        // SAFETY: the caller promises `V`'s ISA (as for every vector operation here).
        let mut hits = unsafe {
            [
                d0.cmpeq(first),
                d1.cmpeq(first),
                d2.cmpeq(first),
                d3.cmpeq(first),
            ]
        };
        for &n in self.needles[1..].iter().take(self.count.saturating_sub(1)) {
            // SAFETY: as above.
            unsafe {
                hits = [
                    hits[0].or(d0.cmpeq(n)),
                    hits[1].or(d1.cmpeq(n)),
                    hits[2].or(d2.cmpeq(n)),
                    hits[3].or(d3.cmpeq(n)),
                ];
            }
        }
        hits
    }
}

/// `find-any` by the nibble bitmap (see the module comment).
struct NibbleBitmap<V> {
    /// Row of each low nibble for high nibbles 0..8, in every 128-bit lane.
    low_half: V,
    /// Row of each low nibble for high nibbles 8..16, in every 128-bit lane.
    high_half: V,
    /// `1 << (h & 7)` for each high nibble `h`, in every 128-bit lane.
    bit: V,
    /// 0x8F in every byte: the low nibble and the top bit.
    low_and_top: V,
    /// 0x80 in every byte.
    top: V,
}

/// `1 << (h & 7)` for `h` in `0..16`.
static NIBBLE_BIT: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128];

impl<V: NibbleOps> SetFlag<V> for NibbleBitmap<V> {
    #[inline(always)]
    unsafe fn new(set: &NeedleSet) -> Self {
        let mut low_half = [0u8; 16];
        let mut high_half = [0u8; 16];
        for &b in set.distinct() {
            let (low, high) = (usize::from(b & 0x0F), b >> 4);
            if high < 8 {
                low_half[low] |= 1 << high;
            } else {
                high_half[low] |= 1 << (high - 8);
            }
        }
        // SAFETY: the caller promises `V`'s ISA; a stride of 0 reads the same 16 bytes of each
        // table into every lane.
        unsafe {
            NibbleBitmap {
                low_half: V::load_lanes(low_half.as_ptr(), 0),
                high_half: V::load_lanes(high_half.as_ptr(), 0),
                bit: V::load_lanes(NIBBLE_BIT.as_ptr(), 0),
                low_and_top: V::splat(0x8F),
                top: V::splat(0x80),
            }
        }
    }
}

impl<V: NibbleOps> Flag<V> for NibbleBitmap<V> {
    #[inline(always)]
    unsafe fn flag(&self, data: V) -> V {
        // SAFETY: the caller promises `V`'s ISA. The indices are `0..16` or have their top
        // bit set, as `lookup` requires.
        unsafe {
            let low = data.and(self.low_and_top);
            let row = self
                .low_half
                .lookup(low)
                .or(self.high_half.lookup(low.xor(self.top)));
            let bit = self.bit.lookup(data.high_nibble());
            row.and(bit).cmpeq(bit)
        }
    }
}

/// `find-any` with vectors `V` and the needle flag `F`.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn find_any<V: ScanOps, F: SetFlag<V>>(data: &[u8], set: &NeedleSet) -> Option<usize> {
    if data.len() < V::BYTES {
        // SAFETY: the scalar code runs anywhere.
        return unsafe { scalar::find_any(data, set) };
    }
    // SAFETY: the caller promises `V`'s ISA, and `data` holds at least one vector.
    unsafe { first_flagged::<V, F>(data, &F::new(set)) }
}

/// Writes `base + i` to `dst[*written]` for each byte `i` flagged in `mask` (bits
/// `i << V::MASK_SHIFT`), ascending, advancing `*written`; offsets past `dst`'s end are
/// dropped.
#[inline(always)]
fn write_offsets<V: ScanOps>(mut mask: u64, base: usize, dst: &mut [u32], written: &mut usize) {
    while mask != 0 {
        let i = (mask.trailing_zeros() >> V::MASK_SHIFT) as usize;
        if let Some(slot) = dst.get_mut(*written) {
            // The caller's contract: `data.len() <= u32::MAX`, so every offset fits.
            *slot = (base + i) as u32;
            *written += 1;
        }
        mask &= mask - 1;
    }
}

/// `index-byte` with vectors `V` (the [`super::IndexFn`] contract).
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn index_byte<V: ScanOps>(data: &[u8], needle: u8, dst: &mut [u32]) -> usize {
    let len = data.len();
    if len < V::BYTES {
        // SAFETY: the scalar code runs anywhere.
        return unsafe { scalar::index_byte(data, needle, dst) };
    }
    let start = data.as_ptr();
    let block = 4 * V::BYTES;
    // SAFETY: the caller promises `V`'s ISA (as for every vector operation below).
    let needles = unsafe { V::splat(needle) };
    let mut written = 0;
    let mut offset = 0;
    while len - offset >= block {
        // SAFETY: a whole block fits after `offset`, so the four loads read
        // `data[offset..offset + block]`; `V`'s ISA as above.
        unsafe {
            let p = start.add(offset);
            let m0 = V::load(p).cmpeq(needles);
            let m1 = V::load(p.add(V::BYTES)).cmpeq(needles);
            let m2 = V::load(p.add(2 * V::BYTES)).cmpeq(needles);
            let m3 = V::load(p.add(3 * V::BYTES)).cmpeq(needles);
            if m0.or(m1).or(m2.or(m3)).any_msb() {
                for (k, m) in [m0, m1, m2, m3].into_iter().enumerate() {
                    write_offsets::<V>(m.msb_mask(), offset + k * V::BYTES, dst, &mut written);
                }
            }
        }
        offset += block;
    }
    while len - offset >= V::BYTES {
        // SAFETY: `data[offset..offset + V::BYTES]` is in bounds; `V`'s ISA as above.
        let mask = unsafe { V::load(start.add(offset)).cmpeq(needles).msb_mask() };
        write_offsets::<V>(mask, offset, dst, &mut written);
        offset += V::BYTES;
    }
    if offset < len {
        let last = len - V::BYTES;
        // SAFETY: `len >= V::BYTES`, so `data[last..]` is one whole vector; `V`'s ISA as
        // above.
        let mask = unsafe { V::load(start.add(last)).cmpeq(needles).msb_mask() };
        // Drop the `offset - last < V::BYTES` bytes already done (a shift below 64 bits).
        let done = ((offset - last) as u32) << V::MASK_SHIFT;
        write_offsets::<V>(mask >> done, offset, dst, &mut written);
    }
    written
}

/// Offset of the first unequal byte of two vectors, if any.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn first_unequal<V: ScanOps>(eq: V, ones: V) -> Option<usize> {
    // SAFETY: the caller promises `V`'s ISA.
    unsafe { first_in(eq.xor(ones)) }
}

/// `mismatch` with vectors `V`.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn mismatch<V: ScanOps>(a: &[u8], b: &[u8]) -> Option<usize> {
    let len = a.len().min(b.len());
    if len < V::BYTES {
        // SAFETY: the scalar code runs anywhere.
        return unsafe { scalar::mismatch(a, b) };
    }
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let block = 4 * V::BYTES;
    // SAFETY: the caller promises `V`'s ISA (as for every vector operation below).
    let ones = unsafe { V::splat(0xFF) };
    let mut offset = 0;
    while len - offset >= block {
        // SAFETY: a whole block fits after `offset` in both inputs (`len` is the shorter
        // length); `V`'s ISA as above.
        unsafe {
            let (p, q) = (pa.add(offset), pb.add(offset));
            let e0 = V::load(p).cmpeq(V::load(q));
            let e1 = V::load(p.add(V::BYTES)).cmpeq(V::load(q.add(V::BYTES)));
            let e2 = V::load(p.add(2 * V::BYTES)).cmpeq(V::load(q.add(2 * V::BYTES)));
            let e3 = V::load(p.add(3 * V::BYTES)).cmpeq(V::load(q.add(3 * V::BYTES)));
            if e0.and(e1).and(e2.and(e3)).xor(ones).any_msb() {
                for (k, e) in [e0, e1, e2, e3].into_iter().enumerate() {
                    if let Some(i) = first_unequal(e, ones) {
                        return Some(offset + k * V::BYTES + i);
                    }
                }
            }
        }
        offset += block;
    }
    while len - offset >= V::BYTES {
        // SAFETY: one vector fits after `offset` in both inputs; `V`'s ISA as above.
        let eq = unsafe { V::load(pa.add(offset)).cmpeq(V::load(pb.add(offset))) };
        // SAFETY: `V`'s ISA as above.
        if let Some(i) = unsafe { first_unequal(eq, ones) } {
            return Some(offset + i);
        }
        offset += V::BYTES;
    }
    if offset < len {
        let last = len - V::BYTES;
        // SAFETY: `len >= V::BYTES`, so `[last, len)` is one whole vector in both inputs;
        // `V`'s ISA as above. The bytes before `offset` are equal, so a difference found is
        // at `>= offset`.
        let eq = unsafe { V::load(pa.add(last)).cmpeq(V::load(pb.add(last))) };
        // SAFETY: `V`'s ISA as above.
        if let Some(i) = unsafe { first_unequal(eq, ones) } {
            return Some(last + i);
        }
    }
    (a.len() != b.len()).then_some(len)
}

/// Per-ISA entry points: each enables its target features and instantiates the algorithms.
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use super::{EachNeedle, NeedleSet, NibbleBitmap};
    use crate::vector::{Avx2, Avx512, Sse2};

    /// SSE2 `find-any`: one compare per distinct needle (SSE2 has no byte lookup).
    ///
    /// # Safety
    /// None on x86_64 (SSE2 is baseline); `unsafe` to share the dispatch signature.
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn find_any_sse2(data: &[u8], set: &NeedleSet) -> Option<usize> {
        // SAFETY: SSE2 is enabled for this function.
        unsafe { super::find_any::<Sse2, EachNeedle<Sse2>>(data, set) }
    }

    /// AVX2 `find-any` (nibble bitmap).
    ///
    /// # Safety
    /// The CPU must support the AVX2 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt")]
    pub(crate) unsafe fn find_any_avx2(data: &[u8], set: &NeedleSet) -> Option<usize> {
        // SAFETY: the caller promises the AVX2 tier, which this function enables.
        unsafe { super::find_any::<Avx2, NibbleBitmap<Avx2>>(data, set) }
    }

    /// AVX-512 `find-any` (nibble bitmap).
    ///
    /// # Safety
    /// The CPU must support the AVX-512 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn find_any_avx512(data: &[u8], set: &NeedleSet) -> Option<usize> {
        // SAFETY: the caller promises the AVX-512 tier, which this function enables.
        unsafe { super::find_any::<Avx512, NibbleBitmap<Avx512>>(data, set) }
    }

    /// SSE2 `index-byte`.
    ///
    /// # Safety
    /// The [`super::super::IndexFn`] contract; SSE2 is baseline.
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn index_byte_sse2(data: &[u8], needle: u8, dst: &mut [u32]) -> usize {
        // SAFETY: SSE2 is enabled for this function.
        unsafe { super::index_byte::<Sse2>(data, needle, dst) }
    }

    /// AVX2 `index-byte`.
    ///
    /// # Safety
    /// The [`super::super::IndexFn`] contract; the CPU must support the AVX2 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt")]
    pub(crate) unsafe fn index_byte_avx2(data: &[u8], needle: u8, dst: &mut [u32]) -> usize {
        // SAFETY: the caller promises the AVX2 tier, which this function enables.
        unsafe { super::index_byte::<Avx2>(data, needle, dst) }
    }

    /// AVX-512 `index-byte`.
    ///
    /// # Safety
    /// The [`super::super::IndexFn`] contract; the CPU must support the AVX-512 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn index_byte_avx512(data: &[u8], needle: u8, dst: &mut [u32]) -> usize {
        // SAFETY: the caller promises the AVX-512 tier, which this function enables.
        unsafe { super::index_byte::<Avx512>(data, needle, dst) }
    }

    /// SSE2 `mismatch`.
    ///
    /// # Safety
    /// None on x86_64 (SSE2 is baseline); `unsafe` to share the dispatch signature.
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn mismatch_sse2(a: &[u8], b: &[u8]) -> Option<usize> {
        // SAFETY: SSE2 is enabled for this function.
        unsafe { super::mismatch::<Sse2>(a, b) }
    }

    /// AVX2 `mismatch`.
    ///
    /// # Safety
    /// The CPU must support the AVX2 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt")]
    pub(crate) unsafe fn mismatch_avx2(a: &[u8], b: &[u8]) -> Option<usize> {
        // SAFETY: the caller promises the AVX2 tier, which this function enables.
        unsafe { super::mismatch::<Avx2>(a, b) }
    }

    /// AVX-512 `mismatch`.
    ///
    /// # Safety
    /// The CPU must support the AVX-512 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn mismatch_avx512(a: &[u8], b: &[u8]) -> Option<usize> {
        // SAFETY: the caller promises the AVX-512 tier, which this function enables.
        unsafe { super::mismatch::<Avx512>(a, b) }
    }
}

/// NEON entry points.
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) mod neon {
    use super::{NeedleSet, NibbleBitmap};
    use crate::vector::Neon;

    /// NEON `find-any` (nibble bitmap with `tbl`).
    ///
    /// # Safety
    /// None: NEON is enabled at compile time; `unsafe` to share the dispatch signature.
    pub(crate) unsafe fn find_any_neon(data: &[u8], set: &NeedleSet) -> Option<usize> {
        // SAFETY: this build targets NEON (cfg above).
        unsafe { super::find_any::<Neon, NibbleBitmap<Neon>>(data, set) }
    }

    /// NEON `index-byte`.
    ///
    /// # Safety
    /// The [`super::super::IndexFn`] contract.
    pub(crate) unsafe fn index_byte_neon(data: &[u8], needle: u8, dst: &mut [u32]) -> usize {
        // SAFETY: this build targets NEON (cfg above).
        unsafe { super::index_byte::<Neon>(data, needle, dst) }
    }

    /// NEON `mismatch`.
    ///
    /// # Safety
    /// None: NEON is enabled at compile time; `unsafe` to share the dispatch signature.
    pub(crate) unsafe fn mismatch_neon(a: &[u8], b: &[u8]) -> Option<usize> {
        // SAFETY: this build targets NEON (cfg above).
        unsafe { super::mismatch::<Neon>(a, b) }
    }
}

/// simd128 entry points.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) mod simd128 {
    use super::{NeedleSet, NibbleBitmap};
    use crate::vector::Simd128;

    /// simd128 `find-any` (nibble bitmap with `swizzle`).
    ///
    /// # Safety
    /// None: simd128 is enabled at compile time; `unsafe` to share the dispatch signature.
    pub(crate) unsafe fn find_any_simd128(data: &[u8], set: &NeedleSet) -> Option<usize> {
        // SAFETY: this build targets simd128 (cfg above).
        unsafe { super::find_any::<Simd128, NibbleBitmap<Simd128>>(data, set) }
    }

    /// simd128 `index-byte`.
    ///
    /// # Safety
    /// The [`super::super::IndexFn`] contract.
    pub(crate) unsafe fn index_byte_simd128(data: &[u8], needle: u8, dst: &mut [u32]) -> usize {
        // SAFETY: this build targets simd128 (cfg above).
        unsafe { super::index_byte::<Simd128>(data, needle, dst) }
    }

    /// simd128 `mismatch`.
    ///
    /// # Safety
    /// None: simd128 is enabled at compile time; `unsafe` to share the dispatch signature.
    pub(crate) unsafe fn mismatch_simd128(a: &[u8], b: &[u8]) -> Option<usize> {
        // SAFETY: this build targets simd128 (cfg above).
        unsafe { super::mismatch::<Simd128>(a, b) }
    }
}
