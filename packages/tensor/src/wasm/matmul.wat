;; matmul: C[M×N] = A[M×K] · B[K×N] with SIMD, in float64 (f64x2) and float32 (f32x4).
;;
;; Addresses and strides are in bytes. A and B are read through (row, column)
;; strides, so a transposed operand needs no copy. Both are first packed into
;; zero-padded panels, k-major:
;;   A panels of 4 rows:      Ap[(ib·K + k)·4 + r]  = A[4ib + r, k]
;;   B panels of W columns:   Bp[(jb·K + k)·W + c]  = B[k, W·jb + c]   (W = 4 in f64, 8 in f32)
;; Then every 4×W tile of the padded C (Mp × Np, row-major) is accumulated in
;; 8 vector registers by the micro-kernel: per k, two vector loads of B, four
;; broadcast loads of A, eight multiply-adds. The loops block over k (KC) and
;; over rows (MC) so a B panel stays in L1 and an A block in L2:
;;   for k0 (KC): for i0 (MC rows): for jb: for ib in block: C_tile += Ap_panel[k0:k0+kc] · Bp_panel[k0:k0+kc]
;; The caller zeroes C first and copies the valid M×N corner out.

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

;; Bp from B (element size 8): panels of 4 columns, columns past N are zero.
(func $pack_b_f64 (export "pack_b_f64")
  (param $src i32) (param $rs i32) (param $cs i32) (param $K i32) (param $N i32) (param $dst i32)
  (local $j i32) (local $k i32) (local $col i32) (local $p i32) (local $Np i32)
  (local.set $Np (i32.and (i32.add (local.get $N) (i32.const 3)) (i32.const -4)))
  (local.set $j (i32.const 0))
  (block $done (loop $cols
    (br_if $done (i32.ge_u (local.get $j) (local.get $Np)))
    (local.set $p (i32.add (local.get $dst)
      (i32.shl (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (i32.shl (local.get $K) (i32.const 2)))
                        (i32.and (local.get $j) (i32.const 3))) (i32.const 3))))
    (local.set $col (i32.add (local.get $src) (i32.mul (local.get $j) (local.get $cs))))
    (local.set $k (i32.const 0))
    (if (i32.lt_u (local.get $j) (local.get $N))
      (then (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
        (f64.store (local.get $p) (f64.load (local.get $col)))
        (local.set $col (i32.add (local.get $col) (local.get $rs)))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl))))
      (else (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
        (f64.store (local.get $p) (f64.const 0))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))))
    (local.set $j (i32.add (local.get $j) (i32.const 1)))
    (br $cols))))

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

;; Bp from B (element size 4): panels of 8 columns (32 bytes per k), columns past N are zero.
(func $pack_b_f32 (export "pack_b_f32")
  (param $src i32) (param $rs i32) (param $cs i32) (param $K i32) (param $N i32) (param $dst i32)
  (local $j i32) (local $k i32) (local $col i32) (local $p i32) (local $Np i32)
  (local.set $Np (i32.and (i32.add (local.get $N) (i32.const 7)) (i32.const -8)))
  (local.set $j (i32.const 0))
  (block $done (loop $cols
    (br_if $done (i32.ge_u (local.get $j) (local.get $Np)))
    (local.set $p (i32.add (local.get $dst)
      (i32.shl (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 3)) (i32.shl (local.get $K) (i32.const 3)))
                        (i32.and (local.get $j) (i32.const 7))) (i32.const 2))))
    (local.set $col (i32.add (local.get $src) (i32.mul (local.get $j) (local.get $cs))))
    (local.set $k (i32.const 0))
    (if (i32.lt_u (local.get $j) (local.get $N))
      (then (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
        (f32.store (local.get $p) (f32.load (local.get $col)))
        (local.set $col (i32.add (local.get $col) (local.get $rs)))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl))))
      (else (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
        (f32.store (local.get $p) (f32.const 0))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))))
    (local.set $j (i32.add (local.get $j) (i32.const 1)))
    (br $cols))))

;; ------------------------------------------------------------------ micro-kernels

