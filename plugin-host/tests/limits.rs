//! The Rust host's default limits are the shared contract, `tests/plugins/limits.json`: every
//! name there has the same value in `Limits::default()`, and a name this host does not know
//! fails the test, so the two hosts cannot drift apart.

use std::path::Path;

use binpipe_plugin_host::Limits;

/// `Limits::default()` as the contract's (name, value) pairs; the deadline in milliseconds.
fn rust_defaults() -> Vec<(&'static str, u64)> {
    let l = Limits::default();
    let m = l.module;
    vec![
        ("memory_pages", u64::from(l.memory_pages)),
        ("deadline_ms", l.deadline.as_millis() as u64),
        ("max_output", l.max_output as u64),
        ("fuel", l.fuel),
        ("max_error_message_bytes", l.max_error_message_bytes as u64),
        ("max_module_bytes", m.max_module_bytes as u64),
        ("max_types", u64::from(m.max_types)),
        ("max_params", u64::from(m.max_params)),
        ("max_results", u64::from(m.max_results)),
        ("max_functions", u64::from(m.max_functions)),
        ("max_function_bytes", u64::from(m.max_function_bytes)),
        (
            "max_locals_per_function",
            u64::from(m.max_locals_per_function),
        ),
        ("max_locals", m.max_locals),
        ("max_nesting", u64::from(m.max_nesting)),
        ("max_br_table_targets", u64::from(m.max_br_table_targets)),
        ("max_function_blocks", u64::from(m.max_function_blocks)),
        ("max_blocks", m.max_blocks),
        ("max_globals", u64::from(m.max_globals)),
        ("max_tables", u64::from(m.max_tables)),
        ("max_table_elements", m.max_table_elements),
        ("max_data_segments", u64::from(m.max_data_segments)),
        ("max_element_segments", u64::from(m.max_element_segments)),
        ("max_exports", u64::from(m.max_exports)),
    ]
}

#[test]
fn defaults_are_the_shared_contract() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/plugins/limits.json");
    let text = std::fs::read_to_string(&path).expect("read tests/plugins/limits.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("limits.json is JSON");
    let contract = json["defaults"].as_object().expect("a `defaults` object");
    let ours = rust_defaults();
    for (name, value) in contract {
        let value = value
            .as_u64()
            .unwrap_or_else(|| panic!("{name}: not a whole number"));
        let rust = ours
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("limits.json names {name}, which plugin-host lacks"));
        assert_eq!(
            rust.1, value,
            "{name}: plugin-host's default differs from limits.json"
        );
    }
    for (name, _) in &ours {
        assert!(
            contract.contains_key(*name),
            "plugin-host has {name}, which limits.json lacks"
        );
    }
}

/// The minimal WASI's bounds and the module limits [`Limits::with_wasi`] raises are the
/// contract's `wasi` object, name by name (as the Go host's `TestWASIDefaultsMatchTheContract`).
#[test]
fn wasi_defaults_are_the_shared_contract() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/plugins/limits.json");
    let text = std::fs::read_to_string(&path).expect("read tests/plugins/limits.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("limits.json is JSON");
    let contract = json["wasi"].as_object().expect("a `wasi` object");
    let l = Limits::default().with_wasi();
    let ours = [
        ("max_data_segments", u64::from(l.module.max_data_segments)),
        ("max_blocks", l.module.max_blocks),
        ("max_log_bytes", binpipe_plugin_host::MAX_LOG_BYTES as u64),
        ("max_iovecs", u64::from(binpipe_plugin_host::MAX_IOVECS)),
        (
            "max_subscriptions",
            u64::from(binpipe_plugin_host::MAX_SUBSCRIPTIONS),
        ),
    ];
    assert_eq!(contract.len(), ours.len(), "{contract:?}");
    for (name, value) in ours {
        assert_eq!(contract[name].as_u64(), Some(value), "{name}");
    }
    assert!(l.wasi && !Limits::default().wasi);
}

/// A module (WAT) with `n` of something, and the limit that bounds it set to `limit`.
struct Case {
    name: &'static str,
    set: fn(&mut Limits, u32),
    module: fn(u32) -> String,
}

/// `n` copies of `text`.
fn times(n: u32, text: &str) -> String {
    text.repeat(n as usize)
}

