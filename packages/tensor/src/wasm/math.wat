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

;; ---- float32, four lanes at a time (the float32 cross entropies)

;; exp(x) in float32, after Cephes' expf: k = nearest(x·log2e), r = x − k·C1 − k·C2 (C1 + C2 = ln2,
;; C1 = 0.693359375 has 9 significant bits, so k·C1 is exact), |r| ≤ ln2/2, then
;;   e^r ≈ 1 + r + r²·(P0 + r·(P1 + r·(P2 + r·(P3 + r·(P4 + r·P5))))),
;; and 2^k applied as 2^⌊k/2⌋·2^(k−⌊k/2⌋) (two normal powers of two: subnormal results round once,
;; overflow to ∞ where it should). x is first clamped to [−104, 89] (beyond, 0 or ∞ anyway), keeping NaN.
;; Within 1 ulp (float32) of Math.exp rounded to float32 over the whole range (a test sweeps it).
(func $expf4 (param $x v128) (result v128)
  (local $k v128) (local $r v128) (local $y v128) (local $ki v128) (local $k1 v128)
  (local.set $x (f32x4.pmin (f32x4.pmax (local.get $x) (f32x4.splat (f32.const -104))) (f32x4.splat (f32.const 89))))
  (local.set $k (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))))
  (local.set $r (f32x4.sub (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (f32x4.splat (f32.const 0.693359375))))
                           (f32x4.mul (local.get $k) (f32x4.splat (f32.const -2.12194440e-4)))))
  (local.set $y (f32x4.add (f32x4.add (f32x4.splat (f32.const 1)) (local.get $r))
    (f32x4.mul (f32x4.mul (local.get $r) (local.get $r))
      (f32x4.add (f32x4.splat (f32.const 5.0000001201e-1)) (f32x4.mul (local.get $r)
      (f32x4.add (f32x4.splat (f32.const 1.6666665459e-1)) (f32x4.mul (local.get $r)
      (f32x4.add (f32x4.splat (f32.const 4.1665795894e-2)) (f32x4.mul (local.get $r)
      (f32x4.add (f32x4.splat (f32.const 8.3334519073e-3)) (f32x4.mul (local.get $r)
      (f32x4.add (f32x4.splat (f32.const 1.3981999507e-3)) (f32x4.mul (local.get $r)
        (f32x4.splat (f32.const 1.9875691500e-4)))))))))))))))
  ;; 2^j is the float whose bits are (j + 127) << 23.
  (local.set $ki (i32x4.trunc_sat_f32x4_s (local.get $k)))
  (local.set $k1 (i32x4.shr_s (local.get $ki) (i32.const 1)))
  (local.set $ki (i32x4.sub (local.get $ki) (local.get $k1)))
  (f32x4.mul (f32x4.mul (local.get $y) (i32x4.shl (i32x4.add (local.get $k1) (i32x4.splat (i32.const 127))) (i32.const 23)))
             (i32x4.shl (i32x4.add (local.get $ki) (i32x4.splat (i32.const 127))) (i32.const 23))))

