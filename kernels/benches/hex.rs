//! Placeholder: the hex kernel bench is being written (see the issue on the kernel suite).
fn main() {}
