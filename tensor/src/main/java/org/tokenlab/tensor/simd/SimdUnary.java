package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.FMA;
import static org.tokenlab.tensor.simd.SimdSpecies.L;
import static jdk.incubator.vector.VectorOperators.SQRT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.tokenlab.tensor.backend.UnaryOp;
import org.tokenlab.tensor.backend.scalar.ScalarElementwise;

/**
 * Elementwise y = f(x) and dX += dY·f'(x) over contiguous runs.
 *
 * <p>One vector loop per op, chosen outside the loop (the Vector API intrinsifies a lanewise op only
 * when its operator is a constant). EXP and TANH use {@link SimdMath}'s polynomials (exp within 2 ulp,
 * tanh within 2.5e−7 absolute), the same bits in every JIT tier, unlike the Vector API's SVML-backed
 * EXP/TANH; GELU and SiLU are built from exp (GELU as x·σ(2u), the same function as GPT-2's
 * ½x(1 + tanh u); its backward reads 1 + tanh u back from the forward's output instead of evaluating it
 * again). SQRT is exact. LOG and POW run the scalar
 * {@link Math} functions (deterministic too). Tails, and the ops without a vector loop, use the
 * reference's scalar definitions ({@link ScalarElementwise#apply}, {@link ScalarElementwise#derivative}).
 */
final class SimdUnary {
    private static final float GELU_K = (float) Math.sqrt(2.0 / Math.PI);
    private static final float GELU_C = 0.044715f;
    /** Below this |x|, GELU's backward uses tanh u ≈ u instead of reading tanh back from y. */
    private static final float GELU_LINEAR = 1e-3f;

    private SimdUnary() {
    }

