#!/usr/bin/env python3
"""NumPy baseline of one mean-field iteration: what a researcher would write, vectorised.

Same problem as `submit/bench` / conf/random10x10-meanfield.yaml: a Garnet-like random 10x10 MDP (3 successors,
gamma 0.9), one-hot features x(s,a) = e_s ++ e_a (d_x = 20, P = 100 points), K = 1 unit, alpha = 4, tau = 0.2,
sigma = 0.3, dt = 0.05, lambda_U = 1. One iteration =
  summary:  Z = b + w_s + w_a (P x N), H = tanh Z, F = alpha H tanh(c) / N, cloud moments (sum, Theta Theta^T)
  driver:   softmax policy, exact V, Q, occupancy by two 10x10 solves, weight table W (docs/algorithms.md 2.9, exact mode)
  drift:    H recomputed (the second tanh pass; --one-pass keeps the first), G = W (1 - H^2),
            b = alpha [ (1 - tanh^2 c) W.H ; tanh c * sums of G over the points with state s / action a ; tanh c * sum G ]
  step:     theta <- (1 - dt sigma^2 lambda/2) theta + dt b + sigma sqrt(dt) N(0, I)
Float64 throughout, parameters stored coordinate-major (D x N) like pgflow's blocks.

This module also holds what the PyTorch and Numba versions (meanfield_torch.py, meanfield_numba.py) share with it,
so that the three solve the same problem with the same protocol: the command line, the seeded problem and initial
cloud, the driver (exact evaluation and weight table), the Gaussian-fit KL, the timing report and the trace.

Install and run (one venv for the three scripts, wheels from the local mirror; see requirements.txt):
  python3 -m venv /work/bench-venv && /work/bench-venv/bin/pip install -r src/bench/python/requirements.txt
  /work/bench-venv/bin/python src/bench/python/meanfield_numpy.py 1e5 20

Usage: meanfield_numpy.py N [iterations] [--one-pass] [--sigma=S] [--trace=FILE.npz]
  N           particles (1e5 and 100000 both work); default 1e5
  iterations  default 6; the first half (at least one iteration) is warm-up, the second half is timed
  --one-pass  keep the summary's activations for the drift instead of recomputing them
  --sigma=S   noise level (default 0.3); S = 0 switches the noise off (and the shrinkage, which is sigma^2 dt/2)
  --trace=F   write F, V(rho) and the Gaussian-fit KL of every iteration to F (np.savez), for check_alternatives.py
Prints one line (the format shared by the three scripts, parsed by check_alternatives.parse_report):
  numpy N=100000 iterations=20 one_pass=0 noise=numpy s/iter mean=0.1900 median=0.1890 min=0.1800 max=0.2100
        timed=10 warmup=0.2000 first=0.2100 threads=2 load=1.02 numpy=2.4.6
  mean/median/min/max: wall seconds per iteration over the timed second half (mean = what a user waits for,
  allocation and garbage collection included); warmup: mean over the first half (includes compilation for
  Numba); first: the first iteration alone; threads: threads of the N-sized elementwise work (1 for NumPy,
  whose ufuncs run on one core; its BLAS products use OpenBLAS's default threads); load: 1-minute load average
  at the end of the run.
The iteration count is the total: `N 20` runs 20 iterations and times the last 10. (Earlier versions of this
script ran iterations + 1 and printed the median of all but the first.)
"""
import os
import sys
import time

import numpy as np

S, A = 10, 10
DX = S + A
D = DX + 2                       # rows: c, w_1..w_20, b
NP = S * A                       # points p = s*A + a
ALPHA, TAU, SIGMA, DT, LAM = 4.0, 0.2, 0.3, 0.05, 1.0
SEED = 1


def parse_cli(argv, flags=(), keys=()):
    """N, iterations and the options shared by the three scripts. flags: extra value-less options ("autograd");
    keys: extra --key=value options ("noise"); both are returned in the dict with dashes turned into underscores."""
    args = [a for a in argv if not a.startswith("--")]
    opts = {"one_pass": False, "sigma": SIGMA, "trace": None}
    opts.update({f.replace("-", "_"): False for f in flags})
    for a in argv:
        if not a.startswith("--"):
            continue
        key, eq, val = a[2:].partition("=")
        if key == "one-pass" and not eq:
            opts["one_pass"] = True
        elif key == "sigma" and eq:
            opts["sigma"] = float(val)
        elif key == "trace" and eq:
            opts["trace"] = val
        elif key in flags and not eq:
            opts[key.replace("-", "_")] = True
        elif key in keys and eq:
            opts[key.replace("-", "_")] = val
        else:
            raise SystemExit(f"unknown option {a}")
    N = int(float(args[0])) if args else 100_000
    iters = int(args[1]) if len(args) > 1 else 6
    if iters < 2:
        raise SystemExit("need at least 2 iterations (one warm-up, one timed)")
    return N, iters, opts


def garnet(rng, S=10, A=10, branching=3, gamma=0.9):
    P = np.zeros((S, A, S))
    for s in range(S):
        for a in range(A):
            succ = rng.choice(S, size=branching, replace=False)
            cuts = np.sort(rng.random(branching - 1))
            P[s, a, succ] = np.diff(np.concatenate(([0.0], cuts, [1.0])))
    R = rng.random((S, A))
    rho = np.full(S, 1.0 / S)
    return P, R, rho, gamma


