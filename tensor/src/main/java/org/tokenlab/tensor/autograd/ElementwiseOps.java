package org.tokenlab.tensor.autograd;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.UnaryOp;

/** Elementwise primitives: binary ops with numpy broadcasting and unary functions. Forward, then backward. */
public final class ElementwiseOps {
    private ElementwiseOps() {
    }

    static String opName(BinaryOp op) {
        return op.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** a ∘ b with broadcasting; a and b may be any strided views (the kernel reads them in place). */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(opName(op), a.shape(), b.shape());
        Tensor out = forwardBinary(op, a, b, shape);
        return Node.record(Rule.valueOf(op.name()), out, new Tensor[] {a, b}, (g, grads) -> {
            if (op == BinaryOp.ADD || op == BinaryOp.SUB) {
                // residual adds: a gradient still unset takes g itself (no zero-fill, no add);
                // b may not be adopted after a (g is then a's buffer) nor by SUB (it needs −g)
                boolean aTook = grads.adopt(0, g);
                Tensor dA = aTook ? null : grads.of(0);
                if (dA != null) {
                    Grads.accumulate(dA, g, 1f);
                }
                boolean bTook = !aTook && op == BinaryOp.ADD && grads.adopt(1, g);
                Tensor dB = bTook ? null : grads.of(1);
                if (dB != null) {
                    Grads.accumulate(dB, g, op == BinaryOp.ADD ? 1f : -1f);
                }
                return;
            }
            Tensor dA = grads.of(0);
            Tensor dB = grads.of(1);
            switch (op) {
                case ADD, SUB -> throw new AssertionError("handled above");
                case MUL -> {
                    if (dA != null) {
                        Grads.accumulate(dA, forwardBinary(BinaryOp.MUL, g, b, shape), 1f);
                    }
                    if (dB != null) {
                        Grads.accumulate(dB, forwardBinary(BinaryOp.MUL, g, a, shape), 1f);
                    }
                }
                case DIV -> {
                    if (dA != null) {
                        Grads.accumulate(dA, forwardBinary(BinaryOp.DIV, g, b, shape), 1f);
                    }
                    if (dB != null) {
                        // d(a/b)/db = −a/b² = −y/b
                        Tensor gy = forwardBinary(BinaryOp.MUL, g, out, shape);
                        Grads.accumulate(dB, forwardBinary(BinaryOp.DIV, gy, b, shape), -1f);
                    }
                }
            }
        });
    }

    // a, b (broadcastable to shape) -> out (shape), contiguous; no graph
    static Tensor forwardBinary(BinaryOp op, Tensor a, Tensor b, int[] shape) {
        Tensor out = Tensor.empty(shape); // binary writes every element
        Engine.backend().binary(op, shape,
                a.storage(), a.offset(), Shapes.broadcastStrides(a.shape(), a.strides(), shape),
                b.storage(), b.offset(), Shapes.broadcastStrides(b.shape(), b.strides(), shape),
                out.storage(), 0);
        return out;
    }

    /** y = f(x) (x is made contiguous first). */
    public static Tensor unary(UnaryOp op, float param, Tensor x) {
        Tensor xc = x.contiguous();
        int n = xc.numel();
        Backend be = Engine.backend();
        Tensor y = Tensor.empty(xc.shape()); // unary writes every element
        be.unary(op, param, xc.storage(), xc.offset(), y.storage(), 0, n);
        return Node.record(Rule.of(op), y, new Tensor[] {xc}, (g, grads) -> {
            Grads.Target dX = grads.target(0);
            Storage d = dX.buffer().storage();
            int dOff = dX.buffer().offset();
            if (dX.overwrite()) {
                Engine.backend().unaryBackwardStore(op, param, xc.storage(), xc.offset(), y.storage(), 0,
                        g.storage(), g.offset(), d, dOff, n);
            } else {
                Engine.backend().unaryBackward(op, param, xc.storage(), xc.offset(), y.storage(), 0,
                        g.storage(), g.offset(), d, dOff, n);
            }
        });
    }
}
