#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""Writes the depthwise convolution reference of tests/unit/nn/depthwise_test.cpp (PyTorch, CPU,
float64): F.conv2d with groups = channels (output channel ch m + j from input channel ch, Keras'
DepthwiseConv2D order), TensorFlow's padding (same: the odd pad at the bottom and right), and
its gradients for a random output gradient. Run with Debian's python3-torch:
/usr/bin/python3 make_depthwise_reference.py

Configurations <name>: kernel (kh, kw), strides, padding, depth multiplier m, dilation:
  same_m2:      (3, 3), 1, same,  2, 1
  valid_s2:     (3, 2), 2, valid, 1, 1
  same_s2:      (3, 3), 2, same,  1, 1
  dilated:      (3, 3), 1, same,  1, 2
Files (little-endian float64, NHWC, row-major, no header):
  depthwise_x.bin                 (2, 7, 6, 3) inputs, standard normal (generator seed 211)
  depthwise_<name>_w.bin          the kernel (kh, kw, 3, m), then the bias (3 m)
  depthwise_<name>_y.bin          the outputs
  depthwise_<name>_dy.bin         a random output gradient
  depthwise_<name>_dx.bin         the input gradient
  depthwise_<name>_dw.bin         the kernel's gradient (kh, kw, 3, m), then the bias's
"""
import math
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = {
    "same_m2": ((3, 3), 1, "same", 2, 1),
    "valid_s2": ((3, 2), 2, "valid", 1, 1),
    "same_s2": ((3, 3), 2, "same", 1, 1),
    "dilated": ((3, 3), 1, "same", 1, 2),
}


def write(name, t):
    t.detach().contiguous().numpy().astype("<f8").tofile(os.path.join(HERE, name))


def tf_pads(size, k, s, d, padding):
    if padding == "valid":
        return 0, 0
    out = math.ceil(size / s)
    span = (k - 1) * d + 1
    total = max((out - 1) * s + span - size, 0)
    return total // 2, total - total // 2


def main():
    g = torch.Generator().manual_seed(211)
    x = torch.randn(2, 7, 6, 3, generator=g, dtype=torch.float64)
    write("depthwise_x.bin", x)
    c = 3
    for name, ((kh, kw), s, padding, m, d) in CONFIGS.items():
        w = torch.randn(kh, kw, c, m, generator=g, dtype=torch.float64) * 0.5
        b = torch.randn(c * m, generator=g, dtype=torch.float64)
        xi = x.permute(0, 3, 1, 2).clone().requires_grad_(True)
        wt = w.permute(2, 3, 0, 1).reshape(c * m, 1, kh, kw).clone().requires_grad_(True)
        bt = b.clone().requires_grad_(True)
        top, bottom = tf_pads(7, kh, s, d, padding)
        left, right = tf_pads(6, kw, s, d, padding)
        y = F.conv2d(F.pad(xi, (left, right, top, bottom)), wt, bt, stride=s, dilation=d,
                     groups=c)
        dy = torch.randn(y.shape[0], y.shape[2], y.shape[3], y.shape[1], generator=g,
                         dtype=torch.float64)
        y.backward(dy.permute(0, 3, 1, 2))
        write(f"depthwise_{name}_w.bin", torch.cat([w.reshape(-1), b]))
        write(f"depthwise_{name}_y.bin", y.permute(0, 2, 3, 1))
        write(f"depthwise_{name}_dy.bin", dy)
        write(f"depthwise_{name}_dx.bin", xi.grad.permute(0, 2, 3, 1))
        dw = wt.grad.reshape(c, m, kh, kw).permute(2, 3, 0, 1)
        write(f"depthwise_{name}_dw.bin", torch.cat([dw.reshape(-1), bt.grad]))
        print(f"{name}: y {tuple(y.shape)}")


if __name__ == "__main__":
    main()
