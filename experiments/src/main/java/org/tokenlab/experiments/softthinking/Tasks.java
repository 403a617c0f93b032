package org.tokenlab.experiments.softthinking;

import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.SequenceEpochs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The two reasoning tasks of papers.md §5.3 over one 20-token vocabulary.
 * <ul>
 *   <li><b>Task A</b>, chained modular sum: {@code Q: 3 5 7 ? <think> 3 + 5 = 8 8 + 7 = 5 </think> A: 5 <eos>},
 *       the running sum mod 10; the CoT has 5·(n−1) tokens before {@code </think>} (papers.md's count; the
 *       {@code ;} separators of its example are dropped so that n = 10 still fits in T = 64).</li>
 *   <li><b>Task B</b>, path finding in a random DAG with dead ends:
 *       {@code Q: a > b c > d ... ; s > t ? <think> s x y t </think> <eos>}; the CoT lists the nodes of one
 *       s→t path chosen uniformly among all of them, so the next-node distribution is genuinely multi-modal.</li>
 * </ul>
 * A <em>direct</em> example of Task A drops the CoT: {@code Q: ... ? A: 5 <eos>}.
 */
final class Tasks {
    private Tasks() {
    }

    /** Token ids: digits (Task A) and node names (Task B) are 0..9. */
    static final int Q = 10, ASK = 11, THINK = 12, PLUS = 13, EQ = 14, SEMI = 15, END_THINK = 16, ANS = 17, EOS = 18,
            ARROW = 19, V = 20;

