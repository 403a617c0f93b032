package org.tokenlab.experiments.prior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tokenlab.experiments.prior.CaptionWorld.Example;
import org.tokenlab.experiments.prior.CaptionWorld.Image;
import org.tokenlab.experiments.prior.PriorTraining.Variant;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.model.ModelInput;

class PriorMetricsTest {
    private final CaptionWorld world = new CaptionWorld(RandomStream.root(7));

    @Test
    void weightsAreOneMinusProbabilityToTheAlphaWithMeanOnePerCaption() {
        float[] p = {0.9f, 0.125f, 0.5f, 1f};
        float[] raw = PriorWeights.raw(p, 1.0);
        assertArrayEquals(new float[] {0.1f, 0.875f, 0.5f, 0f}, raw, 1e-6f);
        assertArrayEquals(new float[] {0.01f, 0.765625f, 0.25f, 0f}, PriorWeights.raw(p, 2.0), 1e-6f);
        float[] w = PriorWeights.lossWeights(p, 1.0, PriorWeights.Norm.CAPTION);
        double mean = 0;
        for (float x : w) {
            mean += x / w.length;
        }
        assertEquals(1.0, mean, 1e-6);
        assertEquals(4 * 0.875 / 1.475, w[1], 1e-5);
        // Per batch: the raw weights (the weighted mean loss normalises over the whole batch).
        assertArrayEquals(raw, PriorWeights.lossWeights(p, 1.0, PriorWeights.Norm.BATCH));
        assertThrows(IllegalArgumentException.class, () -> PriorWeights.raw(new float[] {1.5f}, 1.0));
    }

    @Test
    void classStatisticsOnConstructedWeights() {
        float[][] w = {{0.9f, 0.1f, 0.8f}, {0.1f, 0.7f}};
        byte[][] cls = {{CaptionWorld.IMAGE, CaptionWorld.BOILER, CaptionWorld.IMAGE}, {CaptionWorld.BOILER, CaptionWorld.FILLER}};
        assertEquals(0.85, PriorWeights.meanByClass(w, cls, CaptionWorld.IMAGE), 1e-6);
        assertEquals(0.1, PriorWeights.meanByClass(w, cls, CaptionWorld.BOILER), 1e-6);
        assertTrue(Double.isNaN(PriorWeights.meanByClass(w, cls, CaptionWorld.NOISE)));
        // Perfectly separated weights (image 1, others 0) correlate exactly 1.
        float[][] perfect = {{1f, 0f, 1f}, {0f, 0f}};
        assertEquals(1.0, PriorWeights.pointBiserial(perfect, cls, CaptionWorld.IMAGE), 1e-9);
        assertTrue(PriorWeights.pointBiserial(w, cls, CaptionWorld.IMAGE) > 0.5);
    }

    @Test
    void captionsMixTheThreeClassesAndNameTheImage() {
        Image img = new Image(new int[] {3, 0, 2, 1, 2}); // 3 large red star, right
        Example e = world.caption(img, true, RandomStream.root(1));
        String text = world.text(e.tokens());
        assertTrue(text.contains("three") && text.contains("red") && text.contains("star") && text.contains("right")
                && text.contains("large"), text);
        assertEquals(CaptionWorld.EOS, e.tokens()[e.tokens().length - 1]);
        int image = 0, noise = 0;
        for (int i = 0; i < e.tokens().length; i++) {
            boolean isAttr = world.attributeType(e.tokens()[i]) >= 0;
            assertEquals(isAttr, e.classes()[i] == CaptionWorld.IMAGE, "token " + world.word(e.tokens()[i]));
            image += e.classes()[i] == CaptionWorld.IMAGE ? 1 : 0;
            noise += e.classes()[i] == CaptionWorld.NOISE ? 1 : 0;
        }
        assertEquals(5, image);
        assertEquals(1, noise);
        assertArrayEquals(new int[] {3, 8, 18, 22, 27}, java.util.Arrays.copyOf(e.patches(), 5));
        assertEquals(CaptionWorld.FEATURE_DIM, e.features().length);
        assertEquals(3840, CaptionWorld.allImages().size());
    }

