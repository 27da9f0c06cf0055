#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""Writes the loss reference runs of tests/unit/train/loss_reference_test.cpp (PyTorch, CPU, one
thread, float32). Run with Debian's python3-torch: /usr/bin/python3 make_loss_reference.py

One model, four losses, each trained 6 steps of batch 16 with SGD (lr 0.1) from the same
initial parameters:
  Input<6>, Dense<8>, Tanh, Dense<3>, <last>            Linear(6, 8), tanh, Linear(8, 3), <last>

  run       fitcheck loss                                   last      PyTorch
  smooth    LabelSmoothing<SparseCategoricalCrossentropy,   Softmax   CrossEntropyLoss(
            1/10>, ClassLabel<3>                                        label_smoothing=0.1)
  kld       KLDivergence, RegressionTarget<3> soft targets  Softmax   KLDivLoss(batchmean) of
                                                                      log_softmax
  poisson   Poisson, RegressionTarget<3> counts             Softplus  PoissonNLLLoss(
                                                                      log_input=False, eps=1e-7)
  focal     BinaryFocalCrossentropy<2, 1/4>, MultiLabel<3>  Sigmoid   Keras' formula (RetinaNet's,
                                                                      torchvision's
                                                                      sigmoid_focal_loss, mean)
                                                                      by autograd from the logits

