package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tokenlab.tensor.autograd.Rule;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * Finite-difference gradient checks (method and tolerances in {@link GradCheck}) for every primitive
 * of the rule table and every {@link F} op, on shapes with sizes 1, 3, 17, 33, 129 (not multiples of a
 * vector length), including non-contiguous and broadcast inputs. Runs on {@link Engine#backend()}.
 */
class GradCheckTest {

    record Case(String name, Supplier<Tensor[]> inputs, Function<Tensor[], Tensor> f) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Tensor rnd(String label, int... shape) {
        return Tensor.uniform(RandomStream.root(1).child(label), -1f, 1f, shape);
    }

    /** Values in [0.5, 2): safe for log, sqrt, pow, division. */
    static Tensor pos(String label, int... shape) {
        return Tensor.uniform(RandomStream.root(2).child(label), 0.5f, 2f, shape);
    }

    /** Values with |x| in [0.1, 1): away from the kink of relu. */
    static Tensor away(String label, int... shape) {
        float[] v = rnd(label, shape).toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.copySign(0.1f + 0.9f * Math.abs(v[i]), v[i]);
        }
        return Tensor.of(v, shape);
    }

    /** Distinct values 0.1 apart in random order: the max is never within ε of a tie. */
    static Tensor distinct(String label, int... shape) {
        int n = Shapes.numel(shape);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        RandomStream.root(3).child(label).shuffle(perm);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.1f * perm[i] - 0.05f * n;
        }
        return Tensor.of(v, shape);
    }

    static Case c(String name, Supplier<Tensor[]> in, Function<Tensor[], Tensor> f) {
        return new Case(name, in, f);
    }

    static Tensor[] t(Tensor... ts) {
        return ts;
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        // binary, with broadcasting and non-contiguous operands
        cs.add(c("add broadcast", () -> t(rnd("a1", 3, 1, 129), rnd("b1", 17, 1)), x -> x[0].add(x[1])));
        cs.add(c("sub broadcast", () -> t(rnd("a2", 33), rnd("b2", 3, 33)), x -> x[0].sub(x[1])));
        cs.add(c("mul broadcast", () -> t(rnd("a3", 17, 3), rnd("b3", 1, 3)), x -> x[0].mul(x[1])));
        cs.add(c("mul transposed", () -> t(rnd("a4", 17, 33), rnd("b4", 33, 17)), x -> x[0].mul(x[1].transpose(0, 1))));
        cs.add(c("div broadcast", () -> t(rnd("a5", 3, 17), pos("b5", 17)), x -> x[0].div(x[1])));
        cs.add(c("mul self", () -> t(rnd("a6", 129)), x -> x[0].mul(x[0])));
        // unary, contiguous and through a transposed view
        cs.add(c("neg", () -> t(rnd("u1", 129)), x -> x[0].neg()));
        cs.add(c("exp", () -> t(rnd("u2", 17, 3)), x -> x[0].transpose(0, 1).exp()));
        cs.add(c("log", () -> t(pos("u3", 33)), x -> x[0].log()));
        cs.add(c("sqrt", () -> t(pos("u4", 3, 17)), x -> x[0].sqrt()));
        cs.add(c("tanh", () -> t(rnd("u5", 129)), x -> x[0].tanh()));
        cs.add(c("relu", () -> t(away("u6", 17, 3)), x -> x[0].relu()));
        cs.add(c("gelu", () -> t(rnd("u7", 129).mul(3f).detach()), x -> x[0].gelu()));
        cs.add(c("silu", () -> t(rnd("u8", 33).mul(3f).detach()), x -> x[0].silu()));
        cs.add(c("pow 3", () -> t(rnd("u9", 17)), x -> x[0].pow(3f)));
        cs.add(c("pow -0.5", () -> t(pos("u10", 17)), x -> x[0].pow(-0.5f)));
        cs.add(c("scale", () -> t(rnd("u11", 1)), x -> x[0].mul(2.5f)));
        cs.add(c("add scalar", () -> t(rnd("u12", 3)), x -> x[0].add(0.75f).sub(0.25f).div(2f)));
        // reductions
        cs.add(c("sum all", () -> t(rnd("r1", 3, 17)), x -> x[0].sum()));
        cs.add(c("sum axis 0", () -> t(rnd("r2", 17, 33)), x -> x[0].sum(0, false)));
        cs.add(c("sum axis -1 keep", () -> t(rnd("r3", 3, 1, 129)), x -> x[0].sum(-1, true)));
        cs.add(c("mean axis 1", () -> t(rnd("r4", 3, 17, 3)), x -> x[0].mean(1, false)));
        cs.add(c("mean all", () -> t(rnd("r5", 33)), x -> x[0].mean()));
        cs.add(c("max axis 1", () -> t(distinct("r6", 3, 17, 3)), x -> x[0].max(1, false)));
        cs.add(c("max axis -1 keep", () -> t(distinct("r7", 3, 33)), x -> x[0].max(-1, true)));
        cs.add(c("softmax", () -> t(rnd("r8", 3, 17)), x -> x[0].softmax()));
        cs.add(c("softmax wide", () -> t(rnd("r9", 1, 129)), x -> x[0].softmax()));
        cs.add(c("logSoftmax", () -> t(rnd("r10", 17, 33)), x -> x[0].transpose(0, 1).logSoftmax()));
        // matmul: plain, transposed views (transA/transB flags), batched with broadcast, degenerate sizes
        cs.add(c("matmul", () -> t(rnd("m1", 17, 33), rnd("m2", 33, 3)), x -> x[0].matmul(x[1])));
        cs.add(c("matmul transA transB", () -> t(rnd("m3", 33, 17), rnd("m4", 3, 33)),
                x -> x[0].transpose(0, 1).matmul(x[1].transpose(0, 1))));
        cs.add(c("matmul batched broadcast", () -> t(rnd("m5", 2, 1, 3, 17), rnd("m6", 3, 17, 1)),
                x -> x[0].matmul(x[1])));
        cs.add(c("matmul batch x 2-D", () -> t(rnd("m7", 3, 17, 33), rnd("m8", 33, 3)), x -> x[0].matmul(x[1])));
        cs.add(c("matmul 1x1", () -> t(rnd("m9", 1, 1), rnd("m10", 1, 129)), x -> x[0].matmul(x[1])));
        cs.add(c("matmul permuted batch", () -> t(rnd("m11", 3, 2, 17), rnd("m12", 2, 17, 3)),
                x -> x[0].permute(1, 0, 2).matmul(x[1])));
        // views and copies
        cs.add(c("reshape", () -> t(rnd("v1", 3, 17, 3)), x -> x[0].reshape(17, -1).mul(x[0].reshape(17, 9))));
        cs.add(c("reshape non-viewable", () -> t(rnd("v2", 3, 17)), x -> x[0].transpose(0, 1).reshape(51).exp()));
        cs.add(c("permute", () -> t(rnd("v3", 3, 1, 17)), x -> x[0].permute(2, 0, 1).contiguous()));
        cs.add(c("slice", () -> t(rnd("v4", 3, 33, 3)), x -> x[0].slice(1, 5, 22).mul(2f)));
        cs.add(c("slice twice", () -> t(rnd("v5", 129)), x -> x[0].slice(0, 0, 64).add(x[0].slice(0, 65, 129))));
        cs.add(c("expand", () -> t(rnd("v6", 17, 1)), x -> x[0].expand(3, 17, 33).contiguous()));
        cs.add(c("unsqueeze squeeze", () -> t(rnd("v7", 3, 17)), x -> x[0].unsqueeze(1).squeeze(1).unsqueeze(-1).squeeze()));
        cs.add(c("concat", () -> t(rnd("v8", 3, 17), rnd("v9", 3, 1), rnd("v10", 3, 33)),
                x -> Tensor.concat(1, x[0], x[1], x[2])));
        cs.add(c("concat axis 0", () -> t(rnd("v11", 1, 3), rnd("v12", 17, 3)), x -> Tensor.concat(0, x[0], x[1])));
        // F ops
        cs.add(c("F.linear", () -> t(rnd("f1", 2, 17, 33), rnd("f2", 3, 33), rnd("f3", 3)),
                x -> F.linear(x[0], x[1], x[2])));
        cs.add(c("F.linear no bias", () -> t(rnd("f4", 129, 3), rnd("f5", 17, 3)), x -> F.linear(x[0], x[1], null)));
        cs.add(c("F.linear transposed input", () -> t(rnd("f26", 3, 17), rnd("f27", 1, 3), rnd("f28", 1)),
                x -> F.linear(x[0].transpose(0, 1), x[1], x[2])));
        cs.add(c("F.layerNorm", () -> t(rnd("f6", 3, 17, 33), pos("f7", 33), rnd("f8", 33)),
                x -> F.layerNorm(x[0], x[1], x[2], 1e-5f)));
        cs.add(c("F.layerNorm no bias", () -> t(rnd("f9", 3, 129), pos("f10", 129)),
                x -> F.layerNorm(x[0], x[1], null, 1e-5f)));
        cs.add(c("F.rmsNorm", () -> t(rnd("f11", 17, 33), pos("f12", 33)), x -> F.rmsNorm(x[0], x[1], 1e-6f)));
        cs.add(c("F.embedding", () -> t(rnd("f13", 17, 33)),
                x -> F.embedding(x[0], new int[] {3, 0, 16, 3, 3, 7}, 2, 3)));
        cs.add(c("F.dropout", () -> t(rnd("f14", 3, 129)),
                x -> F.dropout(x[0], 0.3f, RandomStream.root(7).child("drop"), true)));
        cs.add(c("F.causalSelfAttention", () -> t(rnd("f15", 2, 17, 18)), x -> F.causalSelfAttention(x[0], 3)));
        cs.add(c("F.causalSelfAttention dropout", () -> t(rnd("f15d", 2, 17, 18)),
                x -> F.causalSelfAttention(x[0], 3, 0.3f, RandomStream.root(8).child("attn"), true)));
        // gradient buffers written by a store (Grads.target) when first, by an add after another rule: one tensor as
        // both inputs of Linear (stored, then added), and as the input of GELU, attention and Linear in one graph
        cs.add(c("F.linear x·xᵀ (one tensor, two inputs)", () -> t(rnd("f40", 5, 5)), x -> F.linear(x[0], x[0], null)));
        cs.add(c("gelu + attention + linear of one tensor", () -> t(rnd("f41", 2, 5, 6), rnd("f42", 6, 6)),
                x -> {
                    Tensor att = F.causalSelfAttention(x[0], 1); // (2, 5, 2)
                    return x[0].gelu().add(Tensor.concat(2, att, att, att)).add(F.linear(x[0], x[1], null));
                }));
        cs.add(c("F.causalSelfAttention T=1", () -> t(rnd("f16", 3, 1, 3)), x -> F.causalSelfAttention(x[0], 1)));
        cs.add(c("F.attention kv-cache causal", () -> t(rnd("f17", 2, 3, 6), rnd("f18", 2, 33, 6), rnd("f19", 2, 33, 6)),
                x -> F.attention(x[0], x[1].slice(1, 0, 17), x[2].slice(1, 0, 17), 2, true)));
        cs.add(c("F.attention full", () -> t(rnd("f20", 1, 17, 4), rnd("f21", 1, 17, 4), rnd("f22", 1, 17, 4)),
                x -> F.attention(x[0], x[1], x[2], 1, false)));
        cs.add(c("F.crossEntropy", () -> t(rnd("f23", 17, 33).mul(3f).detach()),
                x -> F.crossEntropy(x[0], targets(17, 33, 4), null, -1)));
        cs.add(c("F.crossEntropy weighted", () -> t(rnd("f24", 3, 129).mul(3f).detach()),
                x -> F.crossEntropy(x[0], new int[] {5, -100, 128}, new float[] {0.5f, 2f, 1.5f}, -100)));
        cs.add(c("F.crossEntropyMean", () -> t(rnd("f25", 17, 3)),
                x -> F.crossEntropyMean(x[0], targets(17, 3, 6), weights(17), -1)));
        return cs;
    }

    /** n targets in [0, V), every k-th ignored (-1). */
    static int[] targets(int n, int V, int k) {
        int[] t = new int[n];
        RandomStream rng = RandomStream.root(4);
        for (int i = 0; i < n; i++) {
            t[i] = i % k == 0 ? -1 : rng.nextInt(V);
        }
        return t;
    }

    static float[] weights(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.25f + (i % 4) * 0.5f;
        }
        return w;
    }

    static Stream<Case> allCases() {
        return cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void gradientsMatchCentralDifferences(Case cs) {
        GradCheck.check(cs.name(), cs.f(), cs.inputs().get());
    }

    @Test
    void everyRuleIsGradChecked() {
        Set<Rule> covered = EnumSet.noneOf(Rule.class);
        for (Case cs : cases()) {
            covered.addAll(GradCheck.rulesOf(cs.f(), cs.inputs().get()));
        }
        Set<Rule> missing = EnumSet.allOf(Rule.class);
        missing.removeAll(covered);
        assertEquals(EnumSet.noneOf(Rule.class), missing, "rules without a gradient check");
    }
}
