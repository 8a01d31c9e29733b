#!/usr/bin/env python3
"""PyTorch (CPU, float64, all cores) version of the NumPy baseline meanfield_numpy.py: same problem, parameters,
iteration and timing protocol, written the way a researcher would vectorise it in PyTorch.

Install and run (the venv of requirements.txt; the torch wheel is the CPU build):
  python3 -m venv /work/bench-venv && /work/bench-venv/bin/pip install -r src/bench/python/requirements.txt
  /work/bench-venv/bin/python src/bench/python/meanfield_torch.py 1e5 20

Usage: meanfield_torch.py N [iterations] [--one-pass] [--alloc | --autograd] [--sigma=S] [--noise=torch|numpy]
                          [--trace=F]
  N, iterations, --one-pass, --sigma, --trace: as in meanfield_numpy.py
  (default)      buffered: the NumPy script's operations with out= and in-place ops into work arrays allocated once
                 (a 100 x N buffer holds Z, then H = tanh Z, then G = W (1 - H^2)); no N-sized allocation per iteration
  --alloc        the NumPy script translated op for op, a fresh tensor for every intermediate
  --autograd     drift by autograd (allocating): theta.requires_grad, F = alpha tanh(Z) tanh(c) / N, then
                 (F . W).sum().backward() gives b / N; the graph keeps the summary's activations (one tanh pass)
  --noise=torch  (default) Tensor.normal_ / torch.randn from a torch.Generator seeded with the problem's seed
  --noise=numpy  the NumPy script's generator and draw order (rng.standard_normal((D, N)) after the initial cloud),
                 so that the trajectory can be compared with meanfield_numpy.py (check_alternatives.py)
Prints the line of meanfield_numpy.py with name "torch" (threads = torch.get_num_threads()).

Which drift: measured on this 2-core machine at N = 1e5, 20 iterations, second-half mean, two runs each,
interleaved, load average 9-13 (other builds running): buffered hand-written 0.54 and 1.35 s/iteration,
--autograd 2.60 and 2.78 s, --alloc 3.77 and 5.51 s. Autograd beats the allocating hand-written drift (fewer
temporaries) but not the buffered one, so the buffered hand-written drift is the default. The allocations are what
costs: a fresh 80 MB tensor is first-touched page by page in 4 KiB pages (torch.tanh(x) on 1e7 values took
0.59-0.72 s fresh against 0.10-0.12 s with out=, same load), whereas NumPy asks for transparent huge pages on
large arrays.

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


class Buffers:
    """Work arrays allocated once and reused by the default (buffered) iteration."""

    def __init__(self, N):
        f64 = dict(dtype=torch.float64)
        self.Z = torch.empty((S, A, N), **f64)            # Z, then H = tanh Z in place, then G in place
        self.ZS = torch.empty((S, 1, N), **f64)           # b + w_s
        self.F = torch.empty(S * A, **f64)
        self.tc = torch.empty(N, **f64)
        self.second = torch.empty((D, D), **f64)
        self.gc = torch.empty(N, **f64)
        self.gs = torch.empty((S, N), **f64)
        self.ga = torch.empty((A, N), **f64)
        self.gb = torch.empty(N, **f64)
        self.drift = torch.empty((D, N), **f64)
        self.zeta = torch.empty((D, N), **f64)
        self.row = torch.empty(N, **f64)


def summary_buffered(theta, buf):
    """H (in buf.Z, viewed P x N), tanh(c) and F, without allocating N-sized arrays."""
    N = theta.shape[1]
    c, w, b = theta[0], theta[1:1 + DX], theta[1 + DX]
    torch.add(b.view(1, 1, N), w[:S].view(S, 1, N), out=buf.ZS)
    torch.add(buf.ZS, w[S:].view(1, A, N), out=buf.Z)
    H = buf.Z.view(S * A, N)
    torch.tanh_(H)
    torch.tanh(c, out=buf.tc)
    torch.mv(H, buf.tc, out=buf.F)
    return H, ALPHA * buf.F / N


def iterate_buffered(theta, pb, buf, one_pass, zeta_fn):
    N = theta.shape[1]
    H, F = summary_buffered(theta, buf)
    torch.mm(theta, theta.T, out=buf.second)
    mean = theta.sum(dim=1) / N
    kl = kl_gauss(mean.numpy(), (buf.second / N).numpy())
    Wt_np, value = pb.weights(F.numpy())
    Wt = torch.from_numpy(Wt_np)
    if not one_pass:
        H, _ = summary_buffered(theta, buf)                # the second tanh pass, into the same buffer
    tc = buf.tc
    torch.mv(H.T, Wt, out=buf.gc)                          # W . H
    G = H.mul_(H).neg_().add_(1.0).mul_(Wt[:, None])       # W (1 - H^2), in place of H
    G3 = G.view(S, A, N)
    torch.sum(G3, dim=1, out=buf.gs)
    torch.sum(G3, dim=0, out=buf.ga)
    torch.sum(G, dim=0, out=buf.gb)
    drift = buf.drift
    atc = ALPHA * tc
    torch.mul(tc, tc, out=buf.row)
    torch.mul((1 - buf.row).mul_(ALPHA), buf.gc, out=drift[0])
    torch.mul(atc[None, :], buf.gs, out=drift[1:1 + S])
    torch.mul(atc[None, :], buf.ga, out=drift[1 + S:1 + DX])
    torch.mul(atc, buf.gb, out=drift[1 + DX])
    zeta = zeta_fn(buf.zeta)
    theta.mul_(pb.shrink).add_(drift.mul_(DT)).add_(zeta.mul_(pb.noise))
    return F, value, kl


def iterate_allocating(theta, pb, one_pass, autograd, zeta_fn):
    """The NumPy script's code translated op for op (fresh tensors for every intermediate); returns the new theta."""
    N = theta.shape[1]
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
        zeta = zeta_fn(None)
        theta = pb.shrink * theta + DT * drift + pb.noise * zeta
    return theta, Fd, value, kl


