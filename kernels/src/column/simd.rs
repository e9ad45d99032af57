//! The vectorised compare and select, written once over two small traits, and their per-ISA
//! entry points (the ISA files `x86.rs`, `neon.rs` and `wasm.rs` only spell the primitives).
//!
//! # Compare
//! A block of 64 elements gives one `u64` of the bitmap: each vector of the block is compared
//! with the splatted value and its lane results are packed to one bit per element
//! ([`ColVec`]'s compares return those bits directly: a movemask on x86, a compare-into-mask
//! on AVX-512, weighted horizontal adds on NEON, `bitmask` on simd128). Integer compares need
//! only `==` and signed `>`: `<` swaps the operands, `<=`/`>=`/`!=` invert the block's bits,
//! and unsigned order is signed order after flipping each element's top bit. Floats use the
//! ordered IEEE compares (false on NaN) for `== < <=`, swapping for `> >=`; `!=` inverts `==`,
//! which makes NaN match. The last partial block is copied into a zeroed 64-element buffer
//! and its surplus bits are cleared, so no scalar tail exists.
//!
//! # Select
//! One bitmap byte covers 8 elements: their bytes are packed with one byte shuffle whose
//! indices come from a table indexed by the byte (8-byte entries for width 1, 16-byte
//! entries for width 2; width 4 takes the byte as two 4-element nibbles). Each shuffle
//! stores a whole vector at the output position and the position advances by the kept
//! bytes, so bytes past the result (but never past `column.len()`) are scratch. Width 8, the
//! SSE2 tier (which has no byte shuffle) and the last `n % 8` elements copy every element
//! unconditionally and advance by its bit (no branch to mispredict).
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::Value;
use crate::{CmpOp, ElemType};

/// A vector for the compare: loads, one constant, and compares that return one bit per
/// element.
///
/// # Safety
/// Implementors promise `16 <= BYTES <= 64` (a power of two), that `load` reads exactly
/// `BYTES` bytes, and that each compare returns, in bit `i`, the result for element `i` of
/// the given width (and nothing above bit `BYTES / width`). Methods are `unsafe` because they
/// may only run on a CPU with the implementor's instruction set.
pub(crate) unsafe trait ColVec: Copy {
    /// Width in bytes.
    const BYTES: usize;
    /// Loads `BYTES` bytes from `ptr` (no alignment needed).
    unsafe fn load(ptr: *const u8) -> Self;
    /// Every 64-bit lane set to `bits`.
    unsafe fn splat64(bits: u64) -> Self;
    /// Bitwise exclusive or.
    unsafe fn xor(self, other: Self) -> Self;
    /// `self == other` per 8-bit element.
    unsafe fn eq8(self, other: Self) -> u64;
    /// `self == other` per 16-bit element.
    unsafe fn eq16(self, other: Self) -> u64;
    /// `self == other` per 32-bit element.
    unsafe fn eq32(self, other: Self) -> u64;
    /// `self == other` per 64-bit element.
    unsafe fn eq64(self, other: Self) -> u64;
    /// Signed `self > other` per 8-bit element.
    unsafe fn gt8(self, other: Self) -> u64;
    /// Signed `self > other` per 16-bit element.
    unsafe fn gt16(self, other: Self) -> u64;
    /// Signed `self > other` per 32-bit element.
    unsafe fn gt32(self, other: Self) -> u64;
    /// Signed `self > other` per 64-bit element.
    unsafe fn gt64(self, other: Self) -> u64;
    /// Ordered `self == other` per f32 (false if either is NaN).
    unsafe fn feq32(self, other: Self) -> u64;
    /// Ordered `self < other` per f32.
    unsafe fn flt32(self, other: Self) -> u64;
    /// Ordered `self <= other` per f32.
    unsafe fn fle32(self, other: Self) -> u64;
    /// Ordered `self == other` per f64.
    unsafe fn feq64(self, other: Self) -> u64;
    /// Ordered `self < other` per f64.
    unsafe fn flt64(self, other: Self) -> u64;
    /// Ordered `self <= other` per f64.
    unsafe fn fle64(self, other: Self) -> u64;
}

