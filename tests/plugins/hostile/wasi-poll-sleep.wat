;; wasi-poll-sleep: transform sleeps an hour through poll_oneoff (a relative clock
;; subscription), again and again, checking each answer (one event). The clock is virtual: no
;; sleep takes real time, so the loop is bounded by the deadline and fuel like any loop, and ends
;; as a timeout; the host never sleeps for the plugin.
;; wasi
;; expect: transform timeout
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
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
  (data (i32.const 128) "\a0\00\00\00\0f\00\00\00\e0\00\00\00\05\00\00\00\00\00\00\00\00\00\00\00")
  (data (i32.const 160) "wasi-poll-sleep")
  (data (i32.const 224) "0.1.0")
  (func (export "describe") (result i32) (i32.const 128))
  (func (export "cabi_post_describe") (param i32))
  (func $transform (export "transform") (param $ptr i32) (param $len i32) (result i32)
    ;; subscription @256: userdata 7, tag 0 (clock), id 1 (monotonic) @272, timeout 1 h @280
    (i64.store (i32.const 256) (i64.const 7))
    (i32.store8 (i32.const 264) (i32.const 0))
    (i32.store (i32.const 272) (i32.const 1))
    (i64.store (i32.const 280) (i64.const 3600000000000))
    (loop $again
    (if (i32.ne (call $poll_oneoff (i32.const 256) (i32.const 512) (i32.const 1) (i32.const 72)) (i32.const 0)) (then unreachable))
      (if (i32.ne (i32.load (i32.const 72)) (i32.const 1)) (then unreachable))
      (br $again))
    (i32.const 32))
  ;; every call starts from an empty heap
  (func (export "cabi_post_transform") (param i32) (global.set $heap (i32.const 1024)))
)
