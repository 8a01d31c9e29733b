#!/usr/bin/env python3
"""NumPy baseline of one mean-field iteration: what a researcher would write, vectorised.

Same problem as `submit/bench` / conf/random10x10-meanfield.yaml: a Garnet-like random 10x10 MDP (3 successors,
gamma 0.9), one-hot features x(s,a) = e_s ++ e_a (d_x = 20, P = 100 points), K = 1 unit, alpha = 4, tau = 0.2,
sigma = 0.3, dt = 0.05, lambda_U = 1. One iteration =
  summary:  Z = b + w_s + w_a (P x N), H = tanh Z, F = alpha H tanh(c) / N, cloud moments (sum, Theta Theta^T)
  driver:   softmax policy, exact V, Q, occupancy by two 10x10 solves, weight table W (SPEC 2.9, exact mode)
  drift:    H recomputed (the second tanh pass; --one-pass keeps the first), G = W (1 - H^2),
            b = alpha [ (1 - tanh^2 c) W.H ; tanh c * sums of G over the points with state s / action a ; tanh c * sum G ]
  step:     theta <- (1 - dt sigma^2 lambda/2) theta + dt b + sigma sqrt(dt) N(0, I)
Float64 throughout, parameters stored coordinate-major (D x N) like pgflow's blocks.

Usage: python3 src/bench/python/meanfield_numpy.py N [iterations] [--one-pass]
Prints: N, seconds per iteration (median over the timed iterations, the first one excluded as warm-up),
min and max, and NumPy's version.
"""
import sys
import time

import numpy as np


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


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    one_pass = "--one-pass" in sys.argv
    N = int(float(args[0])) if args else 100_000
    iters = int(args[1]) if len(args) > 1 else 6
    S, A = 10, 10
    dx, D = S + A, S + A + 2
    alpha, tau, sigma, dt, lam = 4.0, 0.2, 0.3, 0.05, 1.0
    rng = np.random.default_rng(1)
    P, R, rho, gamma = garnet(rng, S, A)
    mu = np.full(A, 1.0 / A)
    s_idx = np.repeat(np.arange(S), A)          # point p = s*A + a
    a_idx = np.tile(np.arange(A), S)
    theta = rng.standard_normal((D, N)) / np.sqrt(lam)   # rows: c, w_1..w_20, b
    shrink = 1 - dt * 0.5 * sigma ** 2 * lam
    noise = sigma * np.sqrt(dt)
    times = []
    for k in range(iters + 1):
        t0 = time.perf_counter()
        c, w, b = theta[0], theta[1:1 + dx], theta[1 + dx]
        # summary
        Z = b[None, :] + w[s_idx] + w[S + a_idx]            # (P, N)
        H = np.tanh(Z)
        tc = np.tanh(c)
        F = alpha * (H @ tc) / N
        mean = theta.sum(axis=1) / N
        second = theta @ theta.T / N                         # for the Gaussian KL diagnostic
        cov = second - np.outer(mean, mean)
        kl_gauss = 0.5 * (lam * np.trace(cov) + lam * mean @ mean - D - np.linalg.slogdet(cov)[1] - D * np.log(lam))
        # driver: exact evaluation (SPEC 1.3, 2.9)
        logits = F.reshape(S, A) + np.log(mu)[None, :]
        logits -= logits.max(axis=1, keepdims=True)
        pi = np.exp(logits)
        pi /= pi.sum(axis=1, keepdims=True)
        ell = np.log(pi / mu[None, :])
        P_pi = np.einsum("sa,sat->st", pi, P)
        c_pi = (pi * (R - tau * ell)).sum(axis=1)
        M = np.eye(S) - gamma * P_pi
        V = np.linalg.solve(M, c_pi)
        Q = R + gamma * P @ V
        d = np.linalg.solve(M.T, (1 - gamma) * rho)
        adv = Q - tau * ell
        Wt = (d[:, None] * pi * (adv - (pi * adv).sum(axis=1, keepdims=True)) / (1 - gamma)).reshape(-1)
        # drift
        H2 = H if one_pass else np.tanh(b[None, :] + w[s_idx] + w[S + a_idx])
        G = Wt[:, None] * (1.0 - H2 * H2)                    # (P, N)
        gc = Wt @ H2
        G3 = G.reshape(S, A, N)
        drift = np.empty_like(theta)
        drift[0] = alpha * (1 - tc * tc) * gc
        drift[1:1 + S] = alpha * tc[None, :] * G3.sum(axis=1)
        drift[1 + S:1 + dx] = alpha * tc[None, :] * G3.sum(axis=0)
        drift[1 + dx] = alpha * tc * G.sum(axis=0)
        theta = shrink * theta + dt * drift + noise * rng.standard_normal((D, N))
        t1 = time.perf_counter()
        if k > 0:
            times.append(t1 - t0)
        _ = (V @ rho, kl_gauss)
    times.sort()
    print(f"numpy N={N} iterations={iters} one_pass={one_pass} s/iter median={times[len(times) // 2]:.4f} "
          f"min={times[0]:.4f} max={times[-1]:.4f} numpy={np.__version__}")


if __name__ == "__main__":
    main()
