package org.tokenlab.experiments.lexinvariant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.train.Batch;

/**
 * In-context reasoning tasks over abstract symbols (papers.md §2.3, our adaptation): 256 symbols in two
 * pools, A = ids 0–127 (training) and B = ids 128–255 (never trained), plus six marker tokens.
 * <ul>
 *   <li><b>LookUp</b>: {@code LK k1 v1 … k8 v8 Q k A v} (8 distinct keys; the query is one of them).</li>
 *   <li><b>Reverse</b>: {@code RV s1 … sm A sm … s1}, 2 ≤ m ≤ 12.</li>
 *   <li><b>Permute-apply</b>: {@code PM a1 b1 … a6 b6 SEP x1 … x6 A f(x1) … f(x6)}, f(aᵢ) = bᵢ, the xⱼ
 *       drawn from the aᵢ.</li>
 * </ul>
 * Instances (random task each) are packed into sequences of T+1 tokens; the loss covers answer tokens
 * only. An instance is correct when every answer token is the model's arg-max under teacher forcing,
 * which is exactly when greedy decoding would reproduce the answer.
 */
final class SyntheticTasks {
    static final int SYMBOLS = 256;
    static final int POOL = 128;
    static final int LK = 256;
    static final int RV = 257;
    static final int PM = 258;
    static final int Q = 259;
    static final int SEP = 260;
    static final int ANS = 261;
    /** V of the task vocabulary. */
    static final int V = 262;
    static final String[] NAMES = {"LookUp", "Reverse", "Permute-apply"};

    private SyntheticTasks() {
    }

    /** One instance: its tokens and where its answer starts. */
    record Instance(int task, int[] tokens, int answerStart) {
    }

    /** An instance of {@code task} with symbols from the pool starting at {@code poolLo}. */
    static Instance instance(int task, int poolLo, RandomStream r) {
        List<Integer> t = new ArrayList<>();
        int answer;
        switch (task) {
            case 0 -> {
                int[] keys = distinct(8, poolLo, r);
                t.add(LK);
                int[] vals = new int[8];
                for (int i = 0; i < 8; i++) {
                    vals[i] = poolLo + r.nextInt(POOL);
                    t.add(keys[i]);
                    t.add(vals[i]);
                }
                int q = r.nextInt(8);
                t.add(Q);
                t.add(keys[q]);
                t.add(ANS);
                answer = t.size();
                t.add(vals[q]);
            }
            case 1 -> {
                int m = 2 + r.nextInt(11);
                int[] s = new int[m];
                t.add(RV);
                for (int i = 0; i < m; i++) {
                    s[i] = poolLo + r.nextInt(POOL);
                    t.add(s[i]);
                }
                t.add(ANS);
                answer = t.size();
                for (int i = m - 1; i >= 0; i--) {
                    t.add(s[i]);
                }
            }
            case 2 -> {
                int[] a = distinct(6, poolLo, r);
                int[] b = distinct(6, poolLo, r);
                t.add(PM);
                for (int i = 0; i < 6; i++) {
                    t.add(a[i]);
                    t.add(b[i]);
                }
                t.add(SEP);
                int[] x = new int[6];
                for (int j = 0; j < 6; j++) {
                    x[j] = r.nextInt(6);
                    t.add(a[x[j]]);
                }
                t.add(ANS);
                answer = t.size();
                for (int j = 0; j < 6; j++) {
                    t.add(b[x[j]]);
                }
            }
            default -> throw new IllegalArgumentException("unknown task " + task + "; tasks are 0, 1, 2");
        }
        return new Instance(task, t.stream().mapToInt(Integer::intValue).toArray(), answer);
    }

    private static int[] distinct(int n, int poolLo, RandomStream r) {
        int[] all = new int[POOL];
        for (int i = 0; i < POOL; i++) {
            all[i] = poolLo + i;
        }
        r.shuffle(all);
        return Arrays.copyOf(all, n);
    }

    /**
     * A packed sequence of T+1 tokens with its instances (answer spans given as token indices; spans
     * may run past the window, such instances are not scored).
     */
    record Packed(int[] tokens, boolean[] isAnswer, List<int[]> answers, List<Integer> tasks) {
    }

    static Packed pack(int T, int poolLo, RandomStream r) {
        int[] tokens = new int[T + 1];
        boolean[] isAnswer = new boolean[T + 1];
        List<int[]> answers = new ArrayList<>();
        List<Integer> tasks = new ArrayList<>();
        int at = 0;
        for (int i = 0; at <= T; i++) {
            Instance in = instance(r.nextInt(3), poolLo, r.child(i));
            for (int j = 0; j < in.tokens().length && at + j <= T; j++) {
                tokens[at + j] = in.tokens()[j];
                isAnswer[at + j] = j >= in.answerStart();
            }
            answers.add(new int[]{at + in.answerStart(), at + in.tokens().length}); // [start, end)
            tasks.add(in.task());
            at += in.tokens().length;
        }
        return new Packed(tokens, isAnswer, answers, tasks);
    }

    /** B packed sequences as a batch whose targets are the answer tokens only. */
    static Batch batch(Packed[] seqs, long idBase) {
        int B = seqs.length;
        int T = seqs[0].tokens().length - 1;
        int[] in = new int[B * T];
        int[] tg = new int[B * T];
        long[] ids = new long[B];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                in[b * T + t] = seqs[b].tokens()[t];
                tg[b * T + t] = seqs[b].isAnswer()[t + 1] ? seqs[b].tokens()[t + 1] : Batch.IGNORE;
            }
            ids[b] = idBase + b;
        }
        return Batch.of(B, T, in, tg, ids);
    }

    /** {@code n} packed sequences from stream {@code r}. */
    static Packed[] sequences(int n, int T, int poolLo, RandomStream r) {
        Packed[] out = new Packed[n];
        for (int i = 0; i < n; i++) {
            out[i] = pack(T, poolLo, r.child(i));
        }
        return out;
    }

    /** Per-task exact-match accuracy (3 entries) of {@code model} on {@code seqs}; NaN for a task never scored. */
    static double[] accuracy(LexModel model, Packed[] seqs, int B, long idBase) {
        int T = seqs[0].tokens().length - 1;
        double[] correct = new double[3];
        double[] total = new double[3];
        for (int s0 = 0; s0 < seqs.length; s0 += B) {
            Packed[] chunk = Arrays.copyOfRange(seqs, s0, Math.min(seqs.length, s0 + B));
            int[] argmax = model.score(new Batch[]{batch(chunk, idBase + s0)}).argmax()[0];
            for (int b = 0; b < chunk.length; b++) {
                Packed p = chunk[b];
                for (int i = 0; i < p.answers().size(); i++) {
                    int[] span = p.answers().get(i);
                    if (span[1] - 1 > T) {
                        continue; // answer runs past the window
                    }
                    boolean ok = true;
                    for (int j = span[0]; j < span[1]; j++) {
                        ok &= argmax[b * T + j - 1] == p.tokens()[j];
                    }
                    int task = p.tasks().get(i);
                    correct[task] += ok ? 1 : 0;
                    total[task]++;
                }
            }
        }
        double[] acc = new double[3];
        for (int k = 0; k < 3; k++) {
            acc[k] = total[k] == 0 ? Double.NaN : correct[k] / total[k];
        }
        return acc;
    }

    /** The mean over tasks (ignoring NaN). */
    static double mean(double[] acc) {
        return Arrays.stream(acc).filter(a -> !Double.isNaN(a)).average().orElse(Double.NaN);
    }
}