/// A 128-bit vector for the select: partial loads and stores and a byte shuffle.
///
/// # Safety
/// Implementors promise that each method touches exactly the memory it names. Methods are
/// `unsafe` because they may only run on a CPU with the implementor's instruction set.
pub(crate) unsafe trait Compress: Copy {
    /// Loads 8 bytes from `ptr` into the low half (the high half is zero).
    unsafe fn load8(ptr: *const u8) -> Self;
    /// Loads 16 bytes from `ptr`.
    unsafe fn load16(ptr: *const u8) -> Self;
    /// Stores the low 8 bytes to `ptr`.
    unsafe fn store8(self, ptr: *mut u8);
    /// Stores 16 bytes to `ptr`.
    unsafe fn store16(self, ptr: *mut u8);
    /// Byte `i` of the result is byte `idx[i]` of `self` (every index below 16).
    unsafe fn shuffle(self, idx: Self) -> Self;
}

// --------------------------------------------------------------------------------------------
// Compare

/// `value`'s `W` bytes repeated over 64 bits.
#[inline(always)]
const fn replicate<const W: usize>(value: u64) -> u64 {
    match W {
        1 => (value & 0xFF) * 0x0101_0101_0101_0101,
        2 => (value & 0xFFFF) * 0x0001_0001_0001_0001,
        4 => (value & 0xFFFF_FFFF) * 0x0000_0001_0000_0001,
        _ => value,
    }
}

/// Integer `==` for `W`-byte elements.
#[inline(always)]
unsafe fn eq<V: ColVec, const W: usize>(a: V, b: V) -> u64 {
    // SAFETY: the caller runs on `V`'s ISA.
    unsafe {
        match W {
            1 => a.eq8(b),
            2 => a.eq16(b),
            4 => a.eq32(b),
            _ => a.eq64(b),
        }
    }
}

/// Signed integer `>` for `W`-byte elements.
#[inline(always)]
unsafe fn gt<V: ColVec, const W: usize>(a: V, b: V) -> u64 {
    // SAFETY: the caller runs on `V`'s ISA.
    unsafe {
        match W {
            1 => a.gt8(b),
            2 => a.gt16(b),
            4 => a.gt32(b),
            _ => a.gt64(b),
        }
    }
}

/// The 64 bitmap bits of the 64 `W`-byte elements at `ptr`, by `bits` per vector.
///
/// # Safety
/// `64 * W` bytes are readable at `ptr`; the CPU runs `V`'s ISA.
#[inline(always)]
unsafe fn block_bits<V: ColVec, const W: usize>(ptr: *const u8, bits: &impl Fn(V) -> u64) -> u64 {
    let per = V::BYTES / W;
    let mut out = 0;
    for j in 0..64 * W / V::BYTES {
        // SAFETY: vector `j` of the block lies inside the caller's `64 * W` bytes.
        out |= bits(unsafe { V::load(ptr.add(j * V::BYTES)) }) << (j * per);
    }
    out
}

/// Writes the bitmap of `bits` (inverted if `invert`) over `column`'s `W`-byte elements.
///
/// # Safety
/// `column.len()` is a multiple of `W`, `dst.len() == ceil(n / 8)`; the CPU runs `V`'s ISA.
#[inline(always)]
unsafe fn bitmap<V: ColVec, const W: usize>(
    column: &[u8],
    dst: &mut [u8],
    invert: bool,
    bits: impl Fn(V) -> u64,
) {
    let flip = if invert { u64::MAX } else { 0 };
    // Blocks by index and `get`s rather than `split_at_mut` and a zip of chunk iterators, so
    // that no panic site survives optimisation (the native blobs refuse any): with the
    // contract's `dst.len() == ceil(n / 8)` every `get` succeeds.
    let full = column.len() / (64 * W);
    for b in 0..full {
        // SAFETY: block `b < full` is the `64 * W` bytes at `64 * W * b`, inside `column`;
        // `V`'s ISA as promised.
        let word = unsafe { block_bits::<V, W>(column.as_ptr().add(64 * W * b), &bits) } ^ flip;
        if let Some(out) = dst.get_mut(8 * b..8 * b + 8) {
            out.copy_from_slice(&word.to_le_bytes());
        }
    }
    let rest = column.get(64 * W * full..).unwrap_or_default();
    if !rest.is_empty() {
        let mut buf = [0u8; 512];
        // `rest` is shorter than one block: `64 * W <= 512` bytes.
        if let Some(head) = buf.get_mut(..rest.len()) {
            head.copy_from_slice(rest);
        }
        let n = rest.len() / W;
        // SAFETY: `buf` holds 512 >= 64 * W bytes; `V`'s ISA as promised.
        let word = (unsafe { block_bits::<V, W>(buf.as_ptr(), &bits) } ^ flip) & ((1u64 << n) - 1);
        let tail = dst.get_mut(8 * full..).unwrap_or_default();
        for (out, byte) in tail.iter_mut().zip(word.to_le_bytes()) {
            *out = byte;
        }
    }
}

