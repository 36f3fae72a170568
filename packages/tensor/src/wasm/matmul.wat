;; matmul: C[M×N] = A[M×K] · B[K×N] with SIMD, in float64 (f64x2) and float32 (f32x4).
;;
;; Addresses and strides are in bytes. B is packed into zero-padded panels, k-major:
;;   B panels of W columns:   Bp[(jb·K + k)·W + c]  = B[k, W·jb + c]   (W = 4 in f64, 8 in f32;
;;   a last panel at most half full is W/2 wide, so 10 float64 columns are 4 + 4 + 2)
;; A is read where it lies when one of its strides is one element (row-major, or the
;; transpose of a row-major matrix, as matmul's backward passes it): no packing pass. Any
;; other layout is first packed into 4-row panels, Ap[(ib·K + k)·4 + r] = A[4ib + r, k].
;; Every 4×W tile of the padded C (Mp × Np, row-major) is accumulated in vector
;; registers by a micro-kernel: per k, one or two vector loads of B, four
;; broadcast loads of A, up to eight multiply-adds. The loops block over k (KC) and
;; over rows (MC) so a B panel stays in L1 and an A block in L2:
;;   for k0 (KC): for i0 (MC rows): for jb: for ib in block: C_tile += A_panel[k0:k0+kc] · Bp_panel[k0:k0+kc]
;; The first k-block's tiles start from zero (no separate pass zeroes C); the caller copies the valid M×N corner out.

;; ------------------------------------------------------------------ packing

;; Ap from A (element size 8): panels of 4 rows, rows past M are zero.
(func $pack_a_f64 (export "pack_a_f64")
  (param $src i32) (param $rs i32) (param $cs i32) (param $M i32) (param $K i32) (param $dst i32)
  (local $i i32) (local $k i32) (local $row i32) (local $p i32) (local $Mp i32)
  (local.set $Mp (i32.and (i32.add (local.get $M) (i32.const 3)) (i32.const -4)))
  (local.set $i (i32.const 0))
  (block $done (loop $rows
    (br_if $done (i32.ge_u (local.get $i) (local.get $Mp)))
    ;; p = dst + ((i>>2)·K·4 + (i&3))·8
    (local.set $p (i32.add (local.get $dst)
      (i32.shl (i32.add (i32.mul (i32.shr_u (local.get $i) (i32.const 2)) (i32.shl (local.get $K) (i32.const 2)))
                        (i32.and (local.get $i) (i32.const 3))) (i32.const 3))))
    (local.set $row (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rs))))
    (local.set $k (i32.const 0))
    (if (i32.lt_u (local.get $i) (local.get $M))
      (then (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
        (f64.store (local.get $p) (f64.load (local.get $row)))
        (local.set $row (i32.add (local.get $row) (local.get $cs)))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl))))
      (else (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
        (f64.store (local.get $p) (f64.const 0))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $rows))))

;; Ap from A (element size 4): panels of 4 rows (16 bytes per k), rows past M are zero.
(func $pack_a_f32 (export "pack_a_f32")
  (param $src i32) (param $rs i32) (param $cs i32) (param $M i32) (param $K i32) (param $dst i32)
  (local $i i32) (local $k i32) (local $row i32) (local $p i32) (local $Mp i32)
  (local.set $Mp (i32.and (i32.add (local.get $M) (i32.const 3)) (i32.const -4)))
  (local.set $i (i32.const 0))
  (block $done (loop $rows
    (br_if $done (i32.ge_u (local.get $i) (local.get $Mp)))
    (local.set $p (i32.add (local.get $dst)
      (i32.shl (i32.add (i32.mul (i32.shr_u (local.get $i) (i32.const 2)) (i32.shl (local.get $K) (i32.const 2)))
                        (i32.and (local.get $i) (i32.const 3))) (i32.const 2))))
    (local.set $row (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rs))))
    (local.set $k (i32.const 0))
    (if (i32.lt_u (local.get $i) (local.get $M))
      (then (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
        (f32.store (local.get $p) (f32.load (local.get $row)))
        (local.set $row (i32.add (local.get $row) (local.get $cs)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl))))
      (else (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
        (f32.store (local.get $p) (f32.const 0))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $rows))))

;; ------------------------------------------------------------------ micro-kernels

;; C[4×4 tile at $c, rows $ldc bytes apart] += Σ_(k<kc) A[0..3][k] ⊗ Bp[k][0..3]   (f64x2, two vectors per row)
;; $first: start from zero instead of C (the first k-block). A row r of the tile at $a + d_r (d_0 = 0), the next k $ks bytes on; Bp 32 bytes per k.

