//! Conformance harness (see tests/).