/// Integer compare of `W`-byte elements; `signed` chooses the order.
///
/// # Safety
/// As [`bitmap`].
#[inline(always)]
unsafe fn compare_int<V: ColVec, const W: usize>(
    column: &[u8],
    op: CmpOp,
    value: Value,
    signed: bool,
    dst: &mut [u8],
) {
    // Unsigned order is signed order once each element's top bit is flipped.
    let top = if signed { 0 } else { 1 << (8 * W - 1) };
    // SAFETY: `V`'s ISA as promised; `bitmap`'s contract is the caller's.
    unsafe {
        let flip = V::splat64(replicate::<W>(top));
        let v = V::splat64(replicate::<W>(value));
        let vf = v.xor(flip);
        match op {
            CmpOp::Eq => bitmap::<V, W>(column, dst, false, |x| eq::<V, W>(x, v)),
            CmpOp::Ne => bitmap::<V, W>(column, dst, true, |x| eq::<V, W>(x, v)),
            CmpOp::Gt => bitmap::<V, W>(column, dst, false, |x| gt::<V, W>(x.xor(flip), vf)),
            CmpOp::Le => bitmap::<V, W>(column, dst, true, |x| gt::<V, W>(x.xor(flip), vf)),
            CmpOp::Lt => bitmap::<V, W>(column, dst, false, |x| gt::<V, W>(vf, x.xor(flip))),
            CmpOp::Ge => bitmap::<V, W>(column, dst, true, |x| gt::<V, W>(vf, x.xor(flip))),
        }
    }
}

/// f32 compare.
///
/// # Safety
/// As [`bitmap`].
#[inline(always)]
unsafe fn compare_f32<V: ColVec>(column: &[u8], op: CmpOp, value: Value, dst: &mut [u8]) {
    // SAFETY: `V`'s ISA as promised; `bitmap`'s contract is the caller's.
    unsafe {
        let v = V::splat64(replicate::<4>(value));
        match op {
            CmpOp::Eq => bitmap::<V, 4>(column, dst, false, |x| x.feq32(v)),
            CmpOp::Ne => bitmap::<V, 4>(column, dst, true, |x| x.feq32(v)),
            CmpOp::Lt => bitmap::<V, 4>(column, dst, false, |x| x.flt32(v)),
            CmpOp::Le => bitmap::<V, 4>(column, dst, false, |x| x.fle32(v)),
            CmpOp::Gt => bitmap::<V, 4>(column, dst, false, |x| v.flt32(x)),
            CmpOp::Ge => bitmap::<V, 4>(column, dst, false, |x| v.fle32(x)),
        }
    }
}

/// f64 compare.
///
/// # Safety
/// As [`bitmap`].
#[inline(always)]
unsafe fn compare_f64<V: ColVec>(column: &[u8], op: CmpOp, value: Value, dst: &mut [u8]) {
    // SAFETY: `V`'s ISA as promised; `bitmap`'s contract is the caller's.
    unsafe {
        let v = V::splat64(value);
        match op {
            CmpOp::Eq => bitmap::<V, 8>(column, dst, false, |x| x.feq64(v)),
            CmpOp::Ne => bitmap::<V, 8>(column, dst, true, |x| x.feq64(v)),
            CmpOp::Lt => bitmap::<V, 8>(column, dst, false, |x| x.flt64(v)),
            CmpOp::Le => bitmap::<V, 8>(column, dst, false, |x| x.fle64(v)),
            CmpOp::Gt => bitmap::<V, 8>(column, dst, false, |x| v.flt64(x)),
            CmpOp::Ge => bitmap::<V, 8>(column, dst, false, |x| v.fle64(x)),
        }
    }
}

