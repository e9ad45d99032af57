//! Random modules within the plugin contract, one per seed.

use arbitrary::Unstructured;
use wasmparser::{Validator, WasmFeatures};

/// What a seed gave.
pub enum Generated {
    /// wasm-smith could not make a module from the seed's bytes.
    None,
    /// A module that validates as wasm 2.0, and whether it uses externref, which the plugin
    /// contract refuses (neither host supports it).
    Valid(Vec<u8>, bool),
    /// A mutated module that does not, with the validator's reason.
    Invalid(Vec<u8>, String),
}

/// The fuel wasm-smith's termination pass gives each module: decremented at every loop
/// header and function entry, a trap when it runs out, the same on every host.
const TERMINATION_FUEL: u32 = 10_000;

/// SplitMix64: the bytes every seed's module is drawn from.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// wasm-smith's settings: wasm 2.0 (SIMD included, as in wazero's CoreFeaturesV2), nothing
/// after it; no imports; everything exported; small sizes.
fn config(seed: u64) -> wasm_smith::Config {
    wasm_smith::Config {
        max_imports: 0,
        export_everything: true,
        canonicalize_nans: true,
        threads_enabled: false,
        tail_call_enabled: false,
        gc_enabled: false,
        exceptions_enabled: false,
        memory64_enabled: false,
        relaxed_simd_enabled: false,
        extended_const_enabled: false,
        custom_page_sizes_enabled: false,
        wide_arithmetic_enabled: false,
        shared_everything_threads_enabled: false,
        custom_descriptors_enabled: false,
        max_memories: 1,
        max_memory32_bytes: 256 << 16,
        max_tables: 4,
        max_table_elements: 10_000,
        min_types: 1,
        min_funcs: 1,
        max_funcs: 30,
        max_instructions: 300,
        // Some modules use longer LEB128 encodings than needed, as compilers may.
        min_uleb_size: if seed.is_multiple_of(5) { 2 } else { 1 },
        ..wasm_smith::Config::default()
    }
}

/// The module of `seed`; one in four seeds has one byte replaced. With `funcref_only`,
/// wasm-smith draws it from the same bytes without reference types, so without externref,
/// which wasm-smith has no switch for on its own: most modules with reference types have an
/// externref somewhere, and the plugin contract refuses them.
pub fn generate(seed: u64, funcref_only: bool) -> Generated {
    let data = bytes(seed, 16 << 10);
    let mut u = Unstructured::new(&data);
    let mut config = config(seed);
    if funcref_only {
        config.reference_types_enabled = false;
    }
    let Ok(mut module) = wasm_smith::Module::new(config, &mut u) else {
        return Generated::None;
    };
    if module.ensure_termination(TERMINATION_FUEL).is_err() {
        return Generated::None;
    }
    let mut wasm = module.to_bytes();
    if seed % 4 == 3 && wasm.len() > 8 {
        let noise = bytes(!seed, 16);
        let at = 8
            + (u64::from_le_bytes(noise[..8].try_into().unwrap_or([0; 8]))
                % (wasm.len() as u64 - 8)) as usize;
        wasm[at] = noise[8];
    }
    match Validator::new_with_features(WasmFeatures::WASM2).validate_all(&wasm) {
        Ok(_) => {
            // Without GC_TYPES wasmparser refuses externref and accepts the rest of wasm 2.0.
            let externref = Validator::new_with_features(
                WasmFeatures::WASM2.difference(WasmFeatures::GC_TYPES),
            )
            .validate_all(&wasm)
            .is_err();
            Generated::Valid(wasm, externref)
        }
        Err(e) => Generated::Invalid(wasm, e.to_string()),
    }
}
