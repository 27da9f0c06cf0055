#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""Writes the bilinear upsampling reference of tests/unit/nn/upsampling_test.cpp (PyTorch, CPU,
float64): F.interpolate(mode="bilinear", align_corners=False), the half-pixel centres of
TensorFlow's tf.image.resize that Keras' UpSampling2D(interpolation="bilinear") calls, and its
input gradient. Run with Debian's python3-torch:
/usr/bin/python3 make_bilinear_reference.py

Files (little-endian float64, NHWC, row-major, no header), for scale factors (2, 2) and (3, 2):
  bilinear_x.bin            (2, 3, 4, 2) inputs, standard normal (generator seed 97)
  bilinear_dy_{r}x{c}.bin   (2, 3 r, 4 c, 2) output gradients, standard normal
  bilinear_y_{r}x{c}.bin    the upsampled outputs
  bilinear_dx_{r}x{c}.bin   the input gradients for those output gradients
"""
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, t):
    t.detach().contiguous().numpy().astype("<f8").tofile(os.path.join(HERE, name))


def main():
    g = torch.Generator().manual_seed(97)
    x = torch.randn(2, 3, 4, 2, generator=g, dtype=torch.float64)
    write("bilinear_x.bin", x)
    for r, c in ((2, 2), (3, 2)):
        xi = x.permute(0, 3, 1, 2).clone().requires_grad_(True)
        y = F.interpolate(xi, scale_factor=(r, c), mode="bilinear", align_corners=False)
        dy = torch.randn(y.shape[0], y.shape[2], y.shape[3], y.shape[1], generator=g,
                         dtype=torch.float64)
        y.backward(dy.permute(0, 3, 1, 2))
        write(f"bilinear_y_{r}x{c}.bin", y.permute(0, 2, 3, 1))
        write(f"bilinear_dy_{r}x{c}.bin", dy)
        write(f"bilinear_dx_{r}x{c}.bin", xi.grad.permute(0, 2, 3, 1))
        print(f"{r}x{c}: y {tuple(y.shape)}")


if __name__ == "__main__":
    main()
