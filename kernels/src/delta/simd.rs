//! The vectorised delta encode and decode, written once over [`DeltaVector`], and their
//! per-ISA entry points.
//!
//! # Encode
//! `out[i] = x[i] - x[i-1]` is one subtraction of two loads, the second `width` bytes
//! earlier: no shifting in register at all. The first element is copied; the last vector is
//! moved back to end at the last whole element (its overlap is rewritten with equal values).
//!
//! # Decode: a prefix sum
//! Within each 128-bit lane, `log2(16 / width)` Hillis–Steele steps (`s += s` shifted one,
//! two, four… elements towards the end of the lane) give the lane's inclusive prefix sums.
//! Wider vectors then add, to every lane, the totals of the lanes before it. The sum of
//! everything before the vector (`carry`, the same value in every element) is added last,
//! and the next `carry` is `carry + total`, where `total` is the vector's own sum
//! broadcast — computed from the prefix before `carry` is added, so the only serial
//! dependency from one vector to the next is one addition. The few elements after the last
//! whole vector continue the running sum in plain code.
//!
//! On wasm32 the in-lane shifts and broadcasts are `i8x16.swizzle`s by indices loaded once per
//! call ([`DeltaVector::Moves`]): wazero compiles a swizzle to a saturating add and one
//! `PSHUFB`, while its vector shifts by constants are slow and the `i8x16.shuffle` that LLVM
//! makes of a swizzle by constants is two `PSHUFB` and a `POR` (measured under wazero: the
//! decode is 1.1–1.5× faster with the swizzles).
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::scalar;

/// A vector of [`DeltaVector::BYTES`] bytes, made of [`DeltaVector::LANES`] 128-bit lanes,
/// with the operations the delta coding needs. `W` is always 1, 2, 4 or 8.
///
/// # Safety
/// Implementors promise that `BYTES == 16 * LANES`, `LANES` is 1, 2 or 4, and that `load` and
/// `store` touch exactly `BYTES` bytes at the pointer. Every method is `unsafe` because it may
/// only run on a CPU that has the implementor's instruction set; callers promise that, and
/// the validity of the pointers they pass.
pub(crate) unsafe trait DeltaVector: Copy {
    /// Width in bytes.
    const BYTES: usize;
    /// Number of 128-bit lanes.
    const LANES: usize;

    /// All bytes zero.
    unsafe fn zero() -> Self;

    /// Loads `BYTES` bytes from `ptr` (no alignment needed).
    unsafe fn load(ptr: *const u8) -> Self;

    /// Stores `BYTES` bytes to `ptr` (no alignment needed).
    unsafe fn store(self, ptr: *mut u8);

    /// Wrapping addition of `W`-byte elements.
    unsafe fn add<const W: usize>(self, other: Self) -> Self;

    /// Wrapping subtraction of `W`-byte elements.
    unsafe fn sub<const W: usize>(self, other: Self) -> Self;

    /// What the byte moves below need besides the instructions, made once per call: `()`
    /// where the indices are immediates or constants the compiler keeps.
    type Moves: Copy;

    /// The [`DeltaVector::Moves`] for `W`-byte elements.
    unsafe fn moves<const W: usize>() -> Self::Moves;

    /// Each 128-bit lane moved `N` bytes towards its end (`N` in {1, 2, 4, 8}): byte `i` of a
    /// lane becomes byte `i - N`, the first `N` bytes zero.
    unsafe fn shift_in_lane<const N: i32>(self, moves: Self::Moves) -> Self;

    /// Each lane's last `W`-byte element, repeated across that lane (`moves` made for `W`).
    unsafe fn last_in_lane<const W: usize>(self, moves: Self::Moves) -> Self;

    /// Given a vector whose lane `l` repeats one `W`-byte value `t_l`, the vector whose lane
    /// `l` repeats `t_0 + … + t_(l-1)` (lane 0: zero). Only called when `LANES > 1`.
    unsafe fn lanes_before<const W: usize>(self) -> Self;

