//! The vectorised shuffle and unshuffle, written once over [`Vector`], and their per-ISA
//! entry points.
//!
//! # The transpose
//! Shuffling is a transpose of an `n × k` byte matrix (elements × bytes) into `k × n`. Take
//! one 128-bit lane and a block of 16 elements of `k = 2^m` bytes in `k` registers: the byte
//! of element `i` (4 bits) at position `j` (`m` bits) sits at bit-index `i‖j`, where the top
//! `m` bits choose the register and the low 4 the byte. One *zip round* — register `2v` gets
//! `zip_lo(x[v], x[v + k/2])` and `2v + 1` gets `zip_hi` of the same pair — rotates that
//! `(4 + m)`-bit index left by one. Shuffling wants `j‖i` (register `j` holds byte `j` of
//! the 16 elements in order), which is a rotation by 4: four rounds. Unshuffling wants the
//! reverse, a rotation by `m`: `m` rounds. Only zips are used, so the same code runs on SSE2
//! (no byte permute), NEON and simd128; AVX2 and AVX-512 zip inside each 128-bit lane, so
//! their lanes work on separate blocks of 16 elements and are loaded or stored `16·k` bytes
//! apart ([`Vector::load_lanes`]).
//!
//! # Other element sizes
//! Every other size uses the 16-register transpose on 16-byte *chunks* of the elements:
//! chunk bases `0, 16, 32, …`, the last one moved back to `k - 16` so it ends at the
//! element's end (overlapping chunks write the same bytes twice, with the same values). For
//! `k < 16` the one chunk reads 16 bytes from each element's start, running into the
//! following elements: a shuffle stores only the `k` real streams; an unshuffle fills the
//! 16 − k missing streams with the following elements' bytes (stream `s mod k`, shifted
//! `s / k` elements on), so every byte it stores is the correct one.
//!
//! # Edges
//! Blocks are issued while they stay inside the whole elements (plus, for `k < 16`, the
//! `15 / k` elements the chunk runs into); one last block is moved back to end there, again
//! rewriting bytes with equal values; the few elements left and the `len % k` tail bytes
//! are done by plain code.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use crate::vector::Vector;

/// Shuffles `src` into `dst` with vectors `V`.
///
/// # Safety
/// The CPU must support `V`'s instruction set; `dst.len() == src.len()` and
/// `1 <= elem_size <= 255` (the [`super::ShuffleFn`] contract).
#[inline(always)]
unsafe fn shuffle<V: Vector>(src: &[u8], elem_size: usize, dst: &mut [u8]) {
    if elem_size == 1 {
        // One-byte elements: the shuffle is the identity, so copy (memcpy / `memory.copy`).
        copy(src, dst, 0);
        return;
    }
    let n = src.len() / elem_size.max(2); // `max`: no zero-divisor panic path (elem_size >= 2)
    // SAFETY: in every arm, `V`'s ISA and the equal lengths are promised by the caller,
    // and `n * elem_size <= src.len()` by the definition of `n`.
    let done = unsafe {
        match elem_size {
            2 => shuffle_pow2::<V, 2>(src, n, dst),
            4 => shuffle_pow2::<V, 4>(src, n, dst),
            8 => shuffle_pow2::<V, 8>(src, n, dst),
            16 => shuffle_chunks::<V>(src, 16, n, dst),
            _ if elem_size >= 3 => shuffle_chunks::<V>(src, elem_size, n, dst),
            _ => 0,
        }
    };
    for i in done..n {
        for j in 0..elem_size {
            // In bounds (`j n + i < n elem_size <= len`); `get` states it without a panic.
            if let (Some(d), Some(&b)) = (dst.get_mut(j * n + i), src.get(i * elem_size + j)) {
                *d = b;
            }
        }
    }
    copy(src, dst, n * elem_size);
}

/// Copies `src[from..]` to `dst[from..]` (equal lengths), without a length check that could
/// panic.
#[inline(always)]
fn copy(src: &[u8], dst: &mut [u8], from: usize) {
    for (d, s) in dst.iter_mut().zip(src).skip(from) {
        *d = *s;
    }
}

