;; The fused cross-entropy forward kernels in float64, two lanes at a time; the same
;; math as crossEntropyKernels.ts (which documents it), with exp and log1p from math.wat.
;; Addresses are bytes; rows are `cols` float64s apart. Each returns Σ loss (the total the
;; 'sum' and mean reductions need), or NaN when the target check ($flags & 2 for softmax,
;; & 8 for sigmoid) finds a target outside [0, 1] (or, softmax, a row not summing to 1 ± 1e-3).
;; e may be the same address as z (written in place: each z is read before its e is stored).

;; Lane 0 of a vector, lane 1 cleared (for a row's odd last element).
(func $lane0 (param $v v128) (result v128)
  (v128.and (local.get $v) (v128.const i64x2 -1 0)))

;; max_c z_c over one row, NaN skipped as `if (z > m) m = z` does (pmax keeps the first operand unless it is less).
(func $rowMax (param $zr i32) (param $cols i32) (result f64)
  (local $mv v128) (local $end i32) (local $m f64)
  (local.set $mv (f64x2.splat (f64.const -inf)))
  (local.set $end (i32.add (local.get $zr) (i32.shl (i32.and (local.get $cols) (i32.const -2)) (i32.const 3))))
  (block $done (loop $l
    (br_if $done (i32.ge_u (local.get $zr) (local.get $end)))
    (local.set $mv (f64x2.pmax (local.get $mv) (v128.load (local.get $zr))))
    (local.set $zr (i32.add (local.get $zr) (i32.const 16)))
    (br $l)))
  (local.set $m (f64x2.extract_lane 0 (local.get $mv)))
  (if (f64.gt (f64x2.extract_lane 1 (local.get $mv)) (local.get $m)) (then (local.set $m (f64x2.extract_lane 1 (local.get $mv)))))
  (if (i32.and (local.get $cols) (i32.const 1))
    (then (if (f64.gt (f64.load (local.get $zr)) (local.get $m)) (then (local.set $m (f64.load (local.get $zr)))))))
  (local.get $m))

;; Are both lanes of p in [0, 1] (not NaN)? All ones where so.
(func $unit (param $pv v128) (result v128)
  (v128.and (f64x2.ge (local.get $pv) (v128.const i64x2 0 0)) (f64x2.le (local.get $pv) (f64x2.splat (f64.const 1)))))

;; loss[r] = Σ_c p_c (m − z_c) + (Σ_c p_c)·log s,  s = Σ_c e^{z_c − m};  residuals e = e^{z − m}, rowSum = s, targetSum = Σp.
;; A term with p_c = 0 is left out of Σ p (m − z) (so z = −∞ there adds nothing).
;; $flags: 1 writes the residuals, 2 checks that every target row is a distribution (see above).
(func (export "softmax_xent_f64")
  (param $z i32) (param $p i32) (param $rows i32) (param $cols i32) (param $loss i32)
  (param $e i32) (param $rowSum i32) (param $targetSum i32) (param $flags i32) (result f64)
  (local $r i32) (local $i i32) (local $pairs i32) (local $m f64) (local $mv v128)
  (local $zv v128) (local $pv v128) (local $ev v128) (local $sv v128) (local $acc v128) (local $ps v128)
  (local $s f64) (local $psum f64) (local $rowBytes i32) (local $want i32) (local $lr f64) (local $total f64)
  (local $ok v128) (local $rowsOk i32)
  (local.set $want (i32.and (local.get $flags) (i32.const 1)))
  (local.set $ok (v128.const i64x2 -1 -1))
  (local.set $rowsOk (i32.const 1))
  (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
  (local.set $pairs (i32.shl (i32.and (local.get $cols) (i32.const -2)) (i32.const 3)))
  (block $rdone (loop $rl
    (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $m (call $rowMax (local.get $z) (local.get $cols)))
    (local.set $mv (f64x2.splat (local.get $m)))
    (local.set $sv (v128.const i64x2 0 0)) (local.set $acc (v128.const i64x2 0 0)) (local.set $ps (v128.const i64x2 0 0))
    (local.set $i (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $pairs)))
      (local.set $zv (v128.load (i32.add (local.get $z) (local.get $i))))
      (local.set $pv (v128.load (i32.add (local.get $p) (local.get $i))))
      (local.set $ev (call $exp2 (f64x2.sub (local.get $zv) (local.get $mv))))
      (if (local.get $want) (then (v128.store (i32.add (local.get $e) (local.get $i)) (local.get $ev))))
      (local.set $sv (f64x2.add (local.get $sv) (local.get $ev)))
      (local.set $acc (f64x2.add (local.get $acc) (v128.and (f64x2.mul (local.get $pv) (f64x2.sub (local.get $mv) (local.get $zv)))
                                                          (f64x2.ne (local.get $pv) (v128.const i64x2 0 0)))))
      (local.set $ps (f64x2.add (local.get $ps) (local.get $pv)))
      (local.set $ok (v128.and (local.get $ok) (call $unit (local.get $pv))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $l)))
    (if (i32.and (local.get $cols) (i32.const 1))
      (then
        (local.set $zv (v128.load64_zero (i32.add (local.get $z) (local.get $i))))
        (local.set $pv (v128.load64_zero (i32.add (local.get $p) (local.get $i))))
        (local.set $ok (v128.and (local.get $ok) (call $unit (local.get $pv)))) ;; lane 1 is 0: in range
        (local.set $ev (call $lane0 (call $exp2 (f64x2.sub (local.get $zv) (local.get $mv)))))
        (if (local.get $want) (then (f64.store (i32.add (local.get $e) (local.get $i)) (f64x2.extract_lane 0 (local.get $ev)))))
        (local.set $sv (f64x2.add (local.get $sv) (local.get $ev)))
        (local.set $acc (f64x2.add (local.get $acc) (v128.and (f64x2.mul (local.get $pv) (f64x2.sub (local.get $mv) (local.get $zv)))
                                                            (f64x2.ne (local.get $pv) (v128.const i64x2 0 0)))))
        (local.set $ps (f64x2.add (local.get $ps) (local.get $pv)))))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $sv)) (f64x2.extract_lane 1 (local.get $sv))))
    (local.set $psum (f64.add (f64x2.extract_lane 0 (local.get $ps)) (f64x2.extract_lane 1 (local.get $ps))))
    (local.set $lr
      (f64.add (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc)))
               (f64.mul (local.get $psum) (call $log_ge1 (local.get $s)))))
    (f64.store (local.get $loss) (local.get $lr))
    (local.set $total (f64.add (local.get $total) (local.get $lr)))
    ;; |Σp − 1| ≤ 1e-3, false for NaN
    (local.set $rowsOk (i32.and (local.get $rowsOk) (f64.le (f64.abs (f64.sub (local.get $psum) (f64.const 1))) (f64.const 1e-3))))
    (if (local.get $want) (then
      (f64.store (local.get $rowSum) (local.get $s))
      (f64.store (local.get $targetSum) (local.get $psum))))
    (local.set $z (i32.add (local.get $z) (local.get $rowBytes)))
    (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
    (local.set $e (i32.add (local.get $e) (local.get $rowBytes)))
    (local.set $loss (i32.add (local.get $loss) (i32.const 8)))
    (local.set $rowSum (i32.add (local.get $rowSum) (i32.const 8)))
    (local.set $targetSum (i32.add (local.get $targetSum) (i32.const 8)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rl)))
  (if (i32.and (local.get $flags) (i32.const 2))
    (then (if (i32.eqz (i32.and (local.get $rowsOk) (i64x2.all_true (local.get $ok)))) (then (return (f64.const nan))))))
  (local.get $total))