/// The compare of [`super::CompareFn`], with vectors `V`.
///
/// # Safety
/// The [`super::CompareFn`] contract; the CPU runs `V`'s ISA.
#[inline(always)]
pub(crate) unsafe fn compare<V: ColVec>(
    column: &[u8],
    ty: ElemType,
    op: CmpOp,
    value: Value,
    dst: &mut [u8],
) {
    // SAFETY: forwarded from the caller.
    unsafe {
        match ty {
            ElemType::U8 => compare_int::<V, 1>(column, op, value, false, dst),
            ElemType::U16 => compare_int::<V, 2>(column, op, value, false, dst),
            ElemType::U32 => compare_int::<V, 4>(column, op, value, false, dst),
            ElemType::U64 => compare_int::<V, 8>(column, op, value, false, dst),
            ElemType::I8 => compare_int::<V, 1>(column, op, value, true, dst),
            ElemType::I16 => compare_int::<V, 2>(column, op, value, true, dst),
            ElemType::I32 => compare_int::<V, 4>(column, op, value, true, dst),
            ElemType::I64 => compare_int::<V, 8>(column, op, value, true, dst),
            ElemType::F32 => compare_f32::<V>(column, op, value, dst),
            ElemType::F64 => compare_f64::<V>(column, op, value, dst),
        }
    }
}

// --------------------------------------------------------------------------------------------
// Select

/// Shuffle indices that pack the set bits' bytes of 8 one-byte elements, per bitmap byte.
static PACK1: [[u8; 8]; 256] = pack_table::<8, 1, 256>();
/// Shuffle indices that pack the set bits' bytes of 8 two-byte elements, per bitmap byte.
static PACK2: [[u8; 16]; 256] = pack_table::<16, 2, 256>();
/// Shuffle indices that pack the set bits' bytes of 4 four-byte elements, per nibble.
static PACK4: [[u8; 16]; 16] = pack_table::<16, 4, 16>();

/// `M` entries: entry `m` lists the byte indices of the `W`-byte elements whose bit is set in
/// `m`, in order; unused indices are 0.
const fn pack_table<const B: usize, const W: usize, const M: usize>() -> [[u8; B]; M] {
    let mut table = [[0u8; B]; M];
    let mut m = 0;
    while m < M {
        let mut out = 0;
        let mut elem = 0;
        while elem < B / W {
            if m >> elem & 1 == 1 {
                let mut byte = 0;
                while byte < W {
                    table[m][out] = (elem * W + byte) as u8;
                    out += 1;
                    byte += 1;
                }
            }
            elem += 1;
        }
        m += 1;
    }
    table
}

/// Copies every `W`-byte element of `column` from element `from` on to `dst + written` and
/// advances by its bit; returns the new `written`.
///
/// # Safety
/// `dst` has room for `column.len()` bytes, `written <= from * W`, and `bitmap` covers the
/// elements.
#[inline(always)]
pub(crate) unsafe fn select_rest<const W: usize>(
    column: &[u8],
    bitmap: &[u8],
    dst: *mut u8,
    from: usize,
    mut written: usize,
) -> usize {
    for (i, elem) in column.chunks_exact(W).enumerate().skip(from) {
        // SAFETY: `written <= i * W` (each element adds at most `W`), so the `W` bytes at
        // `written` end by `(i + 1) * W <= column.len()`, inside `dst`.
        unsafe { core::ptr::copy_nonoverlapping(elem.as_ptr(), dst.add(written), W) };
        // A `get`: no panic site (the contract's `bitmap` covers every element).
        let bit = bitmap.get(i / 8).map_or(0, |&m| m >> (i % 8) & 1);
        written += W * usize::from(bit);
    }
    written
}

