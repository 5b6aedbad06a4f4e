namespace FunctionalAD.Testing;

/// <summary>Which derivatives a gradient check compares with central differences; combine with <c>|</c>.</summary>
[Flags]
public enum CheckMode
{
    /// <summary>Reverse mode: every row of the Jacobian as a VJP, ūᵀ J with ū a unit cotangent (what Grad, Vjp, Hessian use).</summary>
    Reverse = 1,

    /// <summary>Forward mode: every column of the Jacobian as a JVP, J ė with ė a unit tangent (what Jvp uses).</summary>
    Forward = 2,

    /// <summary>Both modes.</summary>
    Both = Reverse | Forward,
}
