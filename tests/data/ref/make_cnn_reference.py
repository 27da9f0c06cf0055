#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""Writes the CNN reference run of tests/unit/train/cnn_reference_test.cpp (PyTorch, CPU, one
thread, float32). Run from anywhere with Debian's python3-torch: /usr/bin/python3 make_cnn_reference.py

The model, in fitcheck's words and PyTorch's:
  Input<10, 10, 3>
  Conv2D<8, 3, 1, padding::same, 1, false>       Conv2d(3, 8, 3, padding=1, bias=False) (no bias
                                                  before BatchNormalization, as Keras advises)
  BatchNormalization<>  (momentum 0.99, eps 1e-3) BatchNorm2d(8, eps=1e-3, momentum=0.01)
  ReLU                                            ReLU
  MaxPooling2D<2>                                 MaxPool2d(2)
  Conv2D<12, 2, 2, padding::valid, 2>            Conv2d(8, 12, 2, stride=2, dilation=2)
  ReLU                                            ReLU
  Flatten                                         permute to NHWC, then flatten (fitcheck's order)
  Dense<5>                                        Linear(48, 5)
  Softmax + SparseCategoricalCrossentropy         CrossEntropyLoss (softmax fused)
Data: 128 samples, NHWC, standard normal (generator seed 4321), labels uniform in [0, 5); 8 steps
of batch 16 in file order, once with SGD (lr 0.05) and once with Adam (lr 1e-3, eps 1e-8,
PyTorch's form, as the seed MLP's reference).

Files (little-endian float32, row-major, no header; text: one value per line, %.9g):
  cnn_X.bin (128 x 10 x 10 x 3), cnn_y.bin (128, float32 labels)
  cnn_init_params.bin       every parameter in fitcheck's order: conv1 kernel (kh, kw, c, f), BN gamma and beta, conv2 kernel and bias, Dense kernel (in, out)
                            and bias
  cnn_final_{sgd,adam}_params.bin   the same after the 8th update
  cnn_losses_{sgd,adam}.txt         the loss of each step's forward (before its update)
  cnn_moving_{sgd,adam}.bin         BN moving mean (8) then moving variance (8) after training,
                                    by Keras' rule (biased batch variance; PyTorch's own running_var
                                    folds in the unbiased one)
  cnn_eval_{sgd,adam}.txt           the mean loss over all 128 samples in inference mode with those
                                    moving statistics (what Model::evaluate computes)
"""
import os

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
N, H, W, C, CLASSES, BATCH = 128, 10, 10, 3, 5, 16


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8, eps=1e-3, momentum=0.01)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 12, 2, stride=2, dilation=2)
        self.dense = nn.Linear(48, 5)

    def forward(self, x_nhwc):
        x = x_nhwc.permute(0, 3, 1, 2)
        x = self.pool(torch.relu(self.bn(self.conv1(x))))
        x = torch.relu(self.conv2(x))
        return self.dense(x.permute(0, 2, 3, 1).flatten(1))


def fitcheck_params(net):
    def conv(c):  # [f, c, kh, kw] -> [kh, kw, c, f], then the bias if any
        w = [c.weight.permute(2, 3, 1, 0).reshape(-1)]
        return w if c.bias is None else w + [c.bias.reshape(-1)]
    parts = conv(net.conv1) + [net.bn.weight, net.bn.bias] + conv(net.conv2) + [
        net.dense.weight.t().reshape(-1), net.dense.bias]
    return torch.cat([p.detach().reshape(-1) for p in parts])


def write_bin(name, t):
    t.detach().to(torch.float32).contiguous().numpy().tofile(os.path.join(HERE, name))


def write_txt(name, values):
    with open(os.path.join(HERE, name), "w") as f:
        for v in values:
            f.write("%.9g\n" % v)


def run(opt_name, x, y, init_state):
    net = Net()
    net.load_state_dict(init_state)
    if opt_name == "sgd":
        opt = torch.optim.SGD(net.parameters(), lr=0.05)
    else:
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()
    moving_mean = torch.zeros(8, dtype=torch.float64)
    moving_var = torch.ones(8, dtype=torch.float64)
    seen = {}
    net.bn.register_forward_hook(lambda m, inp, out: seen.__setitem__("x", inp[0].detach()))
    losses = []
    net.train()
    for step in range(N // BATCH):
        xb, yb = x[step * BATCH:(step + 1) * BATCH], y[step * BATCH:(step + 1) * BATCH]
        opt.zero_grad()
        loss = loss_fn(net(xb), yb)
        losses.append(loss.item())
        loss.backward()
        opt.step()
        bx = seen["x"].double()
        moving_mean = moving_mean * 0.99 + bx.mean(dim=(0, 2, 3)) * 0.01
        moving_var = moving_var * 0.99 + bx.var(dim=(0, 2, 3), unbiased=False) * 0.01
    net.eval()
    net.bn.running_mean.copy_(moving_mean.float())
    net.bn.running_var.copy_(moving_var.float())
    with torch.no_grad():
        eval_loss = loss_fn(net(x), y).item()
    write_txt(f"cnn_losses_{opt_name}.txt", losses)
    write_bin(f"cnn_final_{opt_name}_params.bin", fitcheck_params(net))
    write_bin(f"cnn_moving_{opt_name}.bin", torch.cat([moving_mean, moving_var]))
    write_txt(f"cnn_eval_{opt_name}.txt", [eval_loss])
    print(f"{opt_name}: losses {losses[0]:.6f} -> {losses[-1]:.6f}, eval {eval_loss:.6f}")


def main():
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(4321)
    x = torch.randn(N, H, W, C, generator=g)
    y = torch.randint(0, CLASSES, (N,), generator=g)
    torch.manual_seed(0)
    init = Net()
    write_bin("cnn_X.bin", x)
    write_bin("cnn_y.bin", y.float())
    write_bin("cnn_init_params.bin", fitcheck_params(init))
    state = {k: v.clone() for k, v in init.state_dict().items()}
    for opt_name in ("sgd", "adam"):
        run(opt_name, x, y, state)


if __name__ == "__main__":
    main()
