import java.util.Arrays;
import org.tokenlab.tensor.parallel.Parallel;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.RunConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.TokenWindows;
import org.tokenlab.transformer.train.Trainer;

/**
 * Milliseconds per training step, as {@code tokenlab bench} runs it (random byte tokens, the preset's standard
 * model, forward + backward + clipping + AdamW): the median over {@code iters} consecutive steps. Preset and
 * threads from {@code -Dprobe.preset} (small, medium; default medium) and {@code -Dprobe.threads} (default 1).
 */
public final class TrainStepProbe {
    private static Trainer trainer;
    private static int done;

    private TrainStepProbe() {
    }

    public static double[] measure(int iters) {
        if (trainer == null) {
            Parallel.setThreads(Integer.getInteger("probe.threads", 1));
            RunConfig rc = RunConfig.preset(System.getProperty("probe.preset", "medium"));
            GptConfig m = rc.model();
            TrainConfig tc = rc.train().withSteps(1_000_000).withCadence(0, 0, Integer.MAX_VALUE);
            RandomStream r = RandomStream.root(1);
            int[] data = new int[1 << 20];
            for (int i = 0; i < data.length; i++) {
                data[i] = r.nextInt(m.vocabSize());
            }
            trainer = new Trainer(new Gpt(m, tc.seed()), tc,
                    new TokenWindows(data, tc.batchSize(), m.blockSize(), r.child("data"), 0), new Batch[0], null, null);
        }
        double[] ms = new double[iters];
        for (int i = 0; i < iters; i++) {
            long t0 = System.nanoTime();
            trainer.runUntil(++done);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[iters / 2]};
    }
}