    private static final String[] NAMES = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "Q:", "?", "<think>", "+",
            "=", ";", "</think>", "A:", "<eos>", ">"};

    /**
     * One problem.
     *
     * @param prompt  what the decoder is given (ends with {@code <think>} for CoT problems, {@code ?} for direct)
     * @param target  the reference continuation (CoT, {@code </think>}, answer, {@code <eos>})
     * @param answer  Task A: the sum mod 10; Task B: −1 (a path is checked against the graph)
     * @param edges   Task B: adjacency (edges[a][b] true for a > b), else null
     * @param source  Task B: start node, else −1
     * @param sink    Task B: goal node, else −1
     */
    record Problem(int[] prompt, int[] target, int answer, boolean[][] edges, int source, int sink) {
        /** The full training sequence prompt + target. */
        int[] sequence() {
            int[] s = Arrays.copyOf(prompt, prompt.length + target.length);
            System.arraycopy(target, 0, s, prompt.length, target.length);
            return s;
        }
    }

    /** Task A with n summands drawn from {@code r}; {@code cot} chooses the CoT or the direct format. */
    static Problem chainSum(RandomStream r, int n, boolean cot) {
        int[] digits = new int[n];
        for (int i = 0; i < n; i++) {
            digits[i] = r.nextInt(10);
        }
        return chainSum(digits, cot);
    }

    /** Task A for the given digits. */
    static Problem chainSum(int[] digits, boolean cot) {
        int n = digits.length;
        if (n < 2) {
            throw new IllegalArgumentException("Task A needs at least 2 digits, got " + n);
        }
        int[] prompt = new int[n + (cot ? 3 : 2)];
        prompt[0] = Q;
        System.arraycopy(digits, 0, prompt, 1, n);
        prompt[n + 1] = ASK;
        if (cot) {
            prompt[n + 2] = THINK;
        }
        List<Integer> t = new ArrayList<>();
        int sum = digits[0];
        for (int i = 1; i < n; i++) {
            int next = (sum + digits[i]) % 10;
            if (cot) {
                t.addAll(List.of(sum, PLUS, digits[i], EQ, next));
            }
            sum = next;
        }
        if (cot) {
            t.add(END_THINK);
        }
        t.addAll(List.of(ANS, sum, EOS));
        return new Problem(prompt, t.stream().mapToInt(Integer::intValue).toArray(), sum, null, -1, -1);
    }

    /** Task B: a random DAG of {@code nodes} (≤ 10) nodes whose prompt + CoT fit in {@code blockSize}. */
    static Problem pathFinding(RandomStream r, int nodes, int blockSize) {
        for (int attempt = 0; ; attempt++) {
            Problem p = tryPath(r.child(attempt), nodes);
            if (p != null && p.prompt.length + p.target.length <= blockSize) {
                return p;
            }
        }
    }

    private static Problem tryPath(RandomStream r, int N) {
        int[] label = new int[N]; // topological position -> node name
        for (int i = 0; i < N; i++) {
            label[i] = i;
        }
        r.child("labels").shuffle(label);
        boolean[][] e = new boolean[10][10];
        List<int[]> list = new ArrayList<>();
        // Every position but the last gets 1-2 edges to the next three positions; position N-2 and some
        // others lose theirs to the sink's side, which makes dead ends.
        for (int i = 0; i < N - 1; i++) {
            int out = 1 + r.nextInt(2);
            for (int k = 0; k < out; k++) {
                int j = Math.min(N - 1, i + 1 + r.nextInt(3));
                if (!e[label[i]][label[j]]) {
                    e[label[i]][label[j]] = true;
                    list.add(new int[]{label[i], label[j]});
                }
            }
        }
        int s = label[0];
        int t = label[N - 1];
        List<int[]> paths = new ArrayList<>();
        paths(e, s, t, new int[N], 0, paths);
        if (paths.isEmpty() || list.size() > 14) {
            return null;
        }
        int[][] edges = list.toArray(new int[0][]);
        int[] order = new int[edges.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        r.child("edge-order").shuffle(order);
        int[] prompt = new int[1 + 3 * edges.length + 6];
        int k = 0;
        prompt[k++] = Q;
        for (int i : order) {
            prompt[k++] = edges[i][0];
            prompt[k++] = ARROW;
            prompt[k++] = edges[i][1];
        }
        prompt[k++] = SEMI;
        prompt[k++] = s;
        prompt[k++] = ARROW;
        prompt[k++] = t;
        prompt[k++] = ASK;
        prompt[k] = THINK;
        int[] path = paths.get(r.child("path").nextInt(paths.size()));
        int[] target = Arrays.copyOf(path, path.length + 2);
        target[path.length] = END_THINK;
        target[path.length + 1] = EOS;
        return new Problem(prompt, target, -1, e, s, t);
    }

    private static void paths(boolean[][] e, int at, int t, int[] prefix, int len, List<int[]> out) {
        prefix[len++] = at;
        if (at == t) {
            out.add(Arrays.copyOf(prefix, len));
            return;
        }
        for (int b = 0; b < 10; b++) {
            if (e[at][b]) {
                paths(e, b, t, prefix, len, out);
            }
        }
    }

    /**
     * Whether a generated continuation (after the prompt) solves the problem. Task A: the token after the
     * first {@code A:} that follows {@code </think>} (or the start, for direct answers) is the answer.
     * Task B: the tokens before {@code </think>} are a path from source to sink along edges of the graph.
     */
    static boolean correct(Problem p, int[] generated) {
        int end = indexOf(generated, END_THINK);
        if (p.edges() == null) {
            int from = end < 0 ? 0 : end + 1;
            int a = indexOf(Arrays.copyOfRange(generated, from, generated.length), ANS);
            return a >= 0 && from + a + 1 < generated.length && generated[from + a + 1] == p.answer();
        }
        if (end < 1 || generated[0] != p.source() || generated[end - 1] != p.sink()) {
            return false;
        }
        for (int i = 0; i + 1 < end; i++) {
            int a = generated[i], b = generated[i + 1];
            if (a > 9 || b > 9 || !p.edges()[a][b]) {
                return false;
            }
        }
        return true;
    }

    /** Thinking length: generated tokens up to and including {@code </think>} (all of them if absent). */
    static int thinkingLength(int[] generated) {
        int end = indexOf(generated, END_THINK);
        return end < 0 ? generated.length : end + 1;
    }

    static int indexOf(int[] a, int token) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == token) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A training example with loss on the target tokens only (the prompt's positions are masked):
     * inputs are the sequence without its last token, targets the sequence shifted by one.
     */
    static SequenceEpochs.Example example(Problem p) {
        int[] seq = p.sequence();
        int[] in = Arrays.copyOf(seq, seq.length - 1);
        int[] tg = Arrays.copyOfRange(seq, 1, seq.length);
        for (int i = 0; i < p.prompt().length - 1; i++) {
            tg[i] = Batch.IGNORE;
        }
        return new SequenceEpochs.Example(in, tg, null, null, null);
    }

    /** Readable text of tokens. */
    static String text(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(t >= 0 && t < V ? NAMES[t] : "#" + t);
        }
        return sb.toString();
    }
}