/// Select without a byte shuffle: every element is copied, the position advances by its bit.
///
/// # Safety
/// The [`super::SelectFn`] contract.
#[inline(always)]
pub(crate) unsafe fn select_branchless(
    column: &[u8],
    width: usize,
    bitmap: &[u8],
    dst: &mut [u8],
) -> usize {
    let out = dst.as_mut_ptr();
    // SAFETY: `dst.len() >= column.len()` and nothing is written yet (the contract).
    unsafe {
        match width {
            1 => select_rest::<1>(column, bitmap, out, 0, 0),
            2 => select_rest::<2>(column, bitmap, out, 0, 0),
            4 => select_rest::<4>(column, bitmap, out, 0, 0),
            _ => select_rest::<8>(column, bitmap, out, 0, 0),
        }
    }
}

/// Select of one-, two- and four-byte elements by table-driven shuffles, 8 elements per
/// bitmap byte; the other widths and the last `n % 8` elements go branchless.
///
/// # Safety
/// The [`super::SelectFn`] contract; the CPU runs `C`'s ISA.
#[inline(always)]
pub(crate) unsafe fn select<C: Compress>(
    column: &[u8],
    width: usize,
    bitmap: &[u8],
    dst: &mut [u8],
) -> usize {
    if width == 8 {
        // SAFETY: the contract, forwarded.
        return unsafe { select_branchless(column, width, bitmap, dst) };
    }
    // `max(1)` and the `get` below: no panic site (the contract's width is 1, 2 or 4 here,
    // and `bitmap` holds at least `full` bytes).
    let n = column.len() / width.max(1);
    let full = n / 8;
    let bytes = bitmap.get(..full).unwrap_or_default();
    let src = column.as_ptr();
    let out = dst.as_mut_ptr();
    let mut written = 0;
    // Each step reads the 8 elements (8 * width bytes) of bitmap byte `b` and stores at most
    // that many bytes at `written <= 8 * b * width`, so every store ends by the end of the
    // elements read, inside `column.len() <= dst.len()`.
    // SAFETY: as just said; `C`'s ISA as promised; table rows are
    // 8 or 16 bytes as loaded.
    unsafe {
        match width {
            1 => {
                for (b, &m) in bytes.iter().enumerate() {
                    let idx = C::load8(PACK1[usize::from(m)].as_ptr());
                    C::load8(src.add(8 * b))
                        .shuffle(idx)
                        .store8(out.add(written));
                    written += m.count_ones() as usize;
                }
            }
            2 => {
                for (b, &m) in bytes.iter().enumerate() {
                    let idx = C::load16(PACK2[usize::from(m)].as_ptr());
                    C::load16(src.add(16 * b))
                        .shuffle(idx)
                        .store16(out.add(written));
                    written += 2 * m.count_ones() as usize;
                }
            }
            _ => {
                for (b, &m) in bytes.iter().enumerate() {
                    let (lo, hi) = (usize::from(m & 15), usize::from(m >> 4));
                    let p = src.add(32 * b);
                    let idx = C::load16(PACK4[lo].as_ptr());
                    C::load16(p).shuffle(idx).store16(out.add(written));
                    written += 4 * lo.count_ones() as usize;
                    let idx = C::load16(PACK4[hi].as_ptr());
                    C::load16(p.add(16)).shuffle(idx).store16(out.add(written));
                    written += 4 * hi.count_ones() as usize;
                }
            }
        }
        match width {
            1 => select_rest::<1>(column, bitmap, out, 8 * full, written),
            2 => select_rest::<2>(column, bitmap, out, 8 * full, written),
            _ => select_rest::<4>(column, bitmap, out, 8 * full, written),
        }
    }
}

// --------------------------------------------------------------------------------------------
// Entry points

