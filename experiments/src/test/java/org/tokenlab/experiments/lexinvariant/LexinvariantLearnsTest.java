package org.tokenlab.experiments.lexinvariant;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tokenlab.experiments.data.SynCorpus;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.optim.AdamW;
import org.tokenlab.tensor.optim.GradClip;
import org.tokenlab.tensor.optim.ParamGroup;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.train.TokenWindows;

/**
 * Slow sanity check that the lexinvariant model learns in context at all: after a few hundred steps on
 * SYN its loss late in the window is below ln V and below its loss early in the window (it has inferred
 * the symbols from the context). Tagged {@code slow}: a few minutes on a busy machine.
 */
@Tag("slow")
class LexinvariantLearnsTest {

    @Test
    void lexinvariantLossFallsBelowUniformWithContext() {
        SynCorpus syn = new SynCorpus(1);
        byte[] train = syn.split(SynCorpus.Split.TRAIN, 300_000);
        byte[] val = syn.split(SynCorpus.Split.VALIDATION, 30_000);
        CharText chars = new CharText(train, val);
        int V = chars.vocabSize();
        int T = 64;
        LexModel model = new LexModel(LexModel.Kind.LEXINVARIANT, GptConfig.standard(2, T, 2, 2, 32), V, 1);
        TokenWindows data = new TokenWindows(chars.encode(train), 16, T, RandomStream.root(2), 0);
        List<Tensor> params = new ArrayList<>(model.gpt().params().all().values());
        AdamW opt = new AdamW(ParamGroup.decayMatrices(params, 0.1f), 3e-3f, 0.9f, 0.95f, 1e-8f);
        int steps = Integer.getInteger("lexLearnSteps", 400);
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor loss = model.gpt().loss(data.next(), true, s);
            loss.backward();
            opt.step(GradClip.scale(GradClip.globalNorm(params), 1f));
            if (s % 50 == 0) {
                System.out.printf("step %d loss %.4f%n", s, loss.item());
            }
        }
        double[] perPos = model.losses(CharText.batches(CharText.windows(chars.encode(val), T, 64), 16, 1_000_000)).perPosition();
        double early = PositionMetrics.rangeMean(perPos, 1, 8);
        double late = PositionMetrics.rangeMean(perPos, 33, 64);
        System.out.printf("ln V %.4f, early %.4f, late %.4f%n", Math.log(V), early, late);
        assertTrue(late < Math.log(V), "late loss " + late + " not below ln V = " + Math.log(V));
        assertTrue(late < early - 0.1, "late loss " + late + " not below early loss " + early);
    }
}