;; loss[r] = (m − z_y) + log s for y = labels[r] (int32); y < 0 (ignored): loss 0 and zero residuals.
(func (export "sparse_softmax_xent_f64")
  (param $z i32) (param $labels i32) (param $rows i32) (param $cols i32) (param $loss i32)
  (param $e i32) (param $rowSum i32) (param $want i32) (result f64)
  (local $r i32) (local $i i32) (local $pairs i32) (local $y i32) (local $m f64) (local $mv v128)
  (local $ev v128) (local $sv v128) (local $s f64) (local $rowBytes i32) (local $lr f64) (local $total f64)
  (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
  (local.set $pairs (i32.shl (i32.and (local.get $cols) (i32.const -2)) (i32.const 3)))
  (block $rdone (loop $rl
    (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $y (i32.load (local.get $labels)))
    (if (i32.lt_s (local.get $y) (i32.const 0))
      (then
        (f64.store (local.get $loss) (f64.const 0))
        (if (local.get $want) (then
          (memory.fill (local.get $e) (i32.const 0) (local.get $rowBytes))
          (f64.store (local.get $rowSum) (f64.const 0)))))
      (else
        (local.set $m (call $rowMax (local.get $z) (local.get $cols)))
        (local.set $mv (f64x2.splat (local.get $m)))
        ;; m − z_y first: with e = z in place, z_y is overwritten below
        (f64.store (local.get $loss) (f64.sub (local.get $m) (f64.load (i32.add (local.get $z) (i32.shl (local.get $y) (i32.const 3))))))
        (local.set $sv (v128.const i64x2 0 0))
        (local.set $i (i32.const 0))
        (block $done (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $pairs)))
          (local.set $ev (call $exp2 (f64x2.sub (v128.load (i32.add (local.get $z) (local.get $i))) (local.get $mv))))
          (if (local.get $want) (then (v128.store (i32.add (local.get $e) (local.get $i)) (local.get $ev))))
          (local.set $sv (f64x2.add (local.get $sv) (local.get $ev)))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $l)))
        (if (i32.and (local.get $cols) (i32.const 1))
          (then
            (local.set $ev (call $lane0 (call $exp2 (f64x2.sub (v128.load64_zero (i32.add (local.get $z) (local.get $i))) (local.get $mv)))))
            (if (local.get $want) (then (f64.store (i32.add (local.get $e) (local.get $i)) (f64x2.extract_lane 0 (local.get $ev)))))
            (local.set $sv (f64x2.add (local.get $sv) (local.get $ev)))))
        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $sv)) (f64x2.extract_lane 1 (local.get $sv))))
        (local.set $lr (f64.add (f64.load (local.get $loss)) (call $log_ge1 (local.get $s))))
        (f64.store (local.get $loss) (local.get $lr))
        (local.set $total (f64.add (local.get $total) (local.get $lr)))
        (if (local.get $want) (then (f64.store (local.get $rowSum) (local.get $s))))))
    (local.set $z (i32.add (local.get $z) (local.get $rowBytes)))
    (local.set $e (i32.add (local.get $e) (local.get $rowBytes)))
    (local.set $labels (i32.add (local.get $labels) (i32.const 4)))
    (local.set $loss (i32.add (local.get $loss) (i32.const 8)))
    (local.set $rowSum (i32.add (local.get $rowSum) (i32.const 8)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rl)))
  (local.get $total))

