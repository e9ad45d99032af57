//! The vectorised aggregate, written once as lane arrays that the compiler turns into vector
//! instructions for each tier's target features, and its per-ISA entry points.
//!
//! Each pass keeps one minimum, one maximum and one sum per lane (32 bytes of elements per
//! step, the f32/f64 sum's 8 lanes for floats), updated with plain element-wise operations on
//! fixed-size arrays: LLVM maps them to `pminub`/`vpmaxsd`/`paddq`-style instructions on x86,
//! their NEON and simd128 equivalents elsewhere, at whatever vector width the entry point's
//! target features give. Integer sums go through narrow lanes (u8 into u16, u16 into u32, …)
//! that are widened into the 64-bit total before they could overflow. Float minima and
//! maxima compare integer keys (the bits with the magnitude flipped for negative numbers,
//! which orders −0.0 before +0.0 and agrees with IEEE order elsewhere); a NaN's key is the
//! identity of the reduction, so NaNs are skipped without a branch. The float sum keeps the
//! contract's 8 f64 lanes, each added to in element order, whatever the vector width.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::scalar::{Elem, combine_lanes};
use crate::{ElemType, Scalar, Stats};

/// Bytes of elements per step of the integer pass.
const STEP: usize = 32;

/// An integer element type and the narrow lane its sums gather in between flushes.
trait IntLanes: Elem + Ord {
    /// Smallest value (the identity of max).
    const LOW: Self;
    /// Largest value (the identity of min).
    const HIGH: Self;
    /// Lane type for partial sums.
    type Acc: Copy;
    /// Zero of the partial-sum lane.
    const ZERO: Self::Acc;
    /// Steps a partial-sum lane can take without overflowing.
    const FLUSH: usize;
    /// `acc + self` (never overflows within `FLUSH` steps; wraps for 64-bit lanes).
    fn add_to(self, acc: Self::Acc) -> Self::Acc;
    /// A partial sum as the 64-bit total's bits (sign-extended for signed types).
    fn acc_bits(acc: Self::Acc) -> u64;
    /// An element as a scalar of its class.
    fn scalar(self) -> Scalar;
    /// A 64-bit total's bits as a scalar of the class.
    fn sum_scalar(bits: u64) -> Scalar;
}

/// Implements [`IntLanes`].
macro_rules! int_lanes {
    ($($t:ty => $acc:ty, $flush:expr, $class:ident, $wide:ty;)*) => {$(
        impl IntLanes for $t {
            const LOW: Self = <$t>::MIN;
            const HIGH: Self = <$t>::MAX;
            type Acc = $acc;
            const ZERO: $acc = 0;
            const FLUSH: usize = $flush;
            #[inline(always)]
            fn add_to(self, acc: $acc) -> $acc {
                acc.wrapping_add(<$acc>::from(self))
            }
            #[inline(always)]
            fn acc_bits(acc: $acc) -> u64 {
                <$wide>::from(acc) as u64
            }
            #[inline(always)]
            fn scalar(self) -> Scalar {
                Scalar::$class(self.into())
            }
            #[inline(always)]
            fn sum_scalar(bits: u64) -> Scalar {
                Scalar::$class(bits as $wide)
            }
        }
    )*};
}

int_lanes! {
    // 256 × 255 < 2^16; 256 × ±128 fits i16; 65536 × 65535 < 2^32; 65536 × ±32768 fits i32.
    u8 => u16, 256, Unsigned, u64;
    i8 => i16, 256, Signed, i64;
    u16 => u32, 65_536, Unsigned, u64;
    i16 => i32, 65_536, Signed, i64;
    u32 => u64, usize::MAX, Unsigned, u64;
    i32 => i64, usize::MAX, Signed, i64;
    u64 => u64, usize::MAX, Unsigned, u64;
    i64 => i64, usize::MAX, Signed, i64;
}

/// Count, min, max and wrapping sum of an integer column, `L` lanes (`L * WIDTH == STEP`).
#[inline(always)]
fn aggregate_int<T: IntLanes, const L: usize>(column: &[u8]) -> Stats {
    let w = T::WIDTH;
    let mut mins = [T::HIGH; L];
    let mut maxs = [T::LOW; L];
    let mut total = 0u64;
    let mut steps = column.chunks_exact(STEP);
    loop {
        let mut acc = [T::ZERO; L];
        let mut taken = 0;
        for step in (&mut steps).take(T::FLUSH) {
            let step = &step[..L * w];
            for k in 0..L {
                let x = T::read(&step[k * w..]);
                mins[k] = mins[k].min(x);
                maxs[k] = maxs[k].max(x);
                acc[k] = x.add_to(acc[k]);
            }
            taken += 1;
        }
        total = acc
            .iter()
            .fold(total, |t, &a| t.wrapping_add(T::acc_bits(a)));
        if taken < T::FLUSH {
            break;
        }
    }
    for elem in steps.remainder().chunks_exact(w) {
        let x = T::read(elem);
        mins[0] = mins[0].min(x);
        maxs[0] = maxs[0].max(x);
        total = total.wrapping_add(T::acc_bits(x.add_to(T::ZERO)));
    }
    let some = !column.is_empty();
    Stats {
        count: (column.len() / w) as u64,
        min: some.then(|| mins.iter().copied().fold(T::HIGH, Ord::min).scalar()),
        max: some.then(|| maxs.iter().copied().fold(T::LOW, Ord::max).scalar()),
        sum: T::sum_scalar(total),
    }
}

