;; Vectorised exp and log1p in float64 (two lanes at a time), after fdlibm's
;; e_exp.c and s_log1p.c / e_log.c (the algorithms V8's Math.exp and Math.log1p use),
;; so both agree with Math.exp / Math.log1p to within 2 ulp over the whole range
;; (a test sweeps it).

;; exp(x) = 2^k · e^r,  k = round(x / ln2),  r = x − k·ln2 ∈ [−ln2/2, ln2/2], ln2 = ln2hi + ln2lo
;; (ln2hi has its low bits zero, so k·ln2hi is exact); on [−ln2/2, ln2/2]:
;;   c = r − r²·(P1 + r²·(P2 + r²·(P3 + r²·(P4 + r²·P5)))),   e^r = 1 − ((lo − r·c/(2 − c)) − hi)
;; 2^k is applied as 2^⌊k/2⌋ · 2^(k−⌊k/2⌋), two normal powers of two, so results that are
;; subnormal round once and exp(x) overflows to ∞ exactly where it should. x is first
;; clamped to [−746, 710] (beyond, the result is 0 or ∞ anyway) with pmax/pmin, which keep NaN.
;; k is rounded by adding 1.5·2^52 (round to nearest even): the low 32 bits of the sum are then k as an integer.
(func $exp2 (param $x v128) (result v128)
  (local $t v128) (local $k v128) (local $hi v128) (local $lo v128) (local $r v128) (local $c v128) (local $y v128)
  (local $ki v128) (local $k1 v128)
  (local.set $x (f64x2.pmin (f64x2.pmax (local.get $x) (f64x2.splat (f64.const -746))) (f64x2.splat (f64.const 710))))
  (local.set $t (f64x2.add (f64x2.mul (local.get $x) (f64x2.splat (f64.const 1.44269504088896338700e+00)))
                           (f64x2.splat (f64.const 6755399441055744))))
  (local.set $k (f64x2.sub (local.get $t) (f64x2.splat (f64.const 6755399441055744))))
  (local.set $hi (f64x2.sub (local.get $x) (f64x2.mul (local.get $k) (f64x2.splat (f64.const 6.93147180369123816490e-01)))))
  (local.set $lo (f64x2.mul (local.get $k) (f64x2.splat (f64.const 1.90821492927058770002e-10))))
  (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
  (local.set $c (f64x2.mul (local.get $r) (local.get $r)))
  (local.set $c (f64x2.sub (local.get $r) (f64x2.mul (local.get $c)
    (f64x2.add (f64x2.splat (f64.const 1.66666666666666019037e-01)) (f64x2.mul (local.get $c)
    (f64x2.add (f64x2.splat (f64.const -2.77777777770155933842e-03)) (f64x2.mul (local.get $c)
    (f64x2.add (f64x2.splat (f64.const 6.61375632143793436117e-05)) (f64x2.mul (local.get $c)
    (f64x2.add (f64x2.splat (f64.const -1.65339022054652515390e-06)) (f64x2.mul (local.get $c)
      (f64x2.splat (f64.const 4.13813679705723846039e-08)))))))))))))
  ;; y = 1 − ((lo − r·c/(2 − c)) − hi)
  (local.set $y (f64x2.sub (f64x2.splat (f64.const 1))
    (f64x2.sub (f64x2.sub (local.get $lo)
      (f64x2.div (f64x2.mul (local.get $r) (local.get $c)) (f64x2.sub (f64x2.splat (f64.const 2)) (local.get $c))))
      (local.get $hi))))
  ;; k sits in the low 32 bits of each lane of t (i32x4 lanes 0 and 2). With k1 = k >> 1 and k2 = k − k1,
  ;; 2^j is the double whose high word is (j + 1023) << 20 and low word 0: shuffled into place from i32 lanes.
  (local.set $k1 (i32x4.shr_s (local.get $t) (i32.const 1)))
  (local.set $ki (i32x4.sub (local.get $t) (local.get $k1)))
  (local.set $y (f64x2.mul (local.get $y)
    (i8x16.shuffle 16 17 18 19 0 1 2 3 16 17 18 19 8 9 10 11
      (i32x4.shl (i32x4.add (local.get $k1) (i32x4.splat (i32.const 1023))) (i32.const 20)) (v128.const i64x2 0 0))))
  (f64x2.mul (local.get $y)
    (i8x16.shuffle 16 17 18 19 0 1 2 3 16 17 18 19 8 9 10 11
      (i32x4.shl (i32x4.add (local.get $ki) (i32x4.splat (i32.const 1023))) (i32.const 20)) (v128.const i64x2 0 0))))

;; log1p(x) = log(u) + c/u with u = 1 + x rounded and c = the rounding error of u
;; (c = x − (u − 1) when u < 2, else 1 − (u − x): both exact).  log(u), u = 2^k·(1 + f),
;; 1 + f ∈ [√2/2, √2), s = f/(2 + f):
;;   log(u) = k·ln2hi + (f − (hf² − (s·(hf² + R(s²)) + (k·ln2lo + c/u)))),   hf² = f²/2,
;;   R(z) = z·(Lg1 + z·(Lg3 + z²·(Lg5 + z²·Lg7))) + z²·(Lg2 + z²·(Lg4 + z²·Lg6)).
;; u = 0 gives −∞, u < 0 or NaN gives NaN, u = ∞ gives ∞.
(func $log1p2 (param $x v128) (result v128)
  (local $u v128) (local $c v128) (local $hx v128) (local $k v128) (local $dk v128) (local $f v128)
  (local $hfsq v128) (local $s v128) (local $z v128) (local $w v128) (local $R v128) (local $y v128) (local $bad v128)
  (local.set $u (f64x2.add (f64x2.splat (f64.const 1)) (local.get $x)))
  (local.set $c (v128.bitselect
    (f64x2.sub (f64x2.splat (f64.const 1)) (f64x2.sub (local.get $u) (local.get $x)))
    (f64x2.sub (local.get $x) (f64x2.sub (local.get $u) (f64x2.splat (f64.const 1))))
    (f64x2.ge (local.get $u) (f64x2.splat (f64.const 2)))))
  (local.set $c (f64x2.div (local.get $c) (local.get $u)))
  ;; Shift the bits so the mantissa of u lands in [√2/2, √2): hx = bits(u) + (0x3ff0… − 0x3fe6a09e…)
  (local.set $hx (i64x2.add (local.get $u) (i64x2.splat (i64.const 0x00095f6200000000))))
  (local.set $k (i64x2.sub (i64x2.shr_s (local.get $hx) (i32.const 52)) (i64x2.splat (i64.const 1023))))
  (local.set $dk (f64x2.convert_low_i32x4_s (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $k) (local.get $k))))
  ;; 1 + f: the mantissa bits with the exponent of [√2/2, √2)
  (local.set $f (f64x2.sub
    (i64x2.add (v128.and (local.get $hx) (i64x2.splat (i64.const 0x000fffffffffffff))) (i64x2.splat (i64.const 0x3fe6a09e00000000)))
    (f64x2.splat (f64.const 1))))
  (local.set $hfsq (f64x2.mul (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $f) (local.get $f))))
  (local.set $s (f64x2.div (local.get $f) (f64x2.add (f64x2.splat (f64.const 2)) (local.get $f))))
  (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
  (local.set $w (f64x2.mul (local.get $z) (local.get $z)))
  (local.set $R (f64x2.add
    (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (f64.const 6.666666666666735130e-01)) (f64x2.mul (local.get $w)
      (f64x2.add (f64x2.splat (f64.const 2.857142874366239149e-01)) (f64x2.mul (local.get $w)
      (f64x2.add (f64x2.splat (f64.const 1.818357216161805012e-01)) (f64x2.mul (local.get $w)
        (f64x2.splat (f64.const 1.479819860511658591e-01)))))))))
    (f64x2.mul (local.get $w) (f64x2.add (f64x2.splat (f64.const 3.999999999940941908e-01)) (f64x2.mul (local.get $w)
      (f64x2.add (f64x2.splat (f64.const 2.222219843214978396e-01)) (f64x2.mul (local.get $w)
        (f64x2.splat (f64.const 1.531383769920937332e-01)))))))))
  (local.set $y (f64x2.add (f64x2.mul (local.get $dk) (f64x2.splat (f64.const 6.93147180369123816490e-01)))
    (f64x2.sub (local.get $f)
      (f64x2.sub (local.get $hfsq)
        (f64x2.add (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $R)))
          (f64x2.add (f64x2.mul (local.get $dk) (f64x2.splat (f64.const 1.90821492927058770002e-10))) (local.get $c)))))))
  ;; Special inputs: u ≤ 0, u = ∞ or NaN. √u·∞ is NaN for u < 0 or NaN and ∞ for ∞; u = 0 gives −∞.
  (local.set $bad (v128.or (v128.not (f64x2.gt (local.get $u) (f64x2.splat (f64.const 0))))
                           (f64x2.eq (local.get $u) (f64x2.splat (f64.const inf)))))
  (local.set $y (v128.bitselect (f64x2.mul (f64x2.sqrt (local.get $u)) (f64x2.splat (f64.const inf))) (local.get $y) (local.get $bad)))
  (v128.bitselect (f64x2.splat (f64.const -inf)) (local.get $y) (f64x2.eq (local.get $u) (f64x2.splat (f64.const 0)))))

