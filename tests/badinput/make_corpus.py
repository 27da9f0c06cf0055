#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The fitcheck authors
"""Writes the bad-input corpus (csv/, npy/, weights/) beside this script.

The files are committed; this script is how they were made and how to remake them after a
deliberate format change. Standard library only. cases.tsv says what each file must raise.
"""
import os
import gzip
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


# --- CSV: read as Features<4>, ClassLabel<3> with a header "a,b,c,d,species" -----------------
HEAD = "a,b,c,d,species\n"
GOOD = "5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,1\n"
CSV = {
    "ragged_short.csv": HEAD + GOOD + "6.2,3.4,5.4,2\n",
    "ragged_long.csv": HEAD + GOOD + "6.2,3.4,5.4,2.3,2,7\n",
    "not_a_number.csv": HEAD + GOOD + "6.2,abc,5.4,2.3,2\n",
    "empty_field.csv": HEAD + GOOD + "6.2,,5.4,2.3,2\n",
    "nan_feature.csv": HEAD + GOOD + "6.2,3.4,nan,2.3,2\n",
    "inf_feature.csv": HEAD + "inf,3.4,5.4,2.3,2\n",
    "overflow.csv": HEAD + GOOD + "6.2,3.4,5.4,1e50,2\n",
    "label_too_large.csv": HEAD + GOOD + "6.2,3.4,5.4,2.3,3\n",
    "label_negative.csv": HEAD + GOOD + "6.2,3.4,5.4,2.3,-1\n",
    "label_fraction.csv": HEAD + GOOD + "6.2,3.4,5.4,2.3,1.5\n",
    "label_text.csv": HEAD + GOOD + "6.2,3.4,5.4,2.3,setosa\n",
    "label_empty.csv": HEAD + GOOD + "6.2,3.4,5.4,2.3,\n",
    "empty.csv": "",
    "header_only.csv": HEAD,
    "blank_lines_only.csv": HEAD + "\n\n  \n",
    "trailing_delimiter.csv": HEAD + "5.1,3.5,1.4,0.2,0,\n",
    "cr_only.csv": HEAD.replace("\n", "\r") + GOOD.replace("\n", "\r"),
    "quoted.csv": HEAD + GOOD + '"6.2",3.4,5.4,2.3,2\n',
    "space_in_number.csv": HEAD + GOOD + "6.2,3 4,5.4,2.3,2\n",
    "three_columns.csv": "a,b,species\n1,2,0\n",
    "six_columns.csv": "a,b,c,d,e,species\n1,2,3,4,5,0\n",
    "semicolons.csv": "a;b;c;d;species\n5.1;3.5;1.4;0.2;0\n",
    "nul_bytes.csv": HEAD + "5.1,3.5,1.4,0.2,0\n6.2,3.4\x00\x00,5.4,2.3,2\n",
    "latin1.csv": (HEAD + "6.2,3.4,5.4,2.3,2\n5.0,na\xefve,1.0,1.0,1\n").encode("latin-1"),
    "utf16.csv": (HEAD + GOOD).encode("utf-16"),
    "hex_label.csv": HEAD + GOOD + "6.2,3.4,5.4,2.3,0x2\n",
    "comma_decimal.csv": HEAD + GOOD + "6.2,3.4,5.4,2,3,2\n",
    "binary_label_two.csv": "x1,x2,label\n0.5,0.25,1\n0.1,0.9,2\n",
    "binary_label_half.csv": "x1,x2,label\n0.5,0.25,0.5\n",
    "no_species_column.csv": "a,b,c,d,class\n5.1,3.5,1.4,0.2,0\n",
    "duplicate_label_name.csv": "a,b,species,d,species\n5.1,3.5,0,0.2,0\n",
}
for name, text in CSV.items():
    write("csv/" + name, text)


