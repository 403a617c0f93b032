package org.tokenlab.jmh;

/**
 * One GEMM problem of the benchmark suite, parsed from a JMH parameter: {@code "1024"} is the square
 * 1024³ product C = A·B; {@code "2048x512x128T"} is M × N × K with op(B) = Bᵀ, the Linear-layer
 * forward {@code out (BT, OC) = inp (BT, C) · W (OC, C)ᵀ}; {@code "512x128x2048A"} has op(A) = Aᵀ with A
 * stored (K, M), the weight gradient {@code dW (OC, C) = dY (BT, OC)ᵀ · X (BT, C)}.
 */
record GemmShape(int M, int N, int K, boolean transA, boolean transB) {
    static GemmShape parse(String s) {
        String t = s.trim();
        boolean transB = t.endsWith("T");
        boolean transA = t.endsWith("A");
        if (transA || transB) {
            t = t.substring(0, t.length() - 1);
        }
        String[] p = t.split("x");
        try {
            if (p.length == 1) {
                int n = Integer.parseInt(p[0]);
                return new GemmShape(n, n, n, transA, transB);
            }
            if (p.length == 3) {
                return new GemmShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), transA, transB);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("GEMM shape must be N or MxNxK with an optional T (Bᵀ) or A (Aᵀ) suffix, got '" + s + "'");
    }

    /** Floating-point operations of one product: 2·M·N·K. */
    long flops() {
        return 2L * M * N * K;
    }

    int lda() {
        return transA ? M : K;
    }

    /** Table label: " (Aᵀ)", " (Bᵀ)" or "". */
    String transLabel() {
        return transA ? " (Aᵀ)" : transB ? " (Bᵀ)" : "";
    }

    int ldb() {
        return transB ? K : N;
    }
}
