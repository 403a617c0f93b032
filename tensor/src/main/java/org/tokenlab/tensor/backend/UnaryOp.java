package org.tokenlab.tensor.backend;

/**
 * Elementwise functions y = f(x) with their derivatives. {@code param} is used by {@link #POW}
 * (the exponent) and {@link #SCALE} (the factor) and ignored otherwise.
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, TANH, RELU,
    /** GELU, tanh approximation as in GPT-2: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    GELU,
    /** SiLU: x·σ(x). */
    SILU,
    /** x^param. */
    POW,
    /** param·x. */
    SCALE,
    /** x + param. */
    ADD_SCALAR
}
