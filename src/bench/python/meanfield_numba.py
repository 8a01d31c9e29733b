#!/usr/bin/env python3
"""Fused Numba version of the NumPy baseline meanfield_numpy.py: same problem, parameters, iteration and timing
protocol, with no N x P array: per iteration one parallel pass over the particles for F and the cloud's sum (its
second moment for the KL diagnostic is one BLAS call, see below), the 10x10 driver (the NumPy one of meanfield_numpy.Problem), and one parallel pass that computes each particle's drift
and moves it in place with its noise.

Install and run (the venv of requirements.txt):
  python3 -m venv /work/bench-venv && /work/bench-venv/bin/pip install -r src/bench/python/requirements.txt
  /work/bench-venv/bin/python src/bench/python/meanfield_numba.py 1e5 20

Usage: meanfield_numba.py N [iterations] [--one-pass] [--sigma=S] [--noise=counter|numpy|numba] [--tanh=poly|libm]
                          [--trace=F]
  N, iterations, --sigma, --trace: as in meanfield_numpy.py. --one-pass is accepted and ignored: the fused step
  always recomputes the activations (keeping them would be the N x P array this version avoids).
  --noise=counter  (default) counter-based Gaussians: particle n's 22 values in iteration k are a function of
                   (seed, k, n) only (SplitMix64 keys, Box-Muller with fdlibm's log / sin / cos kernels written
                   in plain arithmetic, the algorithm of pgflow's NormalPairs), drawn inside the fused step, so the
                   run does not depend on the number of threads and the loop vectorises
  --noise=numpy    the NumPy script's generator and draw order (rng.standard_normal((D, N)) per step, made by the
                   driver and read by the fused step): the trajectory is comparable with meanfield_numpy.py
  --noise=numba    np.random.standard_normal() inside the kernel (Numba's per-thread generators; what one writes
                   first; scalar calls, and not reproducible because which thread draws for whom varies)
  --tanh=poly      (default) a branch-free tanh from +, x, fma, / and bit operations (fdlibm's expm1 route, the
                   algorithm of pgflow's PortableTanh, <= 3 ulp from NumPy's), which LLVM vectorises: 1.6 ns per
                   value on 2 threads on this machine against 9.4 ns for --tanh=libm (np.tanh inside @njit is a
                   scalar libm call per value; Numba has no vector math library here: no icc_rt / SVML wheel on
                   the mirror) and 1.4 ns for NumPy's own np.tanh on one thread
  --tanh=libm      np.tanh
Measured at N = 1e5, 20 iterations, second-half mean, one run each, load average 15-17 (other builds running):
default 0.08-0.09 s/iteration (two runs of the main table, load 9-11), --noise=numpy 0.23 s (the draw is one
NumPy thread, 2.2e6 values), --noise=numba 0.38 s, --tanh=libm 1.34 s.
Prints the line of meanfield_numpy.py with name "numba" (threads = numba.get_num_threads()); warmup and first
include the JIT compilation of the kernels (no on-disk cache, so every run compiles: 20-60 s of the first
iteration on this loaded machine, about 15 s of CPU).

Kernels: @njit(parallel=True, fastmath=False), prange over fixed chunks of CHUNK particles (the chunking does not
depend on the thread count). Inside a chunk the particles are processed in tiles of LANES, innermost loop over the
tile's particles (contiguous in the D x N layout) with one accumulator per lane: without fastmath LLVM may not
reorder a sum, so independent lanes are what lets it use SIMD. Per chunk the lanes are added in lane order, the
chunks in chunk order: F and the first moment are the same bits for any number of threads. The second moment
(for the KL diagnostic only) is theta @ theta.T, one BLAS call as in the NumPy script: written as per-lane
accumulators in the fused pass (253 products per particle) it cost more than the 100 tanh of that pass.
"""
import math
import os
import sys
import time

# BLAS is called once per iteration, for the 22 x 22 second moment (theta @ theta.T, 3-4 ms per 1e5 particles on one
# core). With OpenBLAS's own threads its idle workers spin next to Numba's and slowed that call to 0.05-1.9 s and the
# kernels by up to 2x on this 2-core machine, so it gets one thread. Set before NumPy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numba
import numpy as np
from llvmlite import ir
from numba import njit, prange, types
from numba.extending import intrinsic

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from meanfield_numpy import (A, ALPHA, D, DT, DX, NP, S, SEED, Problem, Recorder, kl_gauss,  # noqa: E402
                             parse_cli)

