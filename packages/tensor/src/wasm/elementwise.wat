;; Elementwise and reduction kernels the training loops use, in float64 (f64x2) and
;; float32 (f32x4). Every kernel reads and writes the scratch memory the caller copied
;; its operands into (addresses in bytes, 16-byte aligned); float32 is computed in float32.
;;
;; Binary ops o[i] = x[i] ∘ y[i], i < n: x advances $sx bytes per vector (16, or 0 for a
;; single value the caller stored as a full 16-byte splat), y likewise by $sy; the last
;; n mod lanes elements run one at a time (a vector's step scaled to one element). The
;; vector op and the scalar op are the same IEEE operation, so each element is exactly
;; what JavaScript computes (a float32 a∘b rounded from float64 equals the float32 a∘b
;; for + − × ÷: float64 has more than 2·24 + 2 bits). gt gives 1 where x > y, else 0
;; (NaN compares false), as the JS comparison kernels do.

(func (export "add_f64") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f64x2.add (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $sx (i32.shr_u (local.get $sx) (i32.const 1)))
  (local.set $sy (i32.shr_u (local.get $sy) (i32.const 1)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 1)) (i32.const 3))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (f64.store (local.get $o) (f64.add (f64.load (local.get $x)) (f64.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 8)))
    (br $one))))

(func (export "sub_f64") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f64x2.sub (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $sx (i32.shr_u (local.get $sx) (i32.const 1)))
  (local.set $sy (i32.shr_u (local.get $sy) (i32.const 1)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 1)) (i32.const 3))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (f64.store (local.get $o) (f64.sub (f64.load (local.get $x)) (f64.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 8)))
    (br $one))))

(func (export "mul_f64") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f64x2.mul (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $sx (i32.shr_u (local.get $sx) (i32.const 1)))
  (local.set $sy (i32.shr_u (local.get $sy) (i32.const 1)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 1)) (i32.const 3))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (f64.store (local.get $o) (f64.mul (f64.load (local.get $x)) (f64.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 8)))
    (br $one))))

(func (export "div_f64") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f64x2.div (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $sx (i32.shr_u (local.get $sx) (i32.const 1)))
  (local.set $sy (i32.shr_u (local.get $sy) (i32.const 1)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 1)) (i32.const 3))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (f64.store (local.get $o) (f64.div (f64.load (local.get $x)) (f64.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 8)))
    (br $one))))

(func (export "gt_f64") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (v128.and (f64x2.gt (v128.load (local.get $x)) (v128.load (local.get $y))) (f64x2.splat (f64.const 1))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $sx (i32.shr_u (local.get $sx) (i32.const 1)))
  (local.set $sy (i32.shr_u (local.get $sy) (i32.const 1)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 1)) (i32.const 3))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (f64.store (local.get $o) (select (f64.const 1) (f64.const 0) (f64.gt (f64.load (local.get $x)) (f64.load (local.get $y)))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 8)))
    (br $one))))

(func (export "add_f32") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f32x4.add (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $sx (i32.shr_u (local.get $sx) (i32.const 2)))
  (local.set $sy (i32.shr_u (local.get $sy) (i32.const 2)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (f32.store (local.get $o) (f32.add (f32.load (local.get $x)) (f32.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 4)))
    (br $one))))

(func (export "sub_f32") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f32x4.sub (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $sx (i32.shr_u (local.get $sx) (i32.const 2)))
  (local.set $sy (i32.shr_u (local.get $sy) (i32.const 2)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (f32.store (local.get $o) (f32.sub (f32.load (local.get $x)) (f32.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 4)))
    (br $one))))

(func (export "mul_f32") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f32x4.mul (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $sx (i32.shr_u (local.get $sx) (i32.const 2)))
  (local.set $sy (i32.shr_u (local.get $sy) (i32.const 2)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (f32.store (local.get $o) (f32.mul (f32.load (local.get $x)) (f32.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 4)))
    (br $one))))

(func (export "div_f32") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (f32x4.div (v128.load (local.get $x)) (v128.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $sx (i32.shr_u (local.get $sx) (i32.const 2)))
  (local.set $sy (i32.shr_u (local.get $sy) (i32.const 2)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (f32.store (local.get $o) (f32.div (f32.load (local.get $x)) (f32.load (local.get $y))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 4)))
    (br $one))))