# --- NPY: read as Features<3> with ClassLabel<3> labels; 4 samples ----------------------------
def npy(descr, shape, payload, fortran=False, version=(1, 0), header=None):
    if header is None:
        shape_text = "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
        header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
            descr, "True" if fortran else "False", shape_text)
    major = version[0]
    len_size = 2 if major == 1 else 4
    total = 6 + 2 + len_size + len(header) + 1
    pad = (64 - total % 64) % 64
    header = header + " " * pad + "\n"
    length = struct.pack("<H", len(header)) if len_size == 2 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes(version) + length + header.encode("latin-1") + payload


def f32(values):
    return struct.pack("<%df" % len(values), *values)


def i64(values):
    return struct.pack("<%dq" % len(values), *values)


features = [0.1 * i for i in range(12)]
write("npy/good_features.npy", npy("<f4", (4, 3), f32(features)))
write("npy/good_labels.npy", npy("<i8", (4,), i64([0, 1, 2, 1])))
NPY_FEATURES = {
    "bad_magic.npy": b"\x93NUMPZ\x01\x00" + b"\x00" * 64,
    "empty.npy": b"",
    "only_magic.npy": b"\x93NUMPY",
    "version_4.npy": npy("<f4", (4, 3), f32(features), version=(4, 0)),
    "header_cut.npy": npy("<f4", (4, 3), f32(features))[:30],
    "header_not_dict.npy": npy("<f4", (4, 3), b"", header="['<f4', False, (4, 3)]") + f32(features),
    "no_shape_key.npy": npy("<f4", (4, 3), b"", header="{'descr': '<f4', 'fortran_order': False, }") + f32(features),
    "fortran.npy": npy("<f4", (4, 3), f32(features), fortran=True),
    "big_endian.npy": npy(">f4", (4, 3), struct.pack(">12f", *features)),
    "int_features.npy": npy("<i8", (4, 3), i64(list(range(12)))),
    "object_dtype.npy": npy("|O", (4, 3), b"\x00" * 96),
    "structured.npy": npy("<f4", (4, 3), b"", header="{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (4, 3), }") + f32(features),
    "wrong_width.npy": npy("<f4", (4, 4), f32([0.0] * 16)),
    "rank_one.npy": npy("<f4", (12,), f32(features)),
    "data_cut.npy": npy("<f4", (4, 3), f32(features))[:-20],
    "nan_feature.npy": npy("<f4", (4, 3), f32(features[:7] + [float("nan")] + features[8:])),
    "zero_samples.npy": npy("<f4", (0, 3), b""),
    "huge_shape.npy": npy("<f4", (2**62, 3), f32(features)),
}
for name, data in NPY_FEATURES.items():
    write("npy/features/" + name, data)
NPY_LABELS = {
    "five_labels.npy": npy("<i8", (5,), i64([0, 1, 2, 1, 0])),
    "label_seven.npy": npy("<i8", (4,), i64([0, 1, 7, 1])),
    "label_negative.npy": npy("<i8", (4,), i64([0, -1, 2, 1])),
    "float_labels.npy": npy("<f4", (4,), f32([0.0, 1.0, 1.5, 2.0])),
    "labels_2d.npy": npy("<i8", (4, 2), i64([0] * 8)),
}
for name, data in NPY_LABELS.items():
    write("npy/labels/" + name, data)


# --- Weights: read into Sequential<Input<2>, Dense<1>, Sigmoid> (3 parameters) ------------------
def fnv1a64(text):
    h = 0xCBF29CE484222325
    for c in text.encode("utf-8"):
        h ^= c
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def weights(desc, param_counts, params, state_counts=None, state=(), version=2, type_code=1,
            n=None, fix_crc=True):
    state_counts = state_counts or [0] * len(param_counts)
    body = b"\x89FCW\r\n\x1a\n" + struct.pack("<II", version, type_code)
    body += struct.pack("<QQII", fnv1a64(desc), len(params) if n is None else n,
                        len(param_counts), len(desc.encode()))
    if version >= 2:
        body += struct.pack("<Q", len(state))
    body += b"".join(struct.pack("<Q", c) for c in param_counts)
    if version >= 2:
        body += b"".join(struct.pack("<Q", c) for c in state_counts)
    body += desc.encode() + f32(params) + b"".join(struct.pack("<d", v) for v in state)
    crc = zlib.crc32(body) if fix_crc else zlib.crc32(body) ^ 0x1
    return body + struct.pack("<I", crc)