CHUNK = 1024                     # particles per prange iteration (fixed: the reduction order does not depend on threads)
LANES = 16                       # particles per tile, one accumulator each


# --- bit casts and fused multiply-add as LLVM instructions -----------------------------------------------------
@intrinsic
def _bits(typingctx, x):
    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return types.uint64(types.float64), codegen


@intrinsic
def _double(typingctx, x):
    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.uint64), codegen


@intrinsic
def _fma(typingctx, a, b, c):
    def codegen(context, builder, sig, args):
        return builder.fma(*args)
    return types.float64(types.float64, types.float64, types.float64), codegen


U = np.uint64
SIGN_BIT = U(0x8000000000000000)
ONE_BITS = U(0x3FF0000000000000)
MANTISSA = U(0x000FFFFFFFFFFFFF)
TWO52_BITS = U(0x4330000000000000)
EIGHTH_TURN = U(0x2000000000000000)
GAMMA = U(0x9E3779B97F4A7C15)
M1, M2 = U(0xBF58476D1CE4E5B9), U(0x94D049BB133111EB)
U1, U2, U12, U27, U30, U31, U52, U62, U1023 = (U(v) for v in (1, 2, 12, 27, 30, 31, 52, 62, 1023))

# tanh (fdlibm s_tanh.c route: expm1 by Cody-Waite reduction and a degree-13 Taylor polynomial)
INV_LN2 = 1.4426950408889634
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
SHIFT = 6755399441055744.0       # 1.5 * 2^52: y + SHIFT is y to the nearest integer, held in the low mantissa bits
SHIFT_BITS = U(0x4338000000000000)
_f = [1.0]
for _j in range(1, 14):
    _f.append(_f[-1] * _j)
E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13 = (1.0 / _f[j] for j in range(2, 14))


@njit(inline="always")
def tanh_poly(x):
    a = abs(x)
    a = 20.0 if a > 20.0 else a
    y = a * 2.0 if a >= 1.0 else a * -2.0
    big = _fma(y, INV_LN2, SHIFT)
    n = big - SHIFT
    r = _fma(-n, LN2_HI, y)
    r = _fma(-n, LN2_LO, r)
    p = _fma(E13, r, E12)
    p = _fma(p, r, E11)
    p = _fma(p, r, E10)
    p = _fma(p, r, E9)
    p = _fma(p, r, E8)
    p = _fma(p, r, E7)
    p = _fma(p, r, E6)
    p = _fma(p, r, E5)
    p = _fma(p, r, E4)
    p = _fma(p, r, E3)
    p = _fma(p, r, E2)
    em = _fma(p, r * r, r)
    s = _double(((_bits(big) - SHIFT_BITS) + U1023) << U52)
    u = _fma(s, em, s - 1.0)
    t = abs(u) / (u + 2.0)
    return _double(_bits(t) | (_bits(x) & SIGN_BIT))


@njit(inline="always")
def tanh_libm(x):
    return np.tanh(x)


# --- counter-based Gaussians (fdlibm e_log.c, k_sin.c, k_cos.c kernels) ------------------------------------------
LG1, LG2, LG3, LG4 = 6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01
LG5, LG6, LG7 = 1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01
S1, S2, S3 = -1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04
S4, S5, S6 = 2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10
C1, C2, C3 = 4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05
C4, C5, C6 = -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11
TWO52 = 4503599627370496.0
SQRT2 = 1.4142135623730951
HALF_PI = 1.5707963267948966


@njit(inline="always")
def mix64(z):
    z = (z ^ (z >> U30)) * M1
    z = (z ^ (z >> U27)) * M2
    return z ^ (z >> U31)


@njit(inline="always")
def log_unit(u):
    bits = _bits(u)
    m = _double((bits & MANTISSA) | ONE_BITS)
    ed = _double(TWO52_BITS | (bits >> U52)) - TWO52
    big = m > SQRT2
    m = m * 0.5 if big else m
    k = ed - (1022.0 if big else 1023.0)
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG2 + w * (LG4 + w * LG6))
    t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
    r = t2 + t1
    hfsq = 0.5 * f * f
    return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)


