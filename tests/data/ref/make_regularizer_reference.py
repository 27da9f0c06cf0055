#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""Writes the weight-penalty reference run of tests/unit/train/regularizer_reference_test.cpp
(PyTorch, CPU, one thread, float32). Run with Debian's python3-torch:
/usr/bin/python3 make_regularizer_reference.py

The model, in fitcheck's words and PyTorch's; the loss is Keras' (the data's plus every
penalty, l1 sum |w| + l2 sum w^2, not halved):
  Input<6, 6, 2>
  Regularized<Conv2D<4, 3>, L1L2<1/100, 1/20>>, ReLU       Conv2d(2, 4, 3): 0.01 |W| + 0.05 W^2
  Flatten
  Regularized<Dense<8>, L2<1/20>,                         Linear(64, 8): 0.05 W^2 + 0.02 |b|
              bias_regularizer<L1<1/50>>>, ReLU
  Dense<3>, Softmax                                       Linear(8, 3), CrossEntropyLoss
Data: 96 samples, NHWC, standard normal (generator seed 1357), labels uniform in [0, 3); 6 steps
of batch 16 in file order, with SGD (lr 0.1) and with Adam (lr 1e-2, eps 1e-8).

Files (little-endian float32, row-major, no header; text: one value per line, %.9g):
  regularizer_X.bin (96 x 6 x 6 x 2), regularizer_y.bin (96, float32 labels)
  regularizer_init_params.bin              every parameter in fitcheck's order: the conv kernel
                                           (kh, kw, c, f) and bias, the Dense kernels (in, out)
                                           and biases (Flatten of NHWC: the Linear's inputs are
                                           in (h, w, c) order)
  regularizer_final_{sgd,adam}_params.bin  the same after the 6th update
  regularizer_losses_{sgd,adam}.txt        each step's loss with its penalties (before its update)
  regularizer_eval_{sgd,adam}.txt          the mean loss over all 96 samples plus the penalties
"""
import os

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
N, H, W, C, CLASSES, BATCH = 96, 6, 6, 2, 3, 16


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3)
        self.hidden = nn.Linear(64, 8)
        self.out = nn.Linear(8, 3)

    def forward(self, x_nhwc):
        x = torch.relu(self.conv(x_nhwc.permute(0, 3, 1, 2)))
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # Flatten of NHWC
        return self.out(torch.relu(self.hidden(x)))

    def penalty(self):
        k = self.conv.weight
        return (0.01 * k.abs().sum() + 0.05 * (k * k).sum() +
                0.05 * (self.hidden.weight ** 2).sum() + 0.02 * self.hidden.bias.abs().sum())


def fitcheck_params(net):
    parts = [net.conv.weight.permute(2, 3, 1, 0), net.conv.bias, net.hidden.weight.t(),
             net.hidden.bias, net.out.weight.t(), net.out.bias]
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
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
    else:
        opt = torch.optim.Adam(net.parameters(), lr=1e-2, eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for step in range(N // BATCH):
        xb, yb = x[step * BATCH:(step + 1) * BATCH], y[step * BATCH:(step + 1) * BATCH]
        opt.zero_grad()
        loss = loss_fn(net(xb), yb) + net.penalty()
        losses.append(loss.item())
        loss.backward()
        opt.step()
    with torch.no_grad():
        eval_loss = (loss_fn(net(x), y) + net.penalty()).item()
    write_txt(f"regularizer_losses_{opt_name}.txt", losses)
    write_bin(f"regularizer_final_{opt_name}_params.bin", fitcheck_params(net))
    write_txt(f"regularizer_eval_{opt_name}.txt", [eval_loss])
    print(f"{opt_name}: losses {losses[0]:.6f} -> {losses[-1]:.6f}, eval {eval_loss:.6f}")


def main():
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(1357)
    x = torch.randn(N, H, W, C, generator=g)
    y = torch.randint(0, CLASSES, (N,), generator=g)
    torch.manual_seed(0)
    init = Net()
    write_bin("regularizer_X.bin", x)
    write_bin("regularizer_y.bin", y.float())
    write_bin("regularizer_init_params.bin", fitcheck_params(init))
    state = {k: v.clone() for k, v in init.state_dict().items()}
    for opt_name in ("sgd", "adam"):
        run(opt_name, x, y, state)


if __name__ == "__main__":
    main()
