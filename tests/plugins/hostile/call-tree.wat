;; call-tree: a call tree with no loop anywhere: f0 calls f1 twice, f1 calls f2 twice, ...
;; down to f40, 2^41 calls in all. A host that checks its deadline only at loop headers (wazero's
;; cancellation) never gets control back; fuel counted at function entries or an epoch check
;; there must stop it.
;; expect: transform timeout
(module
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
  (data (i32.const 128) "\a0\00\00\00\09\00\00\00\e0\00\00\00\05\00\00\00\00\00\00\00\00\00\00\00")
  (data (i32.const 160) "call-tree")
  (data (i32.const 224) "0.1.0")
  (func (export "describe") (result i32) (i32.const 128))
  (func (export "cabi_post_describe") (param i32))
  (func $f0 (call $f1) (call $f1))
  (func $f1 (call $f2) (call $f2))
  (func $f2 (call $f3) (call $f3))
  (func $f3 (call $f4) (call $f4))
  (func $f4 (call $f5) (call $f5))
  (func $f5 (call $f6) (call $f6))
  (func $f6 (call $f7) (call $f7))
  (func $f7 (call $f8) (call $f8))
  (func $f8 (call $f9) (call $f9))
  (func $f9 (call $f10) (call $f10))
  (func $f10 (call $f11) (call $f11))
  (func $f11 (call $f12) (call $f12))
  (func $f12 (call $f13) (call $f13))
  (func $f13 (call $f14) (call $f14))
  (func $f14 (call $f15) (call $f15))
  (func $f15 (call $f16) (call $f16))
  (func $f16 (call $f17) (call $f17))
  (func $f17 (call $f18) (call $f18))
  (func $f18 (call $f19) (call $f19))
  (func $f19 (call $f20) (call $f20))
  (func $f20 (call $f21) (call $f21))
  (func $f21 (call $f22) (call $f22))
  (func $f22 (call $f23) (call $f23))
  (func $f23 (call $f24) (call $f24))
  (func $f24 (call $f25) (call $f25))
  (func $f25 (call $f26) (call $f26))
  (func $f26 (call $f27) (call $f27))
  (func $f27 (call $f28) (call $f28))
  (func $f28 (call $f29) (call $f29))
  (func $f29 (call $f30) (call $f30))
  (func $f30 (call $f31) (call $f31))
  (func $f31 (call $f32) (call $f32))
  (func $f32 (call $f33) (call $f33))
  (func $f33 (call $f34) (call $f34))
  (func $f34 (call $f35) (call $f35))
  (func $f35 (call $f36) (call $f36))
  (func $f36 (call $f37) (call $f37))
  (func $f37 (call $f38) (call $f38))
  (func $f38 (call $f39) (call $f39))
  (func $f39 (call $f40) (call $f40))
  (func $f40)
  (func $transform (export "transform") (param $ptr i32) (param $len i32) (result i32)
    (call $f0)
    ;; ok(list): result area @32 (8-aligned): tag u8 @32, list ptr @40, list len @44
    (i32.store8 (i32.const 32) (i32.const 0))
    (i32.store (i32.const 40) (local.get $ptr))
    (i32.store (i32.const 44) (local.get $len))
    (i32.const 32))
  ;; every call starts from an empty heap
  (func (export "cabi_post_transform") (param i32) (global.set $heap (i32.const 1024)))
)