(func (export "gt_f32") (param $x i32) (param $sx i32) (param $y i32) (param $sy i32) (param $o i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (v128.store (local.get $o) (v128.and (f32x4.gt (v128.load (local.get $x)) (v128.load (local.get $y))) (f32x4.splat (f32.const 1))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $sx (i32.shr_u (local.get $sx) (i32.const 2)))
  (local.set $sy (i32.shr_u (local.get $sy) (i32.const 2)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (f32.store (local.get $o) (select (f32.const 1) (f32.const 0) (f32.gt (f32.load (local.get $x)) (f32.load (local.get $y)))))
    (local.set $x (i32.add (local.get $x) (local.get $sx)))
    (local.set $y (i32.add (local.get $y) (local.get $sy)))
    (local.set $o (i32.add (local.get $o) (i32.const 4)))
    (br $one))))

;; relu: o[i] = x[i] ≤ 0 ? 0 : x[i], as the JS kernel: −0 and negatives give +0, NaN stays NaN
;; (x ≤ 0 is false for NaN). The vector form clears the lanes where x ≤ 0.

(func (export "relu_f64") (param $x i32) (param $o i32) (param $n i32)
  (local $end i32) (local $v v128) (local $s f64)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (local.set $v (v128.load (local.get $x)))
    (v128.store (local.get $o) (v128.andnot (local.get $v) (f64x2.le (local.get $v) (v128.const i64x2 0 0))))
    (local.set $x (i32.add (local.get $x) (i32.const 16)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 1)) (i32.const 3))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (local.set $s (f64.load (local.get $x)))
    (f64.store (local.get $o) (select (f64.const 0) (local.get $s) (f64.le (local.get $s) (f64.const 0))))
    (local.set $x (i32.add (local.get $x) (i32.const 8)))
    (local.set $o (i32.add (local.get $o) (i32.const 8)))
    (br $one))))

(func (export "relu_f32") (param $x i32) (param $o i32) (param $n i32)
  (local $end i32) (local $v v128) (local $s f32)
  (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (block $done (loop $vec
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (local.set $v (v128.load (local.get $x)))
    (v128.store (local.get $o) (v128.andnot (local.get $v) (f32x4.le (local.get $v) (v128.const i64x2 0 0))))
    (local.set $x (i32.add (local.get $x) (i32.const 16)))
    (local.set $o (i32.add (local.get $o) (i32.const 16)))
    (br $vec)))
  (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
  (block $done (loop $one
    (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
    (local.set $s (f32.load (local.get $x)))
    (f32.store (local.get $o) (select (f32.const 0) (local.get $s) (f32.le (local.get $s) (f32.const 0))))
    (local.set $x (i32.add (local.get $x) (i32.const 4)))
    (local.set $o (i32.add (local.get $o) (i32.const 4)))
    (br $one))))

;; Column sums of a row-major rows × cols matrix: o[c] = Σ_r x[r, c], each column summed
;; from row 0 down, in the element type (as the JS accumulate loop, which adds row by row
;; into a typed array of the result's dtype): the same sums in the same order, so the
;; results are equal bit for bit. x is read once, in order, row after row; o (one row) stays
;; in cache: o = 0, then for each row o += that row, by vectors, the last columns one by one.
(func (export "colsum_f64") (param $x i32) (param $rows i32) (param $cols i32) (param $o i32)
  (local $vend i32) (local $end i32) (local $p i32) (local $r i32)
  (local.set $vend (i32.add (local.get $o) (i32.shl (i32.and (local.get $cols) (i32.const -2)) (i32.const 3))))
  (local.set $end (i32.add (local.get $o) (i32.shl (local.get $cols) (i32.const 3))))
  (memory.fill (local.get $o) (i32.const 0) (i32.shl (local.get $cols) (i32.const 3)))
  (block $rowsDone (loop $row
    (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $p (local.get $o))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $p) (local.get $vend)))
      (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (v128.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $vec)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br $one)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $row))))
(func (export "colsum_f32") (param $x i32) (param $rows i32) (param $cols i32) (param $o i32)
  (local $vend i32) (local $end i32) (local $p i32) (local $r i32)
  (local.set $vend (i32.add (local.get $o) (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2))))
  (local.set $end (i32.add (local.get $o) (i32.shl (local.get $cols) (i32.const 2))))
  (memory.fill (local.get $o) (i32.const 0) (i32.shl (local.get $cols) (i32.const 2)))
  (block $rowsDone (loop $row
    (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $p (local.get $o))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $p) (local.get $vend)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (v128.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $vec)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (f32.store (local.get $p) (f32.add (f32.load (local.get $p)) (f32.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $one)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $row))))
