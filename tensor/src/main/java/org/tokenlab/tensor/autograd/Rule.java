package org.tokenlab.tensor.autograd;

import org.tokenlab.tensor.backend.UnaryOp;

/**
 * The rule table: every differentiable primitive of the tensor layer, with its forward and backward
 * formulas side by side. Each graph {@link Node} names its rule; the implementation of each rule is
 * the method named in {@link #where()} (forward and backward adjacent in that method). Composite
 * operations (mean, linear, crossEntropyMean, …) are built from these and need no rule of their own.
 *
 * <p>Notation: {@code g} is the gradient of the output; {@code sumTo(·, shape)} sums a broadcast
 * gradient back to an input's shape.
 */
public enum Rule {
    // elementwise, binary with numpy broadcasting (ElementwiseOps.binary)
    ADD("a + b", "da += sumTo(g), db += sumTo(g)", "ElementwiseOps.binary"),
    SUB("a − b", "da += sumTo(g), db −= sumTo(g)", "ElementwiseOps.binary"),
    MUL("a · b", "da += sumTo(g·b), db += sumTo(g·a)", "ElementwiseOps.binary"),
    DIV("a / b", "da += sumTo(g/b), db −= sumTo(g·y/b)", "ElementwiseOps.binary"),
    // elementwise, unary (ElementwiseOps.unary; derivatives in Backend.unaryBackward)
    NEG("−x", "dx −= g", "ElementwiseOps.unary"),
    EXP("eˣ", "dx += g·y", "ElementwiseOps.unary"),
    LOG("ln x", "dx += g/x", "ElementwiseOps.unary"),
    SQRT("√x", "dx += g/(2y)", "ElementwiseOps.unary"),
    TANH("tanh x", "dx += g·(1 − y²)", "ElementwiseOps.unary"),
    RELU("max(x, 0)", "dx += g·[x > 0]", "ElementwiseOps.unary"),
    GELU("0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))", "dx += g·gelu'(x)", "ElementwiseOps.unary"),
    SILU("x·σ(x)", "dx += g·σ(x)(1 + x(1 − σ(x)))", "ElementwiseOps.unary"),
    POW("xᵖ", "dx += g·p·xᵖ⁻¹", "ElementwiseOps.unary"),
    SCALE("s·x", "dx += s·g", "ElementwiseOps.unary"),
    ADD_SCALAR("x + s", "dx += g", "ElementwiseOps.unary"),
    // reductions (ReduceOps)
    SUM("Σ over one axis", "dx += broadcast(g)", "ReduceOps.sum"),
    MAX("max over one axis", "dx[argmax] += g", "ReduceOps.max"),
    SOFTMAX("y = softmax(x) over the last axis", "dx += y ⊙ (g − Σ g·y)", "ReduceOps.softmax"),
    LOG_SOFTMAX("y = x − logsumexp(x) over the last axis", "dx += g − eʸ·Σ g", "ReduceOps.softmax"),
    // linear algebra (MatmulOps)
    MATMUL("C = A·B, batched, broadcast batch dims", "dA += sumTo(g·Bᵀ), dB += sumTo(Aᵀ·g)", "MatmulOps.matmul"),
    LINEAR("y = x·Wᵀ + b, x (N,C), W (OC,C)", "dx += g·W, dW += gᵀ·x, db += Σₙ g", "MatmulOps.linear"),
    // views and copies (ViewOps)
    RESHAPE("same elements, new shape (view when possible)", "dx += reshape(g)", "ViewOps.reshape"),
    PERMUTE("axes reordered (view)", "dx += permute⁻¹(g)", "ViewOps.permute"),
    SLICE("x[start:end] along one axis (view)", "dx[start:end] += g", "ViewOps.slice"),
    EXPAND("size-1 axes repeated (stride-0 view)", "dx += sumTo(g)", "ViewOps.expand"),
    CONTIGUOUS("row-major copy", "dx += g", "ViewOps.contiguous"),
    CONCAT("inputs joined along one axis", "dxᵢ += g[slice i]", "ViewOps.concat"),
    // fused layers (NnOps)
    LAYER_NORM("(x − μ)/σ · w + b over the last axis", "Backend.layerNormBackward", "NnOps.layerNorm"),
    RMS_NORM("x/rms(x) · w over the last axis", "Backend.rmsNormBackward", "NnOps.rmsNorm"),
    EMBEDDING("out[n] = table[idx[n]]", "dTable[idx[n]] += g[n]", "NnOps.embedding"),
    DROPOUT("x · mask/(1 − p)", "dx += g · mask/(1 − p)", "NnOps.dropout"),
    ATTENTION("softmax(q·kᵀ·scale [+ causal mask])·v", "Backend.attentionBackward", "NnOps.attention"),
    CROSS_ENTROPY("ℓₙ = wₙ(logsumexp(zₙ) − zₙ[tₙ])", "dz += g·w·(softmax(z) − onehot(t))", "NnOps.crossEntropy");

    private final String forward;
    private final String backward;
    private final String where;

    Rule(String forward, String backward, String where) {
        this.forward = forward;
        this.backward = backward;
        this.where = where;
    }

    /** The forward formula. */
    public String forward() {
        return forward;
    }

    /** The backward formula (gradients accumulate). */
    public String backward() {
        return backward;
    }

    /** The method implementing forward and backward. */
    public String where() {
        return where;
    }

    /** The rule of a unary backend op. */
    public static Rule of(UnaryOp op) {
        return valueOf(op.name());
    }
}