/// Unshuffles `src` into `dst` with vectors `V`.
///
/// # Safety
/// As [`shuffle`].
#[inline(always)]
unsafe fn unshuffle<V: Vector>(src: &[u8], elem_size: usize, dst: &mut [u8]) {
    if elem_size == 1 {
        // As in `shuffle`: the identity.
        copy(src, dst, 0);
        return;
    }
    let n = src.len() / elem_size.max(2); // as in `shuffle`
    // SAFETY: in every arm, `V`'s ISA and the equal lengths are promised by the caller,
    // and `n * elem_size <= src.len()` by the definition of `n`.
    let done = unsafe {
        match elem_size {
            2 => unshuffle_pow2::<V, 2>(src, n, dst),
            4 => unshuffle_pow2::<V, 4>(src, n, dst),
            8 => unshuffle_pow2::<V, 8>(src, n, dst),
            16 => unshuffle_chunks::<V>(src, 16, n, dst),
            _ if elem_size >= 3 => unshuffle_chunks::<V>(src, elem_size, n, dst),
            _ => 0,
        }
    };
    for i in done..n {
        for j in 0..elem_size {
            // As in `shuffle`.
            if let (Some(d), Some(&b)) = (dst.get_mut(i * elem_size + j), src.get(j * n + i)) {
                *d = b;
            }
        }
    }
    copy(src, dst, n * elem_size);
}

/// Number of leading elements the blocks of [`block_starts`] cover: `0..n - reach` when
/// `n >= width + reach`, else none.
#[inline(always)]
fn covered(n: usize, width: usize, reach: usize) -> usize {
    if n >= width + reach { n - reach } else { 0 }
}

/// Starts `i` of element blocks `[i, i + width)` with `i + width + reach <= n` that together
/// cover [`covered`]`(n, width, reach)` elements: every `width` elements, then one last block
/// moved back to end at `n - reach` (overlapping the one before) if needed.
///
/// An iterator rather than a closure-taking driver: the loop body stays in the
/// `#[target_feature]` function, so the vector primitives inline into it.
#[inline(always)]
fn block_starts(n: usize, width: usize, reach: usize) -> impl Iterator<Item = usize> {
    let end = covered(n, width, reach);
    let last = (!end.is_multiple_of(width)).then(|| end - width);
    (0..end / width).map(move |b| b * width).chain(last)
}

/// One zip round over `K` registers: rotates the bit-index of every byte left by one (see
/// the module comment).
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn zip_round<V: Vector, const K: usize>(x: [V; K]) -> [V; K] {
    let mut out = x;
    for t in 0..K / 2 {
        // SAFETY: `V`'s ISA, promised by the caller.
        unsafe {
            out[2 * t] = x[t].zip_lo(x[t + K / 2]);
            out[2 * t + 1] = x[t].zip_hi(x[t + K / 2]);
        }
    }
    out
}

/// `rounds` zip rounds.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn zip_rounds<V: Vector, const K: usize>(mut x: [V; K], rounds: u32) -> [V; K] {
    for _ in 0..rounds {
        // SAFETY: `V`'s ISA, promised by the caller.
        x = unsafe { zip_round(x) };
    }
    x
}

/// Shuffles the first elements of `src` (`n` elements of `K` bytes, `K` in {2, 4, 8}) into
/// `dst`, by blocks; returns how many leading elements it did.
///
/// # Safety
/// The CPU must support `V`'s instruction set; `n * K <= src.len() == dst.len()`.
#[inline(always)]
unsafe fn shuffle_pow2<V: Vector, const K: usize>(src: &[u8], n: usize, dst: &mut [u8]) -> usize {
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    // `block_starts` yields only `i` with `i + 16 * LANES <= n`.
    for i in block_starts(n, 16 * V::LANES, 0) {
        // SAFETY: `V`'s ISA as promised. Lane `l` of register `v` reads the 16 bytes at
        // `(i + 16 l) K + 16 v`, which end by `(i + 16 LANES) K <= n K <= src.len()`.
        // Register `j` then holds byte `j` of elements `i..i + 16 LANES`, stored at
        // `j n + i`, which ends by `(j + 1) n <= K n <= dst.len()`.
        unsafe {
            let mut x = [V::splat(0); K];
            for (v, xv) in x.iter_mut().enumerate() {
                *xv = V::load_lanes(s.add(i * K + 16 * v), 16 * K);
            }
            let x = zip_rounds(x, 4);
            for (j, xj) in x.into_iter().enumerate() {
                xj.store(d.add(j * n + i));
            }
        }
    }
    covered(n, 16 * V::LANES, 0)
}

