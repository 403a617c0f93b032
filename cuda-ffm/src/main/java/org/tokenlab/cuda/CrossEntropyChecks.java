package org.tokenlab.cuda;

/** Host-side validation of cross-entropy targets and weights, before anything is enqueued (same messages as ScalarBackend). */
final class CrossEntropyChecks {
    private CrossEntropyChecks() {
    }

    static void check(int N, int V, int[] targets, float[] weights, int ignoreIndex, String what) {
        if (targets.length < N) {
            throw new IllegalArgumentException(what + ": " + targets.length + " targets for N=" + N);
        }
        if (weights != null && weights.length < N) {
            throw new IllegalArgumentException(what + ": " + weights.length + " weights for N=" + N);
        }
        for (int n = 0; n < N; n++) {
            int t = targets[n];
            if (t != ignoreIndex && (t < 0 || t >= V)) {
                throw new IllegalArgumentException("crossEntropy: target " + t + " at position " + n
                        + " is outside [0, " + V + ")"); // the scalar backend's words

            }
        }
    }
}
