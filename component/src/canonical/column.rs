//! WIT interface `column`.

use super::exports::binpipe::kernels::column::{self, CmpOp, ElemType, Scalar, Stats};
use super::{Guest, WitKernelError, to_wit};

/// The crate's element type for the WIT one.
fn elem_type(ty: ElemType) -> binpipe_kernels::ElemType {
    use binpipe_kernels::ElemType as K;
    match ty {
        ElemType::U8 => K::U8,
        ElemType::U16 => K::U16,
        ElemType::U32 => K::U32,
        ElemType::U64 => K::U64,
        ElemType::I8 => K::I8,
        ElemType::I16 => K::I16,
        ElemType::I32 => K::I32,
        ElemType::I64 => K::I64,
        ElemType::F32 => K::F32,
        ElemType::F64 => K::F64,
    }
}

/// The crate's operator for the WIT one.
fn cmp_op(op: CmpOp) -> binpipe_kernels::CmpOp {
    use binpipe_kernels::CmpOp as K;
    match op {
        CmpOp::Eq => K::Eq,
        CmpOp::Ne => K::Ne,
        CmpOp::Lt => K::Lt,
        CmpOp::Le => K::Le,
        CmpOp::Gt => K::Gt,
        CmpOp::Ge => K::Ge,
    }
}

/// The crate's scalar for the WIT one.
fn to_scalar(value: Scalar) -> binpipe_kernels::Scalar {
    match value {
        Scalar::Unsigned(v) => binpipe_kernels::Scalar::Unsigned(v),
        Scalar::Signed(v) => binpipe_kernels::Scalar::Signed(v),
        Scalar::Float(v) => binpipe_kernels::Scalar::Float(v),
    }
}

/// The WIT scalar for the crate's one.
fn from_scalar(value: binpipe_kernels::Scalar) -> Scalar {
    match value {
        binpipe_kernels::Scalar::Unsigned(v) => Scalar::Unsigned(v),
        binpipe_kernels::Scalar::Signed(v) => Scalar::Signed(v),
        binpipe_kernels::Scalar::Float(v) => Scalar::Float(v),
    }
}

impl column::Guest for Guest {
    fn compare(
        column: Vec<u8>,
        ty: ElemType,
        op: CmpOp,
        value: Scalar,
    ) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::compare(&column, elem_type(ty), cmp_op(op), to_scalar(value))
            .map_err(to_wit)
    }

    fn select(column: Vec<u8>, width: u8, bitmap: Vec<u8>) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::select(&column, width, &bitmap).map_err(to_wit)
    }

    fn aggregate(column: Vec<u8>, ty: ElemType) -> Result<Stats, WitKernelError> {
        let stats = binpipe_kernels::aggregate(&column, elem_type(ty)).map_err(to_wit)?;
        Ok(Stats {
            count: stats.count,
            min: stats.min.map(from_scalar),
            max: stats.max.map(from_scalar),
            sum: from_scalar(stats.sum),
        })
    }
}
