;; Elementwise and reduction kernels the training loops use, in float64 (f64x2) and
;; float32 (f32x4). Every kernel reads and writes the scratch memory the caller copied
;; its operands into (addresses in bytes); float32 is computed in float32.
;;
;; Whole vectors only: a loop over n elements runs ⌈n / lanes⌉ vectors, so it reads up to
;; 15 bytes past each input and writes up to 15 bytes past the output. The caller leaves
;; that room after every region and copies out only the n results.
;;
;; Binary ops o[i] = x[i] ∘ y[i], i < n: x advances $sx bytes per vector (16, or 0 for a
;; single value the caller stored as a full 16-byte splat), y likewise by $sy. Each lane is
;; the same IEEE operation JavaScript does, so each result is exactly JS's (a float32 a∘b
;; rounded from float64 equals the float32 a∘b for + and ×: float64 has more than 2·24 + 2
;; bits). gt gives 1 where x > y, else 0 (NaN compares false), as the JS comparison does.

(func (export "add_f64") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 3)) (i32.const 15)) (i32.const -16))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f64x2.add (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec))))

(func (export "mul_f64") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 3)) (i32.const 15)) (i32.const -16))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f64x2.mul (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec))))

(func (export "gt_f64") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 3)) (i32.const 15)) (i32.const -16))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (v128.and (f64x2.gt (v128.load (local.get $x)) (v128.load (local.get $y))) (f64x2.splat (f64.const 1))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec))))

(func (export "add_f32") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 2)) (i32.const 15)) (i32.const -16))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f32x4.add (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec))))

(func (export "mul_f32") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 2)) (i32.const 15)) (i32.const -16))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f32x4.mul (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec))))

(func (export "gt_f32") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 2)) (i32.const 15)) (i32.const -16))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (v128.and (f32x4.gt (v128.load (local.get $x)) (v128.load (local.get $y))) (f32x4.splat (f32.const 1))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec))))

;; relu: o[i] = x[i] ≤ 0 ? 0 : x[i], as the JS kernel: −0 and negatives give +0, NaN stays NaN
;; (x ≤ 0 is false for NaN). Clears the lanes where x ≤ 0.

(func (export "relu_f64") (param $x i32) (param $o i32) (param $n i32)
  (local $end i32) (local $v v128)
  (local.set $end (i32.add (local.get $o) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 3)) (i32.const 15)) (i32.const -16))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (local.set $v (v128.load (local.get $x)))
    (v128.store (local.get $o) (v128.andnot (local.get $v) (f64x2.le (local.get $v) (v128.const i64x2 0 0))))
    (local.set $x (i32.add (local.get $x) (i32.const 16)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec))))

(func (export "relu_f32") (param $x i32) (param $o i32) (param $n i32)
  (local $end i32) (local $v v128)
  (local.set $end (i32.add (local.get $o) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 2)) (i32.const 15)) (i32.const -16))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (local.set $v (v128.load (local.get $x)))
    (v128.store (local.get $o) (v128.andnot (local.get $v) (f32x4.le (local.get $v) (v128.const i64x2 0 0))))
    (local.set $x (i32.add (local.get $x) (i32.const 16)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec))))

;; Column sums of a row-major rows × cols matrix: o[c] = Σ_r x[r, c], each column summed
;; from row 0 down, in the element type (as the JS accumulate loop, which adds row by row
;; into a typed array of the result's dtype): the same sums in the same order, so the
;; results are equal bit for bit. x is read once, in order, row after row; o (one row) stays
;; in cache: o = 0, then for each row o += that row. A row's last vector reads into the next
;; row; those lanes land past o's cols values, in the room the caller leaves.

(func (export "colsum_f64") (param $x i32) (param $rows i32) (param $cols i32) (param $o i32)
  (local $rb i32) (local $end i32) (local $p i32) (local $q i32)
  (local.set $rb (i32.shl (local.get $cols) (i32.const 3)))
  (local.set $end (i32.add (local.get $o) (i32.and (i32.add (local.get $rb) (i32.const 15)) (i32.const -16))))
  (memory.fill (local.get $o) (i32.const 0) (i32.sub (local.get $end) (local.get $o)))
  (block $rowsDone (loop $row
    (br_if $rowsDone (i32.eqz (local.get $rows)))
    (local.set $p (local.get $o))
    (local.set $q (local.get $x))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (v128.load (local.get $q))))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $vec)))
    (local.set $x (i32.add (local.get $x) (local.get $rb)))
    (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
    (br $row))))

(func (export "colsum_f32") (param $x i32) (param $rows i32) (param $cols i32) (param $o i32)
  (local $rb i32) (local $end i32) (local $p i32) (local $q i32)
  (local.set $rb (i32.shl (local.get $cols) (i32.const 2)))
  (local.set $end (i32.add (local.get $o) (i32.and (i32.add (local.get $rb) (i32.const 15)) (i32.const -16))))
  (memory.fill (local.get $o) (i32.const 0) (i32.sub (local.get $end) (local.get $o)))
  (block $rowsDone (loop $row
    (br_if $rowsDone (i32.eqz (local.get $rows)))
    (local.set $p (local.get $o))
    (local.set $q (local.get $x))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (v128.load (local.get $q))))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $vec)))
    (local.set $x (i32.add (local.get $x) (local.get $rb)))
    (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
    (br $row))))