/// One case per structural limit: a module with `n` of what the limit counts.
fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "max_types",
            set: |l, n| l.module.max_types = n,
            module: |n| format!("(module {})", times(n, "(type (func))")),
        },
        Case {
            name: "max_params",
            set: |l, n| l.module.max_params = n,
            module: |n| format!("(module (type (func (param {}))))", times(n, "i32 ")),
        },
        Case {
            name: "max_results",
            set: |l, n| l.module.max_results = n,
            module: |n| format!("(module (type (func (result {}))))", times(n, "i32 ")),
        },
        Case {
            name: "max_functions",
            set: |l, n| l.module.max_functions = n,
            module: |n| format!("(module {})", times(n, "(func)")),
        },
        Case {
            name: "max_function_bytes",
            set: |l, n| l.module.max_function_bytes = n,
            // A body of n bytes: a local count (1 byte), n - 2 nops, end.
            module: |n| format!("(module (func {}))", times(n - 2, "nop ")),
        },
        Case {
            name: "max_locals_per_function",
            set: |l, n| l.module.max_locals_per_function = n,
            module: |n| format!("(module (func (param i32) (local {})))", times(n, "i64 ")),
        },
        Case {
            name: "max_locals",
            set: |l, n| l.module.max_locals = u64::from(n),
            module: |n| format!("(module {})", times(n, "(func (local i32))")),
        },
        Case {
            name: "max_nesting",
            set: |l, n| l.module.max_nesting = n,
            module: |n| format!("(module (func {}{}))", times(n, "(block "), times(n, ")")),
        },
        Case {
            name: "max_br_table_targets",
            set: |l, n| l.module.max_br_table_targets = n,
            module: |n| {
                format!(
                    "(module (func (block (br_table {}(i32.const 0)))))",
                    times(n, "0 ")
                )
            },
        },
        Case {
            name: "max_function_blocks",
            set: |l, n| l.module.max_function_blocks = n,
            module: |n| format!("(module (func {}))", times(n, "(block) ")),
        },
        Case {
            name: "max_blocks",
            set: |l, n| l.module.max_blocks = u64::from(n),
            module: |n| format!("(module {})", times(n, "(func (block))")),
        },
        Case {
            name: "max_globals",
            set: |l, n| l.module.max_globals = n,
            module: |n| format!("(module {})", times(n, "(global i32 (i32.const 0))")),
        },
        Case {
            name: "max_tables",
            set: |l, n| l.module.max_tables = n,
            module: |n| format!("(module {})", times(n, "(table 0 funcref)")),
        },
        Case {
            name: "max_table_elements",
            set: |l, n| l.module.max_table_elements = u64::from(n),
            module: |n| format!("(module (table 1 funcref) (table {} funcref))", n - 1),
        },
        Case {
            name: "max_data_segments",
            set: |l, n| l.module.max_data_segments = n,
            module: |n| {
                format!(
                    "(module (memory 1) {})",
                    times(n, "(data (i32.const 0) \"a\")")
                )
            },
        },
        Case {
            name: "max_element_segments",
            set: |l, n| l.module.max_element_segments = n,
            module: |n| {
                format!(
                    "(module (table 1 funcref) (func $f) {})",
                    times(n, "(elem (i32.const 0) $f)")
                )
            },
        },
        Case {
            name: "max_exports",
            set: |l, n| l.module.max_exports = n,
            module: |n| {
                let exports: String = (0..n)
                    .map(|i| format!("(export \"e{i}\" (func $f))"))
                    .collect();
                format!("(module (func $f) {exports})")
            },
        },
    ]
}

#[test]
fn every_structural_limit_refuses_one_more_than_it_allows() {
    for case in cases() {
        for (n, limit) in [(5, 5), (6, 5)] {
            let wasm = wat::parse_str((case.module)(n)).expect("case module");
            let mut limits = Limits::default();
            (case.set)(&mut limits, limit);
            let err = binpipe_plugin_host::Plugin::load(&wasm, limits)
                .err()
                .expect("no plugin");
            assert_eq!(
                err.kind,
                binpipe_plugin_host::ErrorKind::Load,
                "{}: {err}",
                case.name
            );
            // At the limit the module gets past the structural checks (and fails later, for
            // lacking the plugin's exports); one more is refused, naming the limit.
            let named = err.message.contains(case.name);
            assert_eq!(
                named,
                n > limit,
                "{} with {n} (limit {limit}): {err}",
                case.name
            );
        }
    }
}

#[test]
fn a_module_above_max_module_bytes_is_refused_before_parsing() {
    let limits = Limits {
        module: binpipe_plugin_host::ModuleLimits {
            max_module_bytes: 8,
            ..Limits::default().module
        },
        ..Limits::default()
    };
    let err = binpipe_plugin_host::Plugin::load(&[0; 9], limits)
        .err()
        .expect("refused");
    assert!(err.message.contains("max_module_bytes"), "{err}");
}
