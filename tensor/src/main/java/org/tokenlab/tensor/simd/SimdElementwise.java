package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import jdk.incubator.vector.FloatVector;
import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.backend.BinaryOp;

/**
 * Broadcast binary ops and strided gather. Dimensions are first coalesced (adjacent dimensions that
 * are contiguous for every operand merge into one), so a contiguous tensor becomes one flat run and a
 * row broadcast becomes (rows, C) with stride 0 on the rows. The innermost run then takes a vector
 * path when each operand is contiguous (stride 1) or a scalar (stride 0).
 *
 * <p>Scalar reference: {@code out[flat(i)] = a[aOff + Σ i_d·aStrides[d]] ∘ b[bOff + Σ i_d·bStrides[d]]}.
 */
final class SimdElementwise {
    private SimdElementwise() {
    }

    /** Shape and per-operand strides after merging contiguous dimensions; strides[k][d] for operand k. */
    record Coalesced(int[] shape, int[][] strides) {
        int rank() {
            return shape.length;
        }

        int inner() {
            return shape.length == 0 ? 1 : shape[shape.length - 1];
        }

        /** Product of all but the last dimension. */
        int outer() {
            int n = 1;
            for (int d = 0; d < shape.length - 1; d++) {
                n *= shape[d];
            }
            return n;
        }

        /** Element offset of operand k for outer row r (row-major over the outer dimensions). */
        long offset(int k, int r) {
            long off = 0;
            for (int d = shape.length - 2; d >= 0; d--) {
                int i = r % shape[d];
                r /= shape[d];
                off += (long) i * strides[k][d];
            }
            return off;
        }
    }

    /** Merges dimension d into d+1 while every operand has stride[d] == stride[d+1]·shape[d+1]; drops size-1 dims. */
    static Coalesced coalesce(int[] shape, int[]... strides) {
        int rank = shape.length;
        int[] s = new int[rank];
        int[][] st = new int[strides.length][rank];
        int m = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = m > 0;
            for (int k = 0; k < strides.length && merge; k++) {
                merge = st[k][m - 1] == strides[k][d] * shape[d];
            }
            if (merge) {
                s[m - 1] *= shape[d];
                for (int k = 0; k < strides.length; k++) {
                    st[k][m - 1] = strides[k][d];
                }
            } else {
                s[m] = shape[d];
                for (int k = 0; k < strides.length; k++) {
                    st[k][m] = strides[k][d];
                }
                m++;
            }
        }
        int[][] outSt = new int[strides.length][];
        for (int k = 0; k < strides.length; k++) {
            outSt[k] = java.util.Arrays.copyOf(st[k], m);
        }
        return new Coalesced(java.util.Arrays.copyOf(s, m), outSt);
    }

    // out (shape) = a (shape, aStrides) ∘ b (shape, bStrides)
    static void binary(BinaryOp op, int[] shape, float[] a, int aOff, int[] aStrides,
                       float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        if (Shapes.numel(shape) == 0) {
            return;
        }
        int[] outStrides = Shapes.contiguousStrides(shape);
        Coalesced c = coalesce(shape, aStrides, bStrides, outStrides);
        int inner = c.inner(), outer = c.outer();
        int last = c.rank() - 1;
        int as = last < 0 ? 0 : c.strides()[0][last], bs = last < 0 ? 0 : c.strides()[1][last];
        if (outer == 1) {
            SimdOps.chunks(inner, 1, (j0, j1) -> row(op, j1 - j0, a, aOff + j0 * as, as, b, bOff + j0 * bs, bs, out, outOff + j0));
            return;
        }
        SimdOps.rows(outer, inner, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                row(op, inner, a, aOff + (int) c.offset(0, r), as, b, bOff + (int) c.offset(1, r), bs,
                        out, outOff + (int) c.offset(2, r));
            }
        });
    }

    // out[oi+j] = a[ai+j·as] ∘ b[bi+j·bs], j < n
    private static void row(BinaryOp op, int n, float[] a, int ai, int as, float[] b, int bi, int bs, float[] out, int oi) {
        int j = 0;
        int bound = F.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; j < bound; j += L) {
                FloatVector x = FloatVector.fromArray(F, a, ai + j), y = FloatVector.fromArray(F, b, bi + j);
                apply(op, x, y).intoArray(out, oi + j);
            }
        } else if (as == 1 && bs == 0) {
            FloatVector y = FloatVector.broadcast(F, b[bi]);
            for (; j < bound; j += L) {
                apply(op, FloatVector.fromArray(F, a, ai + j), y).intoArray(out, oi + j);
            }
        } else if (as == 0 && bs == 1) {
            FloatVector x = FloatVector.broadcast(F, a[ai]);
            for (; j < bound; j += L) {
                apply(op, x, FloatVector.fromArray(F, b, bi + j)).intoArray(out, oi + j);
            }
        }
        for (; j < n; j++) {
            out[oi + j] = scalar(op, a[ai + j * as], b[bi + j * bs]);
        }
    }

    // Small and switch-only: C2 inlines it into each loop above, where op is loop-invariant.
    private static FloatVector apply(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
        };
    }

    static float scalar(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    // x (shape, strides) -> out (shape) contiguous
    static void gather(int[] shape, float[] x, int xOff, int[] strides, float[] out, int outOff) {
        if (Shapes.numel(shape) == 0) {
            return;
        }
        Coalesced c = coalesce(shape, strides, Shapes.contiguousStrides(shape));
        int inner = c.inner(), outer = c.outer();
        int xs = c.rank() == 0 ? 0 : c.strides()[0][c.rank() - 1];
        SimdOps.rows(outer, inner, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xi = xOff + (int) c.offset(0, r), oi = outOff + (int) c.offset(1, r);
                if (xs == 1) {
                    System.arraycopy(x, xi, out, oi, inner);
                } else {
                    for (int j = 0; j < inner; j++) {
                        out[oi + j] = x[xi + j * xs];
                    }
                }
            }
        });
    }

}