(func $tile_f64 (param $a i32) (param $d1 i32) (param $d2 i32) (param $d3 i32) (param $ks i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $first i32)
  (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
  (local $b0 v128) (local $b1 v128) (local $x v128) (local $end i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
  (local.set $c1 (i32.add (local.get $c) (local.get $ldc)))
  (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
  (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
  (if (i32.eqz (local.get $first)) (then
    (local.set $c00 (v128.load (local.get $c))) (local.set $c01 (v128.load offset=16 (local.get $c)))
    (local.set $c10 (v128.load (local.get $c1))) (local.set $c11 (v128.load offset=16 (local.get $c1)))
    (local.set $c20 (v128.load (local.get $c2))) (local.set $c21 (v128.load offset=16 (local.get $c2)))
    (local.set $c30 (v128.load (local.get $c3))) (local.set $c31 (v128.load offset=16 (local.get $c3)))))
  (local.set $end (i32.add (local.get $bp) (i32.mul (local.get $kc) (i32.const 32))))
  (block $done (loop $k
    (br_if $done (i32.ge_u (local.get $bp) (local.get $end)))
    (local.set $b0 (v128.load (local.get $bp)))
    (local.set $b1 (v128.load offset=16 (local.get $bp)))
    (local.set $x (v128.load64_splat (local.get $a)))
    (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
    (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
    (local.set $x (v128.load64_splat (i32.add (local.get $a) (local.get $d1))))
    (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
    (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
    (local.set $x (v128.load64_splat (i32.add (local.get $a) (local.get $d2))))
    (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
    (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
    (local.set $x (v128.load64_splat (i32.add (local.get $a) (local.get $d3))))
    (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
    (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
    (local.set $a (i32.add (local.get $a) (local.get $ks)))
    (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
    (br $k)))
  (v128.store (local.get $c) (local.get $c00)) (v128.store offset=16 (local.get $c) (local.get $c01))
  (v128.store (local.get $c1) (local.get $c10)) (v128.store offset=16 (local.get $c1) (local.get $c11))
  (v128.store (local.get $c2) (local.get $c20)) (v128.store offset=16 (local.get $c2) (local.get $c21))
  (v128.store (local.get $c3) (local.get $c30)) (v128.store offset=16 (local.get $c3) (local.get $c31)))

;; C[4×2 tile at $c, rows $ldc bytes apart] += Σ_(k<kc) A[0..3][k] ⊗ Bp[k][0..1]   (f64x2, one vector per row)
;; $first: start from zero instead of C (the first k-block). A row r of the tile at $a + d_r (d_0 = 0), the next k $ks bytes on; Bp 16 bytes per k.

(func $tile_f64_narrow (param $a i32) (param $d1 i32) (param $d2 i32) (param $d3 i32) (param $ks i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $first i32)
  (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
  (local $b0 v128) (local $x v128) (local $end i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
  (local.set $c1 (i32.add (local.get $c) (local.get $ldc)))
  (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
  (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
  (if (i32.eqz (local.get $first)) (then
    (local.set $s0 (v128.load (local.get $c)))
    (local.set $s1 (v128.load (local.get $c1)))
    (local.set $s2 (v128.load (local.get $c2)))
    (local.set $s3 (v128.load (local.get $c3)))))
  (local.set $end (i32.add (local.get $bp) (i32.mul (local.get $kc) (i32.const 16))))
  (block $done (loop $k
    (br_if $done (i32.ge_u (local.get $bp) (local.get $end)))
    (local.set $b0 (v128.load (local.get $bp)))
    (local.set $x (v128.load64_splat (local.get $a)))
    (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $x) (local.get $b0))))
    (local.set $x (v128.load64_splat (i32.add (local.get $a) (local.get $d1))))
    (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $x) (local.get $b0))))
    (local.set $x (v128.load64_splat (i32.add (local.get $a) (local.get $d2))))
    (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $x) (local.get $b0))))
    (local.set $x (v128.load64_splat (i32.add (local.get $a) (local.get $d3))))
    (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $x) (local.get $b0))))
    (local.set $a (i32.add (local.get $a) (local.get $ks)))
    (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
    (br $k)))
  (v128.store (local.get $c) (local.get $s0))
  (v128.store (local.get $c1) (local.get $s1))
  (v128.store (local.get $c2) (local.get $s2))
  (v128.store (local.get $c3) (local.get $s3)))

;; C[4×8 tile at $c, rows $ldc bytes apart] += Σ_(k<kc) A[0..3][k] ⊗ Bp[k][0..7]   (f32x4, two vectors per row)
;; $first: start from zero instead of C (the first k-block). A row r of the tile at $a + d_r (d_0 = 0), the next k $ks bytes on; Bp 32 bytes per k.

(func $tile_f32 (param $a i32) (param $d1 i32) (param $d2 i32) (param $d3 i32) (param $ks i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $first i32)
  (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
  (local $b0 v128) (local $b1 v128) (local $x v128) (local $end i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
  (local.set $c1 (i32.add (local.get $c) (local.get $ldc)))
  (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
  (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
  (if (i32.eqz (local.get $first)) (then
    (local.set $c00 (v128.load (local.get $c))) (local.set $c01 (v128.load offset=16 (local.get $c)))
    (local.set $c10 (v128.load (local.get $c1))) (local.set $c11 (v128.load offset=16 (local.get $c1)))
    (local.set $c20 (v128.load (local.get $c2))) (local.set $c21 (v128.load offset=16 (local.get $c2)))
    (local.set $c30 (v128.load (local.get $c3))) (local.set $c31 (v128.load offset=16 (local.get $c3)))))
  (local.set $end (i32.add (local.get $bp) (i32.mul (local.get $kc) (i32.const 32))))
  (block $done (loop $k
    (br_if $done (i32.ge_u (local.get $bp) (local.get $end)))
    (local.set $b0 (v128.load (local.get $bp)))
    (local.set $b1 (v128.load offset=16 (local.get $bp)))
    (local.set $x (v128.load32_splat (local.get $a)))
    (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
    (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
    (local.set $x (v128.load32_splat (i32.add (local.get $a) (local.get $d1))))
    (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
    (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
    (local.set $x (v128.load32_splat (i32.add (local.get $a) (local.get $d2))))
    (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
    (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
    (local.set $x (v128.load32_splat (i32.add (local.get $a) (local.get $d3))))
    (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
    (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
    (local.set $a (i32.add (local.get $a) (local.get $ks)))
    (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
    (br $k)))
  (v128.store (local.get $c) (local.get $c00)) (v128.store offset=16 (local.get $c) (local.get $c01))
  (v128.store (local.get $c1) (local.get $c10)) (v128.store offset=16 (local.get $c1) (local.get $c11))
  (v128.store (local.get $c2) (local.get $c20)) (v128.store offset=16 (local.get $c2) (local.get $c21))
  (v128.store (local.get $c3) (local.get $c30)) (v128.store offset=16 (local.get $c3) (local.get $c31)))

;; C[4×4 tile at $c, rows $ldc bytes apart] += Σ_(k<kc) A[0..3][k] ⊗ Bp[k][0..3]   (f32x4, one vector per row)
;; $first: start from zero instead of C (the first k-block). A row r of the tile at $a + d_r (d_0 = 0), the next k $ks bytes on; Bp 16 bytes per k.

(func $tile_f32_narrow (param $a i32) (param $d1 i32) (param $d2 i32) (param $d3 i32) (param $ks i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $first i32)
  (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
  (local $b0 v128) (local $x v128) (local $end i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
  (local.set $c1 (i32.add (local.get $c) (local.get $ldc)))
  (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
  (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
  (if (i32.eqz (local.get $first)) (then
    (local.set $s0 (v128.load (local.get $c)))
    (local.set $s1 (v128.load (local.get $c1)))
    (local.set $s2 (v128.load (local.get $c2)))
    (local.set $s3 (v128.load (local.get $c3)))))
  (local.set $end (i32.add (local.get $bp) (i32.mul (local.get $kc) (i32.const 16))))
  (block $done (loop $k
    (br_if $done (i32.ge_u (local.get $bp) (local.get $end)))
    (local.set $b0 (v128.load (local.get $bp)))
    (local.set $x (v128.load32_splat (local.get $a)))
    (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $x) (local.get $b0))))
    (local.set $x (v128.load32_splat (i32.add (local.get $a) (local.get $d1))))
    (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $x) (local.get $b0))))
    (local.set $x (v128.load32_splat (i32.add (local.get $a) (local.get $d2))))
    (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $x) (local.get $b0))))
    (local.set $x (v128.load32_splat (i32.add (local.get $a) (local.get $d3))))
    (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $x) (local.get $b0))))
    (local.set $a (i32.add (local.get $a) (local.get $ks)))
    (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
    (br $k)))
  (v128.store (local.get $c) (local.get $s0))
  (v128.store (local.get $c1) (local.get $s1))
  (v128.store (local.get $c2) (local.get $s2))
  (v128.store (local.get $c3) (local.get $s3)))

;; ------------------------------------------------------------------ packing B

;; Bp from B [K×N] (B at $b, byte strides $brs, $bcs; element size $es, 4 or 8): panels of $tw
;; columns, k-major, panel jb at $dst + jb·K·tw·es. When the last panel would be at most half
;; full it is a narrow panel of tw/2 columns (N = 10 in float64 is 4 + 4 + 2, not 4 + 4 + 4).
;; Columns past N are zero. A panel row is one or two vectors (16 or 32 bytes), copied as
;; vectors when B's rows are contiguous.
(func $pack_b (param $b i32) (param $brs i32) (param $bcs i32) (param $K i32) (param $N i32) (param $dst i32) (param $es i32) (param $tw i32)
  (local $nj i32) (local $jb i32) (local $w i32) (local $valid i32) (local $src i32) (local $p i32) (local $k i32) (local $q i32)
  (local $s i32) (local $rowBytes i32)
  (local.set $nj (i32.div_u (i32.add (local.get $N) (i32.sub (local.get $tw) (i32.const 1))) (local.get $tw)))
  (block $pd (loop $pl
    (br_if $pd (i32.ge_u (local.get $jb) (local.get $nj)))
    (local.set $valid (i32.sub (local.get $N) (i32.mul (local.get $jb) (local.get $tw))))
    (if (i32.gt_u (local.get $valid) (local.get $tw)) (then (local.set $valid (local.get $tw))))
    (local.set $w (select (i32.shr_u (local.get $tw) (i32.const 1)) (local.get $tw)
      (i32.le_u (local.get $valid) (i32.shr_u (local.get $tw) (i32.const 1)))))
    (local.set $rowBytes (i32.mul (local.get $w) (local.get $es)))
    (local.set $src (i32.add (local.get $b) (i32.mul (i32.mul (local.get $jb) (local.get $tw)) (local.get $bcs))))
    (local.set $p (i32.add (local.get $dst) (i32.mul (i32.mul (local.get $jb) (local.get $K)) (i32.mul (local.get $tw) (local.get $es)))))
    (local.set $k (i32.const 0))
    (if (i32.and (i32.eq (local.get $bcs) (local.get $es)) (i32.eq (local.get $valid) (local.get $w)))
      (then
        ;; contiguous rows, a full panel: one or two vector copies per k
        (block $kd (loop $kl
          (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
          (v128.store (local.get $p) (v128.load (local.get $src)))
          (if (i32.eq (local.get $rowBytes) (i32.const 32))
            (then (v128.store offset=16 (local.get $p) (v128.load offset=16 (local.get $src)))))
          (local.set $src (i32.add (local.get $src) (local.get $brs)))
          (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kl))))
      (else
        ;; any strides, or a padded panel: element by element (copied as bits), zeros past N
        (block $kd (loop $kl
          (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
          (local.set $s (local.get $src))
          (local.set $q (i32.const 0))
          (block $qd (loop $ql
            (br_if $qd (i32.ge_u (local.get $q) (local.get $w)))
            (if (i32.eq (local.get $es) (i32.const 8))
              (then (i64.store (local.get $p) (select (i64.load (local.get $s)) (i64.const 0) (i32.lt_u (local.get $q) (local.get $valid)))))
              (else (i32.store (local.get $p) (select (i32.load (local.get $s)) (i32.const 0) (i32.lt_u (local.get $q) (local.get $valid))))))
            (if (i32.lt_u (i32.add (local.get $q) (i32.const 1)) (local.get $valid)) (then (local.set $s (i32.add (local.get $s) (local.get $bcs)))))
            (local.set $p (i32.add (local.get $p) (local.get $es)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $ql)))
          (local.set $src (i32.add (local.get $src) (local.get $brs)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kl)))))
    (local.set $jb (i32.add (local.get $jb) (i32.const 1)))
    (br $pl))))

;; ------------------------------------------------------------------ the blocked loop nest

;; C (rows $ldc bytes apart) = A · Bp, each tile summed over k-blocks (the first one stores, the rest add). A is read where it lies: the 4-row panel ib starts
;; at $a + ib·$ps, its rows $rs bytes apart, the next k $ks bytes on (packed panels: rs = es,
;; ks = 4·es, ps = 4·K·es; row-major A in place: rs = its row stride, ks = es, ps = 4·rs;
;; column-major: rs = es, ks = its column stride, ps = 4·es). The last panel's rows past M
;; repeat row M−1 (their C rows are padding, never copied out), so A is never read past its end.
;; Loops block over k (KC = 512) and rows (MC = 64): a B panel's k-block (≤ 16 KiB) stays in L1
;; while every row panel of the block passes over it.
(func $gemm (param $a i32) (param $rs i32) (param $ks i32) (param $ps i32) (param $M i32) (param $K i32) (param $N i32)
  (param $Bp i32) (param $c i32) (param $ldc i32) (param $es i32) (param $tw i32)
  (local $nj i32) (local $k0 i32) (local $kc i32) (local $i0 i32) (local $i1 i32) (local $Mp i32) (local $jb i32) (local $ib i32)
  (local $i i32) (local $rem i32) (local $valid i32) (local $narrow i32) (local $bPanel i32) (local $aPanel i32) (local $cTile i32)
  (local $d1 i32) (local $d2 i32) (local $d3 i32)
  (local.set $nj (i32.div_u (i32.add (local.get $N) (i32.sub (local.get $tw) (i32.const 1))) (local.get $tw)))
  (local.set $Mp (i32.and (i32.add (local.get $M) (i32.const 3)) (i32.const -4)))
  (block $kdone (loop $kloop
    (br_if $kdone (i32.ge_u (local.get $k0) (local.get $K)))
    (local.set $kc (i32.sub (local.get $K) (local.get $k0)))
    (if (i32.gt_u (local.get $kc) (i32.const 512)) (then (local.set $kc (i32.const 512))))
    (local.set $i0 (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i0) (local.get $Mp)))
      (local.set $i1 (i32.add (local.get $i0) (i32.const 64)))
      (if (i32.gt_u (local.get $i1) (local.get $Mp)) (then (local.set $i1 (local.get $Mp))))
      (local.set $jb (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $jb) (local.get $nj)))
        ;; the panel's width: tw, or tw/2 for a last panel at most half full (as $pack_b lays them out)
        (local.set $valid (i32.sub (local.get $N) (i32.mul (local.get $jb) (local.get $tw))))
        (local.set $narrow (i32.le_u (local.get $valid) (i32.shr_u (local.get $tw) (i32.const 1))))
        ;; B panel jb from row k0: Bp + jb·K·tw·es + k0·width·es
        (local.set $bPanel (i32.add (local.get $Bp) (i32.add
          (i32.mul (i32.mul (local.get $jb) (local.get $K)) (i32.mul (local.get $tw) (local.get $es)))
          (i32.mul (local.get $k0) (i32.mul (i32.shr_u (local.get $tw) (local.get $narrow)) (local.get $es))))))
        (local.set $ib (i32.shr_u (local.get $i0) (i32.const 2)))
        (block $bdone (loop $bloop
          (local.set $i (i32.shl (local.get $ib) (i32.const 2)))
          (br_if $bdone (i32.ge_u (local.get $i) (local.get $i1)))
          (local.set $aPanel (i32.add (local.get $a) (i32.add (i32.mul (local.get $ib) (local.get $ps)) (i32.mul (local.get $k0) (local.get $ks)))))
          ;; row r of the panel at offset min(r, M−1−i)·rs
          (local.set $rem (i32.sub (i32.sub (local.get $M) (i32.const 1)) (local.get $i)))
          (local.set $d1 (i32.mul (select (i32.const 1) (local.get $rem) (i32.ge_u (local.get $rem) (i32.const 1))) (local.get $rs)))
          (local.set $d2 (i32.mul (select (i32.const 2) (local.get $rem) (i32.ge_u (local.get $rem) (i32.const 2))) (local.get $rs)))
          (local.set $d3 (i32.mul (select (i32.const 3) (local.get $rem) (i32.ge_u (local.get $rem) (i32.const 3))) (local.get $rs)))
          (local.set $cTile (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc))
                                                             (i32.mul (i32.mul (local.get $jb) (local.get $tw)) (local.get $es)))))
          (if (i32.eq (local.get $es) (i32.const 8))
            (then (if (local.get $narrow)
              (then (call $tile_f64_narrow (local.get $aPanel) (local.get $d1) (local.get $d2) (local.get $d3) (local.get $ks)
                (local.get $bPanel) (local.get $kc) (local.get $cTile) (local.get $ldc) (i32.eqz (local.get $k0))))
              (else (call $tile_f64 (local.get $aPanel) (local.get $d1) (local.get $d2) (local.get $d3) (local.get $ks)
                (local.get $bPanel) (local.get $kc) (local.get $cTile) (local.get $ldc) (i32.eqz (local.get $k0))))))
            (else (if (local.get $narrow)
              (then (call $tile_f32_narrow (local.get $aPanel) (local.get $d1) (local.get $d2) (local.get $d3) (local.get $ks)
                (local.get $bPanel) (local.get $kc) (local.get $cTile) (local.get $ldc) (i32.eqz (local.get $k0))))
              (else (call $tile_f32 (local.get $aPanel) (local.get $d1) (local.get $d2) (local.get $d3) (local.get $ks)
                (local.get $bPanel) (local.get $kc) (local.get $cTile) (local.get $ldc) (i32.eqz (local.get $k0)))))))
          (local.set $ib (i32.add (local.get $ib) (i32.const 1)))
          (br $bloop)))
        (local.set $jb (i32.add (local.get $jb) (i32.const 1)))
        (br $jloop)))
      (local.set $i0 (local.get $i1))
      (br $iloop)))
    (local.set $k0 (i32.add (local.get $k0) (local.get $kc)))
    (br $kloop))))

;; C (⌈M/4⌉·4 rows at $c, $ldc bytes apart, overwritten) = A · B, element size $es (8:
;; f64x2 tiles 4 columns wide; 4: f32x4 tiles 8 wide, accumulated in float32). A at $a with byte
;; strides ($ars, $acs) is read in place when either stride is one element, else packed into $Ap
;; first; B at $b ($brs, $bcs) is packed into $Bp. $ldc must hold the padded width (N rounded up to the tile width).
(func $matmul (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $brs i32) (param $bcs i32)
  (param $M i32) (param $K i32) (param $N i32) (param $Ap i32) (param $Bp i32) (param $c i32) (param $ldc i32) (param $es i32)
  (local $tw i32)
  (local.set $tw (select (i32.const 4) (i32.const 8) (i32.eq (local.get $es) (i32.const 8))))
  (call $pack_b (local.get $b) (local.get $brs) (local.get $bcs) (local.get $K) (local.get $N) (local.get $Bp) (local.get $es) (local.get $tw))
  ;; the first k-block's tiles start from zero; with no k at all, C is zeros
  (if (i32.eqz (local.get $K))
    (then (memory.fill (local.get $c) (i32.const 0) (i32.mul (i32.and (i32.add (local.get $M) (i32.const 3)) (i32.const -4)) (local.get $ldc)))))
  (if (i32.eq (local.get $acs) (local.get $es))
    (then ;; row-major A in place
      (call $gemm (local.get $a) (local.get $ars) (local.get $es) (i32.shl (local.get $ars) (i32.const 2)) (local.get $M) (local.get $K) (local.get $N)
        (local.get $Bp) (local.get $c) (local.get $ldc) (local.get $es) (local.get $tw))
      (return)))
  (if (i32.eq (local.get $ars) (local.get $es))
    (then ;; column-major A (Aᵀ of a row-major matrix) in place: a panel's 4 rows are adjacent
      (call $gemm (local.get $a) (local.get $es) (local.get $acs) (i32.shl (local.get $es) (i32.const 2)) (local.get $M) (local.get $K) (local.get $N)
        (local.get $Bp) (local.get $c) (local.get $ldc) (local.get $es) (local.get $tw))
      (return)))
  (if (i32.eq (local.get $es) (i32.const 8))
    (then (call $pack_a_f64 (local.get $a) (local.get $ars) (local.get $acs) (local.get $M) (local.get $K) (local.get $Ap)))
    (else (call $pack_a_f32 (local.get $a) (local.get $ars) (local.get $acs) (local.get $M) (local.get $K) (local.get $Ap))))
  (call $gemm (local.get $Ap) (local.get $es) (i32.shl (local.get $es) (i32.const 2)) (i32.mul (local.get $K) (i32.shl (local.get $es) (i32.const 2)))
    (local.get $M) (local.get $K) (local.get $N) (local.get $Bp) (local.get $c) (local.get $ldc) (local.get $es) (local.get $tw)))

;; C = A · B in float64 (f64x2); the arguments as $matmul's.
(func (export "matmul_f64")
  (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $brs i32) (param $bcs i32)
  (param $M i32) (param $K i32) (param $N i32) (param $Ap i32) (param $Bp i32) (param $c i32) (param $ldc i32)
  (call $matmul (local.get $a) (local.get $ars) (local.get $acs) (local.get $b) (local.get $brs) (local.get $bcs)
    (local.get $M) (local.get $K) (local.get $N) (local.get $Ap) (local.get $Bp) (local.get $c) (local.get $ldc) (i32.const 8)))

;; C = A · B in float32 (f32x4, accumulated in float32); the arguments as $matmul's.
(func (export "matmul_f32")
  (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $brs i32) (param $bcs i32)
  (param $M i32) (param $K i32) (param $N i32) (param $Ap i32) (param $Bp i32) (param $c i32) (param $ldc i32)
  (call $matmul (local.get $a) (local.get $ars) (local.get $acs) (local.get $b) (local.get $brs) (local.get $bcs)
    (local.get $M) (local.get $K) (local.get $N) (local.get $Ap) (local.get $Bp) (local.get $c) (local.get $ldc) (i32.const 4)))

;; ------------------------------------------------------------------ one output column (float32)

;; y[M] = A[M×K] · x[K] in float32, x contiguous. A is read through its byte strides:
;; row-major (acs = 4): each row's dot product, four k at a time in an f32x4 sum;
;; column-major (ars = 4, Aᵀ of a row-major matrix): y += x_k · A[:, k], four rows at a time;
;; any other layout: one multiply-add at a time.
(func (export "gemv_f32") (param $a i32) (param $ars i32) (param $acs i32) (param $x i32) (param $M i32) (param $K i32) (param $y i32)
  (local $i i32) (local $k i32) (local $row i32) (local $acc v128) (local $s f32) (local $k4 i32) (local $m4 i32)
  (local $col i32) (local $xk v128) (local $p i32)
  (local.set $k4 (i32.and (local.get $K) (i32.const -4)))
  (local.set $m4 (i32.and (local.get $M) (i32.const -4)))
  (if (i32.eq (local.get $acs) (i32.const 4))
    (then
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u (local.get $i) (local.get $M)))
        (local.set $row (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars))))
        (local.set $acc (v128.const i64x2 0 0))
        (local.set $k (i32.const 0))
        (block $kd (loop $kl
          (br_if $kd (i32.ge_u (local.get $k) (local.get $k4)))
          (local.set $acc (f32x4.add (local.get $acc)
            (f32x4.mul (v128.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 2))))
                       (v128.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))))
          (local.set $k (i32.add (local.get $k) (i32.const 4)))
          (br $kl)))
        (local.set $s (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
                               (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (block $td (loop $tl
          (br_if $td (i32.ge_u (local.get $k) (local.get $K)))
          (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 2))))
                                                         (f32.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $tl)))
        (f32.store (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2))) (local.get $s))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rl)))
      (return)))
  (memory.fill (local.get $y) (i32.const 0) (i32.shl (local.get $M) (i32.const 2)))
  (if (i32.eq (local.get $ars) (i32.const 4))
    (then
      (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $col (i32.add (local.get $a) (i32.mul (local.get $k) (local.get $acs))))
        (local.set $xk (v128.load32_splat (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $i (i32.const 0))
        (block $id (loop $il
          (br_if $id (i32.ge_u (local.get $i) (local.get $m4)))
          (local.set $p (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2))))
          (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p))
            (f32x4.mul (local.get $xk) (v128.load (i32.add (local.get $col) (i32.shl (local.get $i) (i32.const 2)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $il)))
        (block $td (loop $tl
          (br_if $td (i32.ge_u (local.get $i) (local.get $M)))
          (local.set $p (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2))))
          (f32.store (local.get $p) (f32.add (f32.load (local.get $p))
            (f32.mul (f32x4.extract_lane 0 (local.get $xk)) (f32.load (i32.add (local.get $col) (i32.shl (local.get $i) (i32.const 2)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $tl)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))
      (return)))
  ;; general strides
  (block $id (loop $il
    (br_if $id (i32.ge_u (local.get $i) (local.get $M)))
    (local.set $s (f32.const 0))
    (local.set $k (i32.const 0))
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
      (local.set $s (f32.add (local.get $s)
        (f32.mul (f32.load (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $ars)) (i32.mul (local.get $k) (local.get $acs)))))
                 (f32.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $kl)))
    (f32.store (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2))) (local.get $s))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $il))))