;; Two lanes of the sigmoid cross entropy at $i (byte offset into z, p, w, loss, sig, sigNeg):
;;   e = e^{−|z|},  loss = max(z, 0) − z·p + log1p(e)                                (no w)
;;                  loss = (1 − p)·z + (1 + (w − 1)·p)·(log1p(e) + max(−z, 0))          (w, $flags & 1)
;;   σ(z) = (z ≥ 0 ? 1 : e)·(1/(1 + e)) → sig ($flags & 2),   σ(−z) = (z ≥ 0 ? e : 1)·(1/(1 + e)) → sigNeg ($flags & 4)
(func $sigmoidPair (param $zv v128) (param $pv v128) (param $wv v128) (param $flags i32) (result v128 v128 v128)
  (local $ev v128) (local $l1 v128) (local $opz v128) (local $ge v128) (local $lv v128) (local $one v128)
  (local.set $one (f64x2.splat (f64.const 1)))
  (local.set $ev (call $exp2 (f64x2.neg (f64x2.abs (local.get $zv)))))
  (local.set $l1 (call $log1p2 (local.get $ev)))
  (if (i32.and (local.get $flags) (i32.const 1))
    (then (local.set $lv (f64x2.add (f64x2.mul (f64x2.sub (local.get $one) (local.get $pv)) (local.get $zv))
      (f64x2.mul (f64x2.add (local.get $one) (f64x2.mul (f64x2.sub (local.get $wv) (local.get $one)) (local.get $pv)))
                 (f64x2.add (local.get $l1) (f64x2.pmax (v128.const i64x2 0 0) (f64x2.neg (local.get $zv))))))))
    (else (local.set $lv (f64x2.add (f64x2.sub (f64x2.pmax (v128.const i64x2 0 0) (local.get $zv))
                                               (f64x2.mul (local.get $zv) (local.get $pv)))
                                    (local.get $l1)))))
  (local.set $opz (f64x2.div (local.get $one) (f64x2.add (local.get $one) (local.get $ev)))) ;; 1/(1 + e): one division for both
  (local.set $ge (f64x2.ge (local.get $zv) (v128.const i64x2 0 0)))
  (local.get $lv)
  (f64x2.mul (v128.bitselect (local.get $one) (local.get $ev) (local.get $ge)) (local.get $opz))
  (f64x2.mul (v128.bitselect (local.get $ev) (local.get $one) (local.get $ge)) (local.get $opz)))

