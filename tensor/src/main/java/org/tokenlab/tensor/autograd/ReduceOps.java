package org.tokenlab.tensor.autograd;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.ReduceOp;

/** Reduction primitives: sum and max over one axis, softmax and log-softmax over the last axis. */
public final class ReduceOps {
    private ReduceOps() {
    }

    /** The (outer, R, inner) split of a shape around {@code axis}. */
    static int[] split(int[] shape, int axis) {
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return new int[] {outer, shape[axis], inner};
    }

    static int[] reducedShape(int[] shape, int axis, boolean keepDim) {
        if (keepDim) {
            int[] s = shape.clone();
            s[axis] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                s[j++] = shape[i];
            }
        }
        return s;
    }

    // x (outer, R, inner) -> out (outer, inner)
    public static Tensor sum(Tensor x, int axis, boolean keepDim) {
        int[] shape = x.shape();
        int a = Shapes.axis("sum", axis, shape.length);
        Tensor xc = x.contiguous();
        int[] oRi = split(shape, a);
        Tensor out = Tensor.zeros(reducedShape(shape, a, keepDim));
        Engine.backend().reduce(ReduceOp.SUM, oRi[0], oRi[1], oRi[2], xc.storage(), xc.offset(), out.storage(), 0, null);
        int[] keepShape = reducedShape(shape, a, true);
        return Node.record(Rule.SUM, out, new Tensor[] {xc}, (g, grads) -> {
            Tensor dX = grads.of(0);
            // broadcast g back along the reduced axis (a stride-0 gather), then add
            Tensor wide = g.reshape(keepShape).expand(shape).contiguous();
            Engine.backend().axpy(dX.numel(), 1f, wide.storage(), wide.offset(), dX.storage(), dX.offset());
        });
    }

    // x (outer, R, inner) -> out (outer, inner), argmax (outer, inner)
    public static Tensor max(Tensor x, int axis, boolean keepDim) {
        int[] shape = x.shape();
        int a = Shapes.axis("max", axis, shape.length);
        if (shape[a] == 0) {
            throw new IllegalArgumentException("max: axis " + axis + " of " + x.describe() + " is empty");
        }
        Tensor xc = x.contiguous();
        int[] oRi = split(shape, a);
        int outer = oRi[0];
        int R = oRi[1];
        int inner = oRi[2];
        Tensor out = Tensor.zeros(reducedShape(shape, a, keepDim));
        int[] argmax = new int[outer * inner];
        Engine.backend().reduce(ReduceOp.MAX, outer, R, inner, xc.storage(), xc.offset(), out.storage(), 0, argmax);
        return Node.record(Rule.MAX, out, new Tensor[] {xc}, (g, grads) -> {
            // scatter-add g into the winning positions: an embedding backward with rows of width 1
            int[] flat = new int[outer * inner];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int n = o * inner + i;
                    flat[n] = (o * R + argmax[n]) * inner + i;
                }
            }
            Tensor dX = grads.of(0);
            Engine.backend().embeddingBackward(flat.length, 1, flat, g.storage(), g.offset(), dX.storage());
        });
    }

    // x (rows, cols) -> y (rows, cols), over the last axis
    public static Tensor softmax(Tensor x, boolean log) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException((log ? "logSoftmax" : "softmax") + ": needs at least one axis");
        }
        Tensor xc = x.contiguous();
        int cols = x.size(-1);
        int rows = cols == 0 ? 0 : xc.numel() / cols;
        Tensor y = Tensor.empty(x.shape()); // softmax writes every element
        Engine.backend().softmax(rows, cols, xc.storage(), xc.offset(), y.storage(), 0, log);
        return Node.record(log ? Rule.LOG_SOFTMAX : Rule.SOFTMAX, y, new Tensor[] {xc}, (g, grads) -> {
            Tensor dX = grads.of(0);
            Engine.backend().softmaxBackward(rows, cols, y.storage(), 0, g.storage(), g.offset(),
                    dX.storage(), dX.offset(), log);
        });
    }
}