;; log1p(x) in float32: the float64 $log1p2 scheme with fdlibm's e_logf.c constants:
;; u = 1 + x rounded, c = its rounding error / u, u = 2^k·(1 + f), 1 + f ∈ [√2/2, √2), s = f/(2 + f),
;;   log1p(x) = k·ln2hi + (f − (f²/2 − (s·(f²/2 + R(s²)) + (k·ln2lo + c)))),  R(z) = z·(Lg1 + z²·Lg3) + z²·(Lg2 + z²·Lg4).
;; Within 1 ulp (float32) of Math.log1p rounded to float32 (a test sweeps the whole range).
(func $log1pf4 (param $x v128) (result v128)
  (local $u v128) (local $c v128) (local $hx v128) (local $dk v128) (local $f v128)
  (local $hfsq v128) (local $s v128) (local $z v128) (local $w v128) (local $y v128) (local $bad v128)
  (local.set $u (f32x4.add (f32x4.splat (f32.const 1)) (local.get $x)))
  (local.set $c (v128.bitselect
    (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.sub (local.get $u) (local.get $x)))
    (f32x4.sub (local.get $x) (f32x4.sub (local.get $u) (f32x4.splat (f32.const 1))))
    (f32x4.ge (local.get $u) (f32x4.splat (f32.const 2)))))
  (local.set $c (f32x4.div (local.get $c) (local.get $u)))
  ;; hx = bits(u) + (0x3f800000 − 0x3f3504f3): the mantissa of u moved into [√2/2, √2)
  (local.set $hx (i32x4.add (local.get $u) (i32x4.splat (i32.const 0x004afb0d))))
  (local.set $dk (f32x4.convert_i32x4_s (i32x4.sub (i32x4.shr_s (local.get $hx) (i32.const 23)) (i32x4.splat (i32.const 127)))))
  (local.set $f (f32x4.sub
    (i32x4.add (v128.and (local.get $hx) (i32x4.splat (i32.const 0x007fffff))) (i32x4.splat (i32.const 0x3f3504f3)))
    (f32x4.splat (f32.const 1))))
  (local.set $hfsq (f32x4.mul (f32x4.splat (f32.const 0.5)) (f32x4.mul (local.get $f) (local.get $f))))
  (local.set $s (f32x4.div (local.get $f) (f32x4.add (f32x4.splat (f32.const 2)) (local.get $f))))
  (local.set $z (f32x4.mul (local.get $s) (local.get $s)))
  (local.set $w (f32x4.mul (local.get $z) (local.get $z)))
  (local.set $y (f32x4.add (f32x4.mul (local.get $dk) (f32x4.splat (f32.const 6.9313812256e-01)))
    (f32x4.sub (local.get $f)
      (f32x4.sub (local.get $hfsq)
        (f32x4.add (f32x4.mul (local.get $s) (f32x4.add (local.get $hfsq)
            (f32x4.add (f32x4.mul (local.get $z) (f32x4.add (f32x4.splat (f32.const 6.6666662693e-01))
                                                            (f32x4.mul (local.get $w) (f32x4.splat (f32.const 2.8498786688e-01)))))
                       (f32x4.mul (local.get $w) (f32x4.add (f32x4.splat (f32.const 4.0000972152e-01))
                                                            (f32x4.mul (local.get $w) (f32x4.splat (f32.const 2.4279078841e-01))))))))
          (f32x4.add (f32x4.mul (local.get $dk) (f32x4.splat (f32.const 9.0580006145e-06))) (local.get $c)))))))
  ;; Special inputs as in $log1p2: u ≤ 0, u = ∞ or NaN.
  (local.set $bad (v128.or (v128.not (f32x4.gt (local.get $u) (f32x4.splat (f32.const 0))))
                           (f32x4.eq (local.get $u) (f32x4.splat (f32.const inf)))))
  (local.set $y (v128.bitselect (f32x4.mul (f32x4.sqrt (local.get $u)) (f32x4.splat (f32.const inf))) (local.get $y) (local.get $bad)))
  (v128.bitselect (f32x4.splat (f32.const -inf)) (local.get $y) (f32x4.eq (local.get $u) (f32x4.splat (f32.const 0)))))

;; Lanes [0, t) all ones, the rest zero (t = 0…4): the valid lanes of a row's last, partial quad.
(func $firstLanes (param $t i32) (result v128)
  (i32x4.gt_s (i32x4.splat (local.get $t)) (v128.const i32x4 0 1 2 3)))

;; Stores lanes [0, t) of v at a (t < 4): a partial quad, without touching what follows it.
(func $storeLanes (param $a i32) (param $v v128) (param $t i32)
  (if (i32.gt_u (local.get $t) (i32.const 0)) (then (v128.store32_lane 0 (local.get $a) (local.get $v))))
  (if (i32.gt_u (local.get $t) (i32.const 1)) (then (v128.store32_lane offset=4 1 (local.get $a) (local.get $v))))
  (if (i32.gt_u (local.get $t) (i32.const 2)) (then (v128.store32_lane offset=8 2 (local.get $a) (local.get $v)))))

;; The four lanes of a float32 vector added in float64, as two float64 lanes.
(func $widenSum (param $v v128) (result v128)
  (f64x2.add (f64x2.promote_low_f32x4 (local.get $v))
             (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))

;; y[i] = f(x[i]) for n float32 values (f: 0 exp, 1 log1p), for the tests; reads up to 12 bytes past x's end.
(func (export "unary_f32") (param $x i32) (param $y i32) (param $n i32) (param $f i32)
  (local $end i32) (local $v v128)
  (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
  (block $done (loop $l
    (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
    (local.set $v (v128.load (local.get $x)))
    (local.set $v (if (result v128) (local.get $f) (then (call $log1pf4 (local.get $v))) (else (call $expf4 (local.get $v)))))
    (if (i32.ge_u (i32.sub (local.get $end) (local.get $x)) (i32.const 16))
      (then (v128.store (local.get $y) (local.get $v)))
      (else (call $storeLanes (local.get $y) (local.get $v) (i32.shr_u (i32.sub (local.get $end) (local.get $x)) (i32.const 2)))))
    (local.set $x (i32.add (local.get $x) (i32.const 16)))
    (local.set $y (i32.add (local.get $y) (i32.const 16)))
    (br $l))))
