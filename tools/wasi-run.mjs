#!/usr/bin/env -S node --no-warnings
// Runs a wasm32-wasip1 program (a cargo test binary) under Node's WASI, passing its
// arguments and exit code through. Used as cargo's runner for wasm32-wasip1, so
// `cargo test --target wasm32-wasip1` runs the kernel tests inside a real wasm engine
// (V8), with or without simd128 depending on how they were compiled.
import { readFile } from "node:fs/promises";
import { WASI } from "node:wasi";
import process from "node:process";

const [, , program, ...args] = process.argv;
const wasi = new WASI({
  version: "preview1",
  args: [program, ...args],
  env: process.env,
  preopens: { "/": "/" },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(program));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