    @Test
    void mentionsCountRightAttributesAndHallucinations() {
        Image img = new Image(new int[] {3, 0, 2, 1, 2});
        int[] good = ids("a photo of three large red star on the right .");
        assertArrayEquals(new int[] {5, 0, 5}, PriorEval.mentions(world, good, img));
        int[] bad = ids("a photo of two large blue star on the right . red");
        // count and colour wrong (2 hallucinations); the later "red" is right, the count never: 4 of 5, 6 mentions.
        assertArrayEquals(new int[] {4, 2, 6}, PriorEval.mentions(world, bad, img));
        int[] stopped = ids("a photo of two");
        int[] withEos = new int[stopped.length + 2];
        System.arraycopy(stopped, 0, withEos, 0, stopped.length);
        withEos[stopped.length] = CaptionWorld.EOS;
        withEos[stopped.length + 1] = ids("red")[0];
        assertArrayEquals(new int[] {0, 1, 1}, PriorEval.mentions(world, withEos, img));
    }

    @Test
    void distractorsDifferInExactlyOneAttributeEachAndInDistinctTypes() {
        Image img = new Image(new int[] {3, 0, 2, 1, 2});
        RandomStream r = RandomStream.root(5);
        java.util.Set<Integer> types = new java.util.HashSet<>();
        for (int k = 0; k < PriorEval.DISTRACTOR_IMAGES; k++) {
            Image d = PriorEval.distractor(img, k, r);
            int diff = 0;
            for (int t = 0; t < CaptionWorld.ATTRIBUTES; t++) {
                if (d.get(t) != img.get(t)) {
                    diff++;
                    types.add(t);
                }
            }
            assertEquals(1, diff);
        }
        assertEquals(4, types.size());
    }

    private int[] ids(String text) {
        List<String> all = new java.util.ArrayList<>();
        for (int i = 0; i < world.vocabSize(); i++) {
            all.add(world.word(i));
        }
        return java.util.Arrays.stream(text.split(" ")).mapToInt(all::indexOf).toArray();
    }

    @Test
    void cachedGreedyGenerationEqualsReEncodingTheWholePrefixEachStep() {
        List<Example> data = new java.util.ArrayList<>();
        RandomStream r = RandomStream.root(11);
        List<Image> all = CaptionWorld.allImages();
        for (int i = 0; i < 6; i++) {
            data.add(world.caption(all.get(i * 137 % all.size()), false, r.child(i)));
        }
        int T = PriorTraining.maxLength(data);
        for (Variant v : List.of(Variant.ENCODER_FREE, Variant.ENCODER)) {
            PriorTraining.Run run = new PriorTraining.Run(PriorTraining.config(v, world.vocabSize(), T, 32), 3L, v, data,
                    null, T, RandomStream.root(5));
            run.until(8, 0, s -> { });
            int[][] cached = PriorEval.generate(run.model, v, data, T);
            for (int i = 0; i < data.size(); i++) {
                assertArrayEquals(generateUncached(run.model, v, data.get(i), T), cached[i], v + " caption " + i);
            }
        }
    }

    /** The reference: one caption, the whole sequence re-encoded at every step (no cache). */
    private static int[] generateUncached(Gpt model, Variant v, Example e, int T) {
        int V = model.config().vocabSize();
        int[] out = new int[T];
        try (var ng = Engine.noGrad()) {
            for (int t = 0; t < T; t++) {
                if (t > 0 && out[t - 1] == CaptionWorld.EOS) {
                    out[t] = CaptionWorld.EOS;
                    continue;
                }
                int[] ids = new int[t + 1];
                ids[0] = CaptionWorld.BOS;
                System.arraycopy(out, 0, ids, 1, t);
                float[] z = model.logits(new ModelInput(1, t + 1, 1, ids, null, new long[] {0},
                        v == Variant.ENCODER ? e.features() : null, v == Variant.ENCODER_FREE ? e.patches() : null)).toArray();
                out[t] = PriorEval.argmax(z, t * V, V);
            }
        }
        return out;
    }
}
