package org.tokenlab.tensor.backend;

/**
 * The kernels every backend implements. Kernels work on flat {@link Storage} with element offsets and
 * explicit shapes; the tensor layer (views, broadcasting, autograd) sits above and calls these.
 *
 * <p>Conventions (DESIGN.md): dimension names B batch, T time, C channels, NH heads, HS head size,
 * V vocabulary, N rows. All 2-D operands are row-major. Unless a signature takes strides, its operands
 * are contiguous. Backward kernels <b>accumulate</b> into their gradient outputs ({@code d* +=}) unless
 * their Javadoc says "writes". Every kernel must give results that do not depend on the thread count.
 *
 * <p>{@link ScalarBackend} is the reference: plain loops, never optimised. Faster backends are tested
 * against it with stated tolerances.
 */
public interface Backend {

    /** A short name: "scalar", "simd", "cuda". */
    String name();

    /** How {@link #matmul} treats float32 inputs; {@link MatmulPrecision#FP32} unless set otherwise. */
    default MatmulPrecision matmulPrecision() {
        return MatmulPrecision.FP32;
    }

    /**
     * Chooses how {@link #matmul} treats float32 inputs. Backends that compute in float32 only (the CPU
     * ones) accept FP32 and refuse anything else with a message, rather than silently ignoring it.
     */
    default void setMatmulPrecision(MatmulPrecision p) {
        if (p != MatmulPrecision.FP32) {
            throw new IllegalArgumentException("matmul precision " + p.id() + " needs the cuda backend; the " + name()
                    + " backend computes matmul in fp32 only");
        }
    }

    // ---------------------------------------------------------------- memory

    /** A zero-filled storage of {@code n} floats. */
    Storage allocate(int n);

    /** A storage holding a copy of {@code host}. */
    Storage upload(float[] host);

    /** Copies {@code n} floats from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    void download(Storage src, int srcOff, float[] dst, int dstOff, int n);

    /** Copies {@code n} floats between storages of this backend. */
    void copy(Storage src, int srcOff, Storage dst, int dstOff, int n);

    /** Sets {@code n} floats starting at {@code off} to {@code value}. */
    void fill(Storage dst, int off, int n, float value);

    /**
     * Gathers a strided view into contiguous memory (writes):
     * {@code out[outOff + flat(i)] = x[xOff + Σ_d i_d·strides[d]]} over all indices i of {@code shape}.
     */
    void gather(int[] shape, Storage x, int xOff, int[] strides, Storage out, int outOff);

    // ---------------------------------------------------------------- GEMM

    /**
     * Batched GEMM (writes, with beta): for b in [0, batch):
     * {@code C_b = alpha · op(A_b) · op(B_b) + beta · C_b}, op(A) (M,K), op(B) (K,N), C (M,N).
     * A_b starts at {@code aOff + b·strideA}; element (i,k) of op(A) is {@code a[i·lda + k]} if not
     * transA, else {@code a[k·lda + i]}; likewise for B with (k,j). C (i,j) is {@code c[i·ldc + j]}.
     * With beta = 0 the old contents of C are ignored (NaNs included).
     */
    void matmul(int batch, int M, int N, int K, float alpha,
                Storage a, int aOff, int lda, int strideA, boolean transA,
                Storage b, int bOff, int ldb, int strideB, boolean transB,
                float beta, Storage c, int cOff, int ldc, int strideC);

    /**
     * A Linear layer's forward (writes): {@code C (M,N) = bias (N) in every row + A (M,K) · op(B)}, op(B) (K,N),
     * C contiguous at {@code cOff} (row stride N). The result must have the bits of {@link #gather}ing the bias
     * into C and then {@link #matmul} with alpha = 1 and beta = 1, which is what this default does; a backend
     * may fuse the two so that C is written once instead of twice.
     */
    default void matmulBias(int M, int N, int K, Storage a, int aOff, int lda,
                            Storage b, int bOff, int ldb, boolean transB,
                            Storage bias, int biasOff, Storage c, int cOff) {
        gather(new int[] {M, N}, bias, biasOff, new int[] {0, 1}, c, cOff);
        matmul(1, M, N, K, 1f, a, aOff, lda, 0, false, b, bOff, ldb, 0, transB, 1f, c, cOff, N, 0);
    }

    /**
     * A Linear layer's weight and bias gradients (writes C and rowSums): {@code C (M,N) = gᵀ·x + beta·C} with g
     * (K,M) contiguous at gOff and x (K,N) with row stride ldx, C contiguous at cOff (row stride N), and
     * {@code rowSums[rowSumsOff + i] = Σ_k g[k, i]} over the K rows of g. The result must have the bits of
     * {@link #matmul} with A = g transposed and then {@link #reduce} SUM over g's rows, which is what this
     * default does; a backend may take the sums while it reads g for the product, reading g once instead of twice.
     */
    default void matmulWeightGrad(int M, int N, int K, Storage g, int gOff, Storage x, int xOff, int ldx,
                                  float beta, Storage c, int cOff, Storage rowSums, int rowSumsOff) {
        matmul(1, M, N, K, 1f, g, gOff, M, 0, true, x, xOff, ldx, 0, false, beta, c, cOff, N, 0);
        reduce(ReduceOp.SUM, 1, K, M, g, gOff, rowSums, rowSumsOff, null);
    }

