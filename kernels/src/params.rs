//! Parameter and result types shared by several kernels; each mirrors a WIT type of the same
//! name in `wit/kernels.wit`.

/// The two RFC 4648 base64 alphabets (WIT `codec.alphabet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alphabet {
    /// `A-Z a-z 0-9 + /` (RFC 4648 section 4).
    Standard,
    /// `A-Z a-z 0-9 - _` (RFC 4648 section 5).
    UrlSafe,
}

/// Why data is not UTF-8, exactly as [`core::str::Utf8Error`] says it (WIT
/// `validate.utf8-error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Utf8Error {
    /// Length of the longest valid UTF-8 prefix.
    pub valid_up_to: usize,
    /// Length (1 to 3) of the invalid sequence at `valid_up_to`, or `None` when the input ends
    /// inside a sequence that could still be completed.
    pub error_len: Option<u8>,
}

/// The element type of a little-endian column (WIT `column.elem-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ElemType {
    /// Unsigned 8-bit.
    U8,
    /// Unsigned 16-bit.
    U16,
    /// Unsigned 32-bit.
    U32,
    /// Unsigned 64-bit.
    U64,
    /// Signed 8-bit.
    I8,
    /// Signed 16-bit.
    I16,
    /// Signed 32-bit.
    I32,
    /// Signed 64-bit.
    I64,
    /// IEEE 754 binary32.
    F32,
    /// IEEE 754 binary64.
    F64,
}

impl ElemType {
    /// Every element type, in WIT order.
    pub const ALL: [ElemType; 10] = [
        ElemType::U8,
        ElemType::U16,
        ElemType::U32,
        ElemType::U64,
        ElemType::I8,
        ElemType::I16,
        ElemType::I32,
        ElemType::I64,
        ElemType::F32,
        ElemType::F64,
    ];

    /// Width of one element in bytes.
    pub const fn width(self) -> usize {
        match self {
            ElemType::U8 | ElemType::I8 => 1,
            ElemType::U16 | ElemType::I16 => 2,
            ElemType::U32 | ElemType::I32 | ElemType::F32 => 4,
            ElemType::U64 | ElemType::I64 | ElemType::F64 => 8,
        }
    }
}

/// A comparison operator (WIT `column.cmp-op`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Less than.
    Lt,
    /// Less than or equal.
    Le,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Ge,
}

impl CmpOp {
    /// Every operator, in WIT order.
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ];
}

/// One value of a column's class (WIT `column.scalar`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar {
    /// A value for unsigned columns.
    Unsigned(u64),
    /// A value for signed columns.
    Signed(i64),
    /// A value for float columns.
    Float(f64),
}

/// Summary of a column (WIT `column.stats`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// Number of elements.
    pub count: u64,
    /// Smallest element; `None` if the column is empty or (floats) all NaN.
    pub min: Option<Scalar>,
    /// Largest element; `None` as for `min`.
    pub max: Option<Scalar>,
    /// Wrapping 64-bit integer sum, or the 8-lane f64 sum of the contract.
    pub sum: Scalar,
}
