#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""PyTorch peer of benchmarks/runtime/image_pipeline_bench.cpp: one shuffled epoch of
DataLoader(ImageFolder(folder, transforms), batch_size=32, shuffle=True, num_workers=w) with the
post's augmentation in torchvision's terms (RandomAffine(degrees=20, translate=(0.2, 0.2),
shear=0.2, scale=(0.8, 1.2)), RandomHorizontalFlip, ToTensor), for w in 0, 1, 2.

Prints `result torch_<size>_w<w> <samples_per_s>` (best epoch after a warm-up epoch) for
benchmarks/run_image_pipeline.

Usage: image_pipeline_torch.py <folder> <size> [epochs=2]
"""
import sys
import time

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def main():
    folder, size = sys.argv[1], int(sys.argv[2])
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    torch.set_num_threads(1)
    augment = transforms.Compose([
        transforms.Resize((size, size)),
        transforms.RandomAffine(degrees=20, translate=(0.2, 0.2), shear=0.2, scale=(0.8, 1.2)),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
    ])
    data = datasets.ImageFolder(folder, transform=augment)
    for workers in (0, 1, 2):
        loader = DataLoader(data, batch_size=32, shuffle=True, num_workers=workers)
        best = float("inf")
        for epoch in range(epochs + 1):
            start = time.perf_counter()
            seen = 0
            for x, _ in loader:
                seen += x.shape[0]
            took = time.perf_counter() - start
            if epoch > 0:
                best = min(best, took)
        print(f"result torch_{size}_w{workers} {seen / best:.1f}", flush=True)


if __name__ == "__main__":
    main()
