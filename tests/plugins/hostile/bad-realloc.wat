;; bad-realloc: cabi_realloc, which the host calls to get room for the batch it copies in,
;; answers with an address near the end of the 4 GiB space, far outside memory; the host must
;; check it before writing a byte there.
;; expect: transform protocol
(module
  (memory (export "memory") 1)
  ;; cabi_realloc: always answers 0xfffff000, outside the 1-page memory
  (global $heap (mut i32) (i32.const 1024))
  (func $cabi_realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (i32.const 0xfffff000))
  ;; describe's result area @128: name ptr/len, version ptr/len, record-size 0, max-batch 0
  (data (i32.const 128) "\a0\00\00\00\0b\00\00\00\e0\00\00\00\05\00\00\00\00\00\00\00\00\00\00\00")
  (data (i32.const 160) "bad-realloc")
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