    /// The last lane copied to every lane.
    unsafe fn last_lane(self) -> Self;
}

/// Index for a byte shuffle that moves a 16-byte lane `n` bytes towards its end; `0x80`
/// (out of range for every shuffle used) selects zero.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) const fn shift_index(n: usize) -> [u8; 16] {
    let mut index = [0x80u8; 16];
    let mut i = n;
    while i < 16 {
        index[i] = (i - n) as u8;
        i += 1;
    }
    index
}

/// Index for a byte shuffle that repeats the last `w`-byte element of a 16-byte lane.
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
pub(crate) const fn last_index(w: usize) -> [u8; 16] {
    let mut index = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        index[i] = (16 - w + i % w) as u8;
        i += 1;
    }
    index
}

/// One Hillis–Steele step: adds `s` moved `N` bytes on, if `N` is at least one element.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn step<V: DeltaVector, const W: usize, const N: i32>(s: V, m: V::Moves) -> V {
    if (N as usize) < W {
        return s;
    }
    // SAFETY: `V`'s ISA, promised by the caller.
    unsafe { s.add::<W>(s.shift_in_lane::<N>(m)) }
}

/// Inclusive prefix sums of the `W`-byte elements of `x`, across the whole vector.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn prefix<V: DeltaVector, const W: usize>(x: V, m: V::Moves) -> V {
    // SAFETY: `V`'s ISA, promised by the caller.
    unsafe {
        let s = step::<V, W, 1>(x, m);
        let s = step::<V, W, 8>(step::<V, W, 4>(step::<V, W, 2>(s, m), m), m);
        if V::LANES > 1 {
            s.add::<W>(s.last_in_lane::<W>(m).lanes_before::<W>())
        } else {
            s
        }
    }
}

/// The sum of a vector from its prefix sums `p`, in every element.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn total<V: DeltaVector, const W: usize>(p: V, m: V::Moves) -> V {
    // SAFETY: `V`'s ISA, promised by the caller.
    unsafe { p.last_in_lane::<W>(m).last_lane() }
}

/// Delta-encodes `src` into `dst` with vectors `V`.
///
/// # Safety
/// The CPU must support `V`'s instruction set; `dst.len() == src.len()` and `width` in
/// {1, 2, 4, 8} (the [`super::DeltaFn`] contract).
#[inline(always)]
unsafe fn encode<V: DeltaVector>(src: &[u8], width: usize, dst: &mut [u8]) {
    // SAFETY: `V`'s ISA and the equal lengths are promised by the caller.
    unsafe {
        match width {
            1 => encode_elements::<V, 1>(src, dst),
            2 => encode_elements::<V, 2>(src, dst),
            4 => encode_elements::<V, 4>(src, dst),
            _ => encode_elements::<V, 8>(src, dst),
        }
    }
    scalar::copy_tail(src, width, dst);
}

/// Delta-decodes `src` into `dst` with vectors `V`.
///
/// # Safety
/// As [`encode`].
#[inline(always)]
unsafe fn decode<V: DeltaVector>(src: &[u8], width: usize, dst: &mut [u8]) {
    // SAFETY: `V`'s ISA and the equal lengths are promised by the caller.
    unsafe {
        match width {
            1 => decode_elements::<V, 1>(src, dst),
            2 => decode_elements::<V, 2>(src, dst),
            4 => decode_elements::<V, 4>(src, dst),
            _ => decode_elements::<V, 8>(src, dst),
        }
    }
    scalar::copy_tail(src, width, dst);
}

