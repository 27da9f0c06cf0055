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

The Bidirectional run (bilstm_* files): the same with Bidirectional<LSTM<8, return_sequences>>
(PyTorch's LSTM(6, 8, bidirectional=True): its output at step t joins the forward direction's and
the backward direction's, as Keras' concat) and LSTM<5>; the weights are the forward direction's,
then the backward direction's (PyTorch's *_reverse), biases as in the LSTM run.

The GRU run (gru_* files): the same data, model and steps with GRU<8, return_sequences> and
GRU<5> (PyTorch's GRU is Keras' reset_after=True: the reset gate scales the recurrent product and
its bias; both biases trained, Keras' bias (2, 3 units) is [bias_ih; bias_hh]). Keras orders the
gates update, reset, candidate; PyTorch reset, update, new: the blocks are swapped on the way.

The masked runs (masked_* files): the padded data masked_X.bin (the same labels): each sequence
holds 1 to 12 tokens in [1, 20), then 0 (padding) to the end, as TextVectorization pads. fitcheck
runs Embedding<20, 6, mask_zero>; PyTorch packs the sequences (pack_padded_sequence with each
one's length), so every layer stops at its sequence's last token and the backward direction starts
there: what Keras' mask gives. masked_lstm, masked_gru and masked_bilstm are the three models above;
masked_gap is Embedding<20, 6, mask_zero>, GlobalAveragePooling1D (the mean over the tokens),
Dense<1> + Sigmoid.

The SimpleRNN runs (rnn_* and masked_rnn_* files): the LSTM run's data and model with
SimpleRNN<8, return_sequences> and SimpleRNN<5> (PyTorch's RNN, tanh, bias_hh zero and frozen as
for the LSTM), unmasked and with mask_zero on the padded data.

The TransformerEncoder runs (transformer_* and masked_transformer_* files): Embedding<20, 8>,
TransformerEncoder<16, 2> (PyTorch's TransformerEncoderLayer(8, 2, 16, dropout=0, batch_first=True):
post-norm, ReLU, eps 1e-5, KerasHub's defaults), GlobalAveragePooling1D, Dense<1> + Sigmoid; the
masked run with mask_zero against src_key_padding_mask and the mean over the tokens. Parameters in
fitcheck's order: the embedding table; the query, key and value kernels (8, 8) and biases (the
blocks of in_proj_weight, transposed); the output projection; norm1; linear1 (8, 16) and its bias;
linear2 (16, 8) and its bias; norm2; the Dense kernel and bias. masked_prenorm_transformer is the
masked run with TransformerEncoder<16, 2, std::ratio<0>, normalize_first> against norm_first=True.

The LayerNormalization runs: layernorm is Embedding<20, 6>, LayerNormalization, LSTM<8,
return_sequences>, LayerNormalization, LSTM<5>, Dense<1> + Sigmoid on lstm_X.bin (PyTorch's
LayerNorm(features, eps=1e-3), Keras' epsilon, over each step; gamma and beta follow the Embedding
or LSTM before them in the parameters); masked_layernorm_gap is masked_gap with a
LayerNormalization between the Embedding and the average, on masked_X.bin (the padded steps are
normalised too, and the average skips them).

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
from torch.nn.utils.rnn import pack_padded_sequence

HERE = os.path.dirname(os.path.abspath(__file__))
N, LENGTH, VOCABULARY, BATCH = 96, 12, 20, 16


class Net(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.masked = kind.startswith("masked_")
        kind = kind.removeprefix("masked_")
        self.normed = kind == "layernorm"
        kind = "lstm" if self.normed else kind
        self.kind = kind
        cell = {"gru": nn.GRU, "rnn": nn.RNN}.get(kind, nn.LSTM)
        both = kind == "bilstm"
        self.embedding = nn.Embedding(VOCABULARY, 6)
        self.rnn1 = cell(6, 8, batch_first=True, bidirectional=both)
        self.rnn2 = cell(16 if both else 8, 5, batch_first=True)
        self.dense = nn.Linear(5, 1)
        if self.normed:
            self.norm1, self.norm2 = nn.LayerNorm(6, eps=1e-3), nn.LayerNorm(8, eps=1e-3)
        if kind != "gru":
            for name, p in list(self.rnn1.named_parameters()) + list(self.rnn2.named_parameters()):
                if name.startswith("bias_hh"):
                    with torch.no_grad():
                        p.zero_()
                    p.requires_grad_(False)

    def forward(self, tokens):
        x = self.embedding(tokens)
        if self.normed:
            x = self.norm1(x)
        if self.masked:
            lengths = (tokens != 0).sum(1)
            x = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        sequence, _ = self.rnn1(x)
        if self.normed:
            sequence = self.norm2(sequence)
        _, last = self.rnn2(sequence)
        h = last if self.kind in ("gru", "rnn") else last[0]
        return self.dense(h[-1]).squeeze(1)


class AverageNet(nn.Module):
    """Embedding, the mean over the tokens that are not padding, one sigmoid unit."""

    def __init__(self, normed=False):
        super().__init__()
        self.kind = "gap"
        self.embedding = nn.Embedding(VOCABULARY, 6)
        self.norm = nn.LayerNorm(6, eps=1e-3) if normed else nn.Identity()
        self.dense = nn.Linear(6, 1)

    def forward(self, tokens):
        kept = (tokens != 0).float().unsqueeze(2)
        mean = (self.norm(self.embedding(tokens)) * kept).sum(1) / kept.sum(1)
        return self.dense(mean).squeeze(1)


class TransformerNet(nn.Module):
    """Embedding, one post-norm encoder block, the mean over the tokens, one sigmoid unit."""

    def __init__(self, masked, norm_first=False):
        super().__init__()
        self.kind = "transformer"
        self.masked = masked
        self.embedding = nn.Embedding(VOCABULARY, 8)
        self.encoder = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True,
                                                  norm_first=norm_first)
        self.dense = nn.Linear(8, 1)

    def forward(self, tokens):
        padding = tokens == 0 if self.masked else torch.zeros_like(tokens, dtype=torch.bool)
        x = self.encoder(self.embedding(tokens), src_key_padding_mask=padding)
        kept = (~padding).float().unsqueeze(2)
        return self.dense((x * kept).sum(1) / kept.sum(1)).squeeze(1)


def make_net(kind):
    if kind in ("transformer", "masked_transformer", "masked_prenorm_transformer"):
        return TransformerNet(masked=kind != "transformer", norm_first="prenorm" in kind)
    if kind in ("masked_gap", "masked_layernorm_gap"):
        return AverageNet(normed=kind == "masked_layernorm_gap")
    return Net(kind)


def keras_gates(w, units):  # PyTorch's GRU blocks (r, z, n) in Keras' order (z, r, h)
    r, z, n = w.split(units, dim=0)
    return torch.cat([z, r, n], dim=0)


def fitcheck_params(net):
    def lstm(m, suffix=""):
        p = {name: w for name, w in m.named_parameters()}
        return [p["weight_ih_l0" + suffix].t(), p["weight_hh_l0" + suffix].t(),
                p["bias_ih_l0" + suffix] + p["bias_hh_l0" + suffix]]

    def bilstm(m):
        return lstm(m) + lstm(m, "_reverse")

    def gru(m):
        u = m.hidden_size
        return [keras_gates(m.weight_ih_l0, u).t(), keras_gates(m.weight_hh_l0, u).t(),
                keras_gates(m.bias_ih_l0, u), keras_gates(m.bias_hh_l0, u)]
    def norm(m):
        return [m.weight, m.bias] if isinstance(m, nn.LayerNorm) else []
    if net.kind == "transformer":
        e = net.encoder
        q, k, v = e.self_attn.in_proj_weight.split(8, dim=0)
        bq, bk, bv = e.self_attn.in_proj_bias.split(8, dim=0)
        parts = [net.embedding.weight, q.t(), bq, k.t(), bk, v.t(), bv,
                 e.self_attn.out_proj.weight.t(), e.self_attn.out_proj.bias,
                 e.norm1.weight, e.norm1.bias, e.linear1.weight.t(), e.linear1.bias,
                 e.linear2.weight.t(), e.linear2.bias, e.norm2.weight, e.norm2.bias,
                 net.dense.weight.t(), net.dense.bias]
        return torch.cat([p.detach().reshape(-1) for p in parts])
    if net.kind == "gap":
        parts = [net.embedding.weight] + norm(net.norm) + [net.dense.weight.t(), net.dense.bias]
        return torch.cat([p.detach().reshape(-1) for p in parts])
    first = {"lstm": lstm, "gru": gru, "bilstm": bilstm, "rnn": lstm}[net.kind]
    second = gru if net.kind == "gru" else lstm
    norm1 = norm(net.norm1) if net.normed else []
    norm2 = norm(net.norm2) if net.normed else []
    parts = [net.embedding.weight] + norm1 + first(net.rnn1) + norm2 + second(net.rnn2) + [
        net.dense.weight.t(), net.dense.bias]
    return torch.cat([p.detach().reshape(-1) for p in parts])


def write_bin(name, t):
    t.detach().to(torch.float32).contiguous().numpy().tofile(os.path.join(HERE, name))


def write_txt(name, values):
    with open(os.path.join(HERE, name), "w") as f:
        for v in values:
            f.write("%.9g\n" % v)


def run(kind, opt_name, x, y, init_state):
    net = make_net(kind)
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
    g = torch.Generator().manual_seed(98)
    lengths = torch.randint(1, LENGTH + 1, (N,), generator=g)
    padded = torch.randint(1, VOCABULARY, (N, LENGTH), generator=g)
    padded[torch.arange(LENGTH).unsqueeze(0) >= lengths.unsqueeze(1)] = 0
    write_bin("masked_X.bin", padded.float())
    for kind in ("lstm", "gru", "bilstm", "masked_lstm", "masked_gru", "masked_bilstm",
                 "masked_gap", "layernorm", "masked_layernorm_gap", "rnn", "masked_rnn", "transformer", "masked_transformer", "masked_prenorm_transformer"):
        torch.manual_seed(0)
        init = make_net(kind)
        write_bin(f"{kind}_init_params.bin", fitcheck_params(init))
        state = {k: v.clone() for k, v in init.state_dict().items()}
        for opt_name in ("sgd", "adam"):
            run(kind, opt_name, padded if kind.startswith("masked_") else x, y, state)


if __name__ == "__main__":
    main()
