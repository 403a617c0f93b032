package org.tokenlab.transformer.train;

import org.tokenlab.tensor.rng.RandomStream;

import java.util.List;

/**
 * Epochs over a fixed set of examples (fine-tuning, hyperfitting, task data): each epoch visits every
 * example once in an order shuffled by the stream {@code child(epoch)}; batches run across epoch
 * boundaries. Examples shorter than T are padded (input 0, target IGNORE). Sequence ids are the example
 * indices plus {@code idBase}, so the same example always gets the same per-sequence randomness.
 */
public final class SequenceEpochs implements BatchSource {

    /**
     * One training example.
     *
     * @param inputs       input ids (length ≤ T)
     * @param targets      targets, same length; {@link Batch#IGNORE} masks a position
     * @param weights      per-token loss weights (same length) or null
     * @param condition    ADAPTER conditioning vector or null
     * @param prefixTokens TOKENS prefix or null
     */
    public record Example(int[] inputs, int[] targets, float[] weights, float[] condition, int[] prefixTokens) {
        public Example {
            if (inputs.length != targets.length || inputs.length == 0) {
                throw new IllegalArgumentException("Example: inputs (" + inputs.length + ") and targets ("
                        + targets.length + ") must have the same non-zero length");
            }
            if (weights != null && weights.length != inputs.length) {
                throw new IllegalArgumentException("Example: weights length " + weights.length + " != " + inputs.length);
            }
        }

        /** A language-modelling example: targets are the sequence shifted by one. */
        public static Example shifted(int[] sequence) {
            if (sequence.length < 2) {
                throw new IllegalArgumentException("a sequence needs at least 2 tokens, got " + sequence.length);
            }
            int[] in = java.util.Arrays.copyOf(sequence, sequence.length - 1);
            int[] tg = java.util.Arrays.copyOfRange(sequence, 1, sequence.length);
            return new Example(in, tg, null, null, null);
        }
    }

    private final List<Example> examples;
    private final int B;
    private final int T;
    private final RandomStream root;
    private final long idBase;
    private long epoch;
    private int index;
    private int[] order;

    public SequenceEpochs(List<Example> examples, int B, int T, RandomStream root, long idBase) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("SequenceEpochs: no examples");
        }
        for (int i = 0; i < examples.size(); i++) {
            if (examples.get(i).inputs().length > T) {
                throw new IllegalArgumentException("example " + i + " has " + examples.get(i).inputs().length
                        + " positions, more than T=" + T);
            }
        }
        this.examples = List.copyOf(examples);
        this.B = B;
        this.T = T;
        this.root = root;
        this.idBase = idBase;
        this.order = orderOf(0);
    }

    /** The current epoch (0-based) and the index within it. */
    public long epoch() {
        return epoch;
    }

    private int[] orderOf(long e) {
        int[] o = new int[examples.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = i;
        }
        root.child(e).shuffle(o);
        return o;
    }

    @Override
    public Batch next() {
        int[] in = new int[B * T];
        int[] tg = new int[B * T];
        java.util.Arrays.fill(tg, Batch.IGNORE);
        float[] w = null;
        long[] ids = new long[B];
        float[] cond = null;
        int[] prefix = null;
        for (int b = 0; b < B; b++) {
            if (index == order.length) {
                epoch++;
                index = 0;
                order = orderOf(epoch);
            }
            int ex = order[index++];
            Example e = examples.get(ex);
            System.arraycopy(e.inputs(), 0, in, b * T, e.inputs().length);
            System.arraycopy(e.targets(), 0, tg, b * T, e.targets().length);
            if (e.weights() != null) {
                if (w == null) {
                    w = new float[B * T];
                    java.util.Arrays.fill(w, 1f);
                }
                System.arraycopy(e.weights(), 0, w, b * T, e.weights().length);
            }
            if (e.condition() != null) {
                if (cond == null) {
                    cond = new float[B * e.condition().length];
                }
                System.arraycopy(e.condition(), 0, cond, b * e.condition().length, e.condition().length);
            }
            if (e.prefixTokens() != null) {
                if (prefix == null) {
                    prefix = new int[B * e.prefixTokens().length];
                }
                System.arraycopy(e.prefixTokens(), 0, prefix, b * e.prefixTokens().length, e.prefixTokens().length);
            }
            ids[b] = idBase + ex;
        }
        return new Batch(B, T, in, tg, w, ids, cond, prefix);
    }

    @Override
    public long[] state() {
        return new long[]{epoch, index};
    }

    @Override
    public void restore(long[] state) {
        if (state.length != 2) {
            throw new IllegalArgumentException("SequenceEpochs state must have 2 entries, got " + state.length);
        }
        epoch = state[0];
        index = (int) state[1];
        order = orderOf(epoch);
    }
}