/// Inverse of [`shuffle_pow2`].
///
/// # Safety
/// As [`shuffle_pow2`].
#[inline(always)]
unsafe fn unshuffle_pow2<V: Vector, const K: usize>(src: &[u8], n: usize, dst: &mut [u8]) -> usize {
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    // `block_starts` yields only `i` with `i + 16 * LANES <= n`.
    for i in block_starts(n, 16 * V::LANES, 0) {
        // SAFETY: `V`'s ISA as promised. Register `j` reads stream `j` at elements
        // `i..i + 16 LANES`: bytes `j n + i..`, ending by `K n <= src.len()`. After
        // `log2 K` rounds, lane `l` of register `v` holds bytes `16 v..16 v + 16` of the
        // elements from `i + 16 l` on, stored at `(i + 16 l) K + 16 v`, which ends by
        // `(i + 16 LANES) K <= dst.len()`.
        unsafe {
            let mut x = [V::splat(0); K];
            for (j, xj) in x.iter_mut().enumerate() {
                *xj = V::load(s.add(j * n + i));
            }
            let x = zip_rounds(x, K.trailing_zeros());
            for (v, xv) in x.into_iter().enumerate() {
                xv.store_lanes(d.add(i * K + 16 * v), 16 * K);
            }
        }
    }
    covered(n, 16 * V::LANES, 0)
}

/// Start of 16-byte chunk `c` of an element of `k` bytes: `16 c`, the last chunk moved back
/// to end at the element's end (`0` when `k < 16`).
#[inline(always)]
fn chunk_base(c: usize, k: usize) -> usize {
    (16 * c).min(k.saturating_sub(16))
}

/// Shuffles the first elements of `src` (`n` elements of `k >= 3` bytes) into `dst` by
/// 16-byte chunks; returns how many leading elements it did.
///
/// # Safety
/// The CPU must support `V`'s instruction set; `n * k <= src.len() == dst.len()`.
#[inline(always)]
unsafe fn shuffle_chunks<V: Vector>(src: &[u8], k: usize, n: usize, dst: &mut [u8]) -> usize {
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    let reach = 15 / k;
    // `block_starts` yields only `i` with `i + 16 * LANES + reach <= n`.
    for i in block_starts(n, 16 * V::LANES, reach) {
        for c in 0..k.div_ceil(16) {
            let base = chunk_base(c, k);
            // SAFETY: `V`'s ISA as promised. Lane `l` of register `v` reads the 16 bytes
            // at `(e) k + base` for element `e = i + 16 l + v <= i + 16 LANES - 1`; they end
            // by `(i + 16 LANES - 1) k + base + 16`, which is `<= (i + 16 LANES) k` when
            // `k >= 16` (`base <= k - 16`) and `<= (i + 16 LANES + 15 / k) k <= n k` when
            // `k < 16` (`base = 0`, `16 <= (15 / k + 1) k`). Register `j` then holds byte
            // `base + j` of elements `i..i + 16 LANES`; only real streams (`base + j < k`)
            // are stored, at `(base + j) n + i`, ending by `k n <= dst.len()`.
            unsafe {
                let mut x = [V::splat(0); 16];
                for (v, xv) in x.iter_mut().enumerate() {
                    *xv = V::load_lanes(s.add((i + v) * k + base), 16 * k);
                }
                let x = zip_rounds(x, 4);
                for (j, xj) in x.into_iter().enumerate().take(k - base) {
                    xj.store(d.add((base + j) * n + i));
                }
            }
        }
    }
    covered(n, 16 * V::LANES, reach)
}

