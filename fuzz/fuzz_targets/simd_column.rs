//! The column kernels on arbitrary columns, types, operators and values: every tier equals
//! the scalar reference (bitmaps, selections, stats bit for bit, errors).
#![no_main]

use binpipe_kernels::{CmpOp, ElemType, Scalar};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;


/// Stats compared bit for bit (NaN sums and -0.0 must match exactly).
fn bits(s: &Result<binpipe_kernels::Stats, binpipe_kernels::KernelError>) -> String {
    format!("{s:?}") + &match s {
        Ok(st) => format!("{:?}", [st.min, st.max, Some(st.sum)].map(|v| v.map(|v| match v {
            Scalar::Float(f) => f.to_bits(),
            Scalar::Unsigned(u) => u,
            Scalar::Signed(i) => i as u64,
        }))),
        Err(_) => String::new(),
    }
}

fuzz_target!(|input: &[u8]| {
    let mut p = common::Params::new(input);
    let ty = ElemType::ALL[usize::from(p.byte()) % ElemType::ALL.len()];
    let op = CmpOp::ALL[usize::from(p.byte()) % CmpOp::ALL.len()];
    let raw = p.u64();
    let value = match p.byte() % 3 {
        0 => Scalar::Unsigned(raw),
        1 => Scalar::Signed(raw as i64),
        _ => Scalar::Float(f64::from_bits(raw)),
    };
    let width = [1u8, 2, 4, 8, 3][usize::from(p.byte()) % 5];
    let bitmap_len = usize::from(p.byte());
    let bitmap = p.take(bitmap_len).to_vec();
    let column = p.rest();
    let tiers = common::tiers();
    let s = &tiers[0];
    let cap = column.len().div_ceil(8) + 1;

    let mut want = vec![0u8; cap];
    let expected = s.compare_into(column, ty, op, value, &mut want);
    let mut selected = vec![0u8; column.len()];
    let expected_sel = s.select_into(column, width, &bitmap, &mut selected);
    let stats = bits(&s.aggregate(column, ty));
    for k in &tiers[1..] {
        let mut got = vec![0u8; cap];
        assert_eq!(k.compare_into(column, ty, op, value, &mut got), expected, "{:?}", k.isa());
        assert!(expected.is_err() || got == want, "compare {:?}", k.isa());
        let mut got = vec![0u8; column.len()];
        let result = k.select_into(column, width, &bitmap, &mut got);
        assert_eq!(result, expected_sel, "select {:?}", k.isa());
        if let Ok(n) = result {
            assert_eq!(got[..n], selected[..n], "select {:?}", k.isa());
        }
        assert_eq!(bits(&k.aggregate(column, ty)), stats, "aggregate {:?}", k.isa());
    }
});