The same model and data also train 6 steps under each of Keras' other optimizers, with the
sparse categorical cross-entropy (Softmax; PyTorch's CrossEntropyLoss) and class labels:
  optimizer   fitcheck                                          PyTorch
  adagrad     Adagrad{.learning_rate = 0.05}                    Adagrad(lr=0.05,
              (Keras' initial_accumulator_value 0.1, eps 1e-7)  initial_accumulator_value=0.1,
                                                                eps=1e-7)
  adamax      Adamax{.learning_rate = 0.01} (eps 1e-8)          Adamax(lr=0.01, eps=1e-8)
  adadelta    Adadelta{.learning_rate = 1.0} (rho 0.95,         Adadelta(lr=1.0, rho=0.95, eps=1e-7)
              eps 1e-7)
  lion        Lion{.learning_rate = 0.01, .weight_decay = 0.1}  Keras 3's update written out (PyTorch
                                                                1.13 has no Lion)
  nadam       Nadam{.learning_rate = 0.01} (Keras' schedule,    NAdam's update written out, lr 0.01,
              momentum_decay 1, eps 1e-7)                       eps 1e-7, momentum_decay 1.0
  nadam_torch Nadam{.learning_rate = 0.01, .epsilon = 1e-8,     the same with PyTorch's eps 1e-8 and
              .momentum_decay = 0.004}                          momentum_decay 0.004
  amsgrad     Adam{.learning_rate = 0.01, .beta_2 = 0.5,          Adam(lr=0.01, betas=(0.9, 0.5),
              .amsgrad = true}                                  amsgrad=True)
  amsgrad_adamw  AdamW{... .weight_decay = 0.1, .amsgrad = true} AdamW(..., weight_decay=0.1,
                                                                amsgrad=True)
  (beta_2 0.5 so that the second moment falls within 6 steps, where AMSGrad's maximum differs.)
  (PyTorch 1.13's own NAdam multiplies mu_t into the second product twice, mu_1 ... mu_t mu_t
  mu_{t+1}; Keras and later PyTorch take mu_1 ... mu_{t+1}, as written out here.)

Data: 96 samples of 6 standard normal features (generator seed 2468); class labels uniform in
[0, 3); soft targets the softmax of 3 standard normal values; counts Poisson with rate
exp(x_0 / 2); multi-labels 0/1 with probability 1/3.

Files (little-endian float32, row-major, no header; text: one value per line, %.9g):
  loss_X.bin (96 x 6), loss_classes.bin (96), loss_soft.bin (96 x 3), loss_counts.bin (96 x 3),
  loss_bits.bin (96 x 3)
  loss_init_params.bin               every parameter in fitcheck's order: each Dense's kernel
                                     (in, out), then its bias
  loss_final_<run>_params.bin        the same after the 6th update
  loss_losses_<run>.txt              each step's loss (before its update)
  optim_final_<optimizer>_params.bin, optim_losses_<optimizer>.txt   the same for the optimizers
"""
import os

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
N, F, HIDDEN, K, BATCH = 96, 6, 8, 3, 16


def fitcheck_params(net):
    parts = [net[0].weight.t(), net[0].bias, net[2].weight.t(), net[2].bias]
    return torch.cat([p.detach().reshape(-1) for p in parts])


def write_bin(name, t):
    t.detach().to(torch.float32).contiguous().numpy().tofile(os.path.join(HERE, name))


def write_txt(name, values):
    with open(os.path.join(HERE, name), "w") as f:
        for v in values:
            f.write("%.9g\n" % v)


def focal(z, t, gamma=2.0, alpha=0.25):
    p = torch.sigmoid(z)
    ce = nn.functional.binary_cross_entropy_with_logits(z, t, reduction="none")
    p_t = t * p + (1 - t) * (1 - p)
    weight = t * alpha + (1 - t) * (1 - alpha)
    return (weight * (1 - p_t) ** gamma * ce).mean()


def losses():
    kl = nn.KLDivLoss(reduction="batchmean")
    return {
        "smooth": lambda z, y: nn.CrossEntropyLoss(label_smoothing=0.1)(z, y.long()),
        "kld": lambda z, y: kl(torch.log_softmax(z, dim=1), y),
        "poisson": lambda z, y: nn.PoissonNLLLoss(log_input=False, eps=1e-7)(
            nn.functional.softplus(z), y),
        "focal": focal,
    }


def main():
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(2468)
    x = torch.randn(N, F, generator=g)
    classes = torch.randint(0, K, (N,), generator=g).float()
    soft = torch.softmax(torch.randn(N, K, generator=g), dim=1)
    counts = torch.poisson(torch.exp(x[:, :1] / 2).expand(N, K).contiguous(), generator=g)
    bits = (torch.rand(N, K, generator=g) < 1 / 3).float()
    labels = {"smooth": classes, "kld": soft, "poisson": counts, "focal": bits}
    torch.manual_seed(97531)
    init = nn.Sequential(nn.Linear(F, HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, K))
    write_bin("loss_X.bin", x)
    write_bin("loss_classes.bin", classes)
    write_bin("loss_soft.bin", soft)
    write_bin("loss_counts.bin", counts)
    write_bin("loss_bits.bin", bits)
    write_bin("loss_init_params.bin", fitcheck_params(init))
    for name, loss_fn in losses().items():
        net = nn.Sequential(nn.Linear(F, HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, K))
        net.load_state_dict(init.state_dict())
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        y = labels[name]
        recorded = []
        for step in range(6):
            s = slice(step * BATCH, (step + 1) * BATCH)
            opt.zero_grad()
            loss = loss_fn(net(x[s]), y[s])
            loss.backward()
            opt.step()
            recorded.append(loss.item())
        write_txt("loss_losses_%s.txt" % name, recorded)
        write_bin("loss_final_%s_params.bin" % name, fitcheck_params(net))
    optimizer_runs(x, classes, init)


class Lion(torch.optim.Optimizer):
    """Keras 3's Lion: p *= 1 - lr wd; p -= lr sign(b1 m + (1 - b1) g); m = b2 m + (1 - b2) g."""

    def __init__(self, params, lr, beta_1=0.9, beta_2=0.99, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, beta_1=beta_1, beta_2=beta_2,
                                      weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                m = self.state[p].setdefault("m", torch.zeros_like(p))
                p.mul_(1 - group["lr"] * group["weight_decay"])
                u = group["beta_1"] * m + (1 - group["beta_1"]) * p.grad
                p.add_(torch.sign(u), alpha=-group["lr"])
                m.mul_(group["beta_2"]).add_(p.grad, alpha=1 - group["beta_2"])


class NAdam(torch.optim.Optimizer):
    """Nadam as Keras 3 and PyTorch 2 compute it: mu_t = b1 (1 - 0.96^(t decay) / 2); m, v as
    Adam's; p -= lr ((1 - mu_t) / (1 - prod mu_1..t) g + mu_t+1 / (1 - prod mu_1..t+1) m)
    / (sqrt(v / (1 - b2^t)) + eps)."""

    def __init__(self, params, lr, eps, momentum_decay, beta_1=0.9, beta_2=0.999):
        super().__init__(params, dict(lr=lr, eps=eps, decay=momentum_decay, beta_1=beta_1,
                                      beta_2=beta_2))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2, lr = group["beta_1"], group["beta_2"], group["lr"]
            for p in group["params"]:
                state = self.state[p]
                if not state:
                    state.update(t=0, product=1.0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                state["t"] += 1
                t = state["t"]
                mu = b1 * (1 - 0.5 * 0.96 ** (t * group["decay"]))
                mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * group["decay"]))
                state["product"] *= mu
                product = state["product"]
                g = p.grad
                state["m"].mul_(b1).add_(g, alpha=1 - b1)
                state["v"].mul_(b2).addcmul_(g, g, value=1 - b2)
                denom = (state["v"] / (1 - b2 ** t)).sqrt().add_(group["eps"])
                p.addcdiv_(g, denom, value=-lr * (1 - mu) / (1 - product))
                p.addcdiv_(state["m"], denom, value=-lr * mu_next / (1 - product * mu_next))


def optimizers(params):
    return {
        "adagrad": lambda: torch.optim.Adagrad(params(), lr=0.05, initial_accumulator_value=0.1,
                                               eps=1e-7),
        "adamax": lambda: torch.optim.Adamax(params(), lr=0.01, eps=1e-8),
        "adadelta": lambda: torch.optim.Adadelta(params(), lr=1.0, rho=0.95, eps=1e-7),
        "lion": lambda: Lion(params(), lr=0.01, weight_decay=0.1),
        "nadam": lambda: NAdam(params(), lr=0.01, eps=1e-7, momentum_decay=1.0),
        "nadam_torch": lambda: NAdam(params(), lr=0.01, eps=1e-8, momentum_decay=0.004),
        "amsgrad": lambda: torch.optim.Adam(params(), lr=0.01, betas=(0.9, 0.5), amsgrad=True),
        "amsgrad_adamw": lambda: torch.optim.AdamW(params(), lr=0.01, betas=(0.9, 0.5),
                                                   weight_decay=0.1, amsgrad=True),
    }


def optimizer_runs(x, classes, init):
    loss_fn = nn.CrossEntropyLoss()
    net = None

    def params():
        return net.parameters()

    for name, make in optimizers(params).items():
        net = nn.Sequential(nn.Linear(F, HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, K))
        net.load_state_dict(init.state_dict())
        opt = make()
        recorded = []
        for step in range(6):
            s = slice(step * BATCH, (step + 1) * BATCH)
            opt.zero_grad()
            loss = loss_fn(net(x[s]), classes[s].long())
            loss.backward()
            opt.step()
            recorded.append(loss.item())
        write_txt("optim_losses_%s.txt" % name, recorded)
        write_bin("optim_final_%s_params.bin" % name, fitcheck_params(net))


if __name__ == "__main__":
    main()