@njit(inline="always")
def normal_pair(key, c1, c2):
    """(zeta_2m, zeta_2m+1) of stream key, c1 = (2m+1) GAMMA, c2 = (2m+2) GAMMA (Box-Muller)."""
    x1 = mix64(key + c1)
    x2 = mix64(key + c2)
    r = math.sqrt(-2.0 * log_unit(2.0 - _double(ONE_BITS | (x1 >> U12))))
    w = x2 + EIGHTH_TURN
    q = w >> U62
    th = (_double(ONE_BITS | ((w << U2) >> U12)) - 1.0 - 0.5) * HALF_PI
    z = th * th
    sn = th + z * th * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))))
    cs = 1.0 - (0.5 * z - z * (z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))))))
    swap = (q & U1) != U(0)
    cos_a = sn if swap else cs
    sin_a = cs if swap else sn
    cos_a = -cos_a if ((q ^ (q >> U1)) & U1) != U(0) else cos_a
    sin_a = -sin_a if q >= U2 else sin_a
    return r * cos_a, r * sin_a


@njit
def iteration_key(seed, k):
    h = mix64(U(seed) ^ U(0x243F6A8885A308D3))
    return mix64(h ^ (U(k) * U(0xD1B54A32D192ED03) + U(0x13198A2E03707344)))


@njit(inline="always")
def load_tile(theta, t0, m, X):
    """X = theta[:, t0:t0+m], zero-padded to LANES columns (padded lanes have tanh(c) = 0: they add nothing)."""
    for i in range(D):
        for l in range(m):
            X[i, l] = theta[i, t0 + l]
        for l in range(m, LANES):
            X[i, l] = 0.0


