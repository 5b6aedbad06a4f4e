namespace FunctionalAD;

/// <summary>Where a register of a fused kernel points during one tile.</summary>
internal enum RegKind : byte
{
    /// <summary>A slot of tile scratch holding the tile's elements.</summary>
    TileFull,
    /// <summary>A slot of tile scratch holding one value per row of the tile.</summary>
    TileRow,
    /// <summary>The tile's elements of a stored value (read or written in place).</summary>
    ExtFull,
    /// <summary>The tile's rows of a stored per-row value.</summary>
    ExtRow,
    /// <summary>A number known at compile time.</summary>
    Scalar,
    /// <summary>A one-element stored value, read once per call.</summary>
    ScalarLoc,
    /// <summary>A whole stored value, used as an accumulator across tiles.</summary>
    Whole,
}

/// <summary>A register: kind, scratch slot (for tile kinds), storage (for stored kinds), value (for compile-time scalars).</summary>
internal sealed record Reg(RegKind Kind, int Slot, Loc Loc, double Value)
{
    public bool IsScalar => Kind is RegKind.Scalar or RegKind.ScalarLoc;
    public bool IsTile => Kind is RegKind.TileFull or RegKind.TileRow;
    public bool IsRow => Kind is RegKind.TileRow or RegKind.ExtRow;
}

/// <summary>What an instruction of a fused kernel does to a tile.</summary>
internal enum FusedKind : byte
{
    Unary, Binary, Select,
    RowSum, RowMax, RowLogSumExp,
    ExpandColumn, LoadPeriodic, LoadStrided,
    ScalarSum, ColumnSum,
}

/// <summary>One instruction: kind, primitive (whose operator an element-wise instruction runs), destination and operand registers, plus what the loads need.</summary>
internal sealed record FusedInstr(FusedKind Kind, Primitive? Op, int Dst, int A, int B = -1, int C = -1)
{
    /// <summary>Accumulator index of a <see cref="FusedKind.ScalarSum"/>.</summary>
    public int Acc { get; init; }
    /// <summary>Period of a <see cref="FusedKind.LoadPeriodic"/> (the broadcast row's length).</summary>
    public int Period { get; init; }
    /// <summary>Collapsed domain dimensions of a <see cref="FusedKind.LoadStrided"/>.</summary>
    public int[] Dims { get; init; } = System.Array.Empty<int>();
    /// <summary>Source strides per collapsed dimension of a <see cref="FusedKind.LoadStrided"/>.</summary>
    public int[] Strides { get; init; } = System.Array.Empty<int>();

}