;; log(x) = log1p(x − 1) for x ≥ 1 (x − 1 is exact there, so u = x): one lane used.
(func $log_ge1 (param $x f64) (result f64)
  (f64x2.extract_lane 0 (call $log1p2 (f64x2.splat (f64.sub (local.get $x) (f64.const 1))))))

;; y[i] = exp(x[i]) for n float64 values at byte addresses x, y (for tests and elementwise exp).
(func (export "exp_f64") (param $x i32) (param $y i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
  (block $done (loop $l
    (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
    (v128.store (local.get $y) (call $exp2 (v128.load (local.get $x))))
    (local.set $x (i32.add (local.get $x) (i32.const 16)))
    (local.set $y (i32.add (local.get $y) (i32.const 16)))
    (br $l)))
  (if (i32.and (local.get $n) (i32.const 1))
    (then (f64.store (local.get $y) (f64x2.extract_lane 0 (call $exp2 (v128.load64_splat (local.get $x))))))))

;; y[i] = log1p(x[i]) for n float64 values.
(func (export "log1p_f64") (param $x i32) (param $y i32) (param $n i32)
  (local $end i32)
  (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
  (block $done (loop $l
    (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
    (v128.store (local.get $y) (call $log1p2 (v128.load (local.get $x))))
    (local.set $x (i32.add (local.get $x) (i32.const 16)))
    (local.set $y (i32.add (local.get $y) (i32.const 16)))
    (br $l)))
  (if (i32.and (local.get $n) (i32.const 1))
    (then (f64.store (local.get $y) (f64x2.extract_lane 0 (call $log1p2 (v128.load64_splat (local.get $x))))))))