/// Encodes the whole `W`-byte elements of `src` into `dst`.
///
/// # Safety
/// The CPU must support `V`'s instruction set; `dst.len() == src.len()`.
#[inline(always)]
unsafe fn encode_elements<V: DeltaVector, const W: usize>(src: &[u8], dst: &mut [u8]) {
    let body = src.len() / W * W;
    if body < W + V::BYTES {
        scalar::encode_w::<W>(&src[..body], &mut dst[..body], 0);
        return;
    }
    dst[..W].copy_from_slice(&src[..W]);
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    let b = V::BYTES;
    let mut i = W;
    while i + 4 * b <= body {
        // SAFETY: `V`'s ISA as promised. Vector `u` covers `i + u b..i + (u + 1) b`, inside
        // `body`, and its predecessors start `W` bytes earlier, at `>= i - W >= 0`; `i` stays
        // a multiple of `W`, so lanes line up with elements.
        unsafe {
            for u in 0..4 {
                let at = i + u * b;
                let x = V::load(s.add(at));
                let before = V::load(s.add(at - W));
                x.sub::<W>(before).store(d.add(at));
            }
        }
        i += 4 * b;
    }
    while i + b <= body {
        // SAFETY: as above, for one vector.
        unsafe {
            let x = V::load(s.add(i));
            x.sub::<W>(V::load(s.add(i - W))).store(d.add(i));
        }
        i += b;
    }
    if i < body {
        // The last vector, moved back to end at `body`: `body >= W + b`, so it starts at
        // `j >= W`, a multiple of `W` (as `body` and `b` are), and rewrites the overlap with
        // the values it already has.
        let j = body - b;
        // SAFETY: `src[j - W..body]` and `dst[j..body]` are in bounds; `V`'s ISA as promised.
        unsafe {
            let x = V::load(s.add(j));
            x.sub::<W>(V::load(s.add(j - W))).store(d.add(j));
        }
    }
}

/// Decodes the whole `W`-byte elements of `src` into `dst`.
///
/// # Safety
/// The CPU must support `V`'s instruction set; `dst.len() == src.len()`.
#[inline(always)]
unsafe fn decode_elements<V: DeltaVector, const W: usize>(src: &[u8], dst: &mut [u8]) {
    let body = src.len() / W * W;
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    let b = V::BYTES;
    // SAFETY: `V`'s ISA, promised by the caller.
    let (mut carry, m) = unsafe { (V::zero(), V::moves::<W>()) };
    let mut i = 0;
    while i + 4 * b <= body {
        // SAFETY: `V`'s ISA as promised; the four vectors are `src[i..i + 4 b]` and the same
        // range of `dst`, inside `body`; `i` is a multiple of `b`, hence of `W`.
        unsafe {
            let p0 = prefix::<V, W>(V::load(s.add(i)), m);
            let p1 = prefix::<V, W>(V::load(s.add(i + b)), m);
            let p2 = prefix::<V, W>(V::load(s.add(i + 2 * b)), m);
            let p3 = prefix::<V, W>(V::load(s.add(i + 3 * b)), m);
            p0.add::<W>(carry).store(d.add(i));
            let c1 = carry.add::<W>(total::<V, W>(p0, m));
            p1.add::<W>(c1).store(d.add(i + b));
            let c2 = c1.add::<W>(total::<V, W>(p1, m));
            p2.add::<W>(c2).store(d.add(i + 2 * b));
            let c3 = c2.add::<W>(total::<V, W>(p2, m));
            p3.add::<W>(c3).store(d.add(i + 3 * b));
            carry = c3.add::<W>(total::<V, W>(p3, m));
        }
        i += 4 * b;
    }
    while i + b <= body {
        // SAFETY: as above, for one vector.
        unsafe {
            let p = prefix::<V, W>(V::load(s.add(i)), m);
            p.add::<W>(carry).store(d.add(i));
            carry = carry.add::<W>(total::<V, W>(p, m));
        }
        i += b;
    }
    // The running sum so far is the last element written (none yet: zero).
    // `i <= body <= len` and `i >= W` when non-zero; `get` states it without a panic path.
    let sum = match dst.get(i.wrapping_sub(W)..i) {
        Some(last) if i > 0 => scalar::read::<W>(last),
        _ => 0,
    };
    if let (Some(s), Some(d)) = (src.get(i..body), dst.get_mut(i..body)) {
        scalar::decode_w::<W>(s, d, sum);
    }
}