    // x (n) -> y (n), y = f(x)
    static void forward(UnaryOp op, float p, float[] x, int xi, float[] y, int yi, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        switch (op) {
            case NEG -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(F, x, xi + i).neg().intoArray(y, yi + i);
                }
            }
            case EXP -> {
                SimdMath.expOnly(x, xi, 1f, 0f, y, yi, n);
                return;
            }
            case SQRT -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(F, x, xi + i).lanewise(SQRT).intoArray(y, yi + i);
                }
            }
            case TANH -> {
                SimdMath.tanh(x, xi, y, yi, n);
                return;
            }
            case RELU -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(F, x, xi + i).max(0f).intoArray(y, yi + i);
                }
            }
            case GELU -> {
                gelu(x, xi, y, yi, bound);
                i = bound;
            }
            case SILU -> {
                SimdMath.expOnly(x, xi, -1f, 0f, y, yi, n); // y = e^{−x}, then x / (1 + y)
                for (; i < bound; i += L) {
                    FloatVector.fromArray(F, x, xi + i).div(FloatVector.fromArray(F, y, yi + i).add(1f)).intoArray(y, yi + i);
                }
                for (; i < n; i++) {
                    y[yi + i] = x[xi + i] / (1f + y[yi + i]);
                }
                return;
            }
            default -> {
                // LOG, POW: no deterministic vector form here; Math.log/pow below are the same in every tier
            }
            case SCALE -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(F, x, xi + i).mul(p).intoArray(y, yi + i);
                }
            }
            case ADD_SCALAR -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(F, x, xi + i).add(p).intoArray(y, yi + i);
                }
            }
        }
        for (; i < n; i++) {
            y[yi + i] = ScalarElementwise.apply(op, p, x[xi + i]);
        }
    }

    /**
     * x (n) -> y (n) for the first n elements (n a multiple of L), GPT-2's GELU ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³),
     * evaluated as x·σ(2u) = x / (1 + e^{−2u}) (the same function: 1 + tanh u = 2σ(2u)). One exp and one
     * division per element instead of tanh's exp, division and small-|x| polynomial and the ½x(1 + ·) on top, and no
     * cancellation in 1 + tanh u where tanh u is near −1. e^{−2u} saturates at e^{88.7} for very negative x, which
     * leaves y ≈ x·e^{−88.7}, not 0/0.
     *
     * <p>One pass, SimdMath.expColumn's exp steps written out here between u and the division: the same lane
     * arithmetic as computing u into y, {@code SimdMath.expOnly(y, −2, 0)} in place and dividing, which this loop
     * replaced (the same bits; 1 M floats on the Xeon in one JVM: 0.79 against 1.05 ms). A call per vector to a shared
     * exp would not be inlined (the exp is too large for C2 to) and would cost more than it shares.
     */
    private static void gelu(float[] x, int xi, float[] y, int yi, int n) {
        FloatVector minusTwo = FloatVector.broadcast(F, -2f), zero = FloatVector.zero(F);
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xi + i);
            FloatVector u = v.mul(v).mul(v).mul(GELU_C).add(v).mul(GELU_K);
            // e^{−2u}: the steps of SimdMath.expColumn with a = −2, b = 0
            FloatVector xv = FMA ? u.fma(minusTwo, zero) : u.mul(minusTwo).add(zero);
            VectorMask<Float> under = xv.compare(VectorOperators.LT, SimdMath.EXP_MIN);
            FloatVector xc = xv.blend(SimdMath.EXP_MIN, under).blend(SimdMath.EXP_MAX, xv.compare(VectorOperators.GT, SimdMath.EXP_MAX));
            FloatVector t = xc.mul(SimdMath.LOG2E).add(SimdMath.ROUND_MAGIC);
            FloatVector nf = t.sub(SimdMath.ROUND_MAGIC);
            FloatVector r = FMA ? nf.fma(FloatVector.broadcast(F, -SimdMath.LN2_HI), xc) : nf.mul(-SimdMath.LN2_HI).add(xc);
            r = FMA ? nf.fma(FloatVector.broadcast(F, -SimdMath.LN2_LO), r) : nf.mul(-SimdMath.LN2_LO).add(r);
            FloatVector p = FloatVector.broadcast(F, SimdMath.P0);
            p = FMA ? p.fma(r, FloatVector.broadcast(F, SimdMath.P1)) : p.mul(r).add(SimdMath.P1);
            p = FMA ? p.fma(r, FloatVector.broadcast(F, SimdMath.P2)) : p.mul(r).add(SimdMath.P2);
            p = FMA ? p.fma(r, FloatVector.broadcast(F, SimdMath.P3)) : p.mul(r).add(SimdMath.P3);
            p = FMA ? p.fma(r, FloatVector.broadcast(F, SimdMath.P4)) : p.mul(r).add(SimdMath.P4);
            p = FMA ? p.fma(r, FloatVector.broadcast(F, SimdMath.P5)) : p.mul(r).add(SimdMath.P5);
            p = p.mul(r.mul(r)).add(r).add(1f);
            IntVector n2 = ((IntVector) t.reinterpretAsInts()).sub(SimdMath.ROUND_MAGIC_BITS);
            IntVector h = n2.lanewise(VectorOperators.ASHR, 1);
            FloatVector s1 = h.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n2.sub(h).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(s1).mul(s2).blend(0f, under);
            v.div(e.add(1f)).intoArray(y, yi + i);
        }
    }

    /**
     * q = 1 + tanh(√(2/π)(x + 0.044715x³)) from GELU's input x and output y = ½x·q: q = 2y/x, which
     * carries y's relative error (a few 1e−8) into q. Near x = 0 the quotient is 0/0, so for
     * |x| &lt; GELU_LINEAR q = 1 + √(2/π)·x (tanh u = u − u³/3 + …, and |u|³/3 &lt; 2e−10 there).
     */
    private static FloatVector geluOnePlusTanh(FloatVector x, FloatVector y) {
        FloatVector quotient = y.mul(2f).div(x);
        FloatVector linear = x.mul(GELU_K).add(1f);
        return quotient.blend(linear, x.abs().compare(VectorOperators.LT, GELU_LINEAR));
    }

    /**
     * x, y, dY (n) -> dX (n) += dY·f'(x) (add), or dX = +0 + dY·f'(x) (store: dX is not read, and adding +0 turns
     * a −0 into +0 as adding to a zero-filled dX would, so both give the same bits). The choice between
     * loading dX and +0 is loop-invariant, so C2 unswitches the loops on it.
     */
    static void backward(UnaryOp op, float p, float[] x, int xi, float[] y, int yi,
                         float[] dy, int dyi, float[] dx, int dxi, int n, boolean add) {
        int i = 0;
        int bound = F.loopBound(n);
        switch (op) {
            case EXP -> {
                for (; i < bound; i += L) {
                    FloatVector g = FloatVector.fromArray(F, dy, dyi + i).mul(FloatVector.fromArray(F, y, yi + i));
                    g.add(add ? FloatVector.fromArray(F, dx, dxi + i) : FloatVector.zero(F)).intoArray(dx, dxi + i);
                }
            }
            case TANH -> {
                for (; i < bound; i += L) {
                    FloatVector t = FloatVector.fromArray(F, y, yi + i);
                    FloatVector g = FloatVector.fromArray(F, dy, dyi + i).mul(t.mul(t).neg().add(1f));
                    g.add(add ? FloatVector.fromArray(F, dx, dxi + i) : FloatVector.zero(F)).intoArray(dx, dxi + i);
                }
            }
            case RELU -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xi + i);
                    FloatVector g = FloatVector.fromArray(F, dy, dyi + i).blend(0f, v.compare(VectorOperators.LE, 0f));
                    g.add(add ? FloatVector.fromArray(F, dx, dxi + i) : FloatVector.zero(F)).intoArray(dx, dxi + i);
                }
            }
            case GELU -> {
                // 1 + tanh(u) = 2y/x read back from the forward's output instead of recomputing tanh
                // (see geluOnePlusTanh); then GELU'(x) = ½q + ½x·q(2−q)·u'(x), q = 1 + tanh(u)
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xi + i);
                    FloatVector q = geluOnePlusTanh(v, FloatVector.fromArray(F, y, yi + i));
                    FloatVector sech2 = q.mul(q.neg().add(2f)); // (1 + t)(1 − t), exact near t = −1
                    FloatVector du = v.mul(v).mul(3f * GELU_C * GELU_K).add(GELU_K);
                    FloatVector d = q.mul(0.5f).add(v.mul(0.5f).mul(sech2).mul(du));
                    FloatVector.fromArray(F, dy, dyi + i).mul(d).add(add ? FloatVector.fromArray(F, dx, dxi + i) : FloatVector.zero(F)).intoArray(dx, dxi + i);
                }
            }
            case SILU -> {
                float[] e = SimdMath.scratch(n);
                SimdMath.expOnly(x, xi, -1f, 0f, e, 0, n);
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xi + i);
                    FloatVector s = FloatVector.fromArray(F, e, i).add(1f);
                    s = FloatVector.broadcast(F, 1f).div(s);
                    FloatVector d = s.mul(v.mul(s.neg().add(1f)).add(1f));
                    FloatVector.fromArray(F, dy, dyi + i).mul(d).add(add ? FloatVector.fromArray(F, dx, dxi + i) : FloatVector.zero(F)).intoArray(dx, dxi + i);
                }
            }
            default -> {
                // NEG, LOG, SQRT, POW, SCALE, ADD_SCALAR: cheap or rare, the scalar loop below is enough
            }
        }
        for (; i < n; i++) {
            dx[dxi + i] = (add ? dx[dxi + i] : 0f) + dy[dyi + i] * ScalarElementwise.derivative(op, p, x[xi + i], y[yi + i]);
        }
    }
}
