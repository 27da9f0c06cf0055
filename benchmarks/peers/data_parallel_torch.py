#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""PyTorch peer of benchmarks/runtime/data_parallel_bench.cpp: data-parallel training samples/s
of the whole group with DistributedDataParallel over gloo (PyTorch's CPU backend), N processes
started by torch.multiprocessing, one thread each. Each process trains on its shard (every N-th
sample from its rank, as fitcheck's shard) with 1/N of the step's batch, in the loop a competent
user writes (train_torch.py's), the model wrapped in DDP:

    digits  Linear(64,256), ReLU, Linear(256,128), ReLU, Linear(128,10), CrossEntropyLoss, Adam
            lr 1e-3, 64 samples a step, 8192 samples
    wide    Linear(784,512), ReLU, Linear(512,256), ReLU, Linear(256,10), CrossEntropyLoss, Adam
            lr 1e-3, 256 samples a step, 4096 samples

With N = 1 the model is not wrapped (plain training, as train_torch.py). After one warm-up epoch,
epochs run for about `seconds`; the best epoch on rank 0's clock counts (the processes agree
after each epoch whether to go on, so all run the same epochs).
Prints `result torch <workload> <N> <samples/s>` lines.
Usage: data_parallel_torch.py [processes=2] [workloads=digits,wide] [seconds=2]
"""
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

from train_torch import make_model  # the same MLPs as the one-process peer

WORKLOADS = {"digits": ((64, 256, 128, 10), 64, 8192), "wide": ((784, 512, 256, 10), 256, 4096)}


def run(rank, size, name, seconds):
    widths, step, n = WORKLOADS[name]
    g = torch.Generator().manual_seed(1)
    x = torch.rand(n, widths[0], generator=g) * 2 - 1
    y = torch.randint(0, widths[-1], (n,), generator=g)
    x, y = x[rank::size].contiguous(), y[rank::size].contiguous()
    batch = step // size
    torch.manual_seed(42)
    model = make_model(widths)
    if size > 1:
        model = nn.parallel.DistributedDataParallel(model)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    m = x.shape[0]

    def epoch():
        t0 = time.perf_counter()
        perm = torch.randperm(m)
        for i in range(0, m, batch):
            idx = perm[i:i + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        return time.perf_counter() - t0

    def go_on(yes):
        if size == 1:
            return yes
        flag = torch.tensor([1.0 if yes else 0.0])
        dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        return flag.item() > 0

    epoch()
    best = float("inf")
    end = time.perf_counter() + seconds
    while True:
        best = min(best, epoch())
        if not go_on(time.perf_counter() < end):
            break
    return n / best


def worker(rank, size, names, seconds, port):
    torch.set_num_threads(1)
    if size > 1:
        os.environ["MASTER_ADDR"] = "127.0.0.1"
        os.environ["MASTER_PORT"] = str(port)
        dist.init_process_group("gloo", rank=rank, world_size=size)
    for name in names:
        sps = run(rank, size, name, seconds)
        if rank == 0:
            print(f"  {name:7s} {size} processes {sps:12.0f} samples/s")
            print(f"result torch {name} {size} {sps:.0f}", flush=True)
    if size > 1:
        dist.destroy_process_group()


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    names = sys.argv[2].split(",") if len(sys.argv) > 2 else list(WORKLOADS)
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    print(f"data_parallel_torch.py: torch {torch.__version__}, {size} process(es), gloo, "
          f"best epoch over ~{seconds:g} s", flush=True)
    port = 29500 + os.getpid() % 1000
    if size == 1:
        worker(0, 1, names, seconds, port)
    else:
        mp.spawn(worker, args=(size, names, seconds, port), nprocs=size, join=True)


if __name__ == "__main__":
    main()
