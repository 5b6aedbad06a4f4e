# generates GemmMicroKernel.cs: the register tiles are spelled out because the JIT keeps named locals in registers
MR = 8
def kernel(width, vec):
    V = f"{vec}<T>"
    L = []
    L.append(f"    /// <summary>C[0..rows, 0..cols] (+)= Σ_p A[r, p]·B[p, c] over a packed {MR}-row A panel and {'two' if width==2 else 'one'} {vec} column(s) of a packed B panel whose rows are <paramref name=\"bStride\"/> apart.</summary>")
    L.append(f"    [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
    L.append(f"    public static void {vec}x{width}<T>(int kc, T* a, T* b, int bStride, T* c, int ldc, int rows, int cols, bool add) where T : unmanaged")
    L.append("    {")
    L.append(f"        int w = {V}.Count;")
    accs = [f"c{r}{v}" for r in range(MR) for v in range(width)]
    L.append(f"        {V} " + ", ".join(f"{x} = default" for x in accs) + ";")
    L.append("        for (int p = 0; p < kc; p++)")
    L.append("        {")
    L.append(f"            var b0 = {vec}.Load(b);")
    if width == 2: L.append(f"            var b1 = {vec}.Load(b + w);")
    for r in range(MR):
        L.append(f"            var a{r} = {vec}.Create(a[{r}]);")
        for v in range(width):
            L.append(f"            c{r}{v} = Fma(a{r}, b{v}, c{r}{v});")
    L.append(f"            a += {MR};")
    L.append("            b += bStride;")
    L.append("        }")
    L.append(f"        if (rows == {MR} && cols == {width} * w)")
    L.append("        {")
    for r in range(MR):
        args = ", ".join(f"c{r}{v}" for v in range(width))
        L.append(f"            Row(c + {r} * (long)ldc, w, add, {args});")
    L.append("            return;")
    L.append("        }")
    L.append(f"        T* tile = stackalloc T[{MR} * {width} * w];")
    for r in range(MR):
        for v in range(width):
            L.append(f"        c{r}{v}.Store(tile + ({r} * {width} + {v}) * w);")
    L.append(f"        Edge(tile, {width} * w, c, ldc, rows, cols, add);")
    L.append("    }")
    return "\n".join(L)

def strided(width, vec):
    V = f"{vec}<T>"
    L = []
    L.append(f"    /// <summary>As <see cref=\"{vec}x{width}{{T}}\"/>, reading A in place: row r, step p at a[r·aRow + p·aStep]; rows past <paramref name=\"rows\"/> reread row 0.</summary>")
    L.append(f"    [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
    L.append(f"    public static void {vec}x{width}Strided<T>(int kc, T* a, int aRow, int aStep, T* b, int bStride, T* c, int ldc, int rows, int cols, bool add) where T : unmanaged")
    L.append("    {")
    L.append(f"        int w = {V}.Count;")
    for r in range(MR):
        L.append(f"        T* r{r} = a + ({r} < rows ? {r} * (long)aRow : 0);")
    accs = [f"c{r}{v}" for r in range(MR) for v in range(width)]
    L.append(f"        {V} " + ", ".join(f"{x} = default" for x in accs) + ";")
    L.append("        for (int p = 0; p < kc; p++)")
    L.append("        {")
    L.append(f"            var b0 = {vec}.Load(b);")
    if width == 2: L.append(f"            var b1 = {vec}.Load(b + w);")
    for r in range(MR):
        L.append(f"            var a{r} = {vec}.Create(*r{r});")
        for v in range(width):
            L.append(f"            c{r}{v} = Fma(a{r}, b{v}, c{r}{v});")
        L.append(f"            r{r} += aStep;")
    L.append("            b += bStride;")
    L.append("        }")
    L.append(f"        if (rows == {MR} && cols == {width} * w)")
    L.append("        {")
    for r in range(MR):
        args = ", ".join(f"c{r}{v}" for v in range(width))
        L.append(f"            Row(c + {r} * (long)ldc, w, add, {args});")
    L.append("            return;")
    L.append("        }")
    L.append(f"        T* tile = stackalloc T[{MR} * {width} * w];")
    for r in range(MR):
        for v in range(width):
            L.append(f"        c{r}{v}.Store(tile + ({r} * {width} + {v}) * w);")
    L.append(f"        Edge(tile, {width} * w, c, ldc, rows, cols, add);")
    L.append("    }")
    return "\n".join(L)

def row(vec, width):
    V = f"{vec}<T>"
    params = ", ".join(f"{V} v{i}" for i in range(width))
    L = [f"    [MethodImpl(MethodImplOptions.AggressiveInlining)]",
         f"    private static void Row<T>(T* dst, int w, bool add, {params}) where T : unmanaged",
         "    {",
         "        if (add)", "        {"]
    for i in range(width):
        L.append(f"            v{i} = Add({vec}.Load(dst + {i} * w), v{i});")
    L.append("        }")
    for i in range(width):
        L.append(f"        v{i}.Store(dst + {i} * w);")
    L.append("    }")
    return "\n".join(L)

def helpers(vec):
    V = f"{vec}<T>"
    return f"""    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static {V} Fma<T>({V} a, {V} b, {V} c) where T : unmanaged
    {{
        if (typeof(T) == typeof(float)) return {vec}.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return {vec}.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }}

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static {V} Add<T>({V} a, {V} b) where T : unmanaged
    {{
        if (typeof(T) == typeof(float)) return (a.AsSingle() + b.AsSingle()).As<float, T>();
        return (a.AsDouble() + b.AsDouble()).As<double, T>();
    }}"""

out = ["// <auto-generated> by tools/gen_gemm_microkernel.py (python3 tools/gen_gemm_microkernel.py > src/FunctionalAD/Kernels/GemmMicroKernel.cs); change the generator, not this file. </auto-generated>",
"using System.Runtime.CompilerServices;",
"using System.Runtime.Intrinsics;",
"using System.Runtime.Intrinsics.Arm;",
"",
"namespace FunctionalAD;",
"",
"/// <summary>",
f"/// Register-tiled GEMM micro-kernels: a {MR}-row by one- or two-vector tile of C lives in registers while the",
"/// packed panels stream through, one fused multiply-add per accumulator per step of k. Spelled out per vector",
"/// width because the JIT keeps only named locals in registers. Works for float and double alike.",
"/// </summary>",
"/// <remarks>",
"/// <c>SkipLocalsInit</c>: the edge tile is fully written before it is read, and zeroing it would be a call",
"/// (CORINFO_HELP_MEMZERO) with all accumulators live. Without profile weights (native AOT has none; the JIT",
"/// synthesizes them) the register allocator then spills every accumulator inside the k loop, on each",
"/// multiply-add, and the kernel runs about 4x slower.",
"/// </remarks>",
"[SkipLocalsInit]",
"internal static unsafe class GemmMicroKernel",
"{",
f"    /// <summary>Rows of C per micro-tile.</summary>",
f"    public const int MR = {MR};",
"",
kernel(2, "Vector512"), "", kernel(1, "Vector512"), "", kernel(2, "Vector256"), "", kernel(1, "Vector256"), "",
strided(2, "Vector512"), "", strided(1, "Vector512"), "", strided(2, "Vector256"), "", strided(1, "Vector256"), "",
row("Vector512", 2), "", row("Vector512", 1), "", row("Vector256", 2), "", row("Vector256", 1), "",
helpers("Vector512"), "", helpers("Vector256"), "",
"""    /// <summary>Portable fallback: the same tile computed with scalars, for machines without 256-bit vectors.</summary>
    public static void Scalar<T>(int kc, T* a, int aRow, int aStep, T* b, int bStride, T* c, int ldc, int rows, int cols, bool add)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T* tile = stackalloc T[MR * 8];
        for (int i = 0; i < MR * 8; i++) tile[i] = T.Zero;
        // Without a hardware fused multiply-add (a native AOT binary for baseline x86-64 has none) T.FusedMultiplyAdd
        // is emulated in software, 4x slower than this whole loop; a multiply then an add rounds twice instead.
        bool fused = System.Runtime.Intrinsics.X86.Fma.IsSupported || AdvSimd.IsSupported;
        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < rows; r++)
            {
                T ar = a[r * aRow];
                if (fused) for (int j = 0; j < 8; j++) tile[r * 8 + j] = T.FusedMultiplyAdd(ar, b[j], tile[r * 8 + j]);
                else for (int j = 0; j < 8; j++) tile[r * 8 + j] += ar * b[j];
            }
            a += aStep;
            b += bStride;
        }
        Edge(tile, 8, c, ldc, rows, cols, add);
    }

    /// <summary>Writes the valid rows × cols corner of a tile (row stride <paramref name="ts"/>) into C.</summary>
    private static void Edge<T>(T* tile, int ts, T* c, int ldc, int rows, int cols, bool add) where T : unmanaged
    {
        for (int r = 0; r < rows; r++)
        {
            T* dst = c + (long)r * ldc;
            T* src = tile + r * ts;
            if (typeof(T) == typeof(float))
            {
                if (add) for (int j = 0; j < cols; j++) ((float*)dst)[j] += ((float*)src)[j];
                else for (int j = 0; j < cols; j++) dst[j] = src[j];
            }
            else
            {
                if (add) for (int j = 0; j < cols; j++) ((double*)dst)[j] += ((double*)src)[j];
                else for (int j = 0; j < cols; j++) dst[j] = src[j];
            }
        }
    }
}
"""]
print("\n".join(out))
