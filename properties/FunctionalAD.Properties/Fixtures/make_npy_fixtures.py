"""Writes the .npy/.npz fixtures with NumPy itself (Debian's python3-numpy 1.24.2: apt-get install -y python3-numpy).

Run from this folder: /usr/bin/python3 make_npy_fixtures.py. The tests never run Python; they read the committed files.
Values are simple formulas the C# tests recompute, so nothing is copied from FunctionalAD's output.
"""
import io
import zipfile

import numpy as np
from numpy.lib import format as npf


def base(shape, dtype):
    """0.5 * k - 1 for k = 0, 1, ... in C order: exact in every float type."""
    n = int(np.prod(shape)) if len(shape) else 1
    return (np.arange(n, dtype=np.float64) * 0.5 - 1).reshape(shape).astype(dtype)


def ints(shape, dtype):
    """3 * k - 7 for k = 0, 1, ... in C order."""
    n = int(np.prod(shape)) if len(shape) else 1
    return (np.arange(n, dtype=np.int64) * 3 - 7).reshape(shape).astype(dtype)


# What FunctionalAD writes: C order, little-endian f4/f8/i4, format 1.0 (numpy.save's choice).
np.save("f4_2x3.npy", base((2, 3), "<f4"))
np.save("f8_5.npy", base((5,), "<f8"))
np.save("i4_2x2x2.npy", ints((2, 2, 2), "<i4"))
np.save("f4_scalar.npy", base((), "<f4"))
np.save("f8_0x3.npy", base((0, 3), "<f8"))
np.save("f4_2x1x2x3.npy", base((2, 1, 2, 3), "<f4"))

# What only NumPy writes: Fortran order, big-endian, other widths, other header versions.
np.save("f4_fortran_2x3.npy", np.asfortranarray(base((2, 3), "<f4")))
np.save("f8_fortran_2x3x4.npy", np.asfortranarray(base((2, 3, 4), "<f8")))
np.save("f4_big_2x3.npy", base((2, 3), ">f4"))
np.save("f8_big_5.npy", base((5,), ">f8"))
np.save("i4_big_2x2x2.npy", ints((2, 2, 2), ">i4"))
np.save("i4_big_fortran_2x2x2.npy", np.asfortranarray(ints((2, 2, 2), ">i4")))
np.save("i8_2x3.npy", ints((2, 3), "<i8"))
np.save("i8_big_2x3.npy", ints((2, 3), ">i8"))
np.save("i8_overflow.npy", np.array([1, 2**40, 3], dtype="<i8"))
np.save("u1_4.npy", np.array([0, 1, 128, 255], dtype="u1"))
np.save("b1_4.npy", np.array([True, False, False, True]))
np.save("f2_4.npy", base((4,), "<f2"))
np.save("i2_big_4.npy", ints((4,), ">i2"))
with open("f4_v2_2x3.npy", "wb") as f:
    npf.write_array(f, base((2, 3), "<f4"), version=(2, 0))
with open("f4_v3_2x3.npy", "wb") as f:
    npf.write_array(f, base((2, 3), "<f4"), version=(3, 0))

# Unsupported element types: each must be refused with a clear message.
np.save("c8_2.npy", np.array([1 + 2j, 3 - 4j], dtype="<c8"))
np.save("O_2.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
np.save("U_2.npy", np.array(["ab", "c"]))
np.save("record_2.npy", np.array([(1, 2.0), (3, 4.0)], dtype=[("n", "<i4"), ("x", "<f8")]))

# Archives: numpy.savez stores members, numpy.savez_compressed deflates them.
np.savez("stored.npz", w=base((2, 3), "<f4"), b=base((3,), "<f8"), labels=ints((4,), "<i4"))
np.savez_compressed("deflated.npz", w=base((2, 3), "<f4"), b=base((3,), "<f8"), labels=ints((4,), "<i4"))