    // ---------------------------------------------------------------- elementwise

    /**
     * out = a ∘ b with broadcasting (writes). {@code shape} is the output shape (row-major, contiguous
     * at {@code outOff}); aStrides/bStrides give each operand's element strides per output dimension,
     * 0 on broadcast dimensions.
     */
    void binary(BinaryOp op, int[] shape, Storage a, int aOff, int[] aStrides,
                Storage b, int bOff, int[] bStrides, Storage out, int outOff);

    /** y = f(x) elementwise over n contiguous elements (writes). */
    void unary(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff, int n);

    /**
     * dX += dY · f'(x) over n contiguous elements. {@code y} is f(x) as computed by the forward (some
     * derivatives are cheaper from y: exp, tanh, sqrt).
     */
    void unaryBackward(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff,
                       Storage dY, int dYOff, Storage dX, int dXOff, int n);

    /**
     * dX = dY · f'(x) over n contiguous elements (writes; dX's old contents are never read): the bits of
     * zero-filling dX and then {@link #unaryBackward}, which is what this default does. A backend may store
     * directly, saving the fill and the read of the zeros.
     */
    default void unaryBackwardStore(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff,
                                    Storage dY, int dYOff, Storage dX, int dXOff, int n) {
        fill(dX, dXOff, n, 0f);
        unaryBackward(op, param, x, xOff, y, yOff, dY, dYOff, dX, dXOff, n);
    }

    /** dst += alpha · src over n contiguous elements. */
    void axpy(int n, float alpha, Storage src, int srcOff, Storage dst, int dstOff);

    // ---------------------------------------------------------------- reductions

    /**
     * Reduces x viewed as (outer, R, inner) over the middle axis into out (outer, inner) (writes).
     * For MAX, {@code argmax} (outer·inner entries, may be null for SUM) receives the winning index
     * in [0, R) (the first one on ties).
     */
    void reduce(ReduceOp op, int outer, int R, int inner, Storage x, int xOff, Storage out, int outOff, int[] argmax);

    /**
     * Σ x[i]² over n contiguous elements, accumulated in double in a fixed order (for gradient-norm
     * clipping).
     */
    double sumOfSquares(Storage x, int off, int n);