/// Per-ISA entry points for x86_64: each enables its target features and instantiates the
/// generic kernels with that ISA's types.
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use super::super::{Value, x86::*};
    use crate::{CmpOp, ElemType};

    /// SSE2 compare.
    ///
    /// # Safety
    /// The [`super::super::CompareFn`] contract (SSE2 is baseline).
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn compare_sse2(c: &[u8], ty: ElemType, op: CmpOp, v: Value, d: &mut [u8]) {
        // SAFETY: SSE2 is enabled here; the contract is forwarded.
        unsafe { super::compare::<Sse2Col>(c, ty, op, v, d) }
    }

    /// AVX2 compare.
    ///
    /// # Safety
    /// The [`super::super::CompareFn`] contract; the CPU supports AVX2.
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn compare_avx2(c: &[u8], ty: ElemType, op: CmpOp, v: Value, d: &mut [u8]) {
        // SAFETY: AVX2 is enabled here; the contract is forwarded.
        unsafe { super::compare::<Avx2Col>(c, ty, op, v, d) }
    }

    /// AVX-512 compare (compares into mask registers).
    ///
    /// # Safety
    /// The [`super::super::CompareFn`] contract; the CPU supports AVX-512 F, BW and VL.
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn compare_avx512(c: &[u8], ty: ElemType, op: CmpOp, v: Value, d: &mut [u8]) {
        // SAFETY: AVX-512 F+BW is enabled here; the contract is forwarded.
        unsafe { super::compare::<Avx512Col>(c, ty, op, v, d) }
    }

    /// SSE2 select: no byte shuffle in SSE2, so branchless copies.
    ///
    /// # Safety
    /// The [`super::super::SelectFn`] contract.
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn select_sse2(c: &[u8], w: usize, b: &[u8], d: &mut [u8]) -> usize {
        // SAFETY: the contract is forwarded.
        unsafe { super::select_branchless(c, w, b, d) }
    }

    /// AVX2-tier select (128-bit SSSE3 shuffles, POPCNT).
    ///
    /// # Safety
    /// The [`super::super::SelectFn`] contract; the CPU supports the AVX2 tier.
    #[target_feature(enable = "avx2,popcnt")]
    pub(crate) unsafe fn select_avx2(c: &[u8], w: usize, b: &[u8], d: &mut [u8]) -> usize {
        // SAFETY: SSSE3 (implied by AVX2) is enabled here; the contract is forwarded.
        unsafe {
            match w {
                8 => super::super::select_x86::select8_avx2(c, b, d),
                _ => super::select::<Ssse3Shuffle>(c, w, b, d),
            }
        }
    }

    /// AVX-512 select: 4- and 8-byte elements by compress, the narrower ones as on AVX2.
    ///
    /// # Safety
    /// The [`super::super::SelectFn`] contract; the CPU supports AVX-512 F, BW and VL.
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl,popcnt")]
    pub(crate) unsafe fn select_avx512(c: &[u8], w: usize, b: &[u8], d: &mut [u8]) -> usize {
        // SAFETY: AVX-512 F (and SSSE3, implied) are enabled here; the contract is forwarded.
        unsafe {
            match w {
                8 => super::super::select_x86::select8_avx512(c, b, d),
                4 => super::super::select_x86::select4_avx512(c, b, d),
                _ => super::select::<Ssse3Shuffle>(c, w, b, d),
            }
        }
    }
}

/// NEON compare.
///
/// # Safety
/// The [`super::CompareFn`] contract (NEON is enabled at compile time).
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) unsafe fn compare_neon(c: &[u8], ty: ElemType, op: CmpOp, v: Value, d: &mut [u8]) {
    // SAFETY: this build targets NEON; the contract is forwarded.
    unsafe { compare::<super::neon::NeonCol>(c, ty, op, v, d) }
}

/// NEON select.
///
/// # Safety
/// The [`super::SelectFn`] contract (NEON is enabled at compile time).
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) unsafe fn select_neon(c: &[u8], w: usize, b: &[u8], d: &mut [u8]) -> usize {
    // SAFETY: this build targets NEON; the contract is forwarded.
    unsafe { select::<super::neon::NeonCol>(c, w, b, d) }
}

/// simd128 compare.
///
/// # Safety
/// The [`super::CompareFn`] contract (simd128 is enabled at compile time).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) unsafe fn compare_simd128(c: &[u8], ty: ElemType, op: CmpOp, v: Value, d: &mut [u8]) {
    // SAFETY: this build targets simd128; the contract is forwarded.
    unsafe { compare::<super::wasm::Simd128Col>(c, ty, op, v, d) }
}

/// simd128 select.
///
/// # Safety
/// The [`super::SelectFn`] contract (simd128 is enabled at compile time).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) unsafe fn select_simd128(c: &[u8], w: usize, b: &[u8], d: &mut [u8]) -> usize {
    // SAFETY: this build targets simd128; the contract is forwarded.
    unsafe { select::<super::wasm::Simd128Col>(c, w, b, d) }
}