;; Elementwise sigmoid cross entropy over n float64 values (see $sigmoidPair); w is read only with $flags & 1.
;; $flags: 1 w, 2 writes σ(z), 4 writes σ(−z), 8 checks every target is in [0, 1], 16 writes the loss values.
(func (export "sigmoid_xent_f64")
  (param $z i32) (param $p i32) (param $w i32) (param $n i32) (param $loss i32) (param $sig i32) (param $sigNeg i32) (param $flags i32)
  (result f64)
  (local $i i32) (local $pairs i32) (local $lv v128) (local $sv v128) (local $snv v128) (local $wv v128) (local $pv v128)
  (local $tv v128) (local $ok v128)
  (local.set $pairs (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
  (local.set $wv (v128.const i64x2 0 0))
  (local.set $ok (v128.const i64x2 -1 -1))
  (block $done (loop $l
    (br_if $done (i32.ge_u (local.get $i) (local.get $pairs)))
    (if (i32.and (local.get $flags) (i32.const 1)) (then (local.set $wv (v128.load (i32.add (local.get $w) (local.get $i))))))
    (local.set $pv (v128.load (i32.add (local.get $p) (local.get $i))))
    (call $sigmoidPair (v128.load (i32.add (local.get $z) (local.get $i))) (local.get $pv) (local.get $wv) (local.get $flags))
    (local.set $snv) (local.set $sv) (local.set $lv)
    (local.set $tv (f64x2.add (local.get $tv) (local.get $lv)))
    (local.set $ok (v128.and (local.get $ok) (call $unit (local.get $pv))))
    (if (i32.and (local.get $flags) (i32.const 16)) (then (v128.store (i32.add (local.get $loss) (local.get $i)) (local.get $lv))))
    (if (i32.and (local.get $flags) (i32.const 2)) (then (v128.store (i32.add (local.get $sig) (local.get $i)) (local.get $sv))))
    (if (i32.and (local.get $flags) (i32.const 4)) (then (v128.store (i32.add (local.get $sigNeg) (local.get $i)) (local.get $snv))))
    (local.set $i (i32.add (local.get $i) (i32.const 16)))
    (br $l)))
  (if (i32.and (local.get $n) (i32.const 1))
    (then
      (if (i32.and (local.get $flags) (i32.const 1)) (then (local.set $wv (v128.load64_zero (i32.add (local.get $w) (local.get $i))))))
      (local.set $pv (v128.load64_zero (i32.add (local.get $p) (local.get $i))))
      (call $sigmoidPair (v128.load64_zero (i32.add (local.get $z) (local.get $i))) (local.get $pv) (local.get $wv) (local.get $flags))
      (local.set $snv) (local.set $sv) (local.set $lv)
      (local.set $tv (f64x2.add (local.get $tv) (call $lane0 (local.get $lv)))) ;; lane 1 (z = p = 0) is not a value
      (local.set $ok (v128.and (local.get $ok) (call $unit (local.get $pv))))
      (if (i32.and (local.get $flags) (i32.const 16)) (then (f64.store (i32.add (local.get $loss) (local.get $i)) (f64x2.extract_lane 0 (local.get $lv)))))
      (if (i32.and (local.get $flags) (i32.const 2)) (then (f64.store (i32.add (local.get $sig) (local.get $i)) (f64x2.extract_lane 0 (local.get $sv)))))
      (if (i32.and (local.get $flags) (i32.const 4))
        (then (f64.store (i32.add (local.get $sigNeg) (local.get $i)) (f64x2.extract_lane 0 (local.get $snv)))))))
  (if (i32.and (local.get $flags) (i32.const 8))
    (then (if (i32.eqz (i64x2.all_true (local.get $ok))) (then (return (f64.const nan))))))
  (f64.add (f64x2.extract_lane 0 (local.get $tv)) (f64x2.extract_lane 1 (local.get $tv))))
