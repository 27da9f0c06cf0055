#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""Writes the activation reference of tests/unit/nn/activation_functions_test.cpp (PyTorch, CPU,
float64): each activation and its derivative (autograd) at the points below, the kinks of
ReLU6, HardSigmoid, HardSiLU and HardTanh (at -1) and the far tails included. Run with Debian's python3-torch:
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
    # Keras 3's remaining element-wise functions (keras.activations.celu, exponential,
    # hard_shrink, hard_tanh, log_sigmoid, soft_shrink, tanh_shrink, sparse_plus, squareplus),
    # at Keras' default constants; the last two have no PyTorch function: Keras' formulas,
    # differentiated by autograd.
    "celu": F.celu,
    "exponential": torch.exp,
    "hard_shrink": F.hardshrink,
    "hard_tanh": F.hardtanh,
    "log_sigmoid": F.logsigmoid,
    "soft_shrink": F.softshrink,
    "tanh_shrink": F.tanhshrink,
    "sparse_plus": lambda x: torch.where(
        x <= -1, torch.zeros_like(x), torch.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "squareplus": lambda x: (x + torch.sqrt(x * x + 4)) / 2,
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