def main():
    N, iters, opts = parse_cli(sys.argv[1:], flags=("autograd", "alloc"), keys=("noise",))
    noise_mode = opts.get("noise") or "torch"
    if noise_mode not in ("torch", "numpy"):
        raise SystemExit("--noise=torch or --noise=numpy")
    torch.set_num_threads(os.cpu_count())
    pb = Problem(N, opts["sigma"])
    gen = torch.Generator().manual_seed(SEED)

    def zeta_fn(out):
        if noise_mode == "numpy":
            z = torch.from_numpy(pb.rng.standard_normal((D, N)))
            return z if out is None else out.copy_(z)
        if out is None:
            return torch.randn((D, N), dtype=torch.float64, generator=gen)
        return out.normal_(generator=gen)

    theta = torch.from_numpy(pb.theta0.copy())
    one_pass, autograd = opts["one_pass"], opts["autograd"]
    buffered = not (opts["alloc"] or autograd)
    buf = Buffers(N) if buffered else None
    rec = Recorder(iters, opts["trace"])
    for k in range(iters):
        t0 = time.perf_counter()
        if buffered:
            with torch.no_grad():
                F, value, kl = iterate_buffered(theta, pb, buf, one_pass, zeta_fn)
        else:
            theta, F, value, kl = iterate_allocating(theta, pb, one_pass, autograd, zeta_fn)
        t1 = time.perf_counter()
        rec.record(t1 - t0, F.numpy(), value, kl)
    variant = "+autograd" if autograd else ("+alloc" if opts["alloc"] else "")
    rec.finish("torch", N, opts, noise_mode + variant, f"torch={torch.__version__} numpy={np.__version__}",
               torch.get_num_threads(), theta.detach().numpy())


if __name__ == "__main__":
    main()