    /**
     * {@link #sumOfSquares} of several ranges: {@code out[i]} is exactly {@code sumOfSquares(xs[i], offs[i],
     * ns[i])}. A device backend overrides it to wait for the device once for all ranges rather than once
     * per range (gradient clipping asks for one per parameter tensor every step).
     */
    default double[] sumsOfSquares(Storage[] xs, int[] offs, int[] ns) {
        requireRanges(xs, offs, ns);
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = sumOfSquares(xs[i], offs[i], ns[i]);
        }
        return out;
    }

    /** The argument check of {@link #sumsOfSquares}: one offset and one length per storage. */
    static void requireRanges(Storage[] xs, int[] offs, int[] ns) {
        if (offs.length != xs.length || ns.length != xs.length) {
            throw new IllegalArgumentException("sumsOfSquares: " + xs.length + " storages, " + offs.length
                    + " offsets, " + ns.length + " lengths");
        }
    }

    // ---------------------------------------------------------------- softmax and norms

    /** x (rows, cols) → y (rows, cols), softmax (or log-softmax) over the last axis (writes). */
    void softmax(int rows, int cols, Storage x, int xOff, Storage y, int yOff, boolean log);

    /**
     * dX += softmax'(dY): for softmax dX = y ⊙ (dY − Σ dY·y); for log-softmax dX = dY − exp(y)·Σ dY.
     */
    void softmaxBackward(int rows, int cols, Storage y, int yOff, Storage dY, int dYOff,
                         Storage dX, int dXOff, boolean log);

    /**
     * Layer norm over the last axis (writes): x (N,C), weight (C), bias (C, may be null) → y (N,C),
     * mean (N), rstd (N) saved for the backward.
     */
    void layerNorm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage bias,
                   Storage y, int yOff, Storage mean, Storage rstd);

    /** dX += …, dWeight += …, dBias += … (dBias may be null) for {@link #layerNorm}. */
    void layerNormBackward(int N, int C, Storage x, int xOff, Storage weight, Storage mean, Storage rstd,
                           Storage dY, int dYOff, Storage dX, int dXOff, Storage dWeight, Storage dBias);

    /** RMS norm over the last axis (writes): x (N,C), weight (C) → y (N,C), rstd (N). */
    void rmsNorm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage y, int yOff, Storage rstd);

    /** dX += …, dWeight += … for {@link #rmsNorm}. */
    void rmsNormBackward(int N, int C, Storage x, int xOff, Storage weight, Storage rstd,
                         Storage dY, int dYOff, Storage dX, int dXOff, Storage dWeight);

    // ---------------------------------------------------------------- embeddings

    /** out[n] = table[idx[n]] (writes): idx (N), table (V,C) → out (N,C). Indices are checked. */
    void embedding(int N, int C, int[] idx, Storage table, Storage out, int outOff);

    /** dTable[idx[n]] += dOut[n] (scatter-add, in increasing n for determinism). */
    void embeddingBackward(int N, int C, int[] idx, Storage dOut, int dOutOff, Storage dTable);

    // ---------------------------------------------------------------- attention

    /**
     * Fused scaled-dot-product attention (writes out and lse), numerically stable (online or two-pass
     * softmax). Queries q (B,Tq,NH,HS), keys and values (B,Tk,NH,HS), out (B,Tq,NH,HS); each operand is
     * addressed as {@code base + b·batchStride + t·rowStride + h·HS + d}, so q, k, v may point into
     * one fused (B,T,3C) buffer (rowStride 3C) or into a KV cache. With {@code causal}, query i sits at
     * absolute position {@code Tk − Tq + i} and sees keys j ≤ that position. lse (B,NH,Tq) receives
     * the log-sum-exp of the scaled scores of each query row, for the backward. With
     * {@code s.dropout() > 0} the probabilities are multiplied by the counter-based mask of
     * {@link AttentionShape#dropKeep} before the product with v (lse stays that of the undropped scores);
     * a backend that cannot do that must refuse, not ignore it.
     */
    void attention(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse);

    /**
     * dQ, dK, dV += the gradients of {@link #attention} given dOut; uses the forward's out and lse, and
     * recomputes the dropout mask from {@code s}.
     */
    void attentionBackward(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse,
                           Strided dOut, Strided dQ, Strided dK, Strided dV);

    /**
     * {@link #attentionBackward} into gradients that nobody has written yet: dQ, dK, dV = (not +=) the
     * gradients, with the bits of zero-filling them first. The n elements of {@code grads} from {@code gradsOff}
     * must be exactly dQ's, dK's and dV's (one (B, T, 3C) buffer for a fused QKV). This default zero-fills that
     * range and adds; a backend may instead zero each head's slices where it uses them, or store.
     */
    default void attentionBackwardStore(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse,
                                        Strided dOut, Strided dQ, Strided dK, Strided dV, Storage grads, int gradsOff, int n) {
        fill(grads, gradsOff, n, 0f);
        attentionBackward(s, q, k, v, out, lse, dOut, dQ, dK, dV);
    }

    // ---------------------------------------------------------------- loss

    /**
     * Fused log-softmax + cross-entropy (writes): logits (N,V), targets (N) → losses (N) with
     * {@code losses[n] = weight[n] · (lse_n − logits[n, t_n])}, 0 where {@code t_n == ignoreIndex};
     * lse (N) saved. {@code weights} may be null (all ones). Targets out of [0,V) (other than the
     * ignore index) are an error naming the position.
     */
    void crossEntropy(int N, int V, Storage logits, int logitsOff, int[] targets, float[] weights,
                      int ignoreIndex, Storage losses, Storage lse);

    /** dLogits += dLosses[n] · weight[n] · (softmax(logits[n]) − onehot(t_n)); ignored rows get 0. */
    void crossEntropyBackward(int N, int V, Storage logits, int logitsOff, int[] targets, float[] weights,
                              int ignoreIndex, Storage lse, Storage dLosses, Storage dLogits, int dLogitsOff);

    // ---------------------------------------------------------------- regularisation and optimisation

    /**
     * Inverted dropout (writes): y = x · mask / (1 − p), where element i is kept iff
     * {@code uniform(seedKey, offset + i) >= p} (the counter-based draw of
     * {@code RandomStream.ofKey(seedKey, 0).uniformAt(offset + i)}), so masks are reproducible and
     * independent of threads. {@code mask} (n) receives 0 or 1/(1−p) for the backward.
     */
    void dropout(int n, float p, long seedKey, long offset, Storage x, int xOff, Storage y, int yOff, Storage mask);

    /**
     * One fused AdamW step over n parameters (PyTorch semantics, decoupled weight decay):
     * {@code m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·(m̂/(√v̂ + eps) + wd·p)} with bias
     * corrections for {@code step} (1-based). {@code gradScale} multiplies g first (clipping).
     */
    void adamW(int n, Storage param, Storage grad, Storage m, Storage v, float lr, float beta1, float beta2,
               float eps, float weightDecay, int step, float gradScale);
}
