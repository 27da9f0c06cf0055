#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A reader of fitcheck's safetensors export that shares no code with it: the Python standard
# library only (json, struct), following the format's specification. It loads the digits MLP
# (Normalization, Dense, ReLU, Dense, Softmax) by its Keras names, runs the forward pass on the
# inputs fitcheck used, and compares the outputs with fitcheck's predict.
#   safetensors_forward.py <dir holding model.safetensors, inputs.f32, outputs.f32>
import json
import math
import struct
import sys

DTYPES = {"F32": ("f", 4), "F64": ("d", 8)}


def load(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack_from("<Q", blob, 0)
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    tensors = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        code, width = DTYPES[t["dtype"]]
        begin, end = t["data_offsets"]
        count = (end - begin) // width
        values = list(struct.unpack_from("<%d%s" % (count, code), data, begin))
        size = 1
        for d in t["shape"]:
            size *= d
        assert size == count, name
        tensors[name] = (t["shape"], values)
    return header["__metadata__"], tensors


def floats(path):
    with open(path, "rb") as f:
        raw = f.read()
    return list(struct.unpack("<%df" % (len(raw) // 4), raw))


def dense(x, kernel, bias):
    (n_in, n_out), k = kernel
    return [bias[1][j] + sum(x[i] * k[i * n_out + j] for i in range(n_in)) for j in range(n_out)]


def main():
    d = sys.argv[1]
    meta, t = load(d + "/model.safetensors")
    assert meta["format"] == "fitcheck", meta
    expected = set(["normalization/mean", "normalization/variance", "normalization/adapted",
                    "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"])
    assert set(t) == expected, sorted(t)
    assert t["dense/kernel"][0] == [64, 32] and t["normalization/adapted"] == ([], [1.0])
    mean, var = t["normalization/mean"][1], t["normalization/variance"][1]
    xs, want = floats(d + "/inputs.f32"), floats(d + "/outputs.f32")
    rows = len(xs) // 64
    worst = 0.0
    for r in range(rows):
        x = xs[r * 64:(r + 1) * 64]
        x = [(v - m) / (math.sqrt(s) if math.sqrt(s) >= 1e-7 else 1.0)
             for v, m, s in zip(x, mean, var)]
        h = [max(0.0, v) for v in dense(x, t["dense/kernel"], t["dense/bias"])]
        z = dense(h, t["dense_1/kernel"], t["dense_1/bias"])
        top = max(z)
        e = [math.exp(v - top) for v in z]
        p = [v / sum(e) for v in e]
        worst = max(worst, max(abs(a - b) for a, b in zip(p, want[r * 10:(r + 1) * 10])))
    print("%d samples, largest difference from fitcheck's predict: %.3g" % (rows, worst))
    if worst > 1e-5:
        sys.exit("the outputs differ from fitcheck's")


main()
