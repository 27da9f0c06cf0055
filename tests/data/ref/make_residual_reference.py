#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""Writes the residual network (and decoder) reference run of tests/unit/train/residual_reference_test.cpp
(PyTorch, CPU, one thread, float32). Run with Debian's python3-torch:
/usr/bin/python3 make_residual_reference.py

The model, in fitcheck's words and PyTorch's (C = Conv2D<F, K, S, padding, 1, UseBias>, BN =
BatchNormalization<> = BatchNorm2d(F, eps=1e-3, momentum=0.01)):
  Input<8, 8, 3>
  C<8, 3, 1, same, 1, false>, BN, ReLU           stem
  Residual<C<8, 3, 1, same, 1, false>, BN, ReLU,  x + f(x): an identity shortcut
           C<8, 3, 1, same, 1, false>, BN>, ReLU
  Add<Branch<C<12, 3, 2, same, 1, false>, BN,     a downsampling block; TensorFlow's "same" at
             ReLU, C<12, 3, 1, same>>,            stride 2 pads only the bottom and right, which
      Branch<C<12, 1, 2>>>, ReLU                  PyTorch does with F.pad(x, (0, 1, 0, 1))
  Concatenate<Identity, Branch<                  a U-Net level: the block's 12 channels, then 4
             AveragePooling2D<2>, C<4, 1>, Tanh,  from the pooled image, upsampled (nearest; the
             UpSampling2D<2>>>                    average, not the maximum: a maximum's near
                                                  ties, which float rounding breaks differently
                                                  in the two frameworks, would send a gradient
                                                  elsewhere, and Adam magnifies that)
  Conv2DTranspose<6, 3, 2, same>, ReLU           ConvTranspose2d(16, 6, 3, stride=2) cropped to
                                                  8 x 8 (TensorFlow's "same": the extra row and
                                                  column at the bottom and right fall away)
  Conv2DTranspose<4, 2, 3>                        ConvTranspose2d(6, 4, 2, stride=3,
                                                  output_padding=1): Keras' valid size 8 x 3 +
                                                  max(2 - 3, 0) = 24, its last row and column the
                                                  bias alone
  GlobalAveragePooling2D, Dense<5>, Softmax       mean over (h, w), Linear(4, 5), CrossEntropyLoss
Data: 128 samples, NHWC, standard normal (generator seed 2468), labels uniform in [0, 5); 8 steps
of batch 16 in file order, with SGD (lr 0.05) and with Adam (lr 1e-3, eps 1e-8).

Files (little-endian float32, row-major, no header; text: one value per line, %.9g):
  residual_X.bin (128 x 8 x 8 x 3), residual_y.bin (128, float32 labels)
  residual_init_params.bin          every parameter in fitcheck's order (layer order; inside a
                                    block branch after branch): kernels (kh, kw, c, f), biases,
                                    BN gamma and beta, Dense kernel (in, out) and bias
  residual_final_{sgd,adam}_params.bin   the same after the 8th update
  residual_losses_{sgd,adam}.txt         the loss of each step's forward (before its update)
  residual_moving_{sgd,adam}.bin         each BN's moving mean then moving variance, in the
                                         model's state order, by Keras' rule (float64 sums)
  residual_eval_{sgd,adam}.txt           the mean loss over all 128 samples in inference mode
