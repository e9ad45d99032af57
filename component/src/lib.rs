//! The binpipe wasm guest: a thin layer over `binpipe-kernels`, with no algorithms of its own.
//!
//! Built for `wasm32-unknown-unknown` (see `build.sh`) into one core module with two export
//! surfaces:
//! 1. the canonical-ABI exports that wit-bindgen generates from `wit/kernels.wit`
//!    (`binpipe:kernels/<interface>@0.1.0#<function>`), which wasmtime users reach through
//!    the component and the Go host reaches through its own canonical-ABI glue;
//! 2. the fast-path ABI (`bp_*`, see [`fastpath`] and docs/abi.md): plain pointer + length
//!    calls on buffers the host owns, so the Go host pays no allocation per call.
//!
//! On other targets the crate is empty: it exists only as a wasm module.
#![cfg(target_arch = "wasm32")]

mod canonical;
pub mod fastpath;
