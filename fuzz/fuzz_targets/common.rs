//! Shared by every fuzz target: the tiers to compare and a reader of fuzzer-chosen parameters.
#![allow(dead_code)] // each target uses part of it

use binpipe_kernels::{Isa, Kernels};

/// Every tier this CPU runs, scalar reference first.
pub fn tiers() -> Vec<Kernels> {
    Isa::available().filter_map(Kernels::new).collect()
}

/// Takes parameters from the front of the fuzzer's input; the rest is the data.
pub struct Params<'a> {
    bytes: &'a [u8],
}

impl<'a> Params<'a> {
    /// Wraps the fuzzer's input.
    pub fn new(bytes: &'a [u8]) -> Self {
        Params { bytes }
    }

    /// The next byte, 0 once the input is exhausted.
    pub fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((&b, rest)) => {
                self.bytes = rest;
                b
            }
            None => 0,
        }
    }

    /// The next `N` bytes as a little-endian integer (zero-padded).
    pub fn u64(&mut self) -> u64 {
        let mut v = 0u64;
        for i in 0..8 {
            v |= u64::from(self.byte()) << (8 * i);
        }
        v
    }

    /// Up to `n` bytes taken off the front.
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.bytes.split_at(n.min(self.bytes.len()));
        self.bytes = rest;
        head
    }

    /// Whatever is left: the data argument.
    pub fn rest(self) -> &'a [u8] {
        self.bytes
    }
}
