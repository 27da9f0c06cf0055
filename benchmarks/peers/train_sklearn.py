#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""scikit-learn peers of benchmarks/runtime/train_bench.cpp: training samples/s of
MLPClassifier(solver='adam'), float32 random data (MLPClassifier keeps float32 since 1.1).

  seed    hidden_layer_sizes=(128,), binary labels (one logistic output, log-loss), batch 32,
          16384 samples
  digits  hidden_layer_sizes=(256, 128), 10 classes (softmax, log-loss), batch 64, 8192 samples
  wide    784 inputs, hidden_layer_sizes=(512, 256), 10 classes, batch 256, 4096 samples

All with activation='relu', learning_rate_init=1e-3 (Adam's defaults otherwise), alpha=0 (no L2
term: the other libraries' workloads have none), shuffle=True.

Timing: one `partial_fit` call is exactly one epoch over the data in shuffled mini-batches
(sklearn's own stochastic loop, the same code `fit` runs per iteration), so each epoch is timed
on its own and the best counts, as bench_train and train_torch.py do. `fit(max_iter=E)` would add
its convergence bookkeeping and the first call's set-up to the figure; partial_fit's per-call
input validation is included (it is O(n) and small next to an epoch).

Threads come from the BLAS numpy calls (OpenBLAS): benchmarks/run_compute_bench sets
OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) per process; `threads` here only labels the result.

Prints `result sklearn <workload> <threads> <samples_per_s>` lines.
Usage: train_sklearn.py [threads=1] [workloads=seed,digits,wide] [seconds=2]
"""
import os
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.neural_network import MLPClassifier

WORKLOADS = {
    # name: (inputs, hidden layers, classes, batch, samples)
    "seed": (10, (128,), 2, 32, 16384),
    "digits": (64, (256, 128), 10, 64, 8192),
    "wide": (784, (512, 256), 10, 256, 4096),
}


def run(name, seconds):
    inputs, hidden, classes, batch, n = WORKLOADS[name]
    rng = np.random.default_rng(1)
    x = (rng.random((n, inputs), dtype=np.float32) * 2 - 1).astype(np.float32)
    y = rng.integers(0, classes, n)
    clf = MLPClassifier(hidden_layer_sizes=hidden, activation="relu", solver="adam",
                        alpha=0.0, batch_size=batch, learning_rate_init=1e-3, shuffle=True,
                        random_state=0)
    labels = np.arange(classes)

    def epoch():
        t0 = time.perf_counter()
        clf.partial_fit(x, y, classes=labels)
        return time.perf_counter() - t0

    epoch()  # warm-up: initialises the weights and Adam state
    best = float("inf")
    end = time.perf_counter() + seconds
    while True:
        best = min(best, epoch())
        if time.perf_counter() >= end:
            break
    if clf.coefs_[0].dtype != np.float32:
        sys.exit(f"train_sklearn.py: {name} trained in {clf.coefs_[0].dtype}, expected float32")
    return n / best


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    names = sys.argv[2].split(",") if len(sys.argv) > 2 else list(WORKLOADS)
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    warnings.simplefilter("ignore")  # random labels: convergence warnings say nothing here
    env = " ".join(f"{k}={os.environ.get(k, '(unset)')}"
                   for k in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS"))
    print(f"train_sklearn.py: scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
          f"{threads} thread(s), {env}, best partial_fit epoch over ~{seconds:g} s")
    for name in names:
        sps = run(name, seconds)
        print(f"  {name:7s} {sps:12.0f} samples/s")
        print(f"result sklearn {name} {threads} {sps:.0f}", flush=True)


if __name__ == "__main__":
    main()