/// Defines an encode and a decode entry point for one vector type and target feature.
#[cfg(any(
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]
macro_rules! entries {
    ($vector:ty, $encode:ident, $decode:ident, $(#[$attr:meta])* $doc:literal) => {
        #[doc = concat!($doc, " delta encode.")]
        ///
        /// # Safety
        /// The CPU must support the instruction set named above (the dispatch contract);
        /// `dst.len() == src.len()` and `width` in {1, 2, 4, 8}.
        $(#[$attr])*
        pub(crate) unsafe fn $encode(src: &[u8], width: usize, dst: &mut [u8]) {
            // SAFETY: the caller promises the instruction set (enabled on this function) and
            // the argument contract.
            unsafe { encode::<$vector>(src, width, dst) }
        }

        #[doc = concat!($doc, " delta decode.")]
        ///
        /// # Safety
        /// As the encode above.
        $(#[$attr])*
        pub(crate) unsafe fn $decode(src: &[u8], width: usize, dst: &mut [u8]) {
            // SAFETY: as the encode above.
            unsafe { decode::<$vector>(src, width, dst) }
        }
    };
}

/// SSE2 delta decode (the SSE2 encode is the auto-vectorised scalar loop: see `select_encode`).
///
/// # Safety
/// The [`super::DeltaFn`] contract (SSE2 is the x86_64 baseline).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
pub(crate) unsafe fn decode_sse2(src: &[u8], width: usize, dst: &mut [u8]) {
    // SAFETY: SSE2 is enabled here; the contract is promised by the caller.
    unsafe { decode::<super::vector::Sse2>(src, width, dst) }
}

/// Defines a wide-vector encode and decode entry point whose decode of 4- and 8-byte elements
/// runs on 128-bit vectors: with only one or two prefix steps per lane, the cross-lane fix-ups
/// of the wide vectors cost more than they save (measured 15-25% slower on AVX2).
#[cfg(target_arch = "x86_64")]
macro_rules! wide_entries {
    ($vector:ty, $encode:ident, $decode:ident, $(#[$attr:meta])* $doc:literal) => {
        #[doc = concat!($doc, " delta encode.")]
        ///
        /// # Safety
        /// The CPU must support the instruction set named above (the dispatch contract);
        /// `dst.len() == src.len()` and `width` in {1, 2, 4, 8}.
        $(#[$attr])*
        pub(crate) unsafe fn $encode(src: &[u8], width: usize, dst: &mut [u8]) {
            // SAFETY: the caller promises the instruction set (enabled on this function) and
            // the argument contract.
            unsafe { encode::<$vector>(src, width, dst) }
        }

        #[doc = concat!($doc, " delta decode (128-bit vectors for 4- and 8-byte elements).")]
        ///
        /// # Safety
        /// As the encode above.
        $(#[$attr])*
        pub(crate) unsafe fn $decode(src: &[u8], width: usize, dst: &mut [u8]) {
            // SAFETY: as the encode above; SSE2 is implied by the enabled instruction set.
            unsafe {
                if width <= 2 {
                    decode::<$vector>(src, width, dst)
                } else {
                    decode::<super::vector::Sse2>(src, width, dst)
                }
            }
        }
    };
}

#[cfg(target_arch = "x86_64")]
wide_entries!(
    super::vector::Avx2,
    encode_avx2,
    decode_avx2,
    #[target_feature(enable = "avx2")]
    "AVX2"
);
#[cfg(target_arch = "x86_64")]
wide_entries!(
    super::vector::Avx512,
    encode_avx512,
    decode_avx512,
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    "AVX-512 (F+BW)"
);
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
entries!(
    super::vector::Neon,
    encode_neon,
    decode_neon,
    "NEON (compile-time)"
);
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
entries!(
    super::vector::Simd128,
    encode_simd128,
    decode_simd128,
    "simd128 (compile-time)"
);