# --- the two passes ----------------------------------------------------------------------------------------------
def make_kernels(tanh, noise_mode):
    """The two passes for one tanh and one noise mode (0: zeta given as a D x N array; 1: counter-based from
    key_k; 2: np.random inside the kernel). Only the selected noise branch is compiled, which keeps the JIT time
    down (the three together took about 1.5x as long)."""
    MODE = noise_mode

    @njit(parallel=True, fastmath=False)
    def summarize(theta, Fp, Sp):
        """Per chunk: Fp[ch, p] = sum_n tanh(c_n) tanh(z_p,n) and Sp[ch] = sum_n theta_n."""
        N = theta.shape[1]
        nch = Fp.shape[0]
        for ch in prange(nch):
            n0 = ch * CHUNK
            n1 = min(N, n0 + CHUNK)
            accF = np.zeros((NP, LANES))
            accS = np.zeros((D, LANES))
            X = np.empty((D, LANES))
            tc = np.empty(LANES)
            zs = np.empty(LANES)
            for t0 in range(n0, n1, LANES):
                load_tile(theta, t0, min(LANES, n1 - t0), X)
                for l in range(LANES):
                    tc[l] = tanh(X[0, l])
                for s in range(S):
                    for l in range(LANES):
                        zs[l] = X[1 + DX, l] + X[1 + s, l]
                    for a in range(A):
                        p = s * A + a
                        for l in range(LANES):
                            accF[p, l] += tc[l] * tanh(zs[l] + X[1 + S + a, l])
                for i in range(D):
                    for l in range(LANES):
                        accS[i, l] += X[i, l]
            for p in range(NP):
                acc = 0.0
                for l in range(LANES):
                    acc += accF[p, l]
                Fp[ch, p] = acc
            for i in range(D):
                acc = 0.0
                for l in range(LANES):
                    acc += accS[i, l]
                Sp[ch, i] = acc

    @njit(parallel=True, fastmath=False)
    def step(theta, Wt, shrink, dt, noise, zeta, key_k):
        """theta_n <- shrink theta_n + dt b(theta_n) + noise zeta_n in place (zeta from the mode of make_kernels)."""
        N = theta.shape[1]
        nch = (N + CHUNK - 1) // CHUNK
        for ch in prange(nch):
            n0 = ch * CHUNK
            n1 = min(N, n0 + CHUNK)
            X = np.empty((D, LANES))
            tc = np.empty(LANES)
            zs = np.empty(LANES)
            gc = np.empty(LANES)
            gs = np.empty((S, LANES))
            ga = np.empty((A, LANES))
            z = np.empty((D, LANES))
            keys = np.empty(LANES, dtype=np.uint64)
            for t0 in range(n0, n1, LANES):
                m = min(LANES, n1 - t0)
                load_tile(theta, t0, m, X)
                for l in range(LANES):
                    tc[l] = tanh(X[0, l])
                    gc[l] = 0.0
                for a in range(A):
                    for l in range(LANES):
                        ga[a, l] = 0.0
                for s in range(S):
                    for l in range(LANES):
                        zs[l] = X[1 + DX, l] + X[1 + s, l]
                        gs[s, l] = 0.0
                    for a in range(A):
                        wp = Wt[s * A + a]
                        for l in range(LANES):
                            h = tanh(zs[l] + X[1 + S + a, l])
                            gc[l] += wp * h
                            g = wp * (1.0 - h * h)
                            gs[s, l] += g
                            ga[a, l] += g
                # noise of the tile
                if MODE == 0:
                    for i in range(D):
                        for l in range(m):
                            z[i, l] = zeta[i, t0 + l]
                elif MODE == 1:
                    for l in range(LANES):
                        keys[l] = mix64(key_k + (U(t0 + l) * U(0xAEF17502108EF2D9) ^ U(0xA4093822299F31D0)))
                    for mm in range(D // 2):
                        c1 = U(2 * mm + 1) * GAMMA
                        c2 = U(2 * mm + 2) * GAMMA
                        for l in range(LANES):
                            z0, z1 = normal_pair(keys[l], c1, c2)
                            z[2 * mm, l] = z0
                            z[2 * mm + 1, l] = z1
                else:
                    for i in range(D):
                        for l in range(m):
                            z[i, l] = np.random.standard_normal()
                # Euler-Maruyama step, the NumPy script's operation order: (shrink theta + dt drift) + noise zeta
                for l in range(m):
                    n = t0 + l
                    t = tc[l]
                    theta[0, n] = shrink * X[0, l] + dt * (ALPHA * (1 - t * t) * gc[l]) + noise * z[0, l]
                for s in range(S):
                    for l in range(m):
                        n = t0 + l
                        theta[1 + s, n] = (shrink * X[1 + s, l] + dt * (ALPHA * tc[l] * gs[s, l])
                                           + noise * z[1 + s, l])
                for a in range(A):
                    for l in range(m):
                        n = t0 + l
                        theta[1 + S + a, n] = (shrink * X[1 + S + a, l] + dt * (ALPHA * tc[l] * ga[a, l])
                                               + noise * z[1 + S + a, l])
                for l in range(LANES):
                    gc[l] = 0.0                        # reused for sum_p G = sum_s (sum_a G)
                for s in range(S):
                    for l in range(LANES):
                        gc[l] += gs[s, l]
                for l in range(m):
                    n = t0 + l
                    theta[1 + DX, n] = shrink * X[1 + DX, l] + dt * (ALPHA * tc[l] * gc[l]) + noise * z[1 + DX, l]

    return summarize, step


@njit
def column_sums(Sp):
    """Chunk partials of sum_n theta_n added in chunk order."""
    out = np.zeros(D)
    for ch in range(Sp.shape[0]):
        for i in range(D):
            out[i] += Sp[ch, i]
    return out


@njit
def outputs(Fp, N):
    F = np.zeros(NP)
    for ch in range(Fp.shape[0]):
        for p in range(NP):
            F[p] += Fp[ch, p]
    return ALPHA * F / N


def main():
    N, iters, opts = parse_cli(sys.argv[1:], keys=("noise", "tanh"))
    noise_mode = opts.get("noise") or "counter"
    tanh_mode = opts.get("tanh") or "poly"
    modes = {"numpy": 0, "counter": 1, "numba": 2}
    if noise_mode not in modes or tanh_mode not in ("poly", "libm"):
        raise SystemExit("--noise=counter|numpy|numba, --tanh=poly|libm")
    summarize, step = make_kernels(tanh_poly if tanh_mode == "poly" else tanh_libm, modes[noise_mode])
    pb = Problem(N, opts["sigma"])
    theta = np.ascontiguousarray(pb.theta0.copy())
    nch = (N + CHUNK - 1) // CHUNK
    Fp, Sp = np.empty((nch, NP)), np.empty((nch, D))
    no_zeta = np.zeros((D, 1))
    rec = Recorder(iters, opts["trace"])
    for k in range(iters):
        t0 = time.perf_counter()
        summarize(theta, Fp, Sp)
        F = outputs(Fp, N)
        mean = column_sums(Sp) / N
        second = theta @ theta.T / N                 # BLAS (syrk), as in the NumPy script
        kl = kl_gauss(mean, second)
        Wt, value = pb.weights(F)
        zeta = pb.rng.standard_normal((D, N)) if noise_mode == "numpy" else no_zeta
        step(theta, Wt, pb.shrink, DT, pb.noise, zeta, U(iteration_key(SEED, k)))
        t1 = time.perf_counter()
        rec.record(t1 - t0, F, value, kl)
    rec.finish("numba", N, opts, noise_mode + ("" if tanh_mode == "poly" else "+libm-tanh"),
               f"numba={numba.__version__} numpy={np.__version__}", numba.get_num_threads(), theta)


if __name__ == "__main__":
    main()
