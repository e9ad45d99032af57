package binpipe

// BackendCanonical runs every kernel through the module's canonical-ABI exports, as a
// component host would: the tests cross-check the fast path against it and the benchmarks
// measure what it costs. It is not part of the API (WithBackend accepts it only here).
const BackendCanonical = backendCanonical
