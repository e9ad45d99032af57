//! Placeholder: the extract kernel bench is being written (see the issue on the kernel suite).
fn main() {}
