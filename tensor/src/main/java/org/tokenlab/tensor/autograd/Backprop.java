package org.tokenlab.tensor.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.Tensor;

/**
 * Reverse-mode differentiation over the tape: topological sort from the root, then each node's
 * backward in reverse order, in a no-grad scope. Gradients of leaves that require grad are added to
 * their {@code .grad}; gradients of intermediate tensors are freed as soon as they have been used. The
 * graph is released as it is walked (nodes are detached from their outputs); a later backward that
 * reaches a released tensor fails instead of silently treating it as a leaf.
 */
public final class Backprop {
    private Backprop() {
    }

    /** Back-propagates {@code seed} (root's shape) from {@code root}. */
    public static void run(Tensor root, Tensor seed) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: tensor " + root.describe() + " does not require grad");
        }
        if (!java.util.Arrays.equals(root.shape(), seed.shape())) {
            throw new IllegalArgumentException("backward: seed shape " + Shapes.str(seed.shape())
                    + " does not match tensor shape " + Shapes.str(root.shape()));
        }
        List<Tensor> order = topologicalOrder(root);
        // inside a StepMemory scope, op outputs go back to the pool once their op's backward has run
        boolean recycleOutputs = StepMemory.current() != null;
        try (var ng = Engine.noGrad()) {
            Grads grads = new Grads();
            Tensor g0 = grads.bufferOf(root);
            Tensor s = seed.contiguous();
            Engine.backend().axpy(g0.numel(), 1f, s.storage(), s.offset(), g0.storage(), 0);
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.take(t);
                Node node = t.node();
                if (node == null && t.isReleased()) {
                    throw new IllegalStateException("backward: the graph through " + t.describe()
                            + " was already released by an earlier backward; build it again, or call backward"
                            + " once on the sum of the losses");
                }
                if (node == null) {
                    if (g != null) {
                        t.accumulateGrad(g);
                    }
                    continue;
                }
                if (g != null) {
                    grads.setCurrent(node);
                    node.runBackward(g, grads);
                    grads.recycle(g); // g is dead: rules only read it while they run
                }
                if (recycleOutputs && node.ownsOutput()) {
                    // every reader of t (its consumers' backwards, its own) has run: t is dead
                    grads.pool().give(t.storage());
                }
                t.release(); // release the graph as we go
            }
        }
    }

    /** Tensors reachable from root through nodes, inputs before outputs (iterative DFS). */
    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Node node = t.node();
            if (node != null && next < node.arity()) {
                frame[1] = next + 1;
                Tensor in = node.input(next);
                if (in.requiresGrad() && visited.add(in)) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
