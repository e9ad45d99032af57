;; wasi-import-path-open: under the minimal WASI, imports path_open, which it does not offer
;; (no files): refused at load, like every function outside the set.
;; wasi
;; expect: load load
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; cabi_realloc: a bump allocator that grows memory when the heap passes its end; only
  ;; fresh allocations (old_size 0), which is all the canonical ABI asks of a plugin here.
  (global $heap (mut i32) (i32.const 1024))
  (func $cabi_realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.shl (memory.size) (i32.const 16)))
      (then
        (if (i32.eq
              (memory.grow
                (i32.shr_u
                  (i32.add
                    (i32.sub (global.get $heap) (i32.shl (memory.size) (i32.const 16)))
                    (i32.const 65535))
                  (i32.const 16)))
              (i32.const -1))
          (then unreachable))))
    (local.get $p))
  ;; describe's result area @128: name ptr/len, version ptr/len, record-size 0, max-batch 0
  (data (i32.const 128) "\a0\00\00\00\15\00\00\00\e0\00\00\00\05\00\00\00\00\00\00\00\00\00\00\00")
  (data (i32.const 160) "wasi-import-path-open")
  (data (i32.const 224) "0.1.0")
  (func (export "describe") (result i32) (i32.const 128))
  (func (export "cabi_post_describe") (param i32))
  (func $transform (export "transform") (param $ptr i32) (param $len i32) (result i32)
    ;; ok(list): result area @32 (8-aligned): tag u8 @32, list ptr @40, list len @44
    (i32.store8 (i32.const 32) (i32.const 0))
    (i32.store (i32.const 40) (local.get $ptr))
    (i32.store (i32.const 44) (local.get $len))
    (i32.const 32))
  ;; every call starts from an empty heap
  (func (export "cabi_post_transform") (param i32) (global.set $heap (i32.const 1024)))
)
