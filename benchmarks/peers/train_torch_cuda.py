#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""PyTorch CUDA peer of benchmarks/gpu/train_bench.cu: the same three MLPs, data sizes, batch
sizes and Adam (lr 1e-3), data resident on the host and moved to the GPU batch by batch with
pinned memory and non_blocking copies, the loss read back every step (as fitcheck reports it).
Prints samples/s (best epoch over about `seconds` per workload).

Usage: train_torch_cuda.py [seconds=3]
"""
import sys
import time

import torch
from torch import nn

# The same models as the CPU peer (this directory is on sys.path when run as a script).
from train_torch import make_model

WORKLOADS = [
    # name, layer widths, classes, samples, batch
    ("seed", [10, 128, 1], 2, 16384, 32),
    ("digits", [64, 256, 128, 10], 10, 8192, 64),
    ("wide", [784, 512, 256, 10], 10, 65536, 256),
]


def run(name, widths, classes, n, batch, seconds, dev):
    g = torch.Generator().manual_seed(1)
    x = (torch.rand(n, widths[0], generator=g) * 2 - 1).pin_memory()
    y = torch.randint(0, classes, (n,), generator=g).pin_memory()
    model = make_model(widths).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    binary = classes == 2
    loss_fn = nn.BCEWithLogitsLoss() if binary else nn.CrossEntropyLoss()

    def epoch():
        t0 = time.perf_counter()
        for i in range(0, n, batch):
            xb = x[i:i + batch].to(dev, non_blocking=True)
            yb = y[i:i + batch].to(dev, non_blocking=True)
            out = model(xb)
            loss = loss_fn(out.squeeze(1), yb.float()) if binary else loss_fn(out, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            float(loss)  # the per-step loss, as fit reports it
        torch.cuda.synchronize()
        return time.perf_counter() - t0

    epoch()
    best = 1e30
    end = time.perf_counter() + seconds
    while True:
        best = min(best, epoch())
        if time.perf_counter() >= end:
            break
    print(f"{name:7s} {n / best:16.0f}")


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    if not torch.cuda.is_available():
        sys.exit("train_torch_cuda.py: no CUDA device")
    print(f"{'model':7s} {'torch cuda/s':>16s}")
    for w in WORKLOADS:
        run(*w, seconds, torch.device("cuda"))


if __name__ == "__main__":
    main()
