#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""PyTorch peers of benchmarks/runtime/train_bench.cpp: training samples/s, float32, random data,
in the loop a competent user writes without a DataLoader:

    perm = torch.randperm(n)
    for i in range(0, n, batch):
        idx = perm[i:i + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()

  seed    nn.Sequential(Linear(10,128), ReLU, Linear(128,1)), BCEWithLogitsLoss (the sigmoid fused
          into the loss, as PyTorch recommends), Adam lr 1e-3, batch 32, 16384 samples
  digits  Linear(64,256), ReLU, Linear(256,128), ReLU, Linear(128,10), CrossEntropyLoss
          (softmax fused into the loss), Adam lr 1e-3, batch 64, 8192 samples
  wide    Linear(784,512), ReLU, Linear(512,256), ReLU, Linear(256,10), CrossEntropyLoss,
          Adam lr 1e-3, batch 256, 4096 samples
  cnn     Keras' Fashion-MNIST CNN on 28x28x1 images: Conv2d(1,32,3), ReLU, MaxPool2d(2),
          Conv2d(32,64,3), ReLU, MaxPool2d(2), Flatten, Linear(1600,128), ReLU, Dropout(0.5),
          Linear(128,10), CrossEntropyLoss, Adam lr 1e-3, batch 64, 2048 samples. PyTorch's
          layout is NCHW (its oneDNN convolutions' fastest on the CPU); fitcheck's is NHWC.
  lstm    Embedding(2000, 32), LSTM(32, 64, batch_first=True) (its last step), Linear(64, 1),
          BCEWithLogitsLoss, Adam lr 1e-3, batch 32, 2048 sequences of 80 token indices (only
          when named)
  gru     the same with GRU(32, 64) (only when named)
  lstm_dropout  the lstm workload with Keras' LSTM(64, dropout=0.2, recurrent_dropout=0.2),
          which PyTorch's nn.LSTM cannot do: Keras 3's cell written in PyTorch, each gate's input
          and state times its own mask drawn once per batch, the input products over the whole
          sequence in one batched matmul, one batched matmul per step (only when named)
  resnet  a small ResNet on 28x28x1 images: Conv2d(1,16,3,padding=1), BatchNorm2d, ReLU; x + f(x)
          with f = Conv2d(16,16,3,padding=1), BatchNorm2d, ReLU, Conv2d(16,16,3,padding=1),
          BatchNorm2d; ReLU; a downsampling block, Conv2d(16,32,3,stride=2) on the input padded
          at the bottom and right (TensorFlow's "same"), BatchNorm2d, ReLU, Conv2d(32,32,3,
          padding=1), BatchNorm2d, plus Conv2d(16,32,1,stride=2), BatchNorm2d; ReLU; the mean
          over (h, w), Linear(32, 10), CrossEntropyLoss, Adam, batch 64, 1024 samples (only when
          named)
  autoencoder  Keras' convolutional denoising autoencoder on 28x28x1 images in [0, 1):
          Conv2d(1,32,3,padding=1), ReLU, MaxPool2d(2), Conv2d(32,32,3,padding=1), ReLU,
          MaxPool2d(2), ConvTranspose2d(32,32,3,stride=2) cropped to twice its input (Keras'
          "same"), ReLU, the same again, Conv2d(32,1,3,padding=1), Sigmoid; MSELoss against the
          image, Adam, batch 128, 1024 samples (only when named)
  mobilenet  MobileNet-style separable blocks on 28x28x1 images: Conv2d(1,16,3,stride=2) on the
          input padded at the bottom and right (TensorFlow's "same"), ReLU6,
          Conv2d(16,16,3,padding=1,groups=16), ReLU6, Conv2d(16,32,1), ReLU6, the same padding
          and Conv2d(32,32,3,stride=2,groups=32), ReLU6, Conv2d(32,64,1), ReLU6, the mean over
          (h, w), Linear(64, 10), CrossEntropyLoss, Adam, batch 64, 1024 samples (only when named)
  transformer  the same tokens, Embedding(2000, 32) plus a learned (80, 32) position table,
          TransformerEncoderLayer(32, 2, 64, dropout=0, batch_first=True) (post-norm, ReLU), the
          mean over the steps, Linear(32, 1), BCEWithLogitsLoss (only when named)

The sample counts are bench_train's. After one warm-up epoch, epochs run for about `seconds`;
the best epoch counts (as in bench_train). torch.set_num_threads(threads); the BLAS PyTorch calls
(Debian's torch uses the system libblas, OpenBLAS when installed) takes its threads from
OPENBLAS_NUM_THREADS, which benchmarks/run_compute_bench sets to the same count.

Prints `result torch <workload> <threads> <samples_per_s>` lines.
Usage: train_torch.py [threads=1] [workloads=seed,digits,wide] [seconds=2]
"""
import os
import sys
import time

import torch
from torch import nn

WORKLOADS = {
    # name: (layer widths, batch, samples)
    "seed": ((10, 128, 1), 32, 16384),
    "digits": ((64, 256, 128, 10), 64, 8192),
    "wide": ((784, 512, 256, 10), 256, 4096),
    "cnn": (None, 64, 2048),
    "lstm": (None, 32, 2048),
    "gru": (None, 32, 2048),
    "lstm_dropout": (None, 32, 2048),
    "transformer": (None, 32, 2048),
    "resnet": (None, 64, 1024),
    "autoencoder": (None, 128, 1024),
    "mobilenet": (None, 64, 1024),
}
DEFAULT = ("seed", "digits", "wide", "cnn")


class TextRNN(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.embedding = nn.Embedding(2000, 32)
        self.rnn = cell(32, 64, batch_first=True)
        self.dense = nn.Linear(64, 1)

    def forward(self, tokens):
        _, last = self.rnn(self.embedding(tokens))
        h = last[0] if isinstance(last, tuple) else last
        return self.dense(h[-1])


class TextVariationalLSTM(nn.Module):
    """Keras' LSTM(64, dropout=rate, recurrent_dropout=rate) (its implementation 1) followed by
    Linear(64, 1), on Embedding(2000, 32)."""

    def __init__(self, rate=0.2):
        super().__init__()
        self.embedding = nn.Embedding(2000, 32)
        self.kernel = nn.Parameter(torch.empty(4, 32, 64))  # per gate i, f, c, o
        self.recurrent = nn.Parameter(torch.empty(4, 64, 64))
        self.bias = nn.Parameter(torch.zeros(4, 1, 1, 64))
        for g in range(4):
            nn.init.xavier_uniform_(self.kernel.data[g])
            nn.init.orthogonal_(self.recurrent.data[g])
        self.dense = nn.Linear(64, 1)
        self.keep = 1.0 - rate

    def forward(self, tokens):
        x = self.embedding(tokens).unsqueeze(0)  # (1, batch, steps, 32)
        batch = tokens.shape[0]
        state_mask = None
        if self.training:
            x = x * torch.bernoulli(torch.full((4, batch, 1, 32), self.keep)) / self.keep
            state_mask = torch.bernoulli(torch.full((4, batch, 64), self.keep)) / self.keep
        zx = torch.matmul(x, self.kernel.unsqueeze(1)) + self.bias  # (4, batch, steps, 64)
        h = zx.new_zeros(batch, 64)
        c = zx.new_zeros(batch, 64)
        # unbind: one backward for all steps (indexing zx[:, :, t] costs a full zero tensor each)
        for zx_t in zx.unbind(2):
            hs = h.unsqueeze(0) if state_mask is None else h.unsqueeze(0) * state_mask
            z = zx_t + torch.bmm(hs.expand(4, batch, 64), self.recurrent)
            c = torch.sigmoid(z[1]) * c + torch.sigmoid(z[0]) * torch.tanh(z[2])
            h = torch.sigmoid(z[3]) * torch.tanh(c)
        return self.dense(h)


class TextTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(2000, 32)
        self.positions = nn.Parameter(torch.empty(80, 32).uniform_(-0.05, 0.05))
        self.encoder = nn.TransformerEncoderLayer(32, 2, 64, dropout=0.0, batch_first=True)
        self.dense = nn.Linear(32, 1)

    def forward(self, tokens):
        return self.dense(self.encoder(self.embedding(tokens) + self.positions).mean(1))


class SmallResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        self.block = nn.Sequential(
            nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16))
        self.down = nn.Sequential(
            nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(16, 32, 3, stride=2), nn.BatchNorm2d(32),
            nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32))
        self.shortcut = nn.Sequential(nn.Conv2d(16, 32, 1, stride=2), nn.BatchNorm2d(32))
        self.dense = nn.Linear(32, 10)

    def forward(self, x):
        x = self.stem(x)
        x = torch.relu(x + self.block(x))
        x = torch.relu(self.down(x) + self.shortcut(x))
        return self.dense(x.mean(dim=(2, 3)))


def make_mobilenet():
    return nn.Sequential(
        nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(1, 16, 3, stride=2), nn.ReLU6(),
        nn.Conv2d(16, 16, 3, padding=1, groups=16), nn.ReLU6(), nn.Conv2d(16, 32, 1), nn.ReLU6(),
        nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(32, 32, 3, stride=2, groups=32), nn.ReLU6(),
        nn.Conv2d(32, 64, 1), nn.ReLU6(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(64, 10))


class Autoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.up_a = nn.ConvTranspose2d(32, 32, 3, stride=2)
        self.up_b = nn.ConvTranspose2d(32, 32, 3, stride=2)
        self.out = nn.Conv2d(32, 1, 3, padding=1)

    def forward(self, x):
        x = self.encoder(x)
        x = torch.relu(self.up_a(x)[:, :, :14, :14])
        x = torch.relu(self.up_b(x)[:, :, :28, :28])
        return torch.sigmoid(self.out(x))


def make_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(1600, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


def make_model(widths):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i + 2 < len(widths):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def run(name, seconds):
    widths, batch, n = WORKLOADS[name]
    g = torch.Generator().manual_seed(1)
    if name in ("lstm", "gru", "transformer", "lstm_dropout"):
        x = torch.randint(0, 2000, (n, 80), generator=g)
        y = torch.randint(0, 2, (n, 1), generator=g).float()
        loss_fn = nn.BCEWithLogitsLoss()
        if name == "transformer":
            model = TextTransformer()
        elif name == "lstm_dropout":
            model = TextVariationalLSTM()
        else:
            model = TextRNN(nn.LSTM if name == "lstm" else nn.GRU)
    elif name == "autoencoder":
        x = torch.rand(n, 1, 28, 28, generator=g)
        y = x
        loss_fn = nn.MSELoss()
        model = Autoencoder()
    elif widths is None:
        x = torch.rand(n, 1, 28, 28, generator=g) * 2 - 1
        y = torch.randint(0, 10, (n,), generator=g)
        loss_fn = nn.CrossEntropyLoss()
        model = (SmallResNet() if name == "resnet" else
                 make_mobilenet() if name == "mobilenet" else make_cnn())
    else:
        x = torch.rand(n, widths[0], generator=g) * 2 - 1
        if widths[-1] == 1:
            y = torch.randint(0, 2, (n, 1), generator=g).float()
            loss_fn = nn.BCEWithLogitsLoss()
        else:
            y = torch.randint(0, widths[-1], (n,), generator=g)
            loss_fn = nn.CrossEntropyLoss()
        model = make_model(widths)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def epoch():
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        return time.perf_counter() - t0

    epoch()  # warm-up: allocator, Adam state, BLAS buffers
    best = float("inf")
    end = time.perf_counter() + seconds
    while True:
        best = min(best, epoch())
        if time.perf_counter() >= end:
            break
    return n / best


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    names = sys.argv[2].split(",") if len(sys.argv) > 2 else list(DEFAULT)
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    env = " ".join(f"{k}={os.environ.get(k, '(unset)')}"
                   for k in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_WAIT_POLICY"))
    print(f"train_torch.py: torch {torch.__version__}, {threads} thread(s), {env}, "
          f"best epoch over ~{seconds:g} s")
    for name in names:
        sps = run(name, seconds)
        print(f"  {name:7s} {sps:12.0f} samples/s")
        print(f"result torch {name} {threads} {sps:.0f}", flush=True)


if __name__ == "__main__":
    main()
