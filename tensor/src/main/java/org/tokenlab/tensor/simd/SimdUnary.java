package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;
import static jdk.incubator.vector.VectorOperators.SQRT;

import jdk.incubator.vector.FloatVector;
import org.tokenlab.tensor.backend.UnaryOp;

/**
 * Elementwise y = f(x) and dX += dY·f'(x) over contiguous runs.
 *
 * <p>One vector loop per op, chosen outside the loop (the Vector API intrinsifies a lanewise op only
 * when its operator is a constant). EXP and TANH use {@link SimdMath}'s polynomials (exp within 2 ulp,
 * tanh within 2.5e−7 absolute), the same bits in every JIT tier, unlike the Vector API's SVML-backed
 * EXP/TANH; GELU and SiLU are built from them. SQRT is exact. LOG and POW run the scalar
 * {@link Math} functions (deterministic too). Tails use {@link #f} and {@link #df}, the scalar
 * definitions.
 */
final class SimdUnary {
    private static final float GELU_K = (float) Math.sqrt(2.0 / Math.PI);
    private static final float GELU_C = 0.044715f;

    private SimdUnary() {
    }

    /** The scalar definition of f (tails, and the reference for the vector loops). */
    static float f(UnaryOp op, float p, float x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case TANH -> (float) Math.tanh(x);
            case RELU -> x > 0f ? x : 0f;
            case GELU -> 0.5f * x * (1f + (float) Math.tanh(GELU_K * (x + GELU_C * x * x * x)));
            case SILU -> x / (1f + (float) Math.exp(-x));
            case POW -> (float) Math.pow(x, p);
            case SCALE -> p * x;
            case ADD_SCALAR -> x + p;
        };
    }

    /** The scalar derivative f'(x), given y = f(x). */
    static float df(UnaryOp op, float p, float x, float y) {
        return switch (op) {
            case NEG -> -1f;
            case EXP -> y;
            case LOG -> 1f / x;
            case SQRT -> 0.5f / y;
            case TANH -> 1f - y * y;
            case RELU -> x > 0f ? 1f : 0f;
            case GELU -> {
                float t = (float) Math.tanh(GELU_K * (x + GELU_C * x * x * x));
                yield 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * GELU_K * (1f + 3f * GELU_C * x * x);
            }
            case SILU -> {
                float s = 1f / (1f + (float) Math.exp(-x));
                yield s * (1f + x * (1f - s));
            }
            case POW -> p == 0f ? 0f : p * (float) Math.pow(x, p - 1f);
            case SCALE -> p;
            case ADD_SCALAR -> 1f;
        };
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
                for (; i < bound; i += L) {
                    SimdMath.exp(FloatVector.fromArray(F, x, xi + i)).intoArray(y, yi + i);
                }
            }
            case SQRT -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(F, x, xi + i).lanewise(SQRT).intoArray(y, yi + i);
                }
            }
            case TANH -> {
                for (; i < bound; i += L) {
                    SimdMath.tanh(FloatVector.fromArray(F, x, xi + i)).intoArray(y, yi + i);
                }
            }
            case RELU -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(F, x, xi + i).max(0f).intoArray(y, yi + i);
                }
            }
            case GELU -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xi + i);
                    FloatVector t = SimdMath.tanh(v.mul(v).mul(v).mul(GELU_C).add(v).mul(GELU_K));
                    v.mul(0.5f).mul(t.add(1f)).intoArray(y, yi + i);
                }
            }
            case SILU -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xi + i);
                    v.div(SimdMath.exp(v.neg()).add(1f)).intoArray(y, yi + i);
                }
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
            y[yi + i] = f(op, p, x[xi + i]);
        }
    }

    // x, y, dY (n) -> dX (n) += dY·f'(x)
    static void backward(UnaryOp op, float p, float[] x, int xi, float[] y, int yi,
                         float[] dy, int dyi, float[] dx, int dxi, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        switch (op) {
            case EXP -> {
                for (; i < bound; i += L) {
                    FloatVector g = FloatVector.fromArray(F, dy, dyi + i).mul(FloatVector.fromArray(F, y, yi + i));
                    g.add(FloatVector.fromArray(F, dx, dxi + i)).intoArray(dx, dxi + i);
                }
            }
            case TANH -> {
                for (; i < bound; i += L) {
                    FloatVector t = FloatVector.fromArray(F, y, yi + i);
                    FloatVector g = FloatVector.fromArray(F, dy, dyi + i).mul(t.mul(t).neg().add(1f));
                    g.add(FloatVector.fromArray(F, dx, dxi + i)).intoArray(dx, dxi + i);
                }
            }
            case RELU -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xi + i);
                    FloatVector g = FloatVector.fromArray(F, dy, dyi + i).blend(0f, v.compare(jdk.incubator.vector.VectorOperators.LE, 0f));
                    g.add(FloatVector.fromArray(F, dx, dxi + i)).intoArray(dx, dxi + i);
                }
            }
            case GELU -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xi + i);
                    FloatVector v2 = v.mul(v);
                    FloatVector t = SimdMath.tanh(v2.mul(v).mul(GELU_C).add(v).mul(GELU_K));
                    FloatVector sech2 = t.mul(t).neg().add(1f);
                    FloatVector d = t.add(1f).mul(0.5f)
                            .add(v.mul(0.5f).mul(sech2).mul(v2.mul(3f * GELU_C).add(1f)).mul(GELU_K));
                    FloatVector.fromArray(F, dy, dyi + i).mul(d).add(FloatVector.fromArray(F, dx, dxi + i)).intoArray(dx, dxi + i);
                }
            }
            case SILU -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xi + i);
                    FloatVector s = SimdMath.exp(v.neg()).add(1f);
                    s = FloatVector.broadcast(F, 1f).div(s);
                    FloatVector d = s.mul(v.mul(s.neg().add(1f)).add(1f));
                    FloatVector.fromArray(F, dy, dyi + i).mul(d).add(FloatVector.fromArray(F, dx, dxi + i)).intoArray(dx, dxi + i);
                }
            }
            default -> {
                // NEG, LOG, SQRT, POW, SCALE, ADD_SCALAR: cheap or rare, the scalar loop below is enough
            }
        }
        for (; i < n; i++) {
            dx[dxi + i] += dy[dyi + i] * df(op, p, x[xi + i], y == null ? 0f : y[yi + i]);
        }
    }
}
