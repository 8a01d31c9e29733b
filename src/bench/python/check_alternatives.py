#!/usr/bin/env python3
"""Checks that meanfield_torch.py and meanfield_numba.py follow the same trajectory as meanfield_numpy.py.

Install and run (the venv of requirements.txt; took 5-8 minutes on the loaded 2-core machine, most of it Numba JIT compilation):
  /work/bench-venv/bin/python src/bench/python/check_alternatives.py [N] [iterations] [--tol=1e-10]

Each script is run as a subprocess with --trace (F on the 100 points, V(rho) and the Gaussian-fit KL of every
iteration, and the final cloud) for N particles (default 200) and the given number of iterations (default 20):
  * with the noise on (sigma = 0.3), drawn from the NumPy script's seeded generator in its order (--noise=numpy);
  * with the noise off (--sigma=0).
The torch script is checked with its default (buffered) drift, --one-pass, --alloc and --autograd; the numba one
with its default vectorised tanh and with --tanh=libm. A check passes when the largest absolute difference of
F, V(rho), KL and the final theta from the NumPy run is at most --tol. Then the Numba run with its own
counter-based noise is repeated with NUMBA_NUM_THREADS=1 and 2 at N = 5000 (several chunks, a partial tile):
the two must be equal to the last bit.
Ends with the line "K passed, M failed"; exit status 1 if anything failed.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_report(line):
    """One report line of the three scripts -> dict: 'name' and every key=value field (numbers as float)."""
    parts = line.split()
    out = {"name": parts[0]}
    for p in parts[1:]:
        key, eq, val = p.partition("=")
        if not eq:
            continue
        try:
            out[key] = float(val)
        except ValueError:
            out[key] = val
    return out


def run(script, args, trace, env_extra=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    cmd = [sys.executable, os.path.join(HERE, script)] + args + [f"--trace={trace}"]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{res.stderr[-3000:]}")
    line = [l for l in res.stdout.splitlines() if l.strip()][-1]
    return parse_report(line), dict(np.load(trace))


def differences(a, b):
    return {k: float(np.max(np.abs(a[k] - b[k]))) for k in ("F", "value", "kl", "theta")}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    tol = 1e-10
    for a in sys.argv[1:]:
        if a.startswith("--tol="):
            tol = float(a.split("=", 1)[1])
    N = args[0] if args else "200"
    iters = args[1] if len(args) > 1 else "20"
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for sigma_args, label in (([], "sigma=0.3, common generator"), (["--sigma=0"], "sigma=0")):
            base = [N, iters] + sigma_args
            _, ref = run("meanfield_numpy.py", base, os.path.join(tmp, "numpy.npz"))
            _, ref1 = run("meanfield_numpy.py", base + ["--one-pass"], os.path.join(tmp, "numpy1.npz"))
            print(f"[{label}] N={N} iterations={iters}: numpy V(rho) {ref['value'][0]:.6f} -> {ref['value'][-1]:.6f}, "
                  f"max |F| {np.abs(ref['F']).max():.4f}")
            cases = [
                ("meanfield_torch.py", ["--noise=numpy"], ref),
                ("meanfield_torch.py", ["--noise=numpy", "--one-pass"], ref1),
                ("meanfield_torch.py", ["--noise=numpy", "--alloc"], ref),
                ("meanfield_torch.py", ["--noise=numpy", "--autograd"], ref),
                ("meanfield_numba.py", ["--noise=numpy"], ref),
                ("meanfield_numba.py", ["--noise=numpy", "--tanh=libm"], ref),
            ]
            for i, (script, extra, want) in enumerate(cases):
                rep, got = run(script, base + extra, os.path.join(tmp, f"case{i}.npz"))
                d = differences(want, got)
                ok = all(v <= tol for v in d.values())
                passed += ok
                failed += not ok
                print(f"  {'ok  ' if ok else 'FAIL'} {script} {' '.join(extra):32s} max|diff| "
                      + " ".join(f"{k}={v:.2e}" for k, v in d.items()) + f"  (noise={rep.get('noise')})")
        # Numba's own noise: independent of the thread count, bit for bit
        runs = []
        for threads in ("1", "2"):
            rep, got = run("meanfield_numba.py", ["5000", "5"], os.path.join(tmp, f"nb{threads}.npz"),
                           {"NUMBA_NUM_THREADS": threads})
            runs.append((rep, got))
        same = all(np.array_equal(runs[0][1][k], runs[1][1][k]) for k in ("F", "value", "kl", "theta"))
        passed += same
        failed += not same
        print(f"  {'ok  ' if same else 'FAIL'} meanfield_numba.py --noise=counter N=5000: threads="
              f"{runs[0][0].get('threads'):.0f} and {runs[1][0].get('threads'):.0f} give identical F, V, KL, theta"
              + ("" if same else f" (max|diff| {differences(runs[0][1], runs[1][1])})"))
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