/// Defines a float aggregate over `$f` with bits `$u` and signed keys `$i`.
macro_rules! aggregate_float {
    ($name:ident, $f:ty, $u:ty, $i:ty) => {
        /// Count, min, max (NaNs skipped, −0.0 < +0.0) and 8-lane f64 sum of a float column.
        #[inline(always)]
        fn $name(column: &[u8]) -> Stats {
            const W: usize = core::mem::size_of::<$f>();
            const SIGN: u32 = 8 * W as u32 - 1;
            const INF: $u = <$f>::INFINITY.to_bits();
            /// Order-preserving key of non-NaN bits (its own inverse).
            #[inline(always)]
            fn key(bits: $u) -> $i {
                let s = bits as $i;
                s ^ (((s >> SIGN) as $u) >> 1) as $i
            }
            /// The key for min (NaN: the identity `MAX`) and for max (NaN: `MIN`).
            #[inline(always)]
            fn keys(bits: $u) -> ($i, $i) {
                let nan = bits & (<$u>::MAX >> 1) > INF;
                let key = key(bits);
                (if nan { <$i>::MAX } else { key }, if nan { <$i>::MIN } else { key })
            }
            // Only constant indices touch the lane arrays, so they stay in registers.
            let mut sums = [0f64; 8];
            let mut mins = [<$i>::MAX; 8];
            let mut maxs = [<$i>::MIN; 8];
            let steps = column.chunks_exact(8 * W);
            let rest = steps.remainder();
            for step in steps {
                let step = &step[..8 * W];
                for k in 0..8 {
                    let bits = <$u>::read(&step[k * W..]);
                    sums[k] += f64::from(<$f>::from_bits(bits));
                    let (lo, hi) = keys(bits);
                    mins[k] = mins[k].min(lo);
                    maxs[k] = maxs[k].max(hi);
                }
            }
            // The last partial step: lanes past the end add -0.0, which leaves every sum
            // (-0.0 included) unchanged; its min and max come from the real elements only.
            let mut tail = [(-0.0 as $f).to_bits(); 8];
            for (t, elem) in tail.iter_mut().zip(rest.chunks_exact(W)) {
                *t = <$u>::read(elem);
            }
            for k in 0..8 {
                sums[k] += f64::from(<$f>::from_bits(tail[k]));
            }
            for &bits in &tail[..rest.len() / W] {
                let (lo, hi) = keys(bits);
                mins[0] = mins[0].min(lo);
                maxs[0] = maxs[0].max(hi);
            }
            let min = mins.iter().copied().fold(<$i>::MAX, Ord::min);
            let max = maxs.iter().copied().fold(<$i>::MIN, Ord::max);
            let float = |k: $i| Scalar::Float(f64::from(<$f>::from_bits(key(k as $u) as $u)));
            Stats {
                count: (column.len() / W) as u64,
                // Only a NaN has the identity key, so it means "no number at all".
                min: (min != <$i>::MAX).then(|| float(min)),
                max: (max != <$i>::MIN).then(|| float(max)),
                sum: combine_lanes(sums),
            }
        }
    };
}

aggregate_float!(aggregate_f32, f32, u32, i32);
aggregate_float!(aggregate_f64, f64, u64, i64);

/// The aggregate of [`super::AggregateFn`], vectorised by the caller's target features.
#[inline(always)]
fn aggregate(column: &[u8], ty: ElemType) -> Stats {
    match ty {
        ElemType::U8 => aggregate_int::<u8, 32>(column),
        ElemType::U16 => aggregate_int::<u16, 16>(column),
        ElemType::U32 => aggregate_int::<u32, 8>(column),
        ElemType::U64 => aggregate_int::<u64, 4>(column),
        ElemType::I8 => aggregate_int::<i8, 32>(column),
        ElemType::I16 => aggregate_int::<i16, 16>(column),
        ElemType::I32 => aggregate_int::<i32, 8>(column),
        ElemType::I64 => aggregate_int::<i64, 4>(column),
        ElemType::F32 => aggregate_f32(column),
        ElemType::F64 => aggregate_f64(column),
    }
}

/// SSE2 aggregate.
///
/// # Safety
/// The [`super::AggregateFn`] contract (SSE2 is baseline).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
pub(crate) unsafe fn aggregate_sse2(column: &[u8], ty: ElemType) -> Stats {
    aggregate(column, ty)
}

/// AVX2 aggregate.
///
/// # Safety
/// The [`super::AggregateFn`] contract; the CPU supports AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn aggregate_avx2(column: &[u8], ty: ElemType) -> Stats {
    aggregate(column, ty)
}

/// AVX-512 aggregate.
///
/// # Safety
/// The [`super::AggregateFn`] contract; the CPU supports AVX-512 F, BW and VL.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
pub(crate) unsafe fn aggregate_avx512(column: &[u8], ty: ElemType) -> Stats {
    aggregate(column, ty)
}

/// NEON aggregate.
///
/// # Safety
/// The [`super::AggregateFn`] contract (NEON is enabled at compile time).
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) unsafe fn aggregate_neon(column: &[u8], ty: ElemType) -> Stats {
    aggregate(column, ty)
}

/// simd128 aggregate.
///
/// # Safety
/// The [`super::AggregateFn`] contract (simd128 is enabled at compile time).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) unsafe fn aggregate_simd128(column: &[u8], ty: ElemType) -> Stats {
    aggregate(column, ty)
}
