//! Support shared by the integration tests (and, through `#[path]`, the bench).

pub mod wasm;
