#!/usr/bin/env python3
"""PyTorch (CPU, float64, all cores) version of the NumPy baseline meanfield_numpy.py: same problem, parameters,
iteration and timing protocol, written the way a researcher would vectorise it in PyTorch.

Install and run (the venv of requirements.txt; the torch wheel is the CPU build):
  python3 -m venv /work/bench-venv && /work/bench-venv/bin/pip install -r src/bench/python/requirements.txt
  /work/bench-venv/bin/python src/bench/python/meanfield_torch.py 1e5 20

Usage: meanfield_torch.py N [iterations] [--one-pass] [--autograd] [--sigma=S] [--noise=torch|numpy] [--trace=F]
  N, iterations, --one-pass, --sigma, --trace: as in meanfield_numpy.py
  --autograd     drift by autograd: theta.requires_grad, F = alpha tanh(Z) tanh(c) / N, then (F . W).sum().backward()
                 gives b / N. The graph keeps the summary's activations, so this is a one-pass variant.
                 The hand-written drift is the default (see the measurements at the end of this docstring).
  --noise=torch  (default) torch.randn from a torch.Generator seeded with the problem's seed
  --noise=numpy  the NumPy script's generator and draw order (rng.standard_normal((D, N)) after the initial cloud),
                 so that the trajectory can be compared with meanfield_numpy.py (check_alternatives.py)
Prints the line of meanfield_numpy.py with name "torch" (threads = torch.get_num_threads()).

One iteration: Z = (b + w_s) + w_a by broadcasting over a (S, A, N) view (the same sums in the same order as the
NumPy gather b + w[s_idx] + w[S + a_idx], without the index arrays), H = tanh Z, F = alpha H tanh(c) / N, moments
(sum, Theta Theta^T); the driver (10x10 solves) is the NumPy one of meanfield_numpy.Problem on the 100 values of F;
drift from H recomputed (or kept with --one-pass), step with fresh noise. All N-sized work is in torch on every core.
"""
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from meanfield_numpy import (A, ALPHA, D, DT, DX, S, SEED, Problem, Recorder, kl_gauss,  # noqa: E402
                             parse_cli)


def activations(theta):
    c, w, b = theta[0], theta[1:1 + DX], theta[1 + DX]
    N = theta.shape[1]
    Z = (b.view(1, 1, N) + w[:S].view(S, 1, N)) + w[S:].view(1, A, N)    # (S, A, N), point p = s*A + a
    return torch.tanh(Z).view(S * A, N)


def main():
    N, iters, opts = parse_cli(sys.argv[1:], flags=("autograd",), keys=("noise",))
    noise_mode = opts.get("noise") or "torch"
    if noise_mode not in ("torch", "numpy"):
        raise SystemExit("--noise=torch or --noise=numpy")
    torch.set_num_threads(os.cpu_count())
    pb = Problem(N, opts["sigma"])
    gen = torch.Generator().manual_seed(SEED)
    theta = torch.from_numpy(pb.theta0.copy())
    shrink, noise = pb.shrink, pb.noise
    one_pass, autograd = opts["one_pass"], opts["autograd"]
    rec = Recorder(iters, opts["trace"])
    for k in range(iters):
        t0 = time.perf_counter()
        if autograd:
            theta.requires_grad_(True)
            H = activations(theta)
            tc = torch.tanh(theta[0])
            F = ALPHA * (H @ tc) / N
            Fd = F.detach()
        else:
            with torch.no_grad():
                H = activations(theta)
                tc = torch.tanh(theta[0])
                F = ALPHA * (H @ tc) / N
            Fd = F
        with torch.no_grad():
            th = theta.detach()
            mean = th.sum(dim=1) / N
            second = th @ th.T / N
        kl = kl_gauss(mean.numpy(), second.numpy())
        Wt_np, value = pb.weights(Fd.numpy())
        Wt = torch.from_numpy(Wt_np)
        if autograd:
            (F * Wt).sum().backward()
            drift = theta.grad * N
            theta = theta.detach()
            del H, F
        else:
            with torch.no_grad():
                H2 = H if one_pass else activations(theta)
                del H
                G = Wt[:, None] * (1.0 - H2 * H2)                        # (P, N)
                gc = Wt @ H2
                del H2
                G3 = G.view(S, A, N)
                drift = torch.empty_like(theta)
                drift[0] = ALPHA * (1 - tc * tc) * gc
                drift[1:1 + S] = ALPHA * tc[None, :] * G3.sum(dim=1)
                drift[1 + S:1 + DX] = ALPHA * tc[None, :] * G3.sum(dim=0)
                drift[1 + DX] = ALPHA * tc * G.sum(dim=0)
                del G, G3
        with torch.no_grad():
            if noise_mode == "numpy":
                z = torch.from_numpy(pb.rng.standard_normal((D, N)))
            else:
                z = torch.randn((D, N), dtype=torch.float64, generator=gen)
            theta = shrink * theta + DT * drift + noise * z
            del z, drift
        t1 = time.perf_counter()
        rec.record(t1 - t0, Fd.numpy(), value, kl)
    rec.finish("torch", N, opts, noise_mode + ("+autograd" if autograd else ""),
               f"torch={torch.__version__} numpy={np.__version__}", torch.get_num_threads(), theta.numpy())


if __name__ == "__main__":
    main()