"""
import os

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
N, H, W, C, CLASSES, BATCH = 128, 8, 8, 3, 5, 16


def bn(f):
    return nn.BatchNorm2d(f, eps=1e-3, momentum=0.01)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.stem_bn = bn(8)
        self.res_a = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.res_a_bn = bn(8)
        self.res_b = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.res_b_bn = bn(8)
        self.down_a = nn.Conv2d(8, 12, 3, stride=2, bias=False)
        self.down_a_bn = bn(12)
        self.down_b = nn.Conv2d(12, 12, 3, padding=1)
        self.shortcut = nn.Conv2d(8, 12, 1, stride=2)
        self.extra = nn.Conv2d(12, 4, 1)
        self.up_a = nn.ConvTranspose2d(16, 6, 3, stride=2)
        self.up_b = nn.ConvTranspose2d(6, 4, 2, stride=3, output_padding=1)
        self.dense = nn.Linear(4, 5)

    def bns(self):
        return [self.stem_bn, self.res_a_bn, self.res_b_bn, self.down_a_bn]

    def forward(self, x_nhwc):
        x = x_nhwc.permute(0, 3, 1, 2)
        x = torch.relu(self.stem_bn(self.stem(x)))
        f = self.res_b_bn(self.res_b(torch.relu(self.res_a_bn(self.res_a(x)))))
        x = torch.relu(x + f)
        d = self.down_a(F.pad(x, (0, 1, 0, 1)))
        d = self.down_b(torch.relu(self.down_a_bn(d)))
        x = torch.relu(d + self.shortcut(x))
        up = F.interpolate(torch.tanh(self.extra(F.avg_pool2d(x, 2))), scale_factor=2,
                           mode="nearest")
        x = torch.cat([x, up], dim=1)
        x = torch.relu(self.up_a(x)[:, :, :8, :8])
        x = self.up_b(x)
        return self.dense(x.mean(dim=(2, 3)))


def fitcheck_params(net):
    def conv(c):  # [f, c, kh, kw] -> [kh, kw, c, f], then the bias if any
        w = [c.weight.permute(2, 3, 1, 0).reshape(-1)]
        return w if c.bias is None else w + [c.bias.reshape(-1)]

    def norm(b):
        return [b.weight, b.bias]

    def transposed(c):  # [in, filters, kh, kw] -> Keras' [kh, kw, filters, in], then the bias
        return [c.weight.permute(2, 3, 1, 0).reshape(-1), c.bias.reshape(-1)]

    parts = (conv(net.stem) + norm(net.stem_bn) + conv(net.res_a) + norm(net.res_a_bn) +
             conv(net.res_b) + norm(net.res_b_bn) + conv(net.down_a) + norm(net.down_a_bn) +
             conv(net.down_b) + conv(net.shortcut) + conv(net.extra) + transposed(net.up_a) +
             transposed(net.up_b) + [net.dense.weight.t().reshape(-1), net.dense.bias])
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
    bns = net.bns()
    moving = [[torch.zeros(b.num_features, dtype=torch.float64),
               torch.ones(b.num_features, dtype=torch.float64)] for b in bns]
    seen = {}
    for i, b in enumerate(bns):
        b.register_forward_hook(lambda m, inp, out, i=i: seen.__setitem__(i, inp[0].detach()))
    losses = []
    net.train()
    for step in range(N // BATCH):
        xb, yb = x[step * BATCH:(step + 1) * BATCH], y[step * BATCH:(step + 1) * BATCH]
        opt.zero_grad()
        loss = loss_fn(net(xb), yb)
        losses.append(loss.item())
        loss.backward()
        opt.step()
        for i in range(len(bns)):
            bx = seen[i].double()
            moving[i][0] = moving[i][0] * 0.99 + bx.mean(dim=(0, 2, 3)) * 0.01
            moving[i][1] = moving[i][1] * 0.99 + bx.var(dim=(0, 2, 3), unbiased=False) * 0.01
    net.eval()
    for b, (mean, var) in zip(bns, moving):
        b.running_mean.copy_(mean.float())
        b.running_var.copy_(var.float())
    with torch.no_grad():
        eval_loss = loss_fn(net(x), y).item()
    write_txt(f"residual_losses_{opt_name}.txt", losses)
    write_bin(f"residual_final_{opt_name}_params.bin", fitcheck_params(net))
    write_bin(f"residual_moving_{opt_name}.bin", torch.cat([torch.cat(m) for m in moving]))
    write_txt(f"residual_eval_{opt_name}.txt", [eval_loss])
    print(f"{opt_name}: losses {losses[0]:.6f} -> {losses[-1]:.6f}, eval {eval_loss:.6f}")


def main():
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(2468)
    x = torch.randn(N, H, W, C, generator=g)
    y = torch.randint(0, CLASSES, (N,), generator=g)
    torch.manual_seed(0)
    init = Net()
    write_bin("residual_X.bin", x)
    write_bin("residual_y.bin", y.float())
    write_bin("residual_init_params.bin", fitcheck_params(init))
    state = {k: v.clone() for k, v in init.state_dict().items()}
    for opt_name in ("sgd", "adam"):
        run(opt_name, x, y, state)


if __name__ == "__main__":
    main()
