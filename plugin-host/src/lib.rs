//! `binpipe-plugin-host`: runs untrusted binpipe plugins (the `binpipe:plugin` world in
//! `wit/plugin/plugin.wit`) under wasmtime.
