;; mtlearn WebAssembly SIMD (f64x2) kernels.
;;
;; Compiled at build time by scripts/build-wasm.mjs (wabt's wat2wasm, features: simd, threads) into
;; src/linalg/wasm/kernels.generated.ts (base64), twice: once importing a shared memory (worker threads)
;; and once a plain one (browsers without cross-origin isolation). The line marked MEMORY is rewritten.
;;
;; Conventions. Every pointer is a byte address into the imported memory; every leading dimension
;; (lda, ldb, ldc) is in elements; matrices are row-major f64. Bytes [0, 1024) are reserved: the
;; register tile of the micro-kernels lives at TILE = 256 (16 doubles per calling thread would clash,
;; so each thread passes its own tile address inside its workspace: see $ws below).
;; Kernels may READ up to 4 doubles past the last column of B (the unused lanes are discarded):
;; every allocation in this memory is padded by 32 bytes (src/linalg/wasm/arena.ts).
;;
;; Summation order (what makes threads bit-identical). For gemm, every entry is
;;   C_ij = [beta·C_ij +] Σ_blocks ( Σ_{p in block, ascending} A_ip·B_pj )
;; with p split into blocks of kb (a parameter) from p = 0, each block summed from 0 in ascending p by
;; separate multiply and add (no FMA), then added to C. Every tile shape (4×4, 4×2, 1×4) follows this
;; order, so splitting the ROWS of C between threads gives the same bits as one thread. (gemm_tnr, the
;; XᵀY kernel, sums each entry in one chain over p instead: see its section.)
(module
  (import "env" "memory" (memory 1 65536 shared)) ;; MEMORY

  ;; ---------------------------------------------------------------------------------------------
  ;; micro-kernels: accumulate a register tile over kb steps of p and write it to the tile buffer t
  ;; (row r of the tile at t + 32·r). A(r, p) at ap + p·sap + 8·r; B(p, j) at bp + p·ldb8 + 8·j.

  ;; tile[r, 0:4] = Σ_p A(r, p)·B(p, 0:4), r = 0..3
  (func $k44 (param $kb i32) (param $ap i32) (param $sap i32) (param $bp i32) (param $ldb8 i32) (param $t i32)
    (local $end i32) (local $x v128) (local $bl v128) (local $bh v128)
    (local $c0l v128) (local $c0h v128) (local $c1l v128) (local $c1h v128)
    (local $c2l v128) (local $c2h v128) (local $c3l v128) (local $c3h v128)
    (local.set $end (i32.add (local.get $ap) (i32.mul (local.get $kb) (local.get $sap))))
    (loop $p
      (local.set $bl (v128.load (local.get $bp)))
      (local.set $bh (v128.load offset=16 (local.get $bp)))
      (local.set $x (v128.load64_splat (local.get $ap)))
      (local.set $c0l (f64x2.add (local.get $c0l) (f64x2.mul (local.get $x) (local.get $bl))))
      (local.set $c0h (f64x2.add (local.get $c0h) (f64x2.mul (local.get $x) (local.get $bh))))
      (local.set $x (v128.load64_splat offset=8 (local.get $ap)))
      (local.set $c1l (f64x2.add (local.get $c1l) (f64x2.mul (local.get $x) (local.get $bl))))
      (local.set $c1h (f64x2.add (local.get $c1h) (f64x2.mul (local.get $x) (local.get $bh))))
      (local.set $x (v128.load64_splat offset=16 (local.get $ap)))
      (local.set $c2l (f64x2.add (local.get $c2l) (f64x2.mul (local.get $x) (local.get $bl))))
      (local.set $c2h (f64x2.add (local.get $c2h) (f64x2.mul (local.get $x) (local.get $bh))))
      (local.set $x (v128.load64_splat offset=24 (local.get $ap)))
      (local.set $c3l (f64x2.add (local.get $c3l) (f64x2.mul (local.get $x) (local.get $bl))))
      (local.set $c3h (f64x2.add (local.get $c3h) (f64x2.mul (local.get $x) (local.get $bh))))
      (local.set $ap (i32.add (local.get $ap) (local.get $sap)))
      (local.set $bp (i32.add (local.get $bp) (local.get $ldb8)))
      (br_if $p (i32.ne (local.get $ap) (local.get $end))))
    (v128.store offset=0 (local.get $t) (local.get $c0l))
    (v128.store offset=16 (local.get $t) (local.get $c0h))
    (v128.store offset=32 (local.get $t) (local.get $c1l))
    (v128.store offset=48 (local.get $t) (local.get $c1h))
    (v128.store offset=64 (local.get $t) (local.get $c2l))
    (v128.store offset=80 (local.get $t) (local.get $c2h))
    (v128.store offset=96 (local.get $t) (local.get $c3l))
    (v128.store offset=112 (local.get $t) (local.get $c3h)))

  ;; tile[r, 0:2] = Σ_p A(r, p)·B(p, 0:2), r = 0..3
  (func $k42 (param $kb i32) (param $ap i32) (param $sap i32) (param $bp i32) (param $ldb8 i32) (param $t i32)
    (local $end i32) (local $bl v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $end (i32.add (local.get $ap) (i32.mul (local.get $kb) (local.get $sap))))
    (loop $p
      (local.set $bl (v128.load (local.get $bp)))
      (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (v128.load64_splat (local.get $ap)) (local.get $bl))))
      (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (v128.load64_splat offset=8 (local.get $ap)) (local.get $bl))))
      (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (v128.load64_splat offset=16 (local.get $ap)) (local.get $bl))))
      (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (v128.load64_splat offset=24 (local.get $ap)) (local.get $bl))))
      (local.set $ap (i32.add (local.get $ap) (local.get $sap)))
      (local.set $bp (i32.add (local.get $bp) (local.get $ldb8)))
      (br_if $p (i32.ne (local.get $ap) (local.get $end))))
    (v128.store offset=0 (local.get $t) (local.get $c0))
    (v128.store offset=32 (local.get $t) (local.get $c1))
    (v128.store offset=64 (local.get $t) (local.get $c2))
    (v128.store offset=96 (local.get $t) (local.get $c3)))

  ;; tile[0, 0:4] = Σ_p A(0, p)·B(p, 0:4)
  (func $k14 (param $kb i32) (param $ap i32) (param $sap i32) (param $bp i32) (param $ldb8 i32) (param $t i32)
    (local $end i32) (local $x v128) (local $cl v128) (local $ch v128)
    (local.set $end (i32.add (local.get $ap) (i32.mul (local.get $kb) (local.get $sap))))
    (loop $p
      (local.set $x (v128.load64_splat (local.get $ap)))
      (local.set $cl (f64x2.add (local.get $cl) (f64x2.mul (local.get $x) (v128.load (local.get $bp)))))
      (local.set $ch (f64x2.add (local.get $ch) (f64x2.mul (local.get $x) (v128.load offset=16 (local.get $bp)))))
      (local.set $ap (i32.add (local.get $ap) (local.get $sap)))
      (local.set $bp (i32.add (local.get $bp) (local.get $ldb8)))
      (br_if $p (i32.ne (local.get $ap) (local.get $end))))
    (v128.store offset=0 (local.get $t) (local.get $cl))
    (v128.store offset=16 (local.get $t) (local.get $ch)))

  ;; C[r, j] = tile[r, j] (mode 0) or C[r, j] += tile[r, j] (mode 1), r < rows, j < cols
  (func $store (param $rows i32) (param $cols i32) (param $cp i32) (param $ldc8 i32) (param $mode i32) (param $t i32)
    (local $r i32) (local $j i32) (local $src i32) (local $dst i32) (local $v f64)
    (loop $rl
      (local.set $src (i32.add (local.get $t) (i32.shl (local.get $r) (i32.const 5))))
      (local.set $dst (i32.add (local.get $cp) (i32.mul (local.get $r) (local.get $ldc8))))
      (local.set $j (i32.const 0))
      (loop $jl
        (local.set $v (f64.load (local.get $src)))
        (if (local.get $mode) (then (local.set $v (f64.add (f64.load (local.get $dst)) (local.get $v)))))
        (f64.store (local.get $dst) (local.get $v))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $jl (i32.lt_u (local.get $j) (local.get $cols))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $rl (i32.lt_u (local.get $r) (local.get $rows)))))

  ;; ---------------------------------------------------------------------------------------------
  ;; One block of kb (> 0) steps of p: C (+)= A(:, block)·B(block, :).
  ;; A(i, p) at a + i·sai + p·sap; B(p, j) at b + p·ldb8 + 8·j; C(i, j) at c + i·ldc8 + 8·j.
  ;; pack = 1 copies each 4-row panel of A into ws (4 consecutive doubles per p) first; pack = 0
  ;; requires sai = 8 (the 4 rows of a panel adjacent in memory); pack = 2: the caller has packed the
  ;; whole block at ws + 128 (panel of rows i..i+3 at i·kb·8, p-th step at +32·p; a remaining row i
  ;; at i·kb·8 with stride 8), see $pack_tn.
  ;; sym = 1 computes only the tiles with j ≥ 4·⌊i/4⌋ (upper block triangle).
  ;; ws: 128-byte tile, then the 4·kb-double panel.
  (func $block (param $m i32) (param $n i32) (param $kb i32)
      (param $a i32) (param $sai i32) (param $sap i32) (param $pack i32)
      (param $b i32) (param $ldb8 i32) (param $c i32) (param $ldc8 i32) (param $mode i32) (param $sym i32) (param $ws i32)
    (local $i i32) (local $j i32) (local $m4 i32) (local $nc i32) (local $ap i32) (local $sp i32)
    (local $src i32) (local $dst i32) (local $p i32) (local $panel i32)
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (local.set $panel (i32.add (local.get $ws) (i32.const 128)))
    (block $done4
      (br_if $done4 (i32.eqz (local.get $m4)))
      (loop $il
        (if (i32.eq (local.get $pack) (i32.const 1))
          (then
            ;; panel[p, r] = A(i + r, p), r = 0..3
            (local.set $src (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
            (local.set $dst (local.get $panel))
            (local.set $p (i32.const 0))
            (loop $pl
              (f64.store offset=0 (local.get $dst) (f64.load (local.get $src)))
              (f64.store offset=8 (local.get $dst) (f64.load (i32.add (local.get $src) (local.get $sai))))
              (f64.store offset=16 (local.get $dst) (f64.load (i32.add (local.get $src) (i32.shl (local.get $sai) (i32.const 1)))))
              (f64.store offset=24 (local.get $dst) (f64.load (i32.add (local.get $src) (i32.mul (local.get $sai) (i32.const 3)))))
              (local.set $src (i32.add (local.get $src) (local.get $sap)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $pl (i32.lt_u (local.get $p) (local.get $kb))))
            (local.set $ap (local.get $panel))
            (local.set $sp (i32.const 32)))
          (else
            (if (i32.eq (local.get $pack) (i32.const 2))
              (then
                (local.set $ap (i32.add (local.get $panel) (i32.shl (i32.mul (local.get $i) (local.get $kb)) (i32.const 3))))
                (local.set $sp (i32.const 32)))
              (else
                (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
                (local.set $sp (local.get $sap))))))
        (local.set $j (select (local.get $i) (i32.const 0) (local.get $sym)))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $nc (i32.sub (local.get $n) (local.get $j)))
            (if (i32.gt_u (local.get $nc) (i32.const 4)) (then (local.set $nc (i32.const 4))))
            (if (i32.le_u (local.get $nc) (i32.const 2))
              (then (call $k42 (local.get $kb) (local.get $ap) (local.get $sp)
                      (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))) (local.get $ldb8) (local.get $ws)))
              (else (call $k44 (local.get $kb) (local.get $ap) (local.get $sp)
                      (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))) (local.get $ldb8) (local.get $ws))))
            (call $store (i32.const 4) (local.get $nc)
              (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc8))) (i32.shl (local.get $j) (i32.const 3)))
              (local.get $ldc8) (local.get $mode) (local.get $ws))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $jl)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $il (i32.lt_u (local.get $i) (local.get $m4)))))
    ;; remaining rows one at a time: A(i, p) at a + i·sai + p·sap
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
        (local.set $sp (local.get $sap))
        (if (i32.eq (local.get $pack) (i32.const 2)) (then
          (local.set $ap (i32.add (local.get $panel) (i32.shl (i32.mul (local.get $i) (local.get $kb)) (i32.const 3))))
          (local.set $sp (i32.const 8))))
        (local.set $j (select (i32.and (local.get $i) (i32.const -4)) (i32.const 0) (local.get $sym)))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $nc (i32.sub (local.get $n) (local.get $j)))
            (if (i32.gt_u (local.get $nc) (i32.const 4)) (then (local.set $nc (i32.const 4))))
            (call $k14 (local.get $kb) (local.get $ap) (local.get $sp)
              (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))) (local.get $ldb8) (local.get $ws))
            (call $store (i32.const 1) (local.get $nc)
              (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc8))) (i32.shl (local.get $j) (i32.const 3)))
              (local.get $ldc8) (local.get $mode) (local.get $ws))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $jl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rl))))

  ;; C = A·B (beta 0) or C += A·B (beta 1); A m×k (lda), B k×n (ldb), C m×n (ldc).
  ;; ws: 128 + 32·kb bytes.
  (func (export "gemm_nn") (param $m i32) (param $n i32) (param $k i32) (param $kb i32)
      (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
      (param $beta i32) (param $ws i32)
    (local $p0 i32) (local $len i32)
    (if (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n))) (then (return)))
    (if (i32.eqz (local.get $k)) (then
      (if (i32.eqz (local.get $beta)) (then (call $zero (local.get $m) (local.get $n) (local.get $c) (local.get $ldc))))
      (return)))
    (loop $pl
      (local.set $len (i32.sub (local.get $k) (local.get $p0)))
      (if (i32.gt_u (local.get $len) (local.get $kb)) (then (local.set $len (local.get $kb))))
      ;; C (+)= A(:, p0:p0+len)·B(p0:p0+len, :)
      (call $block (local.get $m) (local.get $n) (local.get $len)
        (i32.add (local.get $a) (i32.shl (local.get $p0) (i32.const 3))) (i32.shl (local.get $lda) (i32.const 3)) (i32.const 8) (i32.const 1)
        (i32.add (local.get $b) (i32.mul (local.get $p0) (i32.shl (local.get $ldb) (i32.const 3)))) (i32.shl (local.get $ldb) (i32.const 3))
        (local.get $c) (i32.shl (local.get $ldc) (i32.const 3))
        (i32.or (local.get $beta) (i32.ne (local.get $p0) (i32.const 0))) (i32.const 0) (local.get $ws))
      (local.set $p0 (i32.add (local.get $p0) (local.get $len)))
      (br_if $pl (i32.lt_u (local.get $p0) (local.get $k)))))

  ;; C = Aᵀ·B (beta 0) or C += Aᵀ·B (beta 1); A k×m (lda), B k×n (ldb), C m×n (ldc).
  ;; sym = 1: only the upper block triangle of C (for C = AᵀA; mirror with sym_mirror).
  ;; ws: 128 + 8·kb·m bytes (the packed block of A).
  (func (export "gemm_tn") (param $m i32) (param $n i32) (param $k i32) (param $kb i32)
      (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
      (param $beta i32) (param $sym i32) (param $ws i32)
    (local $p0 i32) (local $len i32)
    (if (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n))) (then (return)))
    (if (i32.eqz (local.get $k)) (then
      (if (i32.eqz (local.get $beta)) (then (call $zero (local.get $m) (local.get $n) (local.get $c) (local.get $ldc))))
      (return)))
    (loop $pl
      (local.set $len (i32.sub (local.get $k) (local.get $p0)))
      (if (i32.gt_u (local.get $len) (local.get $kb)) (then (local.set $len (local.get $kb))))
      ;; C (+)= A(p0:p0+len, :)ᵀ·B(p0:p0+len, :), A's block packed first (rows of A read in order)
      (call $pack_tn (local.get $m) (local.get $len)
        (i32.add (local.get $a) (i32.mul (local.get $p0) (i32.shl (local.get $lda) (i32.const 3)))) (i32.shl (local.get $lda) (i32.const 3))
        (i32.add (local.get $ws) (i32.const 128)))
      (call $block (local.get $m) (local.get $n) (local.get $len)
        (i32.add (local.get $a) (i32.mul (local.get $p0) (i32.shl (local.get $lda) (i32.const 3)))) (i32.const 8) (i32.shl (local.get $lda) (i32.const 3)) (i32.const 2)
        (i32.add (local.get $b) (i32.mul (local.get $p0) (i32.shl (local.get $ldb) (i32.const 3)))) (i32.shl (local.get $ldb) (i32.const 3))
        (local.get $c) (i32.shl (local.get $ldc) (i32.const 3))
        (i32.or (local.get $beta) (i32.ne (local.get $p0) (i32.const 0))) (local.get $sym) (local.get $ws))
      (local.set $p0 (i32.add (local.get $p0) (local.get $len)))
      (br_if $pl (i32.lt_u (local.get $p0) (local.get $k)))))

  ;; Packs A(0:kb, 0:m) (rows at a + p·lda8) for $block's pack = 2: the 4-column panel of columns
  ;; i..i+3 at dst + i·kb·8 (step p at +32·p), each remaining column i at dst + i·kb·8 (stride 8).
  ;; Reads every row of A once, in order.
  (func $pack_tn (param $m i32) (param $kb i32) (param $a i32) (param $lda8 i32) (param $dst i32)
    (local $p i32) (local $i i32) (local $m4 i32) (local $src i32) (local $d i32) (local $kb8 i32) (local $step i32)
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (local.set $kb8 (i32.shl (local.get $kb) (i32.const 3)))
    (local.set $step (i32.shl (local.get $kb) (i32.const 5)))
    (loop $pl
      (local.set $src (i32.add (local.get $a) (i32.mul (local.get $p) (local.get $lda8))))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 5))))
      (local.set $i (i32.const 0))
      (block $done4
        (loop $il
          (br_if $done4 (i32.ge_u (local.get $i) (local.get $m4)))
          (v128.store offset=0 (local.get $d) (v128.load offset=0 (local.get $src)))
          (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 32)))
          (local.set $d (i32.add (local.get $d) (local.get $step)))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $il)))
      (local.set $d (i32.add (i32.add (local.get $dst) (i32.mul (local.get $m4) (local.get $kb8))) (i32.shl (local.get $p) (i32.const 3))))
      (block $rdone
        (loop $rl
          (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
          (f64.store (local.get $d) (f64.load (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 8)))
          (local.set $d (i32.add (local.get $d) (local.get $kb8)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rl)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $pl (i32.lt_u (local.get $p) (local.get $kb)))))

  ;; ---------------------------------------------------------------------------------------------
  ;; XᵀY (gemm TN with a long reduction k, e.g. the samples): C (+)= Aᵀ·B, A k×m, B k×n, C m×n.
  ;; gemm_tn above packs each kb-row block of A and sums every entry per block; these kernels stream
  ;; A instead: g rows at a time, each swept once over all of its features, in memory order, while
  ;; the m×n result waits in the workspace as 4-feature × 4-task tiles. A tile is vectorised over
  ;; features (A(p, i … i+3) is contiguous in A's row p: two f64x2 loads) and broadcast over tasks
  ;; (one splat per task), so skinny outputs (T = 5: one 4×4 tile and one 4×2 tile per panel) waste
  ;; no lanes on the task side.
  ;; Summation order: every entry is ONE chain over p = 0 … k−1 ascending, separate multiply and add,
  ;;   C_ij = (…((s + A_0i·B_0j) + A_1i·B_1j) + …) + A_{k−1,i}·B_{k−1,j},   s = C_ij (beta 1) or 0,
  ;; so the result depends neither on g nor on how the rows of C are split between threads, and with
  ;; beta = 0 it equals the textbook loop bit for bit. Tiles over the last features / tasks compute on
  ;; lanes read past the valid ones (up to 3 doubles past A's row, 3 past B's row: inside the
  ;; allocation padding) and store only the valid entries.

  ;; tile[r, jj] = C(r, jj) (mode 1) or 0, r < 4, jj < 4 (entry at t + 32·jj + 8·r); only the valid
  ;; rows < rows and columns < cols are read from C, the others start at 0
  (func $tn_ld (param $rows i32) (param $cols i32) (param $cp i32) (param $ldc8 i32) (param $mode i32) (param $t i32)
    (local $r i32) (local $jj i32) (local $src i32)
    (memory.fill (local.get $t) (i32.const 0) (i32.const 128))
    (if (i32.eqz (local.get $mode)) (then (return)))
    (loop $rl
      (local.set $src (i32.add (local.get $cp) (i32.mul (local.get $r) (local.get $ldc8))))
      (local.set $jj (i32.const 0))
      (loop $jl
        (f64.store (i32.add (local.get $t) (i32.add (i32.shl (local.get $jj) (i32.const 5)) (i32.shl (local.get $r) (i32.const 3))))
          (f64.load (i32.add (local.get $src) (i32.shl (local.get $jj) (i32.const 3)))))
        (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
        (br_if $jl (i32.lt_u (local.get $jj) (local.get $cols))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $rl (i32.lt_u (local.get $r) (local.get $rows)))))

  ;; C(r, jj) = tile[r, jj] for r < rows, jj < cols
  (func $tn_st (param $rows i32) (param $cols i32) (param $cp i32) (param $ldc8 i32) (param $t i32)
    (local $r i32) (local $jj i32) (local $dst i32)
    (loop $rl
      (local.set $dst (i32.add (local.get $cp) (i32.mul (local.get $r) (local.get $ldc8))))
      (local.set $jj (i32.const 0))
      (loop $jl
        (f64.store (i32.add (local.get $dst) (i32.shl (local.get $jj) (i32.const 3)))
          (f64.load (i32.add (local.get $t) (i32.add (i32.shl (local.get $jj) (i32.const 5)) (i32.shl (local.get $r) (i32.const 3))))))
        (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
        (br_if $jl (i32.lt_u (local.get $jj) (local.get $cols))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $rl (i32.lt_u (local.get $r) (local.get $rows)))))

  ;; one sweep: tile_q[r, jj] += A(p + s, 4q + r)·B(p + s, jj) for s = 0 … g−1 in order, for np consecutive
  ;; 4-feature panels q (A(p + s, 4q … 4q+3) at ap + 32·q + s·lda8, B(p + s, ·) at bp + s·ldb8, tile q
  ;; at cw + 128·q); $tnr42, $tnr41: tasks jj < 2, jj < 1 only
  (func $tnr44 (param $np i32) (param $g i32) (param $ap i32) (param $lda8 i32) (param $bp i32) (param $ldb8 i32) (param $cw i32)
    (local $q i32) (local $aq i32) (local $bq i32) (local $a0 v128) (local $a1 v128) (local $b v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (loop $panel
      (local.set $c00 (v128.load offset=0 (local.get $cw)))
      (local.set $c01 (v128.load offset=16 (local.get $cw)))
      (local.set $c10 (v128.load offset=32 (local.get $cw)))
      (local.set $c11 (v128.load offset=48 (local.get $cw)))
      (local.set $c20 (v128.load offset=64 (local.get $cw)))
      (local.set $c21 (v128.load offset=80 (local.get $cw)))
      (local.set $c30 (v128.load offset=96 (local.get $cw)))
      (local.set $c31 (v128.load offset=112 (local.get $cw)))
      (local.set $aq (local.get $ap))
      (local.set $bq (local.get $bp))
      (local.set $q (local.get $g))
      (loop $rows
        (local.set $a0 (v128.load (local.get $aq)))
        (local.set $a1 (v128.load offset=16 (local.get $aq)))
        (local.set $b (v128.load64_splat (local.get $bq)))
        (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a0) (local.get $b))))
        (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a1) (local.get $b))))
        (local.set $b (v128.load64_splat offset=8 (local.get $bq)))
        (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a0) (local.get $b))))
        (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a1) (local.get $b))))
        (local.set $b (v128.load64_splat offset=16 (local.get $bq)))
        (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a0) (local.get $b))))
        (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a1) (local.get $b))))
        (local.set $b (v128.load64_splat offset=24 (local.get $bq)))
        (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a0) (local.get $b))))
        (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a1) (local.get $b))))
        (local.set $aq (i32.add (local.get $aq) (local.get $lda8)))
        (local.set $bq (i32.add (local.get $bq) (local.get $ldb8)))
        (local.set $q (i32.sub (local.get $q) (i32.const 1)))
        (br_if $rows (local.get $q)))
      (v128.store offset=0 (local.get $cw) (local.get $c00))
      (v128.store offset=16 (local.get $cw) (local.get $c01))
      (v128.store offset=32 (local.get $cw) (local.get $c10))
      (v128.store offset=48 (local.get $cw) (local.get $c11))
      (v128.store offset=64 (local.get $cw) (local.get $c20))
      (v128.store offset=80 (local.get $cw) (local.get $c21))
      (v128.store offset=96 (local.get $cw) (local.get $c30))
      (v128.store offset=112 (local.get $cw) (local.get $c31))
      (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
      (local.set $cw (i32.add (local.get $cw) (i32.const 128)))
      (local.set $np (i32.sub (local.get $np) (i32.const 1)))
      (br_if $panel (local.get $np))))

  (func $tnr42 (param $np i32) (param $g i32) (param $ap i32) (param $lda8 i32) (param $bp i32) (param $ldb8 i32) (param $cw i32)
    (local $q i32) (local $aq i32) (local $bq i32) (local $a0 v128) (local $a1 v128) (local $b v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (loop $panel
      (local.set $c00 (v128.load offset=0 (local.get $cw)))
      (local.set $c01 (v128.load offset=16 (local.get $cw)))
      (local.set $c10 (v128.load offset=32 (local.get $cw)))
      (local.set $c11 (v128.load offset=48 (local.get $cw)))
      (local.set $aq (local.get $ap))
      (local.set $bq (local.get $bp))
      (local.set $q (local.get $g))
      (loop $rows
        (local.set $a0 (v128.load (local.get $aq)))
        (local.set $a1 (v128.load offset=16 (local.get $aq)))
        (local.set $b (v128.load64_splat (local.get $bq)))
        (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a0) (local.get $b))))
        (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a1) (local.get $b))))
        (local.set $b (v128.load64_splat offset=8 (local.get $bq)))
        (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a0) (local.get $b))))
        (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a1) (local.get $b))))
        (local.set $aq (i32.add (local.get $aq) (local.get $lda8)))
        (local.set $bq (i32.add (local.get $bq) (local.get $ldb8)))
        (local.set $q (i32.sub (local.get $q) (i32.const 1)))
        (br_if $rows (local.get $q)))
      (v128.store offset=0 (local.get $cw) (local.get $c00))
      (v128.store offset=16 (local.get $cw) (local.get $c01))
      (v128.store offset=32 (local.get $cw) (local.get $c10))
      (v128.store offset=48 (local.get $cw) (local.get $c11))
      (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
      (local.set $cw (i32.add (local.get $cw) (i32.const 128)))
      (local.set $np (i32.sub (local.get $np) (i32.const 1)))
      (br_if $panel (local.get $np))))

  (func $tnr41 (param $np i32) (param $g i32) (param $ap i32) (param $lda8 i32) (param $bp i32) (param $ldb8 i32) (param $cw i32)
    (local $q i32) (local $aq i32) (local $bq i32) (local $a0 v128) (local $a1 v128) (local $b v128)
    (local $c00 v128) (local $c01 v128)
    (loop $panel
      (local.set $c00 (v128.load offset=0 (local.get $cw)))
      (local.set $c01 (v128.load offset=16 (local.get $cw)))
      (local.set $aq (local.get $ap))
      (local.set $bq (local.get $bp))
      (local.set $q (local.get $g))
      (loop $rows
        (local.set $a0 (v128.load (local.get $aq)))
        (local.set $a1 (v128.load offset=16 (local.get $aq)))
        (local.set $b (v128.load64_splat (local.get $bq)))
        (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a0) (local.get $b))))
        (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a1) (local.get $b))))
        (local.set $aq (i32.add (local.get $aq) (local.get $lda8)))
        (local.set $bq (i32.add (local.get $bq) (local.get $ldb8)))
        (local.set $q (i32.sub (local.get $q) (i32.const 1)))
        (br_if $rows (local.get $q)))
      (v128.store offset=0 (local.get $cw) (local.get $c00))
      (v128.store offset=16 (local.get $cw) (local.get $c01))
      (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
      (local.set $cw (i32.add (local.get $cw) (i32.const 128)))
      (local.set $np (i32.sub (local.get $np) (i32.const 1)))
      (br_if $panel (local.get $np))))

  ;; C = Aᵀ·B (beta 0) or C += Aᵀ·B (beta 1), A k×m (lda), B k×n (ldb), C m×n (ldc), g ≥ 1:
  ;; A is read row by row in order (g rows per sweep, every feature), the m×n result kept in ws as
  ;; tiles (4-feature panel q, 4-column block jt at ws + (jt·np + q)·128, entry (r, jj) at +32·jj + 8·r;
  ;; np = ⌈m/4⌉), copied in from C (beta 1) first and out at the end.
  ;; ws: 128·np·⌈n/4⌉ bytes.
  (func (export "gemm_tnr") (param $m i32) (param $n i32) (param $k i32) (param $g i32)
      (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
      (param $beta i32) (param $ws i32)
    (local $np i32) (local $nt i32) (local $q i32) (local $jt i32) (local $p i32) (local $gg i32)
    (local $rows i32) (local $cols i32) (local $lda8 i32) (local $ldb8 i32) (local $ldc8 i32) (local $t i32) (local $cp i32)
    (if (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n))) (then (return)))
    (if (i32.eqz (local.get $k)) (then
      (if (i32.eqz (local.get $beta)) (then (call $zero (local.get $m) (local.get $n) (local.get $c) (local.get $ldc))))
      (return)))
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $ldb8 (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $ldc8 (i32.shl (local.get $ldc) (i32.const 3)))
    (local.set $np (i32.shr_u (i32.add (local.get $m) (i32.const 3)) (i32.const 2)))
    (local.set $nt (i32.shr_u (i32.add (local.get $n) (i32.const 3)) (i32.const 2)))
    ;; tiles ← C (beta 1) or 0
    (loop $jl
      (local.set $q (i32.const 0))
      (loop $ql
        (local.set $rows (i32.sub (local.get $m) (i32.shl (local.get $q) (i32.const 2))))
        (if (i32.gt_u (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
        (local.set $cols (i32.sub (local.get $n) (i32.shl (local.get $jt) (i32.const 2))))
        (if (i32.gt_u (local.get $cols) (i32.const 4)) (then (local.set $cols (i32.const 4))))
        (local.set $cp (i32.add (i32.add (local.get $c) (i32.mul (i32.shl (local.get $q) (i32.const 2)) (local.get $ldc8))) (i32.shl (local.get $jt) (i32.const 5))))
        (local.set $t (i32.add (local.get $ws) (i32.shl (i32.add (i32.mul (local.get $jt) (local.get $np)) (local.get $q)) (i32.const 7))))
        (call $tn_ld (local.get $rows) (local.get $cols) (local.get $cp) (local.get $ldc8) (local.get $beta) (local.get $t))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br_if $ql (i32.lt_u (local.get $q) (local.get $np))))
      (local.set $jt (i32.add (local.get $jt) (i32.const 1)))
      (br_if $jl (i32.lt_u (local.get $jt) (local.get $nt))))
    ;; sweeps: rows p … p + gg − 1 of A and B into every tile
    (loop $pl
      (local.set $gg (i32.sub (local.get $k) (local.get $p)))
      (if (i32.gt_u (local.get $gg) (local.get $g)) (then (local.set $gg (local.get $g))))
      (local.set $jt (i32.const 0))
      (loop $jl
        ;; the tile kernel for this block's columns: 1, 2 or 3–4 (3: one lane of garbage, not stored)
        (local.set $cols (i32.sub (local.get $n) (i32.shl (local.get $jt) (i32.const 2))))
        (if (i32.eq (local.get $cols) (i32.const 1))
          (then (call $tnr41 (local.get $np) (local.get $gg) (i32.add (local.get $a) (i32.mul (local.get $p) (local.get $lda8))) (local.get $lda8)
            (i32.add (i32.add (local.get $b) (i32.mul (local.get $p) (local.get $ldb8))) (i32.shl (local.get $jt) (i32.const 5))) (local.get $ldb8)
            (i32.add (local.get $ws) (i32.shl (i32.mul (local.get $jt) (local.get $np)) (i32.const 7)))))
          (else (if (i32.eq (local.get $cols) (i32.const 2))
            (then (call $tnr42 (local.get $np) (local.get $gg) (i32.add (local.get $a) (i32.mul (local.get $p) (local.get $lda8))) (local.get $lda8)
            (i32.add (i32.add (local.get $b) (i32.mul (local.get $p) (local.get $ldb8))) (i32.shl (local.get $jt) (i32.const 5))) (local.get $ldb8)
            (i32.add (local.get $ws) (i32.shl (i32.mul (local.get $jt) (local.get $np)) (i32.const 7)))))
            (else (call $tnr44 (local.get $np) (local.get $gg) (i32.add (local.get $a) (i32.mul (local.get $p) (local.get $lda8))) (local.get $lda8)
            (i32.add (i32.add (local.get $b) (i32.mul (local.get $p) (local.get $ldb8))) (i32.shl (local.get $jt) (i32.const 5))) (local.get $ldb8)
            (i32.add (local.get $ws) (i32.shl (i32.mul (local.get $jt) (local.get $np)) (i32.const 7))))))))
        (local.set $jt (i32.add (local.get $jt) (i32.const 1)))
        (br_if $jl (i32.lt_u (local.get $jt) (local.get $nt))))
      (local.set $p (i32.add (local.get $p) (local.get $gg)))
      (br_if $pl (i32.lt_u (local.get $p) (local.get $k))))
    ;; C ← tiles
    (local.set $jt (i32.const 0))
    (loop $jl
      (local.set $q (i32.const 0))
      (loop $ql
        (local.set $rows (i32.sub (local.get $m) (i32.shl (local.get $q) (i32.const 2))))
        (if (i32.gt_u (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
        (local.set $cols (i32.sub (local.get $n) (i32.shl (local.get $jt) (i32.const 2))))
        (if (i32.gt_u (local.get $cols) (i32.const 4)) (then (local.set $cols (i32.const 4))))
        (local.set $cp (i32.add (i32.add (local.get $c) (i32.mul (i32.shl (local.get $q) (i32.const 2)) (local.get $ldc8))) (i32.shl (local.get $jt) (i32.const 5))))
        (call $tn_st (local.get $rows) (local.get $cols) (local.get $cp) (local.get $ldc8)
          (i32.add (local.get $ws) (i32.shl (i32.add (i32.mul (local.get $jt) (local.get $np)) (local.get $q)) (i32.const 7))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br_if $ql (i32.lt_u (local.get $q) (local.get $np))))
      (local.set $jt (i32.add (local.get $jt) (i32.const 1)))
      (br_if $jl (i32.lt_u (local.get $jt) (local.get $nt)))))

  ;; C = A·Bᵀ (beta 0) or C += A·Bᵀ (beta 1); A m×k (lda), B n×k (ldb), C m×n (ldc).
  ;; Each block of kb columns of B is packed transposed (kb × (n + 4)) into ws after the panel.
  ;; sym = 1: only the upper block triangle of C (for C = A·Aᵀ; mirror with sym_mirror).
  ;; ws: 128 + 32·kb + 8·kb·(n + 4) bytes.
  (func (export "gemm_nt") (param $m i32) (param $n i32) (param $k i32) (param $kb i32)
      (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
      (param $beta i32) (param $sym i32) (param $ws i32)
    (local $p0 i32) (local $len i32) (local $bt i32) (local $ldt8 i32) (local $j i32) (local $p i32)
    (local $src i32) (local $dst i32)
    (if (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n))) (then (return)))
    (if (i32.eqz (local.get $k)) (then
      (if (i32.eqz (local.get $beta)) (then (call $zero (local.get $m) (local.get $n) (local.get $c) (local.get $ldc))))
      (return)))
    (local.set $bt (i32.add (i32.add (local.get $ws) (i32.const 128)) (i32.shl (local.get $kb) (i32.const 5))))
    (local.set $ldt8 (i32.shl (i32.add (local.get $n) (i32.const 4)) (i32.const 3)))
    (loop $pl
      (local.set $len (i32.sub (local.get $k) (local.get $p0)))
      (if (i32.gt_u (local.get $len) (local.get $kb)) (then (local.set $len (local.get $kb))))
      ;; bt[p, j] = B(j, p0 + p)
      (local.set $j (i32.const 0))
      (loop $jl
        (local.set $src (i32.add (local.get $b)
          (i32.shl (i32.add (i32.mul (local.get $j) (local.get $ldb)) (local.get $p0)) (i32.const 3))))
        (local.set $dst (i32.add (local.get $bt) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $p (i32.const 0))
        (loop $ql
          (f64.store (local.get $dst) (f64.load (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 8)))
          (local.set $dst (i32.add (local.get $dst) (local.get $ldt8)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br_if $ql (i32.lt_u (local.get $p) (local.get $len))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $jl (i32.lt_u (local.get $j) (local.get $n))))
      ;; C (+)= A(:, p0:p0+len)·bt
      (call $block (local.get $m) (local.get $n) (local.get $len)
        (i32.add (local.get $a) (i32.shl (local.get $p0) (i32.const 3))) (i32.shl (local.get $lda) (i32.const 3)) (i32.const 8) (i32.const 1)
        (local.get $bt) (local.get $ldt8)
        (local.get $c) (i32.shl (local.get $ldc) (i32.const 3))
        (i32.or (local.get $beta) (i32.ne (local.get $p0) (i32.const 0))) (local.get $sym) (local.get $ws))
      (local.set $p0 (i32.add (local.get $p0) (local.get $len)))
      (br_if $pl (i32.lt_u (local.get $p0) (local.get $k)))))

  ;; C[i, 0:n] = 0 for i < m
  (func $zero (param $m i32) (param $n i32) (param $c i32) (param $ldc i32)
    (local $i i32)
    (loop $il
      (memory.fill (i32.add (local.get $c) (i32.mul (local.get $i) (i32.shl (local.get $ldc) (i32.const 3))))
        (i32.const 0) (i32.shl (local.get $n) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $il (i32.lt_u (local.get $i) (local.get $m)))))

  ;; C[j, i] = C[i, j] for j > i: completes a symmetric n×n matrix from its upper triangle
  (func (export "sym_mirror") (param $n i32) (param $c i32) (param $ldc i32)
    (local $i i32) (local $j i32) (local $ldc8 i32) (local $up i32) (local $lo i32)
    (local.set $ldc8 (i32.shl (local.get $ldc) (i32.const 3)))
    (block $done
      (loop $il
        (local.set $j (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $up (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc8))) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $lo (i32.add (i32.add (local.get $c) (i32.mul (local.get $j) (local.get $ldc8))) (i32.shl (local.get $i) (i32.const 3))))
        (loop $jl
          (f64.store (local.get $lo) (f64.load (local.get $up)))
          (local.set $up (i32.add (local.get $up) (i32.const 8)))
          (local.set $lo (i32.add (local.get $lo) (local.get $ldc8)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $jl (i32.lt_u (local.get $j) (local.get $n))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il))))

;; ---------------------------------------------------------------------------------------------
  ;; Givens rotation sequence on the rows of an n-column matrix Z (row k at z + 8·n·k), for k = lo .. hi−1
  ;; in order: (Z_k, Z_{k+1}) ← (c_k Z_k + s_k Z_{k+1}, c_k Z_{k+1} − s_k Z_k), with c, s at cs, sn (f64).
  ;; Two columns per pass (one f64x2), carrying the running row in a register: the same operations
  ;; in the same order as the scalar loop, so bit-identical to it. Requires hi > lo.
  (func (export "rot_rows") (param $n i32) (param $z i32) (param $lo i32) (param $hi i32) (param $cs i32) (param $sn i32)
    (local $n8 i32) (local $j i32) (local $p i32) (local $cp i32) (local $sp i32) (local $end i32)
    (local $t v128) (local $y v128) (local $c v128) (local $s v128) (local $ts f64) (local $ys f64) (local $cf f64) (local $sf f64)
    (local.set $n8 (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end (i32.add (local.get $cs) (i32.shl (local.get $hi) (i32.const 3))))
    (block $done
      (loop $jl
        (br_if $done (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
        (local.set $p (i32.add (i32.add (local.get $z) (i32.shl (local.get $j) (i32.const 3))) (i32.mul (local.get $lo) (local.get $n8))))
        (local.set $cp (i32.add (local.get $cs) (i32.shl (local.get $lo) (i32.const 3))))
        (local.set $sp (i32.add (local.get $sn) (i32.shl (local.get $lo) (i32.const 3))))
        (local.set $t (v128.load (local.get $p)))
        (loop $kl
          (local.set $y (v128.load (i32.add (local.get $p) (local.get $n8))))
          (local.set $c (v128.load64_splat (local.get $cp)))
          (local.set $s (v128.load64_splat (local.get $sp)))
          (v128.store (local.get $p) (f64x2.add (f64x2.mul (local.get $c) (local.get $t)) (f64x2.mul (local.get $s) (local.get $y))))
          (local.set $t (f64x2.sub (f64x2.mul (local.get $c) (local.get $y)) (f64x2.mul (local.get $s) (local.get $t))))
          (local.set $p (i32.add (local.get $p) (local.get $n8)))
          (local.set $cp (i32.add (local.get $cp) (i32.const 8)))
          (local.set $sp (i32.add (local.get $sp) (i32.const 8)))
          (br_if $kl (i32.ne (local.get $cp) (local.get $end))))
        (v128.store (local.get $p) (local.get $t))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $jl)))
    ;; an odd last column, scalar
    (if (i32.lt_u (local.get $j) (local.get $n)) (then
      (local.set $p (i32.add (i32.add (local.get $z) (i32.shl (local.get $j) (i32.const 3))) (i32.mul (local.get $lo) (local.get $n8))))
      (local.set $cp (i32.add (local.get $cs) (i32.shl (local.get $lo) (i32.const 3))))
      (local.set $sp (i32.add (local.get $sn) (i32.shl (local.get $lo) (i32.const 3))))
      (local.set $ts (f64.load (local.get $p)))
      (loop $kl
        (local.set $ys (f64.load (i32.add (local.get $p) (local.get $n8))))
        (local.set $cf (f64.load (local.get $cp)))
        (local.set $sf (f64.load (local.get $sp)))
        (f64.store (local.get $p) (f64.add (f64.mul (local.get $cf) (local.get $ts)) (f64.mul (local.get $sf) (local.get $ys))))
        (local.set $ts (f64.sub (f64.mul (local.get $cf) (local.get $ys)) (f64.mul (local.get $sf) (local.get $ts))))
        (local.set $p (i32.add (local.get $p) (local.get $n8)))
        (local.set $cp (i32.add (local.get $cp) (i32.const 8)))
        (local.set $sp (i32.add (local.get $sp) (i32.const 8)))
        (br_if $kl (i32.ne (local.get $cp) (local.get $end))))
      (f64.store (local.get $p) (local.get $ts)))))

  ;; ---------------------------------------------------------------------------------------------
  ;; level 1 and 2

  ;; Σ_i x_i·y_i: lanes of two f64x2 accumulators over i mod 4, then ((s0 + s2) + (s1 + s3)) + tail
  (func $dot (export "dot") (param $n i32) (param $x i32) (param $y i32) (result f64)
    (local $end i32) (local $a0 v128) (local $a1 v128) (local $s f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done
      (br_if $done (i32.lt_u (local.get $n) (i32.const 4)))
      (loop $l
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (local.get $x)) (v128.load (local.get $y)))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $x)) (v128.load offset=16 (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (local.set $y (i32.add (local.get $y) (i32.const 32)))
        (br_if $l (i32.ne (local.get $x) (local.get $end)))))
    (local.set $a0 (f64x2.add (local.get $a0) (local.get $a1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
    (local.set $n (i32.and (local.get $n) (i32.const 3)))
    (block $tdone
      (loop $t
        (br_if $tdone (i32.eqz (local.get $n)))
        (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $x)) (f64.load (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $t)))
    (local.get $s))

  ;; y += alpha·x (n entries)
  (func (export "axpy") (param $n i32) (param $alpha f64) (param $x i32) (param $y i32)
    (local $end i32) (local $av v128)
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (br_if $done (i32.lt_u (local.get $n) (i32.const 2)))
      (loop $l
        (v128.store (local.get $y) (f64x2.add (v128.load (local.get $y)) (f64x2.mul (local.get $av) (v128.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br_if $l (i32.ne (local.get $x) (local.get $end)))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $y) (f64.add (f64.load (local.get $y)) (f64.mul (local.get $alpha) (f64.load (local.get $x))))))))

  ;; A[i, :] += α_i·x for the rows i < m with α_i ≠ 0 (α at $al, m doubles; x and each row k entries):
  ;; the rank-1 update A += α xᵀ, row by row, each row as `axpy` (the same rounding as m axpy calls)
  (func $axpy_rows (export "axpy_rows") (param $m i32) (param $k i32) (param $al i32) (param $x i32) (param $a i32) (param $lda i32)
    (local $i i32) (local $alpha f64) (local $av v128) (local $lda8 i32) (local $xp i32) (local $yp i32) (local $end i32)
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $alpha (f64.load (i32.add (local.get $al) (i32.shl (local.get $i) (i32.const 3)))))
        (if (f64.ne (local.get $alpha) (f64.const 0)) (then
          (local.set $av (f64x2.splat (local.get $alpha)))
          (local.set $xp (local.get $x))
          (local.set $yp (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))))
          (block $rdone
            (br_if $rdone (i32.lt_u (local.get $k) (i32.const 2)))
            (loop $r
              (v128.store (local.get $yp) (f64x2.add (v128.load (local.get $yp)) (f64x2.mul (local.get $av) (v128.load (local.get $xp)))))
              (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
              (local.set $yp (i32.add (local.get $yp) (i32.const 16)))
              (br_if $r (i32.ne (local.get $xp) (local.get $end)))))
          (if (i32.and (local.get $k) (i32.const 1))
            (then (f64.store (local.get $yp) (f64.add (f64.load (local.get $yp)) (f64.mul (local.get $alpha) (f64.load (local.get $xp)))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))))

  ;; C[i, 0:n] += g_i·α for the k rows i = idx[0..k) (i32 at $idx) with g_i ≠ 0 (g at $g, α at $al, n doubles):
  ;; the working-set update of a row-major Gram state C −= g_j δᵀ (α = −δ); each entry c + g_i·α_t
  (func $axpy_gather (export "axpy_gather") (param $k i32) (param $n i32) (param $idx i32) (param $g i32) (param $al i32) (param $c i32) (param $ldc i32)
    (local $a i32) (local $i i32) (local $gi f64) (local $gv v128) (local $cp i32) (local $ap i32) (local $end i32) (local $ldc8 i32)
    (local.set $ldc8 (i32.shl (local.get $ldc) (i32.const 3)))
    (local.set $end (i32.add (local.get $al) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $a) (local.get $k)))
        (local.set $i (i32.load (i32.add (local.get $idx) (i32.shl (local.get $a) (i32.const 2)))))
        (local.set $gi (f64.load (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 3)))))
        (if (f64.ne (local.get $gi) (f64.const 0)) (then
          (local.set $gv (f64x2.splat (local.get $gi)))
          (local.set $cp (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc8))))
          (local.set $ap (local.get $al))
          (block $rdone
            (br_if $rdone (i32.lt_u (local.get $n) (i32.const 2)))
            (loop $r
              (v128.store (local.get $cp) (f64x2.add (v128.load (local.get $cp)) (f64x2.mul (local.get $gv) (v128.load (local.get $ap)))))
              (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
              (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
              (br_if $r (i32.ne (local.get $ap) (local.get $end)))))
          (if (i32.and (local.get $n) (i32.const 1))
            (then (f64.store (local.get $cp) (f64.add (f64.load (local.get $cp)) (f64.mul (local.get $gi) (f64.load (local.get $ap)))))))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $l))))

  ;; ---------------------------------------------------------------------------------------------
  ;; A fused epoch of L1/L2 group-lasso row steps over a row-major Gram state C = X̃ᵀỸ − X̃ᵀX̃W (issue
  ;; #11; the JS side is src/solvers/groupL2SweepGram.ts, its twin `groupL2RowStep` in groupL2Sweep.ts,
  ;; whose arithmetic this follows operation by operation). For a = 0 .. p−1, with j = ws[a] (i32 at
  ;; $ws), w = row j of W (d×T row-major at $wp), L = Lp[j] and g = the Gram column of feature j (G_ij
  ;; at gp[a] + 8·i, gp i32 byte addresses):
  ;;   z = 2s ⊙ C_j − 2ρ w   (C_j = C[j·T ..), 2s_t at $s2)
  ;;   viol = ‖w‖ = 0 ? (‖z‖ − λ)₊ : ‖z − (λ/‖w‖) w‖,   worst = max(worst, viol)  (NaN: returned at once)
  ;;   u = w + z·(1/L);  w ← (1 − τ/‖u‖) u when ‖u‖ > τ = λ·(1/L), else 0  (w ← 0 when L ≤ 0)
  ;;   C_i += g_i·(−δ) for the working-set rows i = ws[0..p) (axpy_gather), when δ ≠ 0
  ;; Norms by $nrm2 (scaled outside the safe range). Scratch at $z: 3T doubles (z, −δ, u). Returns worst.

  ;; ‖x[0..T)‖₂ (T8 = 8T bytes): √(Σ x²) when that sum is in (1e-280, 1e280), else m·√(Σ (x/m)²) with
  ;; m = max |x| (0, ∞ or NaN returned as m): the `norm2` of groupL2Sweep.ts
  (func $nrm2 (param $x i32) (param $T8 i32) (result f64)
    (local $o i32) (local $s f64) (local $v f64) (local $m f64)
    (loop $l
      (local.set $v (f64.load (i32.add (local.get $x) (local.get $o))))
      (local.set $s (f64.add (local.get $s) (f64.mul (local.get $v) (local.get $v))))
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (br_if $l (i32.lt_u (local.get $o) (local.get $T8))))
    (if (i32.and (f64.gt (local.get $s) (f64.const 1e-280)) (f64.lt (local.get $s) (f64.const 1e280)))
      (then (return (f64.sqrt (local.get $s)))))
    (local.set $o (i32.const 0))
    (loop $l
      (local.set $m (f64.max (local.get $m) (f64.abs (f64.load (i32.add (local.get $x) (local.get $o))))))
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (br_if $l (i32.lt_u (local.get $o) (local.get $T8))))
    (if (i32.or (f64.eq (local.get $m) (f64.const 0)) (i32.eqz (f64.lt (local.get $m) (f64.const inf))))
      (then (return (local.get $m))))
    (local.set $s (f64.const 0))
    (local.set $o (i32.const 0))
    (loop $l
      (local.set $v (f64.div (f64.load (i32.add (local.get $x) (local.get $o))) (local.get $m)))
      (local.set $s (f64.add (local.get $s) (f64.mul (local.get $v) (local.get $v))))
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (br_if $l (i32.lt_u (local.get $o) (local.get $T8))))
    (f64.mul (local.get $m) (f64.sqrt (local.get $s))))

  (func (export "gl2_sweep_gram") (param $p i32) (param $ws i32) (param $wp i32) (param $lp i32) (param $lambda f64)
      (param $ridge f64) (param $T i32) (param $c i32) (param $gp i32) (param $s2 i32) (param $z i32) (result f64)
    (local $a i32) (local $j i32) (local $o i32) (local $T8 i32) (local $cj i32) (local $w i32) (local $al i32) (local $u i32)
    (local $L f64) (local $inv f64) (local $worst f64) (local $wn f64) (local $v f64) (local $k f64) (local $viol f64)
    (local $tau f64) (local $r2 f64) (local $changed i32)
    (local.set $T8 (i32.shl (local.get $T) (i32.const 3)))
    (local.set $al (i32.add (local.get $z) (local.get $T8)))
    (local.set $u (i32.add (local.get $al) (local.get $T8)))
    (local.set $r2 (f64.mul (f64.const 2) (local.get $ridge)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $a) (local.get $p)))
        (local.set $j (i32.load (i32.add (local.get $ws) (i32.shl (local.get $a) (i32.const 2)))))
        (local.set $cj (i32.add (local.get $c) (i32.mul (local.get $j) (local.get $T8))))
        (local.set $w (i32.add (local.get $wp) (i32.mul (local.get $j) (local.get $T8))))
        (local.set $L (f64.load (i32.add (local.get $lp) (i32.shl (local.get $j) (i32.const 3)))))
        ;; z_t = (2s_t)·C_jt − (2ρ)·w_t
        (local.set $o (i32.const 0))
        (loop $zl
          (f64.store (i32.add (local.get $z) (local.get $o))
            (f64.sub (f64.mul (f64.load (i32.add (local.get $s2) (local.get $o))) (f64.load (i32.add (local.get $cj) (local.get $o))))
                     (f64.mul (local.get $r2) (f64.load (i32.add (local.get $w) (local.get $o))))))
          (local.set $o (i32.add (local.get $o) (i32.const 8)))
          (br_if $zl (i32.lt_u (local.get $o) (local.get $T8))))
        ;; viol: (‖z‖ − λ)₊ at w = 0, else ‖z − k w‖ with k = λ/‖w‖ (e = z − k w in the u scratch)
        (local.set $wn (call $nrm2 (local.get $w) (local.get $T8)))
        (if (f64.eq (local.get $wn) (f64.const 0))
          (then (local.set $viol (f64.max (f64.const 0) (f64.sub (call $nrm2 (local.get $z) (local.get $T8)) (local.get $lambda)))))
          (else
            (local.set $k (f64.div (local.get $lambda) (local.get $wn)))
            (local.set $o (i32.const 0))
            (loop $el
              (f64.store (i32.add (local.get $u) (local.get $o))
                (f64.sub (f64.load (i32.add (local.get $z) (local.get $o))) (f64.mul (local.get $k) (f64.load (i32.add (local.get $w) (local.get $o))))))
              (local.set $o (i32.add (local.get $o) (i32.const 8)))
              (br_if $el (i32.lt_u (local.get $o) (local.get $T8))))
            (local.set $viol (call $nrm2 (local.get $u) (local.get $T8)))))
        (if (f64.ne (local.get $viol) (local.get $viol)) (then (return (local.get $viol))))
        (local.set $worst (f64.max (local.get $worst) (local.get $viol)))
        ;; u = w + z·(1/L); k = 1 − τ/‖u‖ when L > 0 and ‖u‖ > τ = λ·(1/L), else 0
        (local.set $k (f64.const 0))
        (if (f64.gt (local.get $L) (f64.const 0))
          (then
            (local.set $inv (f64.div (f64.const 1) (local.get $L)))
            (local.set $o (i32.const 0))
            (loop $ul
              (f64.store (i32.add (local.get $u) (local.get $o))
                (f64.add (f64.load (i32.add (local.get $w) (local.get $o))) (f64.mul (f64.load (i32.add (local.get $z) (local.get $o))) (local.get $inv))))
              (local.set $o (i32.add (local.get $o) (i32.const 8)))
              (br_if $ul (i32.lt_u (local.get $o) (local.get $T8))))
            (local.set $v (call $nrm2 (local.get $u) (local.get $T8)))
            (local.set $tau (f64.mul (local.get $lambda) (local.get $inv)))
            (if (f64.gt (local.get $v) (local.get $tau))
              (then (local.set $k (f64.sub (f64.const 1) (f64.div (local.get $tau) (local.get $v))))))))
        ;; w ← k·u (0 when k = 0: u may be stale); −δ = w_old − w_new
        (local.set $changed (i32.const 0))
        (local.set $o (i32.const 0))
        (loop $wl
          (local.set $v (if (result f64) (f64.eq (local.get $k) (f64.const 0)) (then (f64.const 0))
            (else (f64.mul (local.get $k) (f64.load (i32.add (local.get $u) (local.get $o)))))))
          (local.set $wn (f64.sub (f64.load (i32.add (local.get $w) (local.get $o))) (local.get $v)))
          (f64.store (i32.add (local.get $al) (local.get $o)) (local.get $wn))
          (if (f64.ne (local.get $wn) (f64.const 0)) (then (local.set $changed (i32.const 1))))
          (f64.store (i32.add (local.get $w) (local.get $o)) (local.get $v))
          (local.set $o (i32.add (local.get $o) (i32.const 8)))
          (br_if $wl (i32.lt_u (local.get $o) (local.get $T8))))
        ;; C_i += g_i·(−δ), i in the working set
        (if (local.get $changed)
          (then (call $axpy_gather (local.get $p) (local.get $T) (local.get $ws)
            (i32.load (i32.add (local.get $gp) (i32.shl (local.get $a) (i32.const 2)))) (local.get $al) (local.get $c) (local.get $T))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $rows)))
    (local.get $worst))

  ;; B[j, i] = A[i, j] for i < m, j < k (A m×k, lda; B k×m, ldb): the transpose, eight rows of A per
  ;; pass (each column pair then writes one 64-byte line of two rows of B), 2×2 blocks by f64x2 shuffles;
  ;; an odd last column and the rows left over (m mod 8) entry by entry. Pure copies: no rounding.
  (func (export "transpose") (param $m i32) (param $k i32) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
    (local $i i32) (local $j i32) (local $r i32) (local $lda8 i32) (local $ldb8 i32) (local $m8 i32) (local $k2 i32)
    (local $ap i32) (local $bp i32) (local $v0 v128) (local $v1 v128)
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $ldb8 (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $m8 (i32.and (local.get $m) (i32.const -8)))
    (local.set $k2 (i32.and (local.get $k) (i32.const -2)))
    (block $idone
      (loop $il
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m8)))
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $k2)))
            ;; ap = &A[i, j], bp = &B[j, i]
            (local.set $ap (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $bp (i32.add (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $ldb8))) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $r (i32.const 0))
            (loop $rl
              ;; [B[j, i+r], B[j, i+r+1]] = [A[i+r, j], A[i+r+1, j]], the same for column j + 1
              (local.set $v0 (v128.load (local.get $ap)))
              (local.set $v1 (v128.load (i32.add (local.get $ap) (local.get $lda8))))
              (v128.store (local.get $bp) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
              (v128.store (i32.add (local.get $bp) (local.get $ldb8)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
              (local.set $ap (i32.add (local.get $ap) (i32.shl (local.get $lda8) (i32.const 1))))
              (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
              (local.set $r (i32.add (local.get $r) (i32.const 2)))
              (br_if $rl (i32.ne (local.get $r) (i32.const 8))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jl)))
        ;; odd k: B[k−1, i+r] = A[i+r, k−1], r < 8
        (if (i32.ne (local.get $k2) (local.get $k)) (then
          (local.set $ap (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))) (i32.shl (local.get $k2) (i32.const 3))))
          (local.set $bp (i32.add (i32.add (local.get $b) (i32.mul (local.get $k2) (local.get $ldb8))) (i32.shl (local.get $i) (i32.const 3))))
          (local.set $r (i32.const 0))
          (loop $ol
            (f64.store (local.get $bp) (f64.load (local.get $ap)))
            (local.set $ap (i32.add (local.get $ap) (local.get $lda8)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 8)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br_if $ol (i32.ne (local.get $r) (i32.const 8))))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $il)))
    ;; rows m8 … m − 1: B[j, i] = A[i, j]
    (block $rdone
      (loop $rrl
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))))
        (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $j (i32.const 0))
        (block $cdone
          (loop $cl
            (br_if $cdone (i32.ge_u (local.get $j) (local.get $k)))
            (f64.store (local.get $bp) (f64.load (local.get $ap)))
            (local.set $ap (i32.add (local.get $ap) (i32.const 8)))
            (local.set $bp (i32.add (local.get $bp) (local.get $ldb8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rrl))))

  ;; y_i = A[i, :]·x for i < m (overwrite), A m×k (lda): four rows per pass over x (x loaded once for four
  ;; rows, eight independent f64x2 accumulators), the rows left over by `dot`. Each y_i sums its two
  ;; lane pairs over p mod 4 as ((a0 + a1) lanes 0 + 1) + tail, the same order as `dot`.
  (func $gemv_rows (export "gemv_rows") (param $m i32) (param $k i32) (param $a i32) (param $lda i32) (param $x i32) (param $y i32)
    (local $i i32) (local $lda8 i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $xp i32) (local $end i32)
    (local $p i32) (local $k4 i32) (local $o i32) (local $xv0 v128) (local $xv1 v128)
    (local $a0 v128) (local $b0 v128) (local $a1 v128) (local $b1 v128) (local $a2 v128) (local $b2 v128) (local $a3 v128) (local $b3 v128)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64) (local $xs f64)
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $k4) (i32.const 3))))
    (block $done4
      (loop $il
        (br_if $done4 (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $lda8)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $lda8)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $lda8)))
        (local.set $a0 (v128.const f64x2 0 0)) (local.set $b0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0)) (local.set $b1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0)) (local.set $b2 (v128.const f64x2 0 0))
        (local.set $a3 (v128.const f64x2 0 0)) (local.set $b3 (v128.const f64x2 0 0))
        (local.set $xp (local.get $x))
        (local.set $o (i32.const 0))
        (block $kdone
          (br_if $kdone (i32.eqz (local.get $k4)))
          (loop $kl
            (local.set $xv0 (v128.load (local.get $xp)))
            (local.set $xv1 (v128.load offset=16 (local.get $xp)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (i32.add (local.get $r0) (local.get $o))) (local.get $xv0))))
            (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (v128.load offset=16 (i32.add (local.get $r0) (local.get $o))) (local.get $xv1))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load (i32.add (local.get $r1) (local.get $o))) (local.get $xv0))))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (v128.load offset=16 (i32.add (local.get $r1) (local.get $o))) (local.get $xv1))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (v128.load (i32.add (local.get $r2) (local.get $o))) (local.get $xv0))))
            (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (v128.load offset=16 (i32.add (local.get $r2) (local.get $o))) (local.get $xv1))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (v128.load (i32.add (local.get $r3) (local.get $o))) (local.get $xv0))))
            (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (v128.load offset=16 (i32.add (local.get $r3) (local.get $o))) (local.get $xv1))))
            (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
            (local.set $o (i32.add (local.get $o) (i32.const 32)))
            (br_if $kl (i32.ne (local.get $xp) (local.get $end)))))
        (local.set $a0 (f64x2.add (local.get $a0) (local.get $b0)))
        (local.set $a1 (f64x2.add (local.get $a1) (local.get $b1)))
        (local.set $a2 (f64x2.add (local.get $a2) (local.get $b2)))
        (local.set $a3 (f64x2.add (local.get $a3) (local.get $b3)))
        (local.set $s0 (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
        (local.set $s1 (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1))))
        (local.set $s2 (f64.add (f64x2.extract_lane 0 (local.get $a2)) (f64x2.extract_lane 1 (local.get $a2))))
        (local.set $s3 (f64.add (f64x2.extract_lane 0 (local.get $a3)) (f64x2.extract_lane 1 (local.get $a3))))
        ;; tail p = k4 .. k
        (local.set $p (local.get $k4))
        (block $tdone
          (loop $tl
            (br_if $tdone (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $o (i32.shl (local.get $p) (i32.const 3)))
            (local.set $xs (f64.load (i32.add (local.get $x) (local.get $o))))
            (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (i32.add (local.get $r0) (local.get $o))) (local.get $xs))))
            (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.load (i32.add (local.get $r1) (local.get $o))) (local.get $xs))))
            (local.set $s2 (f64.add (local.get $s2) (f64.mul (f64.load (i32.add (local.get $r2) (local.get $o))) (local.get $xs))))
            (local.set $s3 (f64.add (local.get $s3) (f64.mul (f64.load (i32.add (local.get $r3) (local.get $o))) (local.get $xs))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $tl)))
        (local.set $o (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))
        (f64.store offset=0 (local.get $o) (local.get $s0))
        (f64.store offset=8 (local.get $o) (local.get $s1))
        (f64.store offset=16 (local.get $o) (local.get $s2))
        (f64.store offset=24 (local.get $o) (local.get $s3))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $il)))
    ;; remaining rows
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
        (f64.store (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3)))
          (call $dot (local.get $k) (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))) (local.get $x)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rl))))

  ;; y = A·x (beta 0) or y += A·x (beta 1); A m×k (lda): y_i (+)= dot(A[i, :], x)
  (func (export "gemv") (param $m i32) (param $k i32) (param $a i32) (param $lda i32) (param $x i32) (param $y i32) (param $beta i32)
    (local $i i32) (local $s f64) (local $lda8 i32)
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $s (call $dot (local.get $k) (local.get $a) (local.get $x)))
        (if (local.get $beta) (then (local.set $s (f64.add (f64.load (local.get $y)) (local.get $s)))))
        (f64.store (local.get $y) (local.get $s))
        (local.set $a (i32.add (local.get $a) (local.get $lda8)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))))

  ;; y = Aᵀ·x (beta 0) or y += Aᵀ·x (beta 1); A m×k (lda): y (+)= Σ_i x_i·A[i, :], rows in ascending i
  ;; (four rows per pass over y: t = ((((y + x_i a_i) + x_{i+1} a_{i+1}) + …)
  (func (export "gemv_t") (param $m i32) (param $k i32) (param $a i32) (param $lda i32) (param $x i32) (param $y i32) (param $beta i32)
    (local $i i32) (local $j i32) (local $lda8 i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $yp i32) (local $k2 i32) (local $o i32)
    (local $t v128)
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (if (i32.eqz (local.get $beta)) (then (memory.fill (local.get $y) (i32.const 0) (i32.shl (local.get $k) (i32.const 3)))))
    (local.set $k2 (i32.and (local.get $k) (i32.const -2)))
    (block $done4
      (loop $il
        (br_if $done4 (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $lda8)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $lda8)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $lda8)))
        (local.set $o (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $x0 (v128.load64_splat offset=0 (local.get $o)))
        (local.set $x1 (v128.load64_splat offset=8 (local.get $o)))
        (local.set $x2 (v128.load64_splat offset=16 (local.get $o)))
        (local.set $x3 (v128.load64_splat offset=24 (local.get $o)))
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $k2)))
            (local.set $o (i32.shl (local.get $j) (i32.const 3)))
            (local.set $yp (i32.add (local.get $y) (local.get $o)))
            (local.set $t (f64x2.add (v128.load (local.get $yp)) (f64x2.mul (local.get $x0) (v128.load (i32.add (local.get $r0) (local.get $o))))))
            (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $x1) (v128.load (i32.add (local.get $r1) (local.get $o))))))
            (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $x2) (v128.load (i32.add (local.get $r2) (local.get $o))))))
            (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $x3) (v128.load (i32.add (local.get $r3) (local.get $o))))))
            (v128.store (local.get $yp) (local.get $t))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jl)))
        (if (i32.ne (local.get $k2) (local.get $k)) (then
          (local.set $o (i32.shl (local.get $k2) (i32.const 3)))
          (local.set $yp (i32.add (local.get $y) (local.get $o)))
          (f64.store (local.get $yp)
            (f64.add (f64.add (f64.add (f64.add (f64.load (local.get $yp))
              (f64.mul (f64x2.extract_lane 0 (local.get $x0)) (f64.load (i32.add (local.get $r0) (local.get $o)))))
              (f64.mul (f64x2.extract_lane 0 (local.get $x1)) (f64.load (i32.add (local.get $r1) (local.get $o)))))
              (f64.mul (f64x2.extract_lane 0 (local.get $x2)) (f64.load (i32.add (local.get $r2) (local.get $o)))))
              (f64.mul (f64x2.extract_lane 0 (local.get $x3)) (f64.load (i32.add (local.get $r3) (local.get $o))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $il)))
    ;; remaining rows: y += x_i·A[i, :]
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda8))))
        (local.set $x0 (v128.load64_splat (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $k2)))
            (local.set $o (i32.shl (local.get $j) (i32.const 3)))
            (local.set $yp (i32.add (local.get $y) (local.get $o)))
            (v128.store (local.get $yp) (f64x2.add (v128.load (local.get $yp)) (f64x2.mul (local.get $x0) (v128.load (i32.add (local.get $r0) (local.get $o))))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jl)))
        (if (i32.ne (local.get $k2) (local.get $k)) (then
          (local.set $o (i32.shl (local.get $k2) (i32.const 3)))
          (local.set $yp (i32.add (local.get $y) (local.get $o)))
          (f64.store (local.get $yp) (f64.add (f64.load (local.get $yp))
            (f64.mul (f64x2.extract_lane 0 (local.get $x0)) (f64.load (i32.add (local.get $r0) (local.get $o))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rl))))
;; ---------------------------------------------------------------------------------------------
  ;; G += X̃ᵀR for small T on row-major rows of X (issue #13): X̃ = X − 1 μᵀ centred on the fly, R task-major.
  ;; Row a of X starts at the byte address rows[a] (i32 at $rows, a < m: a design, a row subset, any order);
  ;; R(a, t) at r + 8·a + 8·ldr·t; μ at $mu (d doubles); G(j, t) at g + 16·T·⌊j/2⌋ + 16·t + 8·(j mod 2)
  ;; (feature pairs interleaved: one f64x2 per (pair, task)); ws: 64·T bytes (the splatted R of 4 rows).
  ;; One pass over each row of X: four rows at a time, G(j, t) = ((((G + x̃_0j r_0t) + x̃_1j r_1t) + …) in
  ;; ascending a with separate multiply and add, so every entry equals the naive loop over a bit for bit.
  ;; With d odd it reads one double past each row of X and past μ (the lane is discarded into G's padding).
  ;; $sq ≠ 0: also sq[j] += Σ_a x̃_aj² in the same pass (sq at $sq, d doubles plus one of padding with d odd):
  ;; the squared column norms of X̃, each one ascending chain of separate multiplies and adds, so the same
  ;; bits as col_sq (issue #11: XᵀY and the column norms of a fit in one pass over X instead of two).
  (func (export "xtr_rows") (param $m i32) (param $d i32) (param $T i32) (param $rows i32) (param $r i32) (param $ldr i32)
    (param $mu i32) (param $g i32) (param $ws i32) (param $sq i32)
    (local $qp i32)
    (local $i i32) (local $t i32) (local $ldr8 i32) (local $T16 i32) (local $dend i32) (local $o i32) (local $p i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $gp i32) (local $ge i32) (local $sp i32)
    (local $mv v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $acc v128)
    (local.set $ldr8 (i32.shl (local.get $ldr) (i32.const 3)))
    (local.set $T16 (i32.shl (local.get $T) (i32.const 4)))
    (local.set $dend (i32.shl (i32.and (i32.add (local.get $d) (i32.const 1)) (i32.const -2)) (i32.const 3)))
    (block $done4
      (loop $il
        (br_if $done4 (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        ;; ws[t, a] = splat R(i + a, t), a = 0..3
        (local.set $t (i32.const 0))
        (local.set $p (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $sp (local.get $ws))
        (loop $sl
          (v128.store offset=0 (local.get $sp) (v128.load64_splat offset=0 (local.get $p)))
          (v128.store offset=16 (local.get $sp) (v128.load64_splat offset=8 (local.get $p)))
          (v128.store offset=32 (local.get $sp) (v128.load64_splat offset=16 (local.get $p)))
          (v128.store offset=48 (local.get $sp) (v128.load64_splat offset=24 (local.get $p)))
          (local.set $p (i32.add (local.get $p) (local.get $ldr8)))
          (local.set $sp (i32.add (local.get $sp) (i32.const 64)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $sl (i32.lt_u (local.get $t) (local.get $T))))
        (local.set $p (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $a0 (i32.load offset=0 (local.get $p)))
        (local.set $a1 (i32.load offset=4 (local.get $p)))
        (local.set $a2 (i32.load offset=8 (local.get $p)))
        (local.set $a3 (i32.load offset=12 (local.get $p)))
        (local.set $o (i32.const 0))
        (local.set $gp (local.get $g))
        (loop $jl
          ;; x̃_a = X[row a, j:j+2] − μ[j:j+2]
          (local.set $mv (v128.load (i32.add (local.get $mu) (local.get $o))))
          (local.set $x0 (f64x2.sub (v128.load (i32.add (local.get $a0) (local.get $o))) (local.get $mv)))
          (local.set $x1 (f64x2.sub (v128.load (i32.add (local.get $a1) (local.get $o))) (local.get $mv)))
          (local.set $x2 (f64x2.sub (v128.load (i32.add (local.get $a2) (local.get $o))) (local.get $mv)))
          (local.set $x3 (f64x2.sub (v128.load (i32.add (local.get $a3) (local.get $o))) (local.get $mv)))
          ;; sq[j:j+2] = (((sq + x̃_0²) + x̃_1²) + x̃_2²) + x̃_3²
          (if (local.get $sq) (then
            (local.set $qp (i32.add (local.get $sq) (local.get $o)))
            (v128.store (local.get $qp) (f64x2.add (f64x2.add (f64x2.add (f64x2.add (v128.load (local.get $qp))
              (f64x2.mul (local.get $x0) (local.get $x0))) (f64x2.mul (local.get $x1) (local.get $x1)))
              (f64x2.mul (local.get $x2) (local.get $x2))) (f64x2.mul (local.get $x3) (local.get $x3))))))
          (local.set $ge (i32.add (local.get $gp) (local.get $T16)))
          (local.set $sp (local.get $ws))
          (loop $tl
            ;; G(j:j+2, t) += Σ_a x̃_a r_at, a ascending
            (local.set $acc (f64x2.add (v128.load (local.get $gp)) (f64x2.mul (local.get $x0) (v128.load offset=0 (local.get $sp)))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $x1) (v128.load offset=16 (local.get $sp)))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $x2) (v128.load offset=32 (local.get $sp)))))
            (v128.store (local.get $gp) (f64x2.add (local.get $acc) (f64x2.mul (local.get $x3) (v128.load offset=48 (local.get $sp)))))
            (local.set $gp (i32.add (local.get $gp) (i32.const 16)))
            (local.set $sp (i32.add (local.get $sp) (i32.const 64)))
            (br_if $tl (i32.ne (local.get $gp) (local.get $ge))))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (br_if $jl (i32.lt_u (local.get $o) (local.get $dend))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $il)))
    ;; remaining rows one at a time: G(j:j+2, t) += x̃_a r_at
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $t (i32.const 0))
        (local.set $p (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $sp (local.get $ws))
        (loop $sl
          (v128.store (local.get $sp) (v128.load64_splat (local.get $p)))
          (local.set $p (i32.add (local.get $p) (local.get $ldr8)))
          (local.set $sp (i32.add (local.get $sp) (i32.const 64)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $sl (i32.lt_u (local.get $t) (local.get $T))))
        (local.set $a0 (i32.load (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $o (i32.const 0))
        (local.set $gp (local.get $g))
        (loop $jl
          (local.set $x0 (f64x2.sub (v128.load (i32.add (local.get $a0) (local.get $o))) (v128.load (i32.add (local.get $mu) (local.get $o)))))
          (if (local.get $sq) (then
            (local.set $qp (i32.add (local.get $sq) (local.get $o)))
            (v128.store (local.get $qp) (f64x2.add (v128.load (local.get $qp)) (f64x2.mul (local.get $x0) (local.get $x0))))))
          (local.set $ge (i32.add (local.get $gp) (local.get $T16)))
          (local.set $sp (local.get $ws))
          (loop $tl
            (v128.store (local.get $gp) (f64x2.add (v128.load (local.get $gp)) (f64x2.mul (local.get $x0) (v128.load (local.get $sp)))))
            (local.set $gp (i32.add (local.get $gp) (i32.const 16)))
            (local.set $sp (i32.add (local.get $sp) (i32.const 64)))
            (br_if $tl (i32.ne (local.get $gp) (local.get $ge))))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (br_if $jl (i32.lt_u (local.get $o) (local.get $dend))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rl))))
  ;; ---------------------------------------------------------------------------------------------
  ;; B[j·ldb + i] = A[i, j] and out[j] += Σ_{i < m, ascending} (A[i, j] − μ_j)² for j < d (A m×d row-major at
  ;; $a, μ at $mu or none when $mu = 0, out zeroed by the caller): the feature-major copy of a design and its
  ;; squared column norms in one pass over A (issue #11: the norms had been d dot products over the copy
  ;; afterwards, a second pass). Eight rows at a time, column pairs by f64x2 (B gets 64 contiguous bytes per
  ;; column and block); each norm is one ascending chain of separate multiplies and adds, as in col_sq.
  (func (export "transpose_sq") (param $m i32) (param $d i32) (param $a i32) (param $mu i32) (param $out i32)
      (param $b i32) (param $ldb i32)
    (local $i i32) (local $j i32) (local $r i32) (local $d8 i32) (local $ldb8 i32) (local $m8 i32) (local $k2 i32)
    (local $ap i32) (local $bp i32) (local $op i32) (local $v0 v128) (local $v1 v128) (local $mv v128) (local $acc v128)
    (local $x f64) (local $c f64) (local $s f64)
    (local.set $d8 (i32.shl (local.get $d) (i32.const 3)))
    (local.set $ldb8 (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $m8 (i32.and (local.get $m) (i32.const -8)))
    (local.set $k2 (i32.and (local.get $d) (i32.const -2)))
    (block $idone
      (loop $il
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m8)))
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $k2)))
            ;; ap = &A[i, j], bp = &B[j, i], op = &out[j]
            (local.set $ap (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $d8))) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $bp (i32.add (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $ldb8))) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $op (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $mv (if (result v128) (local.get $mu)
              (then (v128.load (i32.add (local.get $mu) (i32.shl (local.get $j) (i32.const 3))))) (else (f64x2.splat (f64.const 0)))))
            (local.set $acc (v128.load (local.get $op)))
            (local.set $r (i32.const 0))
            (loop $rl
              ;; rows i + r, i + r + 1: out[j:j+2] += x̃², then [B[j, i+r], B[j, i+r+1]] and the same for column j + 1
              (local.set $v0 (v128.load (local.get $ap)))
              (local.set $v1 (v128.load (i32.add (local.get $ap) (local.get $d8))))
              (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (f64x2.sub (local.get $v0) (local.get $mv)) (f64x2.sub (local.get $v0) (local.get $mv)))))
              (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (f64x2.sub (local.get $v1) (local.get $mv)) (f64x2.sub (local.get $v1) (local.get $mv)))))
              (v128.store (local.get $bp) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
              (v128.store (i32.add (local.get $bp) (local.get $ldb8)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
              (local.set $ap (i32.add (local.get $ap) (i32.shl (local.get $d8) (i32.const 1))))
              (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
              (local.set $r (i32.add (local.get $r) (i32.const 2)))
              (br_if $rl (i32.ne (local.get $r) (i32.const 8))))
            (v128.store (local.get $op) (local.get $acc))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jl)))
        ;; odd d: the last column, rows i … i + 7
        (if (i32.ne (local.get $k2) (local.get $d)) (then
          (local.set $ap (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $d8))) (i32.shl (local.get $k2) (i32.const 3))))
          (local.set $bp (i32.add (i32.add (local.get $b) (i32.mul (local.get $k2) (local.get $ldb8))) (i32.shl (local.get $i) (i32.const 3))))
          (local.set $op (i32.add (local.get $out) (i32.shl (local.get $k2) (i32.const 3))))
          (local.set $c (if (result f64) (local.get $mu) (then (f64.load (i32.add (local.get $mu) (i32.shl (local.get $k2) (i32.const 3))))) (else (f64.const 0))))
          (local.set $s (f64.load (local.get $op)))
          (local.set $r (i32.const 0))
          (loop $ol
            (local.set $x (f64.load (local.get $ap)))
            (local.set $s (f64.add (local.get $s) (f64.mul (f64.sub (local.get $x) (local.get $c)) (f64.sub (local.get $x) (local.get $c)))))
            (f64.store (local.get $bp) (local.get $x))
            (local.set $ap (i32.add (local.get $ap) (local.get $d8)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 8)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br_if $ol (i32.ne (local.get $r) (i32.const 8))))
          (f64.store (local.get $op) (local.get $s))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $il)))
    ;; rows m8 … m − 1, one at a time: B[j, i] = A[i, j], out[j] += x̃²
    (block $rdone
      (loop $rrl
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $d8))))
        (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $j (i32.const 0))
        (block $cdone
          (loop $cl
            (br_if $cdone (i32.ge_u (local.get $j) (local.get $d)))
            (local.set $op (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $c (if (result f64) (local.get $mu) (then (f64.load (i32.add (local.get $mu) (i32.shl (local.get $j) (i32.const 3))))) (else (f64.const 0))))
            (local.set $x (f64.load (local.get $ap)))
            (f64.store (local.get $op) (f64.add (f64.load (local.get $op)) (f64.mul (f64.sub (local.get $x) (local.get $c)) (f64.sub (local.get $x) (local.get $c)))))
            (f64.store (local.get $bp) (local.get $x))
            (local.set $ap (i32.add (local.get $ap) (i32.const 8)))
            (local.set $bp (i32.add (local.get $bp) (local.get $ldb8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rrl))))
  ;; ---------------------------------------------------------------------------------------------
  ;; A fused epoch of L1/L2 group-lasso row steps over a residual state (issue #11; the JS side is
  ;; src/solvers/groupL2Sweep.ts, whose generic twin is bcd's row step). For a = 0 .. p−1, with
  ;; j = ws[a] (i32 at $ws), w = the compact row Wp[a·T ..) and L = Lp[a]:
  ;;   z = 2s ⊙ (R x_j) − 2ρ w    (R task-major T×n at $r, x_j = X[j·n ..) feature-major at $x, 2s_t at $s2)
  ;;   viol = ‖w‖ = 0 ? (‖z‖ − λ)₊ : ‖z − λ w/‖w‖‖,   worst = max(worst, viol)   (NaN propagates)
  ;;   u = w + z/L;  w ← (1 − (1/L)·λ/‖u‖)₊ u  (w ← 0 when L ≤ 0);  R += (−δ) x_jᵀ
  ;; Norms are plain square roots of sums of squares (the data's magnitude is checked on entry).
  ;; One pass over R per row: the update of a changed row is kept pending and done by $gl2_fuse in the
  ;; same pass as the next row's R x_j; the first row's R x_j (or one after an unchanged row) is a plain
  ;; gemv_rows, the last pending update an axpy_rows. Each entry of R is rounded as by axpy_rows; the
  ;; dots may differ from gemv_rows' in the last bits (summation order).
  ;; Scratch at $z: 3T doubles (z, −δ, u). Returns worst.
  (func (export "gl2_sweep") (param $p i32) (param $ws i32) (param $wp i32) (param $lp i32) (param $lambda f64)
      (param $ridge f64) (param $T i32) (param $n i32) (param $x i32) (param $r i32) (param $s2 i32) (param $z i32) (result f64)
    (local $a i32) (local $o i32) (local $T8 i32) (local $j i32) (local $xj i32) (local $w i32) (local $al i32) (local $u i32)
    (local $L f64) (local $worst f64) (local $ss f64) (local $v f64) (local $c f64) (local $viol f64) (local $tau f64)
    (local $r2 f64) (local $changed i32) (local $pend i32)
    (local.set $T8 (i32.shl (local.get $T) (i32.const 3)))
    (local.set $al (i32.add (local.get $z) (local.get $T8)))
    (local.set $u (i32.add (local.get $al) (local.get $T8)))
    (local.set $r2 (f64.mul (f64.const 2) (local.get $ridge)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $a) (local.get $p)))
        (local.set $j (i32.load (i32.add (local.get $ws) (i32.shl (local.get $a) (i32.const 2)))))
        (local.set $xj (i32.add (local.get $x) (i32.shl (i32.mul (local.get $j) (local.get $n)) (i32.const 3))))
        (local.set $w (i32.add (local.get $wp) (i32.mul (local.get $a) (local.get $T8))))
        (local.set $L (f64.load (i32.add (local.get $lp) (i32.shl (local.get $a) (i32.const 3)))))
        ;; z = R x_j (after R += (−δ_prev) x_prevᵀ when the previous row changed, x_prev at $pend),
        ;; then z_t = (2s_t)·z_t − (2ρ)·w_t and ss = ‖w‖²
        (if (local.get $pend)
          (then (call $gl2_fuse (local.get $T) (local.get $n) (local.get $pend) (local.get $xj) (local.get $r) (local.get $al) (local.get $z)))
          (else (call $gemv_rows (local.get $T) (local.get $n) (local.get $r) (local.get $n) (local.get $xj) (local.get $z))))
        (local.set $ss (f64.const 0))
        (local.set $o (i32.const 0))
        (loop $zl
          (local.set $v (f64.load (i32.add (local.get $w) (local.get $o))))
          (f64.store (i32.add (local.get $z) (local.get $o))
            (f64.sub (f64.mul (f64.load (i32.add (local.get $s2) (local.get $o))) (f64.load (i32.add (local.get $z) (local.get $o))))
                     (f64.mul (local.get $r2) (local.get $v))))
          (local.set $ss (f64.add (local.get $ss) (f64.mul (local.get $v) (local.get $v))))
          (local.set $o (i32.add (local.get $o) (i32.const 8)))
          (br_if $zl (i32.lt_u (local.get $o) (local.get $T8))))
        ;; viol
        (local.set $viol (f64.const 0))
        (local.set $o (i32.const 0))
        (if (f64.eq (local.get $ss) (f64.const 0))
          (then
            (loop $vl
              (local.set $v (f64.load (i32.add (local.get $z) (local.get $o))))
              (local.set $viol (f64.add (local.get $viol) (f64.mul (local.get $v) (local.get $v))))
              (local.set $o (i32.add (local.get $o) (i32.const 8)))
              (br_if $vl (i32.lt_u (local.get $o) (local.get $T8))))
            (local.set $viol (f64.max (f64.const 0) (f64.sub (f64.sqrt (local.get $viol)) (local.get $lambda)))))
          (else
            (local.set $c (f64.div (local.get $lambda) (f64.sqrt (local.get $ss))))
            (loop $vl2
              (local.set $v (f64.sub (f64.load (i32.add (local.get $z) (local.get $o)))
                                     (f64.mul (local.get $c) (f64.load (i32.add (local.get $w) (local.get $o))))))
              (local.set $viol (f64.add (local.get $viol) (f64.mul (local.get $v) (local.get $v))))
              (local.set $o (i32.add (local.get $o) (i32.const 8)))
              (br_if $vl2 (i32.lt_u (local.get $o) (local.get $T8))))
            (local.set $viol (f64.sqrt (local.get $viol)))))
        (local.set $worst (f64.max (local.get $worst) (local.get $viol)))
        ;; u = w + z/L (0 when L ≤ 0), ss = ‖u‖²
        (local.set $ss (f64.const 0))
        (local.set $o (i32.const 0))
        (loop $ul
          (local.set $v (if (result f64) (f64.gt (local.get $L) (f64.const 0))
            (then (f64.add (f64.load (i32.add (local.get $w) (local.get $o)))
                           (f64.div (f64.load (i32.add (local.get $z) (local.get $o))) (local.get $L))))
            (else (f64.const 0))))
          (f64.store (i32.add (local.get $u) (local.get $o)) (local.get $v))
          (local.set $ss (f64.add (local.get $ss) (f64.mul (local.get $v) (local.get $v))))
          (local.set $o (i32.add (local.get $o) (i32.const 8)))
          (br_if $ul (i32.lt_u (local.get $o) (local.get $T8))))
        ;; block soft-thresholding: c = 1 − τ/‖u‖ when ‖u‖ > τ = (1/L)·λ, else 0
        (local.set $tau (f64.mul (f64.div (f64.const 1) (local.get $L)) (local.get $lambda)))
        (local.set $v (f64.sqrt (local.get $ss)))
        (local.set $c (if (result f64) (i32.and (f64.gt (local.get $L) (f64.const 0)) (f64.gt (local.get $v) (local.get $tau)))
          (then (f64.sub (f64.const 1) (f64.div (local.get $tau) (local.get $v))))
          (else (f64.const 0))))
        ;; w ← c·u; −δ = w_old − w_new
        (local.set $changed (i32.const 0))
        (local.set $o (i32.const 0))
        (loop $wl
          (local.set $v (f64.mul (local.get $c) (f64.load (i32.add (local.get $u) (local.get $o)))))
          (local.set $ss (f64.sub (f64.load (i32.add (local.get $w) (local.get $o))) (local.get $v)))
          (f64.store (i32.add (local.get $al) (local.get $o)) (local.get $ss))
          (if (f64.ne (local.get $ss) (f64.const 0)) (then (local.set $changed (i32.const 1))))
          (f64.store (i32.add (local.get $w) (local.get $o)) (local.get $v))
          (local.set $o (i32.add (local.get $o) (i32.const 8)))
          (br_if $wl (i32.lt_u (local.get $o) (local.get $T8))))
        ;; the update R += (−δ) x_jᵀ waits for the next row's pass (x_j's address; 0 = none: X is never at 0)
        (local.set $pend (select (local.get $xj) (i32.const 0) (local.get $changed)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $rows)))
    (if (local.get $pend)
      (then (call $axpy_rows (local.get $T) (local.get $n) (local.get $al) (local.get $pend) (local.get $r) (local.get $n))))
    (local.get $worst))

  ;; The fused pass of gl2_sweep: R += α x_aᵀ and z = R x_b in one pass over R (T×n task-major at $r;
  ;; α at $al and z at $z, T doubles; x_a, x_b n doubles): for each i, r_ti += α_t x_ai (stored), then
  ;; z_t += r_ti x_bi with the updated r_ti. Each entry of R is rounded as by `axpy_rows` (r + α_t·x);
  ;; the dots sum lane pairs (f64x2 over i) then the odd tail. Tasks 4 at a time ($gl2_fuse4, four
  ;; accumulators in registers), then 2 ($gl2_fuse2), then 1 ($gl2_fuse1, two accumulators over i mod 4).
  (func $gl2_fuse (param $T i32) (param $n i32) (param $xa i32) (param $xb i32) (param $r i32) (param $al i32) (param $z i32)
    (local $t i32) (local $n8 i32) (local $rt i32)
    (local.set $n8 (i32.shl (local.get $n) (i32.const 3)))
    (local.set $rt (local.get $r))
    (block $d4
      (loop $l4
        (br_if $d4 (i32.gt_u (i32.add (local.get $t) (i32.const 4)) (local.get $T)))
        (call $gl2_fuse4 (local.get $n) (local.get $rt) (local.get $xa) (local.get $xb)
          (i32.add (local.get $al) (i32.shl (local.get $t) (i32.const 3))) (i32.add (local.get $z) (i32.shl (local.get $t) (i32.const 3))))
        (local.set $rt (i32.add (local.get $rt) (i32.shl (local.get $n8) (i32.const 2))))
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br $l4)))
    (if (i32.le_u (i32.add (local.get $t) (i32.const 2)) (local.get $T)) (then
      (call $gl2_fuse2 (local.get $n) (local.get $rt) (local.get $xa) (local.get $xb)
        (i32.add (local.get $al) (i32.shl (local.get $t) (i32.const 3))) (i32.add (local.get $z) (i32.shl (local.get $t) (i32.const 3))))
      (local.set $rt (i32.add (local.get $rt) (i32.shl (local.get $n8) (i32.const 1))))
      (local.set $t (i32.add (local.get $t) (i32.const 2)))))
    (if (i32.lt_u (local.get $t) (local.get $T)) (then
      (call $gl2_fuse1 (local.get $n) (local.get $rt) (local.get $xa) (local.get $xb)
        (i32.add (local.get $al) (i32.shl (local.get $t) (i32.const 3))) (i32.add (local.get $z) (i32.shl (local.get $t) (i32.const 3)))))))

  ;; $gl2_fuse for the 4 tasks whose rows start at $r0 (stride n), α at $al, z at $zp: f64x2 over i,
  ;; one accumulator per task; the odd last i by scalars.
  (func $gl2_fuse4 (param $n i32) (param $r0 i32) (param $xa i32) (param $xb i32) (param $al i32) (param $zp i32)
    (local $n8 i32) (local $o i32) (local $end i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $va v128) (local $vb v128) (local $v v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $xas f64) (local $xbs f64) (local $e f64) (local $f0 f64) (local $f1 f64) (local $f2 f64) (local $f3 f64)
    (local.set $n8 (i32.shl (local.get $n) (i32.const 3)))
    (local.set $r1 (i32.add (local.get $r0) (local.get $n8)))
    (local.set $r2 (i32.add (local.get $r1) (local.get $n8)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $n8)))
    (local.set $c0 (v128.load64_splat offset=0 (local.get $al)))
    (local.set $c1 (v128.load64_splat offset=8 (local.get $al)))
    (local.set $c2 (v128.load64_splat offset=16 (local.get $al)))
    (local.set $c3 (v128.load64_splat offset=24 (local.get $al)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (br_if $done (i32.eqz (local.get $end)))
      (loop $l
        (local.set $va (v128.load (i32.add (local.get $xa) (local.get $o))))
        (local.set $vb (v128.load (i32.add (local.get $xb) (local.get $o))))
        (local.set $v (f64x2.add (v128.load (i32.add (local.get $r0) (local.get $o))) (f64x2.mul (local.get $c0) (local.get $va))))
        (v128.store (i32.add (local.get $r0) (local.get $o)) (local.get $v))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (local.get $vb))))
        (local.set $v (f64x2.add (v128.load (i32.add (local.get $r1) (local.get $o))) (f64x2.mul (local.get $c1) (local.get $va))))
        (v128.store (i32.add (local.get $r1) (local.get $o)) (local.get $v))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $v) (local.get $vb))))
        (local.set $v (f64x2.add (v128.load (i32.add (local.get $r2) (local.get $o))) (f64x2.mul (local.get $c2) (local.get $va))))
        (v128.store (i32.add (local.get $r2) (local.get $o)) (local.get $v))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $v) (local.get $vb))))
        (local.set $v (f64x2.add (v128.load (i32.add (local.get $r3) (local.get $o))) (f64x2.mul (local.get $c3) (local.get $va))))
        (v128.store (i32.add (local.get $r3) (local.get $o)) (local.get $v))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $v) (local.get $vb))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br_if $l (i32.ne (local.get $o) (local.get $end)))))
    (local.set $f0 (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (local.set $f1 (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1))))
    (local.set $f2 (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2))))
    (local.set $f3 (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3))))
    ;; odd n: the last i
    (if (i32.and (local.get $n) (i32.const 1)) (then
      (local.set $xas (f64.load (i32.add (local.get $xa) (local.get $o))))
      (local.set $xbs (f64.load (i32.add (local.get $xb) (local.get $o))))
      (local.set $e (f64.add (f64.load (i32.add (local.get $r0) (local.get $o))) (f64.mul (f64x2.extract_lane 0 (local.get $c0)) (local.get $xas))))
      (f64.store (i32.add (local.get $r0) (local.get $o)) (local.get $e))
      (local.set $f0 (f64.add (local.get $f0) (f64.mul (local.get $e) (local.get $xbs))))
      (local.set $e (f64.add (f64.load (i32.add (local.get $r1) (local.get $o))) (f64.mul (f64x2.extract_lane 0 (local.get $c1)) (local.get $xas))))
      (f64.store (i32.add (local.get $r1) (local.get $o)) (local.get $e))
      (local.set $f1 (f64.add (local.get $f1) (f64.mul (local.get $e) (local.get $xbs))))
      (local.set $e (f64.add (f64.load (i32.add (local.get $r2) (local.get $o))) (f64.mul (f64x2.extract_lane 0 (local.get $c2)) (local.get $xas))))
      (f64.store (i32.add (local.get $r2) (local.get $o)) (local.get $e))
      (local.set $f2 (f64.add (local.get $f2) (f64.mul (local.get $e) (local.get $xbs))))
      (local.set $e (f64.add (f64.load (i32.add (local.get $r3) (local.get $o))) (f64.mul (f64x2.extract_lane 0 (local.get $c3)) (local.get $xas))))
      (f64.store (i32.add (local.get $r3) (local.get $o)) (local.get $e))
      (local.set $f3 (f64.add (local.get $f3) (f64.mul (local.get $e) (local.get $xbs))))))
    (f64.store offset=0 (local.get $zp) (local.get $f0))
    (f64.store offset=8 (local.get $zp) (local.get $f1))
    (f64.store offset=16 (local.get $zp) (local.get $f2))
    (f64.store offset=24 (local.get $zp) (local.get $f3)))

  ;; $gl2_fuse for 2 tasks (T mod 4 ≥ 2), as $gl2_fuse4.
  (func $gl2_fuse2 (param $n i32) (param $r0 i32) (param $xa i32) (param $xb i32) (param $al i32) (param $zp i32)
    (local $n8 i32) (local $o i32) (local $end i32) (local $r1 i32)
    (local $va v128) (local $vb v128) (local $v v128) (local $c0 v128) (local $c1 v128)
    (local $s0 v128) (local $s1 v128) (local $xas f64) (local $xbs f64) (local $e f64) (local $f0 f64) (local $f1 f64)
    (local.set $n8 (i32.shl (local.get $n) (i32.const 3)))
    (local.set $r1 (i32.add (local.get $r0) (local.get $n8)))
    (local.set $c0 (v128.load64_splat offset=0 (local.get $al)))
    (local.set $c1 (v128.load64_splat offset=8 (local.get $al)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (br_if $done (i32.eqz (local.get $end)))
      (loop $l
        (local.set $va (v128.load (i32.add (local.get $xa) (local.get $o))))
        (local.set $vb (v128.load (i32.add (local.get $xb) (local.get $o))))
        (local.set $v (f64x2.add (v128.load (i32.add (local.get $r0) (local.get $o))) (f64x2.mul (local.get $c0) (local.get $va))))
        (v128.store (i32.add (local.get $r0) (local.get $o)) (local.get $v))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (local.get $vb))))
        (local.set $v (f64x2.add (v128.load (i32.add (local.get $r1) (local.get $o))) (f64x2.mul (local.get $c1) (local.get $va))))
        (v128.store (i32.add (local.get $r1) (local.get $o)) (local.get $v))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $v) (local.get $vb))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br_if $l (i32.ne (local.get $o) (local.get $end)))))
    (local.set $f0 (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (local.set $f1 (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1))))
    ;; odd n: the last i
    (if (i32.and (local.get $n) (i32.const 1)) (then
      (local.set $xas (f64.load (i32.add (local.get $xa) (local.get $o))))
      (local.set $xbs (f64.load (i32.add (local.get $xb) (local.get $o))))
      (local.set $e (f64.add (f64.load (i32.add (local.get $r0) (local.get $o))) (f64.mul (f64x2.extract_lane 0 (local.get $c0)) (local.get $xas))))
      (f64.store (i32.add (local.get $r0) (local.get $o)) (local.get $e))
      (local.set $f0 (f64.add (local.get $f0) (f64.mul (local.get $e) (local.get $xbs))))
      (local.set $e (f64.add (f64.load (i32.add (local.get $r1) (local.get $o))) (f64.mul (f64x2.extract_lane 0 (local.get $c1)) (local.get $xas))))
      (f64.store (i32.add (local.get $r1) (local.get $o)) (local.get $e))
      (local.set $f1 (f64.add (local.get $f1) (f64.mul (local.get $e) (local.get $xbs))))))
    (f64.store offset=0 (local.get $zp) (local.get $f0))
    (f64.store offset=8 (local.get $zp) (local.get $f1)))

  ;; $gl2_fuse for the last task (T odd): i in steps of 4 with two accumulators, then n mod 4 scalars.
  (func $gl2_fuse1 (param $n i32) (param $r0 i32) (param $xa i32) (param $xb i32) (param $al i32) (param $zp i32)
    (local $o i32) (local $end i32) (local $c0 v128) (local $v v128) (local $w v128) (local $s0 v128) (local $s1 v128)
    (local $c f64) (local $e f64) (local $f0 f64)
    (local.set $c (f64.load (local.get $al)))
    (local.set $c0 (f64x2.splat (local.get $c)))
    ;; i in steps of 4, two f64x2 accumulators (over i mod 4 ∈ {0, 1} and {2, 3})
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3)))
    (block $done
      (br_if $done (i32.eqz (local.get $end)))
      (loop $l
        (local.set $v (f64x2.add (v128.load (i32.add (local.get $r0) (local.get $o)))
          (f64x2.mul (local.get $c0) (v128.load (i32.add (local.get $xa) (local.get $o))))))
        (local.set $w (f64x2.add (v128.load offset=16 (i32.add (local.get $r0) (local.get $o)))
          (f64x2.mul (local.get $c0) (v128.load offset=16 (i32.add (local.get $xa) (local.get $o))))))
        (v128.store (i32.add (local.get $r0) (local.get $o)) (local.get $v))
        (v128.store offset=16 (i32.add (local.get $r0) (local.get $o)) (local.get $w))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (v128.load (i32.add (local.get $xb) (local.get $o))))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $w) (v128.load offset=16 (i32.add (local.get $xb) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br_if $l (i32.ne (local.get $o) (local.get $end)))))
    (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
    (local.set $f0 (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    ;; the last n mod 4 entries one by one
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $tdone
      (loop $t
        (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $e (f64.add (f64.load (i32.add (local.get $r0) (local.get $o))) (f64.mul (local.get $c) (f64.load (i32.add (local.get $xa) (local.get $o))))))
        (f64.store (i32.add (local.get $r0) (local.get $o)) (local.get $e))
        (local.set $f0 (f64.add (local.get $f0) (f64.mul (local.get $e) (f64.load (i32.add (local.get $xb) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $t)))
    (f64.store (local.get $zp) (local.get $f0)))

  ;; R += Σ_a α_a x_{c_a}ᵀ for a = 0 .. p−1 in that order (R task-major T×n at $r; c_a i32 at $cols, column c
  ;; of the feature-major X at x + 8·n·c; α_a = T doubles at al + 8T·a): each a as one `axpy_rows` call, so
  ;; each entry is rounded as by p separate row updates (Anderson's extrapolated point in a scratch residual)
  (func (export "axpy_rows_cols") (param $p i32) (param $T i32) (param $n i32) (param $cols i32) (param $al i32)
      (param $x i32) (param $r i32)
    (local $a i32) (local $T8 i32)
    (local.set $T8 (i32.shl (local.get $T) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $a) (local.get $p)))
        (call $axpy_rows (local.get $T) (local.get $n) (i32.add (local.get $al) (i32.mul (local.get $a) (local.get $T8)))
          (i32.add (local.get $x) (i32.shl (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $a) (i32.const 2))))
            (local.get $n)) (i32.const 3)))
          (local.get $r) (local.get $n))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $l))))
  ;; ---------------------------------------------------------------------------------------------
  ;; out[j] += Σ_{i < m, ascending} (A[i, j] − μ_j)² for j < d (A m×d row-major at $a, μ at $mu or none when
  ;; $mu = 0): the squared column norms of a (centred) design, each column one ascending chain of separate
  ;; multiplies and adds, so the same bits as the loop in SharedDesign.columnSquares. out zeroed by the caller.
  (func (export "col_sq") (param $m i32) (param $d i32) (param $a i32) (param $mu i32) (param $out i32)
    (local $i i32) (local $o i32) (local $rp i32) (local $d8 i32) (local $d28 i32) (local $v v128) (local $s f64)
    (local.set $d8 (i32.shl (local.get $d) (i32.const 3)))
    (local.set $d28 (i32.shl (i32.and (local.get $d) (i32.const -2)) (i32.const 3)))
    (local.set $rp (local.get $a))
    (block $done
      (loop $il
        (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $o (i32.const 0))
        (block $jd
          (loop $jl
            (br_if $jd (i32.ge_u (local.get $o) (local.get $d28)))
            (local.set $v (v128.load (i32.add (local.get $rp) (local.get $o))))
            (if (local.get $mu) (then (local.set $v (f64x2.sub (local.get $v) (v128.load (i32.add (local.get $mu) (local.get $o)))))))
            (v128.store (i32.add (local.get $out) (local.get $o))
              (f64x2.add (v128.load (i32.add (local.get $out) (local.get $o))) (f64x2.mul (local.get $v) (local.get $v))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $jl)))
        ;; odd d: the last column
        (if (i32.ne (local.get $d28) (local.get $d8)) (then
          (local.set $s (f64.load (i32.add (local.get $rp) (local.get $d28))))
          (if (local.get $mu) (then (local.set $s (f64.sub (local.get $s) (f64.load (i32.add (local.get $mu) (local.get $d28)))))))
          (f64.store (i32.add (local.get $out) (local.get $d28))
            (f64.add (f64.load (i32.add (local.get $out) (local.get $d28))) (f64.mul (local.get $s) (local.get $s))))))
        (local.set $rp (i32.add (local.get $rp) (local.get $d8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il))))
  ;; ---------------------------------------------------------------------------------------------
  ;; out[at[b] + i] = A[i, cols[b]] − μ_{cols[b]} for b < m, i < n (A n×d row-major at $a; cols, at i32 lists;
  ;; μ at $mu, or none when $mu = 0): the working-set columns of a centred design gathered contiguously
  ;; (SharedDesign.columnsInto's loop, the same single subtraction, so the same bits). Rows in blocks of
  ;; rb = 8 … 64 (about 256 KiB of X, kept in L2 while every column takes its rb entries): each column then
  ;; gets 8·rb contiguous bytes per block (with 8 rows, 125 columns of 20000×500 were 64-byte write streams
  ;; and the gather cost two streaming passes over X; issue #11)
  (func (export "gather_cols") (param $n i32) (param $d i32) (param $a i32) (param $cols i32) (param $m i32)
      (param $at i32) (param $mu i32) (param $out i32)
    (local $i0 i32) (local $r i32) (local $b i32) (local $j i32) (local $c f64) (local $src i32) (local $dst i32)
    (local $k i32) (local $d8 i32) (local $rb i32)
    (local.set $d8 (i32.shl (local.get $d) (i32.const 3)))
    ;; rb = clamp(⌊32768 / d⌋, 8, 64)
    (local.set $rb (i32.div_u (i32.const 32768) (i32.add (local.get $d) (i32.const 1))))
    (if (i32.gt_u (local.get $rb) (i32.const 64)) (then (local.set $rb (i32.const 64))))
    (if (i32.lt_u (local.get $rb) (i32.const 8)) (then (local.set $rb (i32.const 8))))
    (block $done
      (loop $il
        (br_if $done (i32.ge_u (local.get $i0) (local.get $n)))
        (local.set $r (i32.sub (local.get $n) (local.get $i0)))
        (if (i32.gt_u (local.get $r) (local.get $rb)) (then (local.set $r (local.get $rb))))
        (local.set $b (i32.const 0))
        (block $bd
          (loop $bl
            (br_if $bd (i32.ge_u (local.get $b) (local.get $m)))
            (local.set $j (i32.load (i32.add (local.get $cols) (i32.shl (local.get $b) (i32.const 2)))))
            (local.set $c (if (result f64) (local.get $mu)
              (then (f64.load (i32.add (local.get $mu) (i32.shl (local.get $j) (i32.const 3)))))
              (else (f64.const 0))))
            (local.set $src (i32.add (local.get $a)
              (i32.add (i32.mul (local.get $i0) (local.get $d8)) (i32.shl (local.get $j) (i32.const 3)))))
            (local.set $dst (i32.add (local.get $out) (i32.shl
              (i32.add (i32.load (i32.add (local.get $at) (i32.shl (local.get $b) (i32.const 2)))) (local.get $i0)) (i32.const 3))))
            (local.set $k (i32.const 0))
            (loop $al
              (f64.store (local.get $dst) (f64.sub (f64.load (local.get $src)) (local.get $c)))
              (local.set $src (i32.add (local.get $src) (local.get $d8)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br_if $al (i32.lt_u (local.get $k) (local.get $r))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bl)))
        (local.set $i0 (i32.add (local.get $i0) (local.get $rb)))
        (br $il))))
  ;; ---------------------------------------------------------------------------------------------
  ;; The squared residuals of a row-sparse W on the rows of a design (multiTaskLoss, issue #11):
  ;;   out[t] += Σ_{i < n ascending, Y(i, t) not NaN} (Y(i, t) − p_it)²,  p_it = b_t + Σ_{a < S ascending} X[row_i, cols[a]]·W_S[a, t]
  ;; row_i = rows[i] (i32 list) or i when $rows = 0; Y(i, t) = Y[(row_i or i)·ldy + t] ($yrows 1 or 0);
  ;; W_S S×T row-major at $w; b (T) at $b or 0 when $b = 0; X n×d row-major at $x; cols an i32 list.
  ;; Each p_it is one ascending chain of separate multiplies and adds (lanes are rows, never tasks), and
  ;; each out[t] one ascending chain over the rows, so the same bits as lossValue.ts's `sseRowsJs`.
  ;; $xs: scratch of 32·S bytes (4 rows of X_S, interleaved: entry (row q, a) at 32a + 8q).
  (func $sse_res (param $p01 v128) (param $p23 v128) (param $r i32) (param $y0 i32) (param $y1 i32) (param $y2 i32)
      (param $y3 i32) (param $o i32)
    (local $s f64) (local $v f64) (local $e f64)
    (local.set $s (f64.load (local.get $o)))
    ;; s += (y_q − p_q)² for the rows q < r whose response is observed, in order
    (local.set $v (f64.load (local.get $y0)))
    (if (f64.eq (local.get $v) (local.get $v)) (then
      (local.set $e (f64.sub (local.get $v) (f64x2.extract_lane 0 (local.get $p01))))
      (local.set $s (f64.add (local.get $s) (f64.mul (local.get $e) (local.get $e))))))
    (if (i32.gt_u (local.get $r) (i32.const 1)) (then
      (local.set $v (f64.load (local.get $y1)))
      (if (f64.eq (local.get $v) (local.get $v)) (then
        (local.set $e (f64.sub (local.get $v) (f64x2.extract_lane 1 (local.get $p01))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $e) (local.get $e))))))))
    (if (i32.gt_u (local.get $r) (i32.const 2)) (then
      (local.set $v (f64.load (local.get $y2)))
      (if (f64.eq (local.get $v) (local.get $v)) (then
        (local.set $e (f64.sub (local.get $v) (f64x2.extract_lane 0 (local.get $p23))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $e) (local.get $e))))))))
    (if (i32.gt_u (local.get $r) (i32.const 3)) (then
      (local.set $v (f64.load (local.get $y3)))
      (if (f64.eq (local.get $v) (local.get $v)) (then
        (local.set $e (f64.sub (local.get $v) (f64x2.extract_lane 1 (local.get $p23))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $e) (local.get $e))))))))
    (f64.store (local.get $o) (local.get $s)))

  ;; four tasks t … t + 3 of four rows: P = 1bᵀ + X_S W_S[:, t … t+3] over the gathered xs, then $sse_res per task
  ;; ($wp = &W_S[0, t], $bp = &b_t or 0, $y_q = &Y(row q, t), $o = &out[t])
  (func $sse_t4 (param $S i32) (param $xs i32) (param $wp i32) (param $ldw8 i32) (param $bp i32) (param $r i32)
      (param $y0 i32) (param $y1 i32) (param $y2 i32) (param $y3 i32) (param $o i32)
    (local $a i32) (local $x01 v128) (local $x23 v128) (local $w v128)
    (local $c0a v128) (local $c0b v128) (local $c1a v128) (local $c1b v128) (local $c2a v128) (local $c2b v128) (local $c3a v128) (local $c3b v128)
    (if (local.get $bp) (then
      (local.set $c0a (v128.load64_splat (local.get $bp)))
      (local.set $c1a (v128.load64_splat offset=8 (local.get $bp)))
      (local.set $c2a (v128.load64_splat offset=16 (local.get $bp)))
      (local.set $c3a (v128.load64_splat offset=24 (local.get $bp))))
      (else
      (local.set $c0a (v128.const f64x2 0 0)) (local.set $c1a (v128.const f64x2 0 0))
      (local.set $c2a (v128.const f64x2 0 0)) (local.set $c3a (v128.const f64x2 0 0))))
    (local.set $c0b (local.get $c0a)) (local.set $c1b (local.get $c1a))
    (local.set $c2b (local.get $c2a)) (local.set $c3b (local.get $c3a))
    (block $done
      (loop $al
        (br_if $done (i32.ge_u (local.get $a) (local.get $S)))
        ;; c_tq += X[row_q, cols[a]]·W_S[a, t]
        (local.set $x01 (v128.load (local.get $xs)))
        (local.set $x23 (v128.load offset=16 (local.get $xs)))
        (local.set $w (v128.load64_splat (local.get $wp)))
        (local.set $c0a (f64x2.add (local.get $c0a) (f64x2.mul (local.get $x01) (local.get $w))))
        (local.set $c0b (f64x2.add (local.get $c0b) (f64x2.mul (local.get $x23) (local.get $w))))
        (local.set $w (v128.load64_splat offset=8 (local.get $wp)))
        (local.set $c1a (f64x2.add (local.get $c1a) (f64x2.mul (local.get $x01) (local.get $w))))
        (local.set $c1b (f64x2.add (local.get $c1b) (f64x2.mul (local.get $x23) (local.get $w))))
        (local.set $w (v128.load64_splat offset=16 (local.get $wp)))
        (local.set $c2a (f64x2.add (local.get $c2a) (f64x2.mul (local.get $x01) (local.get $w))))
        (local.set $c2b (f64x2.add (local.get $c2b) (f64x2.mul (local.get $x23) (local.get $w))))
        (local.set $w (v128.load64_splat offset=24 (local.get $wp)))
        (local.set $c3a (f64x2.add (local.get $c3a) (f64x2.mul (local.get $x01) (local.get $w))))
        (local.set $c3b (f64x2.add (local.get $c3b) (f64x2.mul (local.get $x23) (local.get $w))))
        (local.set $xs (i32.add (local.get $xs) (i32.const 32)))
        (local.set $wp (i32.add (local.get $wp) (local.get $ldw8)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $al)))
    (call $sse_res (local.get $c0a) (local.get $c0b) (local.get $r) (local.get $y0) (local.get $y1) (local.get $y2) (local.get $y3) (local.get $o))
    (call $sse_res (local.get $c1a) (local.get $c1b) (local.get $r) (i32.add (local.get $y0) (i32.const 8)) (i32.add (local.get $y1) (i32.const 8))
      (i32.add (local.get $y2) (i32.const 8)) (i32.add (local.get $y3) (i32.const 8)) (i32.add (local.get $o) (i32.const 8)))
    (call $sse_res (local.get $c2a) (local.get $c2b) (local.get $r) (i32.add (local.get $y0) (i32.const 16)) (i32.add (local.get $y1) (i32.const 16))
      (i32.add (local.get $y2) (i32.const 16)) (i32.add (local.get $y3) (i32.const 16)) (i32.add (local.get $o) (i32.const 16)))
    (call $sse_res (local.get $c3a) (local.get $c3b) (local.get $r) (i32.add (local.get $y0) (i32.const 24)) (i32.add (local.get $y1) (i32.const 24))
      (i32.add (local.get $y2) (i32.const 24)) (i32.add (local.get $y3) (i32.const 24)) (i32.add (local.get $o) (i32.const 24))))

  ;; one task t of four rows (as $sse_t4)
  (func $sse_t1 (param $S i32) (param $xs i32) (param $wp i32) (param $ldw8 i32) (param $bp i32) (param $r i32)
      (param $y0 i32) (param $y1 i32) (param $y2 i32) (param $y3 i32) (param $o i32)
    (local $a i32) (local $w v128) (local $ca v128) (local $cb v128)
    (if (local.get $bp) (then (local.set $ca (v128.load64_splat (local.get $bp)))))
    (local.set $cb (local.get $ca))
    (block $done
      (loop $al
        (br_if $done (i32.ge_u (local.get $a) (local.get $S)))
        ;; c_q += X[row_q, cols[a]]·W_S[a, t]
        (local.set $w (v128.load64_splat (local.get $wp)))
        (local.set $ca (f64x2.add (local.get $ca) (f64x2.mul (v128.load (local.get $xs)) (local.get $w))))
        (local.set $cb (f64x2.add (local.get $cb) (f64x2.mul (v128.load offset=16 (local.get $xs)) (local.get $w))))
        (local.set $xs (i32.add (local.get $xs) (i32.const 32)))
        (local.set $wp (i32.add (local.get $wp) (local.get $ldw8)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $al)))
    (call $sse_res (local.get $ca) (local.get $cb) (local.get $r) (local.get $y0) (local.get $y1) (local.get $y2) (local.get $y3) (local.get $o)))

  ;; row i's index in the stored design: rows[i], or i when $rows = 0
  (func $sse_row (param $rows i32) (param $i i32) (result i32)
    (if (result i32) (local.get $rows)
      (then (i32.load (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2)))))
      (else (local.get $i))))

  (func (export "sse_rows") (param $n i32) (param $d i32) (param $x i32) (param $rows i32) (param $cols i32) (param $S i32)
      (param $w i32) (param $T i32) (param $b i32) (param $y i32) (param $ldy i32) (param $yrows i32) (param $out i32) (param $xs i32)
    (local $i0 i32) (local $r i32) (local $q i32) (local $i i32) (local $row i32) (local $a i32) (local $c8 i32) (local $p i32) (local $t i32)
    (local $d8 i32) (local $ldw8 i32) (local $ldy8 i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $y0 i32) (local $y1 i32) (local $y2 i32) (local $y3 i32)
    (local.set $d8 (i32.shl (local.get $d) (i32.const 3)))
    (local.set $ldw8 (i32.shl (local.get $T) (i32.const 3)))
    (local.set $ldy8 (i32.shl (local.get $ldy) (i32.const 3)))
    (block $done
      (loop $il
        (br_if $done (i32.ge_u (local.get $i0) (local.get $n)))
        (local.set $r (i32.sub (local.get $n) (local.get $i0)))
        (if (i32.gt_u (local.get $r) (i32.const 4)) (then (local.set $r (i32.const 4))))
        ;; rows q = 0 … 3 of the block (q ≥ r repeats the last row: computed, never summed)
        (local.set $q (i32.const 0))
        (loop $ql
          (local.set $i (i32.add (local.get $i0) (select (local.get $q) (i32.sub (local.get $r) (i32.const 1))
            (i32.lt_u (local.get $q) (local.get $r)))))
          (local.set $row (call $sse_row (local.get $rows) (local.get $i)))
          (local.set $p (i32.add (local.get $x) (i32.mul (local.get $row) (local.get $d8))))
          (local.set $c8 (i32.add (local.get $y) (i32.mul (select (local.get $row) (local.get $i) (local.get $yrows)) (local.get $ldy8))))
          (if (i32.eqz (local.get $q)) (then (local.set $x0 (local.get $p)) (local.set $y0 (local.get $c8))))
          (if (i32.eq (local.get $q) (i32.const 1)) (then (local.set $x1 (local.get $p)) (local.set $y1 (local.get $c8))))
          (if (i32.eq (local.get $q) (i32.const 2)) (then (local.set $x2 (local.get $p)) (local.set $y2 (local.get $c8))))
          (if (i32.eq (local.get $q) (i32.const 3)) (then (local.set $x3 (local.get $p)) (local.set $y3 (local.get $c8))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br_if $ql (i32.lt_u (local.get $q) (i32.const 4))))
        ;; xs[32a + 8q] = X[row_q, cols[a]]
        (local.set $a (i32.const 0))
        (local.set $p (local.get $xs))
        (block $gd
          (loop $gl
            (br_if $gd (i32.ge_u (local.get $a) (local.get $S)))
            (local.set $c8 (i32.shl (i32.load (i32.add (local.get $cols) (i32.shl (local.get $a) (i32.const 2)))) (i32.const 3)))
            (f64.store offset=0 (local.get $p) (f64.load (i32.add (local.get $x0) (local.get $c8))))
            (f64.store offset=8 (local.get $p) (f64.load (i32.add (local.get $x1) (local.get $c8))))
            (f64.store offset=16 (local.get $p) (f64.load (i32.add (local.get $x2) (local.get $c8))))
            (f64.store offset=24 (local.get $p) (f64.load (i32.add (local.get $x3) (local.get $c8))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $gl)))
        ;; tasks four at a time, then one at a time
        (local.set $t (i32.const 0))
        (block $t4d
          (loop $t4l
            (br_if $t4d (i32.gt_u (i32.add (local.get $t) (i32.const 4)) (local.get $T)))
            (local.set $c8 (i32.shl (local.get $t) (i32.const 3)))
            (call $sse_t4 (local.get $S) (local.get $xs) (i32.add (local.get $w) (local.get $c8)) (local.get $ldw8)
              (select (i32.add (local.get $b) (local.get $c8)) (i32.const 0) (local.get $b)) (local.get $r)
              (i32.add (local.get $y0) (local.get $c8)) (i32.add (local.get $y1) (local.get $c8)) (i32.add (local.get $y2) (local.get $c8))
              (i32.add (local.get $y3) (local.get $c8)) (i32.add (local.get $out) (local.get $c8)))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (br $t4l)))
        (block $t1d
          (loop $t1l
            (br_if $t1d (i32.ge_u (local.get $t) (local.get $T)))
            (local.set $c8 (i32.shl (local.get $t) (i32.const 3)))
            (call $sse_t1 (local.get $S) (local.get $xs) (i32.add (local.get $w) (local.get $c8)) (local.get $ldw8)
              (select (i32.add (local.get $b) (local.get $c8)) (i32.const 0) (local.get $b)) (local.get $r)
              (i32.add (local.get $y0) (local.get $c8)) (i32.add (local.get $y1) (local.get $c8)) (i32.add (local.get $y2) (local.get $c8))
              (i32.add (local.get $y3) (local.get $c8)) (i32.add (local.get $out) (local.get $c8)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $t1l)))
        (local.set $i0 (i32.add (local.get $i0) (i32.const 4)))
        (br $il))))
  ;; ---------------------------------------------------------------------------------------------
  ;; out[i·m + b] = A[i, cols[b]] − μ_{cols[b]} for i < r, b < m (A r×d row-major at $a; cols an i32 list; μ at $mu,
  ;; or none when $mu = 0): the working-set columns of a block of rows gathered row-major (r×m), the operand
  ;; of the Gram columns X̃_Sᵀ X̃ (SharedDesign.gramColumns); the same single subtraction, so the same bits
  ;; as its loop.
  (func (export "gather_rows") (param $r i32) (param $d i32) (param $a i32) (param $cols i32) (param $m i32)
      (param $mu i32) (param $out i32)
    (local $i i32) (local $b i32) (local $j8 i32) (local $v f64) (local $d8 i32)
    (local.set $d8 (i32.shl (local.get $d) (i32.const 3)))
    (block $done
      (loop $il
        (br_if $done (i32.ge_u (local.get $i) (local.get $r)))
        (local.set $b (i32.const 0))
        (block $bd
          (loop $bl
            (br_if $bd (i32.ge_u (local.get $b) (local.get $m)))
            (local.set $j8 (i32.shl (i32.load (i32.add (local.get $cols) (i32.shl (local.get $b) (i32.const 2)))) (i32.const 3)))
            (local.set $v (f64.load (i32.add (local.get $a) (local.get $j8))))
            (if (local.get $mu) (then (local.set $v (f64.sub (local.get $v) (f64.load (i32.add (local.get $mu) (local.get $j8)))))))
            (f64.store (local.get $out) (local.get $v))
            (local.set $out (i32.add (local.get $out) (i32.const 8)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bl)))
        (local.set $a (i32.add (local.get $a) (local.get $d8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il))))
)
