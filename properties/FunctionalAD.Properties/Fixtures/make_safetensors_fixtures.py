"""Writes the safetensors fixtures by hand from the format specification, with the Python standard library only.

Specification (huggingface/safetensors README and its reference writer, safetensors/src/tensor.rs):
  - 8 bytes: N, the header length, unsigned 64-bit little-endian;
  - N bytes: UTF-8 JSON, compact (no spaces), "__metadata__" first when present, then one entry per tensor
    {"dtype": ..., "shape": [...], "data_offsets": [begin, end]} with keys in that order; tensors sorted by
    decreasing dtype (the reference's enum order: BOOL < U8 < I8 < ... < I32 < U32 < F32 < F64 < I64 < U64),
    then by name; the JSON is padded with spaces to a multiple of 8 bytes;
  - the data: each tensor's elements, C order, little-endian, at [begin, end) relative to the end of the header.
Run from this folder: python3 make_safetensors_fixtures.py. The tests never run Python.
"""
import json
import struct

ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
PACK = {"F64": "d", "F32": "f", "F16": "e", "I64": "q", "I32": "i", "I16": "h", "I8": "b",
        "U64": "Q", "U32": "I", "U16": "H", "U8": "B", "BOOL": "?"}


def pack(dtype, values):
    if dtype == "BF16":  # the upper 16 bits of the float32
        return b"".join(struct.pack("<I", v)[2:] for v in (struct.unpack("<I", struct.pack("<f", x))[0] for x in values))
    return struct.pack("<%d%s" % (len(values), PACK[dtype]), *values)


def safetensors(tensors, metadata=None):
    """tensors: {name: (dtype, shape, flat values)}"""
    order = sorted(tensors, key=lambda n: (-ORDER.index(tensors[n][0]), n.encode("utf-8")))
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    for name in order:
        dtype, shape, values = tensors[name]
        raw = pack(dtype, values)
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def base(n):
    return [0.5 * k - 1 for k in range(n)]


def ints(n):
    return [3 * k - 7 for k in range(n)]


files = {
    # The reference implementation's own test vector (test_serialization in safetensors/src/tensor.rs).
    "attn.safetensors": safetensors({"attn.0": ("F32", (1, 2, 3), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])}),
    # Its test_empty vectors: no tensors, with and without metadata.
    "empty.safetensors": safetensors({}),
    "empty_metadata.safetensors": safetensors({}, {"framework": "pt"}),
    # FunctionalAD's three dtypes, every rank 0..4, metadata, and names that sort differently by dtype and by name.
    "mixed.safetensors": safetensors({
        "weight": ("F32", (2, 3), base(6)),
        "bias": ("F32", (3,), base(3)),
        "scale": ("F64", (2,), base(2)),
        "step": ("I32", (), [42]),
        "labels": ("I32", (2, 2, 2), ints(8)),
        "kernel": ("F32", (2, 1, 2, 3), base(12)),
        "empty": ("F64", (0, 3), []),
    }, {"format": "pt", "epoch": "3"}),
    # Types PyTorch often saves, which load widened (F16, BF16 -> float32) or narrowed with a range check (I64 -> int32).
    "widened.safetensors": safetensors({
        "half": ("F16", (4,), base(4)),
        "brain": ("BF16", (4,), base(4)),
        "long": ("I64", (2, 3), ints(6)),
        "byte": ("U8", (4,), [0, 1, 128, 255]),
        "mask": ("BOOL", (4,), [True, False, False, True]),
        "short": ("I16", (4,), ints(4)),
    }),
    "i64_overflow.safetensors": safetensors({"big": ("I64", (3,), [1, 2**40, 3])}),
}

reference = bytes([64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
                   116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
                   58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
                   101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
                   0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64])
assert files["attn.safetensors"] == reference, "this script disagrees with the reference implementation's test vector"
assert files["empty.safetensors"] == bytes([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32])

for name, content in files.items():
    with open(name, "wb") as f:
        f.write(content)