;; C[4×4 tile at $c, row pitch $ldc bytes] += Σ_{k<kc} Ap[k][0..3] ⊗ Bp[k][0..3]   (f64x2: row r in acc_r0, acc_r1)
(func $tile_f64 (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32)
  (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
  (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
  (local $b0 v128) (local $b1 v128) (local $a v128) (local $end i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
  (local.set $c1 (i32.add (local.get $c) (local.get $ldc)))
  (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
  (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
  (local.set $c00 (v128.load (local.get $c)))  (local.set $c01 (v128.load offset=16 (local.get $c)))
  (local.set $c10 (v128.load (local.get $c1))) (local.set $c11 (v128.load offset=16 (local.get $c1)))
  (local.set $c20 (v128.load (local.get $c2))) (local.set $c21 (v128.load offset=16 (local.get $c2)))
  (local.set $c30 (v128.load (local.get $c3))) (local.set $c31 (v128.load offset=16 (local.get $c3)))
  (local.set $end (i32.add (local.get $ap) (i32.shl (local.get $kc) (i32.const 5))))
  (block $done (loop $k
    (br_if $done (i32.ge_u (local.get $ap) (local.get $end)))
    (local.set $b0 (v128.load (local.get $bp)))
    (local.set $b1 (v128.load offset=16 (local.get $bp)))
    (local.set $a (v128.load64_splat (local.get $ap)))
    (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
    (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
    (local.set $a (v128.load64_splat offset=8 (local.get $ap)))
    (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
    (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
    (local.set $a (v128.load64_splat offset=16 (local.get $ap)))
    (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
    (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
    (local.set $a (v128.load64_splat offset=24 (local.get $ap)))
    (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
    (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
    (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
    (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
    (br $k)))
  (v128.store (local.get $c) (local.get $c00))  (v128.store offset=16 (local.get $c) (local.get $c01))
  (v128.store (local.get $c1) (local.get $c10)) (v128.store offset=16 (local.get $c1) (local.get $c11))
  (v128.store (local.get $c2) (local.get $c20)) (v128.store offset=16 (local.get $c2) (local.get $c21))
  (v128.store (local.get $c3) (local.get $c30)) (v128.store offset=16 (local.get $c3) (local.get $c31)))

;; C[4×8 tile] += Σ_{k<kc} Ap[k][0..3] ⊗ Bp[k][0..7]   (f32x4; Ap 16 bytes per k, Bp 32 bytes per k)
(func $tile_f32 (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32)
  (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
  (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
  (local $b0 v128) (local $b1 v128) (local $a v128) (local $end i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
  (local.set $c1 (i32.add (local.get $c) (local.get $ldc)))
  (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
  (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
  (local.set $c00 (v128.load (local.get $c)))  (local.set $c01 (v128.load offset=16 (local.get $c)))
  (local.set $c10 (v128.load (local.get $c1))) (local.set $c11 (v128.load offset=16 (local.get $c1)))
  (local.set $c20 (v128.load (local.get $c2))) (local.set $c21 (v128.load offset=16 (local.get $c2)))
  (local.set $c30 (v128.load (local.get $c3))) (local.set $c31 (v128.load offset=16 (local.get $c3)))
  (local.set $end (i32.add (local.get $ap) (i32.shl (local.get $kc) (i32.const 4))))
  (block $done (loop $k
    (br_if $done (i32.ge_u (local.get $ap) (local.get $end)))
    (local.set $b0 (v128.load (local.get $bp)))
    (local.set $b1 (v128.load offset=16 (local.get $bp)))
    (local.set $a (v128.load32_splat (local.get $ap)))
    (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
    (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
    (local.set $a (v128.load32_splat offset=4 (local.get $ap)))
    (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
    (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
    (local.set $a (v128.load32_splat offset=8 (local.get $ap)))
    (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
    (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
    (local.set $a (v128.load32_splat offset=12 (local.get $ap)))
    (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
    (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
    (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
    (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
    (br $k)))
  (v128.store (local.get $c) (local.get $c00))  (v128.store offset=16 (local.get $c) (local.get $c01))
  (v128.store (local.get $c1) (local.get $c10)) (v128.store offset=16 (local.get $c1) (local.get $c11))
  (v128.store (local.get $c2) (local.get $c20)) (v128.store offset=16 (local.get $c2) (local.get $c21))
  (v128.store (local.get $c3) (local.get $c30)) (v128.store offset=16 (local.get $c3) (local.get $c31)))

;; ------------------------------------------------------------------ the blocked loop nest

;; C (Mp × Np, zeroed, row-major at $c) += Ap · Bp, both packed over the full K.
;; $ldc: bytes from one row of C to the next; $apk: bytes per k of one A panel (32 in f64, 16 in f32);
;; $tw: tile width in elements (4 in f64, 8 in f32); $es: element size; $f32: which micro-kernel.
(func $gemm_packed (param $Ap i32) (param $Bp i32) (param $c i32) (param $ldc i32) (param $Mp i32) (param $K i32) (param $Np i32)
  (param $apk i32) (param $tw i32) (param $es i32) (param $f32 i32)
  (local $k0 i32) (local $kc i32) (local $i0 i32) (local $i1 i32) (local $jb i32) (local $ib i32)
  (local $aPanel i32) (local $bPanel i32) (local $nj i32)
  (local.set $nj (i32.div_u (local.get $Np) (local.get $tw)))
  (local.set $k0 (i32.const 0))
  (block $kdone (loop $kloop
    (br_if $kdone (i32.ge_u (local.get $k0) (local.get $K)))
    ;; KC = 256
    (local.set $kc (i32.sub (local.get $K) (local.get $k0)))
    (if (i32.gt_u (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
    (local.set $i0 (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i0) (local.get $Mp)))
      ;; MC = 64 rows
      (local.set $i1 (i32.add (local.get $i0) (i32.const 64)))
      (if (i32.gt_u (local.get $i1) (local.get $Mp)) (then (local.set $i1 (local.get $Mp))))
      (local.set $jb (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $jb) (local.get $nj)))
        ;; B panel jb, from row k0: Bp + (jb·K + k0)·(tw·es)
        (local.set $bPanel (i32.add (local.get $Bp)
          (i32.mul (i32.add (i32.mul (local.get $jb) (local.get $K)) (local.get $k0)) (i32.mul (local.get $tw) (local.get $es)))))
        (local.set $ib (i32.shr_u (local.get $i0) (i32.const 2)))
        (block $bdone (loop $bloop
          (br_if $bdone (i32.ge_u (i32.shl (local.get $ib) (i32.const 2)) (local.get $i1)))
          (local.set $aPanel (i32.add (local.get $Ap)
            (i32.mul (i32.add (i32.mul (local.get $ib) (local.get $K)) (local.get $k0)) (local.get $apk))))
          (if (local.get $f32)
            (then (call $tile_f32 (local.get $aPanel) (local.get $bPanel) (local.get $kc)
              (i32.add (local.get $c) (i32.add (i32.mul (i32.shl (local.get $ib) (i32.const 2)) (local.get $ldc))
                                               (i32.mul (i32.mul (local.get $jb) (local.get $tw)) (local.get $es))))
              (local.get $ldc)))
            (else (call $tile_f64 (local.get $aPanel) (local.get $bPanel) (local.get $kc)
              (i32.add (local.get $c) (i32.add (i32.mul (i32.shl (local.get $ib) (i32.const 2)) (local.get $ldc))
                                               (i32.mul (i32.mul (local.get $jb) (local.get $tw)) (local.get $es))))
              (local.get $ldc))))
          (local.set $ib (i32.add (local.get $ib) (i32.const 1)))
          (br $bloop)))
        (local.set $jb (i32.add (local.get $jb) (i32.const 1)))
        (br $jloop)))
      (local.set $i0 (local.get $i1))
      (br $iloop)))
    (local.set $k0 (i32.add (local.get $k0) (local.get $kc)))
    (br $kloop))))

;; C (⌈M/4⌉·4 × ⌈N/4⌉·4 at $c, rows $ldc bytes apart, zeroed by this call) = A · B in float64.
;; A at $a with byte strides ($ars, $acs), B at $b with ($brs, $bcs); $Ap, $Bp: scratch for the panels.
(func (export "matmul_f64")
  (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $brs i32) (param $bcs i32)
  (param $M i32) (param $K i32) (param $N i32) (param $Ap i32) (param $Bp i32) (param $c i32) (param $ldc i32)
  (local $Mp i32) (local $Np i32)
  (local.set $Mp (i32.and (i32.add (local.get $M) (i32.const 3)) (i32.const -4)))
  (local.set $Np (i32.and (i32.add (local.get $N) (i32.const 3)) (i32.const -4)))
  (call $pack_a_f64 (local.get $a) (local.get $ars) (local.get $acs) (local.get $M) (local.get $K) (local.get $Ap))
  (call $pack_b_f64 (local.get $b) (local.get $brs) (local.get $bcs) (local.get $K) (local.get $N) (local.get $Bp))
  (memory.fill (local.get $c) (i32.const 0) (i32.mul (local.get $Mp) (local.get $ldc)))
  (call $gemm_packed (local.get $Ap) (local.get $Bp) (local.get $c) (local.get $ldc) (local.get $Mp) (local.get $K) (local.get $Np)
    (i32.const 32) (i32.const 4) (i32.const 8) (i32.const 0)))

;; C (⌈M/4⌉·4 × ⌈N/8⌉·8 at $c, rows $ldc bytes apart, zeroed by this call) = A · B in float32, accumulated in float32.
(func (export "matmul_f32")
  (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $brs i32) (param $bcs i32)
  (param $M i32) (param $K i32) (param $N i32) (param $Ap i32) (param $Bp i32) (param $c i32) (param $ldc i32)
  (local $Mp i32) (local $Np i32)
  (local.set $Mp (i32.and (i32.add (local.get $M) (i32.const 3)) (i32.const -4)))
  (local.set $Np (i32.and (i32.add (local.get $N) (i32.const 7)) (i32.const -8)))
  (call $pack_a_f32 (local.get $a) (local.get $ars) (local.get $acs) (local.get $M) (local.get $K) (local.get $Ap))
  (call $pack_b_f32 (local.get $b) (local.get $brs) (local.get $bcs) (local.get $K) (local.get $N) (local.get $Bp))
  (memory.fill (local.get $c) (i32.const 0) (i32.mul (local.get $Mp) (local.get $ldc)))
  (call $gemm_packed (local.get $Ap) (local.get $Bp) (local.get $c) (local.get $ldc) (local.get $Mp) (local.get $K) (local.get $Np)
    (i32.const 16) (i32.const 8) (i32.const 4) (i32.const 1)))

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