SMALL = "Input(2) -> Dense(1) 3 params -> Sigmoid(1)"
NORM = "Input(3) -> Normalization(3) -> Dense(1) 4 params -> Sigmoid(1)"
good = weights(SMALL, [3, 0], [0.5, -0.25, 2.0])
WEIGHTS = {
    "text.fcw": b"epoch,loss\n1,0.5\n",
    "empty.fcw": b"",
    "header_cut.fcw": good[:20],
    "payload_cut.fcw": good[:-6],
    "trailing_byte.fcw": good + b"\x00",
    "bad_crc.fcw": weights(SMALL, [3, 0], [0.5, -0.25, 2.0], fix_crc=False),
    "version_3.fcw": weights(SMALL, [3, 0], [0.5, -0.25, 2.0], version=3),
    "float16.fcw": weights(SMALL, [3, 0], [0.5, -0.25, 2.0], type_code=2),
    "impossible_count.fcw": weights(SMALL, [3, 0], [0.5, -0.25, 2.0], n=2**61),
    "other_architecture.fcw": weights("Input(2) -> Dense(4) 12 params -> ReLU(4) -> Dense(1) 5 params -> Sigmoid(1)",
                                      [12, 0, 5, 0], [0.0] * 17),
    "same_count_other_split.fcw": weights("Input(2) -> Dense(1) 3 params -> Tanh(1)", [3, 0], [0.5, -0.25, 2.0]),
    "normalized_v1.fcw": weights(NORM, [0, 4, 0], [0.1, 0.2, 0.3, 0.4], version=1),
    "negative_variance.fcw": weights(NORM, [0, 4, 0], [0.1, 0.2, 0.3, 0.4], [7, 0, 0],
                                     [0.0, 1.0, 2.0, 1.0, -4.0, 1.0, 1.0]),
    "bad_adapted_flag.fcw": weights(NORM, [0, 4, 0], [0.1, 0.2, 0.3, 0.4], [7, 0, 0],
                                    [0.0, 1.0, 2.0, 1.0, 4.0, 1.0, 0.5]),
    "nan_mean.fcw": weights(NORM, [0, 4, 0], [0.1, 0.2, 0.3, 0.4], [7, 0, 0],
                            [0.0, float("nan"), 2.0, 1.0, 4.0, 1.0, 1.0]),
}
for name, data in WEIGHTS.items():
    write("weights/" + name, data)


# --- IDX: read as Features<2, 2> with ClassLabel<10> labels; 3 samples ------------------------
def idx(type_code, dims, data):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


