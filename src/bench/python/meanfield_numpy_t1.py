#!/usr/bin/env python3
"""The NumPy mean-field iteration of meanfield_numpy.py on T1 (conf/envs/t1.mdp.json: 2 states x 3 actions,
gamma 0.9, tau 0.5, one-hot features, K = 1, alpha = 4, sigma = 0.3, dt = 0.05): what a researcher would write for
the T1 run of conf/t1-meanfield.yaml, without its coupled second cloud and kNN diagnostic.

Usage: meanfield_numpy_t1.py N [iterations] [options of meanfield_numpy.py]
Prints the line format of meanfield_numpy.py (name numpy-t1).
"""
import json
import os
import sys

import numpy as np

import meanfield_numpy as m

T1 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "conf", "envs", "t1.mdp.json")


def load_t1(path=T1):
    with open(path) as f:
        j = json.load(f)
    P = np.array(j["transitions"], dtype=np.float64)
    R = np.array(j["rewards"], dtype=np.float64)
    rho = np.array(j["initial"], dtype=np.float64)
    return P, R, rho, float(j["gamma"])


def main():
    P, R, rho, gamma = load_t1()
    m.S, m.A = R.shape
    m.DX = m.S + m.A
    m.D = m.DX + 2
    m.NP = m.S * m.A
    m.TAU = 0.5
    m.garnet = lambda rng, S, A: (P, R, rho, gamma)
    real_finish = m.Recorder.finish
    m.Recorder.finish = lambda self, name, *a, **k: real_finish(self, "numpy-t1", *a, **k)
    m.main()


if __name__ == "__main__":
    main()
