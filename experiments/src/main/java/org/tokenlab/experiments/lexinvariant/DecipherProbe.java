package org.tokenlab.experiments.lexinvariant;

import java.util.ArrayList;
import java.util.List;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.tensor.optim.AdamW;
import org.tokenlab.tensor.optim.ParamGroup;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.train.Batch;

/**
 * The decipher probe (papers.md §2.3): the lexinvariant model reads ciphered windows; a linear softmax
 * probe W (V,C), b (V) on its final hidden state h_t predicts the <i>plaintext</i> character x_t of the
 * symbol it has just read. It is trained on the train windows and scored by position on held-out
 * windows, against the frequency-rank baseline.
 */
final class DecipherProbe {
    private DecipherProbe() {
    }

    /** Probe and baseline accuracy at every position (1-based position t at index t−1). */
    record Result(double[] probeAccuracy, double[] baselineAccuracy, double probeTrainAccuracy, int[] sampleCipher,
                  int[] samplePrediction) {
    }

    /**
     * Runs the probe.
     *
     * @param plainTrain  plaintext windows for probe training (T+1 ids; the first T are read)
     * @param plainTest   held-out plaintext windows
     * @param globalFreq  plaintext character counts of the training text (the baseline's global ranking)
     * @param steps       Adam steps of probe training, minibatches of {@code batch} rows
     */
    static Result run(LexModel model, int[][] plainTrain, int[][] plainTest, long[] globalFreq, int steps,
                      int batch, int evalB, RandomStream r) {
        int V = model.visibleVocab();
        int C = model.gpt().config().nEmbd();
        int T = plainTrain[0].length - 1;
        int[][] ciphTrain = CharText.cipherAll(plainTrain, V, r.child("cipher-train"));
        int[][] ciphTest = CharText.cipherAll(plainTest, V, r.child("cipher-test"));
        float[] xTrain = features(model, ciphTrain, evalB, 3_000_000_000L);
        float[] xTest = features(model, ciphTest, evalB, 3_500_000_000L);
        int[] yTrain = readTargets(plainTrain, T);
        int[] yTest = readTargets(plainTest, T);

        Tensor w = Tensor.zeros(V, C).setRequiresGrad(true);
        Tensor bias = Tensor.zeros(V).setRequiresGrad(true);
        AdamW opt = new AdamW(ParamGroup.single(List.of(w, bias)), 1e-2f, 0.9f, 0.999f, 1e-8f);
        int n = yTrain.length;
        RandomStream pick = r.child("minibatches");
        for (int s = 0; s < steps; s++) {
            int rows = Math.min(batch, n);
            float[] xb = new float[rows * C];
            int[] yb = new int[rows];
            for (int i = 0; i < rows; i++) {
                int j = pick.nextInt(n);
                System.arraycopy(xTrain, j * C, xb, i * C, C);
                yb[i] = yTrain[j];
            }
            opt.zeroGrad();
            Tensor loss = F.crossEntropyMean(F.linear(Tensor.of(xb, rows, C), w, bias), yb, null, Batch.IGNORE);
            loss.backward();
            opt.step();
        }
        int[] predTest = predict(xTest, w, bias, V, C);
        int[] predTrain = predict(xTrain, w, bias, V, C);
        double trainAcc = 0;
        for (int i = 0; i < n; i++) {
            trainAcc += predTrain[i] == yTrain[i] ? 1 : 0;
        }
        double[] probe = new double[T];
        for (int i = 0; i < yTest.length; i++) {
            probe[i % T] += predTest[i] == yTest[i] ? 1 : 0;
        }
        double[] base = frequencyRankAccuracy(plainTest, ciphTest, globalFreq, T);
        for (int t = 0; t < T; t++) {
            probe[t] /= plainTest.length;
        }
        return new Result(probe, base, trainAcc / n, java.util.Arrays.copyOf(ciphTest[0], T),
                java.util.Arrays.copyOf(predTest, T));
    }

    /** h_t of every read position of every window, (N·T, C) row-major. */
    private static float[] features(LexModel model, int[][] windows, int B, long idBase) {
        int T = windows[0].length - 1;
        int C = model.gpt().config().nEmbd();
        float[] out = new float[windows.length * T * C];
        int at = 0;
        for (Batch b : CharText.batches(windows, B, idBase)) {
            float[] h = model.hidden(b);
            System.arraycopy(h, 0, out, at, h.length);
            at += h.length;
        }
        return out;
    }

    /** The plaintext of the T read symbols of each window, flattened (N·T). */
    private static int[] readTargets(int[][] plain, int T) {
        int[] y = new int[plain.length * T];
        for (int i = 0; i < plain.length; i++) {
            System.arraycopy(plain[i], 0, y, i * T, T);
        }
        return y;
    }

    private static int[] predict(float[] x, Tensor w, Tensor bias, int V, int C) {
        int n = x.length / C;
        int[] pred = new int[n];
        try (var ng = Engine.noGrad()) {
            int chunk = 4096;
            for (int s = 0; s < n; s += chunk) {
                int rows = Math.min(chunk, n - s);
                float[] xb = java.util.Arrays.copyOfRange(x, s * C, (s + rows) * C);
                float[] z = F.linear(Tensor.of(xb, rows, C), w, bias).toArray();
                for (int i = 0; i < rows; i++) {
                    int arg = 0;
                    for (int v = 1; v < V; v++) {
                        if (z[i * V + v] > z[i * V + arg]) {
                            arg = v;
                        }
                    }
                    pred[s + i] = arg;
                }
            }
        }
        return pred;
    }

    /**
     * The frequency-rank baseline: at position t, rank the cipher symbols of the prefix x_1..x_t by count
     * (ties: earlier first occurrence first), and map the current symbol's rank k to the plaintext
     * character of global rank k (ties: smaller id first). Accuracy per position over the windows.
     */
    static double[] frequencyRankAccuracy(int[][] plain, int[][] cipher, long[] globalFreq, int T) {
        int V = globalFreq.length;
        Integer[] order = new Integer[V];
        for (int v = 0; v < V; v++) {
            order[v] = v;
        }
        java.util.Arrays.sort(order, (a, b) -> globalFreq[a] != globalFreq[b] ? Long.compare(globalFreq[b], globalFreq[a]) : Integer.compare(a, b));
        double[] acc = new double[T];
        for (int w = 0; w < plain.length; w++) {
            long[] count = new long[V];
            int[] first = new int[V];
            List<Integer> seen = new ArrayList<>();
            for (int t = 0; t < T; t++) {
                int c = cipher[w][t];
                if (count[c]++ == 0) {
                    first[c] = t;
                    seen.add(c);
                }
                int rank = 0;
                for (int o : seen) {
                    if (o != c && (count[o] > count[c] || (count[o] == count[c] && first[o] < first[c]))) {
                        rank++;
                    }
                }
                acc[t] += order[rank] == plain[w][t] ? 1 : 0;
            }
        }
        for (int t = 0; t < T; t++) {
            acc[t] /= plain.length;
        }
        return acc;
    }
}
