#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""PyTorch CUDA peer of benchmarks/gpu/train_bench.cu: the same MLPs and CNN, data sizes, batch
sizes and Adam (lr 1e-3), data resident on the host and moved to the GPU batch by batch with
pinned memory and non_blocking copies, the loss read back every step (as fitcheck reports it).
Prints samples/s (best epoch over about `seconds` per workload), in float32 and with bf16
autocast (float32 master weights, as Keras' mixed_float16 policy).

Usage: train_torch_cuda.py [seconds=3]
"""
import sys
import time

import torch
from torch import nn

# The same models as the CPU peer (this directory is on sys.path when run as a script).
from train_torch import make_cnn, make_model

WORKLOADS = [
    # name, layer widths, classes, samples, batch
    ("seed", [10, 128, 1], 2, 16384, 32),
    ("digits", [64, 256, 128, 10], 10, 8192, 64),
    ("wide", [784, 512, 256, 10], 10, 65536, 256),
    ("wide1k", [784, 512, 256, 10], 10, 131072, 1024),
    ("wide4k", [784, 512, 256, 10], 10, 131072, 4096),
    ("wide16k", [784, 512, 256, 10], 10, 131072, 16384),
    ("cnn", None, 10, 8192, 64),  # Keras' Fashion-MNIST CNN on 28x28x1 images (cuDNN)
]


def run(name, widths, classes, n, batch, seconds, dev, bf16):
    g = torch.Generator().manual_seed(1)
    shape = (n, 1, 28, 28) if widths is None else (n, widths[0])
    x = (torch.rand(*shape, generator=g) * 2 - 1).pin_memory()
    y = torch.randint(0, classes, (n,), generator=g).pin_memory()
    model = (make_cnn() if widths is None else make_model(widths)).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    binary = classes == 2
    loss_fn = nn.BCEWithLogitsLoss() if binary else nn.CrossEntropyLoss()

    def epoch():
        t0 = time.perf_counter()
        for i in range(0, n, batch):
            xb = x[i:i + batch].to(dev, non_blocking=True)
            yb = y[i:i + batch].to(dev, non_blocking=True)
            # Mixed precision as users switch it on: bf16 autocast, float32 master weights.
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=bf16):
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
    return n / best


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    if not torch.cuda.is_available():
        sys.exit("train_torch_cuda.py: no CUDA device")
    print(f"{'model':7s} {'torch fp32/s':>16s} {'torch bf16/s':>16s}")
    dev = torch.device("cuda")
    for w in WORKLOADS:
        fp32 = run(*w, seconds, dev, bf16=False)
        bf16 = run(*w, seconds, dev, bf16=True)
        print(f"{w[0]:7s} {fp32:16.0f} {bf16:16.0f}", flush=True)


if __name__ == "__main__":
    main()