/// Inverse of [`shuffle_chunks`].
///
/// # Safety
/// As [`shuffle_chunks`].
#[inline(always)]
unsafe fn unshuffle_chunks<V: Vector>(src: &[u8], k: usize, n: usize, dst: &mut [u8]) -> usize {
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    let reach = 15 / k;
    // Where byte `s` of an element at element offset 0 lies in `src`: stream `s % k`, `s / k`
    // elements on. Only used when `k < 16`: then there is one chunk, at base 0.
    let small: [usize; 16] = core::array::from_fn(|s| (s % k) * n + s / k);
    // `block_starts` yields only `i` with `i + 16 * LANES + reach <= n`.
    for i in block_starts(n, 16 * V::LANES, reach) {
        for c in 0..k.div_ceil(16) {
            let base = chunk_base(c, k);
            let at: [usize; 16] = if k < 16 {
                small
            } else {
                core::array::from_fn(|j| (base + j) * n)
            };
            // SAFETY: `V`'s ISA as promised. Register `j` reads `16 LANES` bytes from
            // `at[j] + i`: for `k >= 16` that is stream `base + j < k` at elements
            // `i..i + 16 LANES`, ending by `k n`; for `k < 16` it is stream `j % k` from
            // element `i + j / k`, ending by `(j % k) n + i + 15 / k + 16 LANES <= k n`.
            // Either way lane `l` of register `v` then holds bytes `base..base + 16` of the
            // element `e = i + 16 l + v` — for `k < 16` continuing into the next elements
            // with their own values — stored at `e k + base`, ending by the bounds shown
            // for `shuffle_chunks`, all within `n k <= dst.len()`.
            unsafe {
                let mut x = [V::splat(0); 16];
                for (xj, &at) in x.iter_mut().zip(&at) {
                    *xj = V::load(s.add(at + i));
                }
                let x = zip_rounds(x, 4);
                for (v, xv) in x.into_iter().enumerate() {
                    xv.store_lanes(d.add((i + v) * k + base), 16 * k);
                }
            }
        }
    }
    covered(n, 16 * V::LANES, reach)
}

/// Defines a shuffle and an unshuffle entry point for one vector type and target feature.
macro_rules! entries {
    ($vector:ty, $shuffle:ident, $unshuffle:ident, $(#[$attr:meta])* $doc:literal) => {
        #[doc = concat!($doc, " shuffle.")]
        ///
        /// # Safety
        /// The CPU must support the instruction set named above (the dispatch contract);
        /// `dst.len() == src.len()` and `1 <= elem_size <= 255`.
        $(#[$attr])*
        pub(crate) unsafe fn $shuffle(src: &[u8], elem_size: usize, dst: &mut [u8]) {
            // SAFETY: the caller promises the instruction set (enabled on this function) and
            // the argument contract.
            unsafe { shuffle::<$vector>(src, elem_size, dst) }
        }

        #[doc = concat!($doc, " unshuffle.")]
        ///
        /// # Safety
        /// As the shuffle above.
        $(#[$attr])*
        pub(crate) unsafe fn $unshuffle(src: &[u8], elem_size: usize, dst: &mut [u8]) {
            // SAFETY: as the shuffle above.
            unsafe { unshuffle::<$vector>(src, elem_size, dst) }
        }
    };
}

#[cfg(target_arch = "x86_64")]
entries!(
    crate::vector::Sse2,
    shuffle_sse2,
    unshuffle_sse2,
    #[target_feature(enable = "sse2")]
    "SSE2"
);
#[cfg(target_arch = "x86_64")]
entries!(
    crate::vector::Avx2,
    shuffle_avx2,
    unshuffle_avx2,
    #[target_feature(enable = "avx2")]
    "AVX2"
);
#[cfg(target_arch = "x86_64")]
entries!(
    crate::vector::Avx512,
    shuffle_avx512,
    unshuffle_avx512,
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    "AVX-512 (F+BW)"
);
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
entries!(
    crate::vector::Neon,
    shuffle_neon,
    unshuffle_neon,
    "NEON (compile-time)"
);
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
entries!(
    crate::vector::Simd128,
    shuffle_simd128,
    unshuffle_simd128,
    "simd128 (compile-time)"
);