;; ------------------------------------------------------------------ one output column (float64)

;; y[M] = A[M×K] · x[K] in float64, x contiguous, A row-major ($acs = 8: each row's dot
;; product in two f64x2 sums, four k per step) or column-major ($ars = 8: y += x_k · A[:, k],
;; two columns per pass over y, two rows per vector). Other layouts are not handled here.
(func (export "gemv_f64") (param $a i32) (param $ars i32) (param $acs i32) (param $x i32) (param $M i32) (param $K i32) (param $y i32)
  (local $i i32) (local $k i32) (local $row i32) (local $s0 v128) (local $s1 v128) (local $s f64) (local $k4 i32) (local $m2 i32)
  (local $c0 i32) (local $c1 i32) (local $x0 v128) (local $x1 v128) (local $p i32) (local $k2 i32) (local $o i32)
  (local.set $k4 (i32.and (local.get $K) (i32.const -4)))
  (if (i32.eq (local.get $acs) (i32.const 8))
    (then
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u (local.get $i) (local.get $M)))
        (local.set $row (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars))))
        (local.set $s0 (v128.const i64x2 0 0))
        (local.set $s1 (v128.const i64x2 0 0))
        (local.set $k (i32.const 0))
        (block $kd (loop $kl
          (br_if $kd (i32.ge_u (local.get $k) (local.get $k4)))
          (local.set $o (i32.shl (local.get $k) (i32.const 3)))
          (local.set $s0 (f64x2.add (local.get $s0)
            (f64x2.mul (v128.load (i32.add (local.get $row) (local.get $o))) (v128.load (i32.add (local.get $x) (local.get $o))))))
          (local.set $s1 (f64x2.add (local.get $s1)
            (f64x2.mul (v128.load offset=16 (i32.add (local.get $row) (local.get $o))) (v128.load offset=16 (i32.add (local.get $x) (local.get $o))))))
          (local.set $k (i32.add (local.get $k) (i32.const 4)))
          (br $kl)))
        (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
        (block $td (loop $tl
          (br_if $td (i32.ge_u (local.get $k) (local.get $K)))
          (local.set $o (i32.shl (local.get $k) (i32.const 3)))
          (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (i32.add (local.get $row) (local.get $o))) (f64.load (i32.add (local.get $x) (local.get $o))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $tl)))
        (f64.store (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))) (local.get $s))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rl)))
      (return)))
  ;; column-major: y = Σ_k x_k · A[:, k], columns k and k+1 per pass (an odd last column alone: never 0·A, which is NaN for an infinite A)
  (memory.fill (local.get $y) (i32.const 0) (i32.shl (local.get $M) (i32.const 3)))
  (local.set $m2 (i32.and (local.get $M) (i32.const -2)))
  (local.set $k2 (i32.and (local.get $K) (i32.const -2)))
  (block $kd (loop $kl
    (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
    (local.set $c0 (i32.add (local.get $a) (i32.mul (local.get $k) (local.get $acs))))
    (local.set $x0 (v128.load64_splat (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 3)))))
    (if (i32.lt_u (local.get $k) (local.get $k2))
      (then
        (local.set $c1 (i32.add (local.get $c0) (local.get $acs)))
        (local.set $x1 (v128.load64_splat offset=8 (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $i (i32.const 0))
        (block $id (loop $il
          (br_if $id (i32.ge_u (local.get $i) (local.get $m2)))
          (local.set $o (i32.shl (local.get $i) (i32.const 3)))
          (local.set $p (i32.add (local.get $y) (local.get $o)))
          (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p))
            (f64x2.add (f64x2.mul (local.get $x0) (v128.load (i32.add (local.get $c0) (local.get $o))))
                       (f64x2.mul (local.get $x1) (v128.load (i32.add (local.get $c1) (local.get $o)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (br $il)))
        (if (i32.lt_u (local.get $m2) (local.get $M))
          (then
            (local.set $o (i32.shl (local.get $m2) (i32.const 3)))
            (local.set $p (i32.add (local.get $y) (local.get $o)))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p))
              (f64.add (f64.mul (f64x2.extract_lane 0 (local.get $x0)) (f64.load (i32.add (local.get $c0) (local.get $o))))
                       (f64.mul (f64x2.extract_lane 0 (local.get $x1)) (f64.load (i32.add (local.get $c1) (local.get $o))))))))))
      (else
        (local.set $i (i32.const 0))
        (block $id (loop $il
          (br_if $id (i32.ge_u (local.get $i) (local.get $M)))
          (local.set $o (i32.shl (local.get $i) (i32.const 3)))
          (local.set $p (i32.add (local.get $y) (local.get $o)))
          (f64.store (local.get $p) (f64.add (f64.load (local.get $p))
            (f64.mul (f64x2.extract_lane 0 (local.get $x0)) (f64.load (i32.add (local.get $c0) (local.get $o))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $il)))))
    (local.set $k (i32.add (local.get $k) (i32.const 2)))
    (br $kl))))
