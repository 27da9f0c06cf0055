#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""Writes the LSTM and GRU reference runs of tests/unit/train/recurrent_reference_test.cpp (PyTorch,
CPU, one thread, float32). Run from anywhere with Debian's python3-torch:
/usr/bin/python3 make_recurrent_reference.py

The model, in fitcheck's words and PyTorch's:
  Input<12>                                  token indices
  Embedding<20, 6>                           Embedding(20, 6)
  LSTM<8, return_sequences>                  LSTM(6, 8, batch_first=True), every step's output
  LSTM<5>                                    LSTM(8, 5, batch_first=True), the last step's output
  Dense<1> + Sigmoid + BinaryCrossentropy    Linear(5, 1), BCEWithLogitsLoss
PyTorch's LSTM has two biases (bias_ih, bias_hh) where Keras has one: bias_hh is zero and frozen,
so bias_ih is Keras' bias, updated as fitcheck updates it. The gates are in the same order
(input, forget, cell, output) in both; fitcheck's kernels are PyTorch's weights transposed.
Data: 96 sequences of 12 tokens uniform in [0, 20) (generator seed 99), labels uniform in {0, 1};
6 steps of batch 16 in file order, once with SGD (lr 0.5) and once with Adam (lr 1e-2, eps 1e-8,
PyTorch's form).

The GRU run (gru_* files): the same data, model and steps with GRU<8, return_sequences> and
GRU<5> (PyTorch's GRU is Keras' reset_after=True: the reset gate scales the recurrent product and
its bias; both biases trained, Keras' bias (2, 3 units) is [bias_ih; bias_hh]). Keras orders the
gates update, reset, candidate; PyTorch reset, update, new: the blocks are swapped on the way.

Files (little-endian float32, row-major, no header; text: one value per line, %.9g), and the
same with gru_ for the GRU run:
  lstm_X.bin (96 x 12 token indices), lstm_y.bin (96 labels)
  lstm_init_params.bin              every parameter in fitcheck's order: the embedding table
                                    (20, 6); per LSTM its kernel (in, 4 units), recurrent kernel
                                    (units, 4 units) and bias (4 units); the Dense kernel (5, 1) and
                                    bias
  lstm_final_{sgd,adam}_params.bin  the same after the 6th update
  lstm_losses_{sgd,adam}.txt        the loss of each step's forward (before its update)
"""
import os

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
N, LENGTH, VOCABULARY, BATCH = 96, 12, 20, 16


class Net(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        cell = nn.LSTM if kind == "lstm" else nn.GRU
        self.embedding = nn.Embedding(VOCABULARY, 6)
        self.rnn1 = cell(6, 8, batch_first=True)
        self.rnn2 = cell(8, 5, batch_first=True)
        self.dense = nn.Linear(5, 1)
        if kind == "lstm":
            for lstm in (self.rnn1, self.rnn2):
                with torch.no_grad():
                    lstm.bias_hh_l0.zero_()
                lstm.bias_hh_l0.requires_grad_(False)

    def forward(self, tokens):
        sequence, _ = self.rnn1(self.embedding(tokens))
        _, last = self.rnn2(sequence)
        h = last[0] if self.kind == "lstm" else last
        return self.dense(h[-1]).squeeze(1)


def keras_gates(w, units):  # PyTorch's GRU blocks (r, z, n) in Keras' order (z, r, h)
    r, z, n = w.split(units, dim=0)
    return torch.cat([z, r, n], dim=0)


def fitcheck_params(net):
    def lstm(m):
        return [m.weight_ih_l0.t(), m.weight_hh_l0.t(), m.bias_ih_l0 + m.bias_hh_l0]

    def gru(m):
        u = m.hidden_size
        return [keras_gates(m.weight_ih_l0, u).t(), keras_gates(m.weight_hh_l0, u).t(),
                keras_gates(m.bias_ih_l0, u), keras_gates(m.bias_hh_l0, u)]
    cell = lstm if net.kind == "lstm" else gru
    parts = [net.embedding.weight] + cell(net.rnn1) + cell(net.rnn2) + [
        net.dense.weight.t(), net.dense.bias]
    return torch.cat([p.detach().reshape(-1) for p in parts])


def write_bin(name, t):
    t.detach().to(torch.float32).contiguous().numpy().tofile(os.path.join(HERE, name))


def write_txt(name, values):
    with open(os.path.join(HERE, name), "w") as f:
        for v in values:
            f.write("%.9g\n" % v)


def run(kind, opt_name, x, y, init_state):
    net = Net(kind)
    net.load_state_dict(init_state)
    params = [p for p in net.parameters() if p.requires_grad]
    if opt_name == "sgd":
        opt = torch.optim.SGD(params, lr=0.5)
    else:
        opt = torch.optim.Adam(params, lr=1e-2, eps=1e-8)
    loss_fn = nn.BCEWithLogitsLoss()
    losses = []
    for step in range(N // BATCH):
        xb, yb = x[step * BATCH:(step + 1) * BATCH], y[step * BATCH:(step + 1) * BATCH]
        opt.zero_grad()
        loss = loss_fn(net(xb), yb)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    write_txt(f"{kind}_losses_{opt_name}.txt", losses)
    write_bin(f"{kind}_final_{opt_name}_params.bin", fitcheck_params(net))
    print(f"{kind} {opt_name}: losses {losses[0]:.6f} -> {losses[-1]:.6f}")


def main():
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(99)
    x = torch.randint(0, VOCABULARY, (N, LENGTH), generator=g)
    y = torch.randint(0, 2, (N,), generator=g).float()
    write_bin("lstm_X.bin", x.float())
    write_bin("lstm_y.bin", y)
    for kind in ("lstm", "gru"):
        torch.manual_seed(0)
        init = Net(kind)
        write_bin(f"{kind}_init_params.bin", fitcheck_params(init))
        state = {k: v.clone() for k, v in init.state_dict().items()}
        for opt_name in ("sgd", "adam"):
            run(kind, opt_name, x, y, state)


if __name__ == "__main__":
    main()