good_images = idx(0x08, [3, 2, 2], bytes(range(12)))
write("idx/good_images.idx", good_images)
write("idx/good_labels.idx", idx(0x08, [3], bytes([0, 9, 4])))
packed = gzip.compress(good_images, mtime=0)
crc_broken = bytearray(packed)
crc_broken[-6] ^= 0xFF
IDX_IMAGES = {
    "zip_file.idx": b"PK\x03\x04" + bytes(20),
    "two_bytes.idx": b"\x00\x00",
    "unknown_type.idx": idx(0x0A, [3, 2, 2], bytes(12)),
    "no_dimensions.idx": bytes([0, 0, 8, 0]),
    "header_cut.idx": good_images[:10],
    "data_cut.idx": good_images[:-5],
    "trailing_bytes.idx": good_images + b"\x00\x00",
    "three_by_three.idx": idx(0x08, [3, 3, 3], bytes(27)),
    "truncated.idx.gz": packed[: len(packed) // 2],
    "bad_crc.idx.gz": bytes(crc_broken),
    "gzip_of_text.idx.gz": gzip.compress(b"not an idx file", mtime=0),
}
for name, data in IDX_IMAGES.items():
    write("idx/images/" + name, data)
IDX_LABELS = {
    "label_twelve.idx": idx(0x08, [3], bytes([0, 12, 4])),
    "float_labels.idx": idx(0x0D, [3], struct.pack(">3f", 0.0, 1.0, 2.0)),
    "four_labels.idx": idx(0x08, [4], bytes([0, 1, 2, 3])),
    "labels_2d.idx": idx(0x08, [3, 2], bytes(6)),
}
for name, data in IDX_LABELS.items():
    write("idx/labels/" + name, data)


# --- Images: decoded with io::decode_image(bytes, 3 channels) ----------------------------------
def png(width, height, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


good_png = png(4, 4, [[(x * 60 + y * 10) % 256 for x in range(4) for _ in range(3)] for y in range(4)])
bad_crc = bytearray(good_png)
bad_crc[40] ^= 0xFF  # inside IDAT: its CRC no longer matches
def bmp(width, height, bpp, compression, pixels, colours=0):
    """A BITMAPINFOHEADER BMP: 14-byte file header, 40-byte info header, palette, pixels."""
    palette = b"".join(struct.pack("<BBBB", c, c, c, 0) for c in range(colours))
    offset = 14 + 40 + len(palette)
    header = struct.pack("<IiiHHIIiiII", 40, width, height, 1, bpp, compression, len(pixels),
                         2835, 2835, colours, 0)
    return b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset) + header + palette + pixels


def gif(width, height, pixels, colours=4, global_table=True, min_code=2):
    """A GIF89a of one frame covering the screen. LZW with a clear code before every two pixels
    keeps the codes min_code + 1 bits wide, so the encoder stays trivial."""
    size_field = max(colours.bit_length() - 2, 0)  # 2^(n + 1) entries
    flags = (0x80 | 0x70 | size_field) if global_table else 0
    table = bytes(3 * colours) if global_table else b""
    clear = 1 << min_code
    codes = []
    for i, p in enumerate(pixels):
        if i % 2 == 0:
            codes.append(clear)
        codes.append(p)
    codes.append(clear + 1)
    acc, bits, data = 0, 0, bytearray()
    for c in codes:
        acc |= c << bits
        bits += min_code + 1
        while bits >= 8:
            data.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        data.append(acc)
    blocks = b"".join(bytes([len(data[i:i + 255])]) + bytes(data[i:i + 255])
                      for i in range(0, len(data), 255))
    return (b"GIF89a" + struct.pack("<HHBBB", width, height, flags, 0, 0) + table +
            b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + bytes([min_code]) +
            blocks + b"\x00;")


good_gif = gif(8, 8, [1, 2, 3, 0] * 16)
bmp_24 = bmp(4, 4, 24, 0, bytes(4 * 12))  # rows of 12 bytes, 4-byte aligned
IMAGES = {
    "truncated.png": good_png[: len(good_png) // 2],
    "bad_crc.png": bytes(bad_crc),
    "signature_only.png": b"\x89PNG\r\n\x1a\n",
    "jpeg_header_only.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
    "gif_no_image.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "gif_truncated.gif": good_gif[: len(good_gif) // 2],
    "gif_colour_index.gif": gif(4, 1, [0, 1, 3, 0], colours=2),
    "gif_no_colour_table.gif": gif(2, 1, [0, 1], global_table=False),
    # 60 bytes that claim 400 megapixels: refused before anything is allocated.
    "gif_huge_screen.gif": gif(20000, 20000, [1, 2]),
    "png_huge.png": png(20000, 20000, [[0, 0, 0]]),
    "bitmap.bmp": b"BM" + bytes(60),
    "bmp_truncated.bmp": bmp_24[: len(bmp_24) - 20],
    "bmp_rle.bmp": bmp(4, 4, 8, 1, bytes(16), colours=2),
    "bmp_palette_index.bmp": bmp(4, 1, 8, 0, bytes([0, 1, 5, 0]), colours=2),
    "text_named.png": b"this is not an image\n",
}
for name, data in IMAGES.items():
    write("images/" + name, data)
