#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""Writes the activation reference of tests/unit/nn/activation_functions_test.cpp (PyTorch, CPU,
float64): each activation and its derivative (autograd) at the points below, the kinks of
ReLU6, HardSigmoid and HardSiLU and the far tails included. Run with Debian's python3-torch:
/usr/bin/python3 make_activation_reference.py

Files (little-endian float64, no header): activation_x.bin (the points), and for each name
activation_<name>_y.bin and activation_<name>_dy.bin (the values and derivatives there).
Keras' functions of these names compute the same (keras.activations.silu, softplus, softsign,
selu, mish, relu6, hard_sigmoid, hard_silu in Keras 3).
"""
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

FUNCTIONS = {
    "silu": F.silu,
    "softplus": F.softplus,
    "softsign": F.softsign,
    "selu": F.selu,
    "mish": F.mish,
    "relu6": F.relu6,
    "hard_sigmoid": F.hardsigmoid,
    "hard_silu": F.hardswish,
}


def write(name, t):
    t.detach().contiguous().numpy().astype("<f8").tofile(os.path.join(HERE, name))


def main():
    g = torch.Generator().manual_seed(31)
    points = [-40.0, -20.0, -6.5, -3.0, -2.999, -1.0, -1e-3, 0.0, 1e-3, 0.5, 2.999, 3.0, 5.999,
              6.0, 6.001, 20.0, 40.0]
    x = torch.cat([torch.tensor(points, dtype=torch.float64),
                   torch.randn(23, generator=g, dtype=torch.float64) * 4])
    write("activation_x.bin", x)
    for name, f in FUNCTIONS.items():
        xi = x.clone().requires_grad_(True)
        y = f(xi)
        y.sum().backward()
        write(f"activation_{name}_y.bin", y)
        write(f"activation_{name}_dy.bin", xi.grad)
    print(f"{len(FUNCTIONS)} activations at {x.numel()} points")


if __name__ == "__main__":
    main()