class Problem:
    """The seeded MDP and initial cloud; `rng` continues with the noise (rng.standard_normal((D, N)) per step)."""

    def __init__(self, N, sigma=SIGMA):
        self.N = N
        self.rng = np.random.default_rng(SEED)
        self.P, self.R, self.rho, self.gamma = garnet(self.rng, S, A)
        self.mu = np.full(A, 1.0 / A)
        self.log_mu = np.log(self.mu)
        self.s_idx = np.repeat(np.arange(S), A)
        self.a_idx = np.tile(np.arange(A), S)
        self.theta0 = self.rng.standard_normal((D, N)) / np.sqrt(LAM)
        self.sigma = sigma
        self.shrink = 1 - DT * 0.5 * sigma ** 2 * LAM
        self.noise = sigma * np.sqrt(DT)

    def weights(self, F):
        """Exact evaluation (docs/algorithms.md 1.3, 2.9) of the softmax policy of F (length NP): weight table Wt (length NP), V(rho)."""
        S_, A_, gamma, mu = S, A, self.gamma, self.mu
        logits = F.reshape(S_, A_) + self.log_mu[None, :]
        logits -= logits.max(axis=1, keepdims=True)
        pi = np.exp(logits)
        pi /= pi.sum(axis=1, keepdims=True)
        ell = np.log(pi / mu[None, :])
        P_pi = np.einsum("sa,sat->st", pi, self.P)
        c_pi = (pi * (self.R - TAU * ell)).sum(axis=1)
        M = np.eye(S_) - gamma * P_pi
        V = np.linalg.solve(M, c_pi)
        Q = self.R + gamma * self.P @ V
        d = np.linalg.solve(M.T, (1 - gamma) * self.rho)
        adv = Q - TAU * ell
        Wt = (d[:, None] * pi * (adv - (pi * adv).sum(axis=1, keepdims=True)) / (1 - gamma)).reshape(-1)
        return Wt, V @ self.rho


def kl_gauss(mean, second):
    """Gaussian-fit KL(nu || N(0, I/lambda)) from the cloud's mean and second moment (divisor N)."""
    cov = second - np.outer(mean, mean)
    return 0.5 * (LAM * np.trace(cov) + LAM * mean @ mean - D - np.linalg.slogdet(cov)[1] - D * np.log(LAM))


class Recorder:
    """Per-iteration wall times and (optionally) the trace of F, V(rho) and KL."""

    def __init__(self, iters, trace):
        self.times = []
        self.trace = trace
        self.F, self.value, self.kl = [], [], []

    def record(self, seconds, F=None, value=None, kl=None):
        self.times.append(seconds)
        if self.trace:
            self.F.append(np.array(F, dtype=np.float64))
            self.value.append(float(value))
            self.kl.append(float(kl))

    def finish(self, name, N, opts, noise, versions, threads, theta=None):
        t = self.times
        warm = max(1, len(t) // 2)
        timed = sorted(t[warm:])
        mean = sum(t[warm:]) / len(timed)
        m = len(timed)
        median = timed[m // 2] if m % 2 else 0.5 * (timed[m // 2 - 1] + timed[m // 2])
        print(f"{name} N={N} iterations={len(t)} one_pass={int(bool(opts['one_pass']))} noise={noise} "
              f"s/iter mean={mean:.4g} median={median:.4g} min={timed[0]:.4g} max={timed[-1]:.4g} timed={m} "
              f"warmup={sum(t[:warm]) / warm:.4g} first={t[0]:.4g} threads={threads} "
              f"load={os.getloadavg()[0]:.2f} {versions}", flush=True)
        if self.trace:
            np.savez(self.trace, F=np.array(self.F), value=np.array(self.value), kl=np.array(self.kl),
                     theta=np.asarray(theta) if theta is not None else np.zeros(0))


def main():
    N, iters, opts = parse_cli(sys.argv[1:])
    one_pass = opts["one_pass"]
    pb = Problem(N, opts["sigma"])
    rng = pb.rng
    s_idx, a_idx = pb.s_idx, pb.a_idx
    theta = pb.theta0
    shrink, noise = pb.shrink, pb.noise
    rec = Recorder(iters, opts["trace"])
    for k in range(iters):
        t0 = time.perf_counter()
        c, w, b = theta[0], theta[1:1 + DX], theta[1 + DX]
        # summary
        Z = b[None, :] + w[s_idx] + w[S + a_idx]            # (P, N)
        H = np.tanh(Z)
        tc = np.tanh(c)
        F = ALPHA * (H @ tc) / N
        mean = theta.sum(axis=1) / N
        second = theta @ theta.T / N                         # for the Gaussian KL diagnostic
        kl = kl_gauss(mean, second)
        # driver: exact evaluation (docs/algorithms.md 1.3, 2.9)
        Wt, value = pb.weights(F)
        # drift
        H2 = H if one_pass else np.tanh(b[None, :] + w[s_idx] + w[S + a_idx])
        G = Wt[:, None] * (1.0 - H2 * H2)                    # (P, N)
        gc = Wt @ H2
        G3 = G.reshape(S, A, N)
        drift = np.empty_like(theta)
        drift[0] = ALPHA * (1 - tc * tc) * gc
        drift[1:1 + S] = ALPHA * tc[None, :] * G3.sum(axis=1)
        drift[1 + S:1 + DX] = ALPHA * tc[None, :] * G3.sum(axis=0)
        drift[1 + DX] = ALPHA * tc * G.sum(axis=0)
        theta = shrink * theta + DT * drift + noise * rng.standard_normal((D, N))
        t1 = time.perf_counter()
        rec.record(t1 - t0, F, value, kl)
    rec.finish("numpy", N, opts, "numpy", f"numpy={np.__version__}", 1, theta)


if __name__ == "__main__":
    main()
