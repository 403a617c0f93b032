package org.tokenlab.experiments.lexinvariant;

import org.tokenlab.experiments.Profile;
import org.tokenlab.transformer.config.GptConfig;

/**
 * The sizes of each profile (papers.md §2.3): smoke is a plumbing check in seconds; quick trains N0
 * (T = 128) standard and lexinvariant LMs on SYN; full trains T = 512 LMs on NAT (standard,
 * lexinvariant, semi-lexinvariant), the decipher probe and the synthetic-task N0 models. The standard
 * model's phase is time-boxed; the other models of the same family train on exactly as many tokens.
 *
 * @param lm           shape of the language models (vocabulary set from the text)
 * @param batch        sequences per LM training step
 * @param trainBytes   training text
 * @param valBytes     validation text
 * @param evalWindows  validation windows for the per-position loss
 * @param lmBudget     time box of the standard LM (the others reuse its step count)
 * @param semi         whether the semi-lexinvariant LM is trained (L6)
 * @param probeTrain   windows for probe training (0: no probe)
 * @param probeTest    held-out windows for the probe
 * @param probeSteps   probe Adam steps
 * @param task         shape of the synthetic-task models (null: no tasks)
 * @param taskBatch    sequences per task training step
 * @param taskBudget   time box of the standard task model
 * @param taskEvalSeqs evaluation sequences per pool
 */
record Plan(GptConfig lm, int batch, int trainBytes, int valBytes, int evalWindows, Training.Budget lmBudget,
            boolean semi, int probeTrain, int probeTest, int probeSteps, GptConfig task, int taskBatch,
            Training.Budget taskBudget, int taskEvalSeqs) {

    /** N0 of papers.md §0.3 (d 64, 2 layers, 4 heads). */
    static GptConfig n0(int T) {
        return GptConfig.standard(2, T, 2, 4, 64);
    }

    /** N1 (d 128, 4 layers, 4 heads). */
    static GptConfig n1(int T) {
        return GptConfig.standard(2, T, 4, 4, 128);
    }

    /**
     * The full profile's language models. papers.md §2.3 sizes them N1 for about 10 min each; three of them
     * plus the tasks do not fit 30 minutes at the throughput measured on the shared 2-core machine
     * (≈ 2–3 k tokens/s for N0), so full uses N0 at T = 512. Switch to {@link #n1} on a faster machine.
     */
    static final GptConfig FULL_LM = n0(512);

    static Plan of(Profile p) {
        Training.Budget tiny = new Training.Budget(1, 2, 1, 3, 3, 3e-3f);
        return switch (p) {
            case SMOKE -> new Plan(GptConfig.standard(2, 32, 1, 2, 32), 4, 20_000, 6_000, 8, tiny, true, 8, 4, 5,
                    GptConfig.standard(2, 32, 1, 2, 32), 4, tiny, 8);
            case QUICK -> new Plan(n0(128), 16, 1_000_000, 100_000, 64,
                    new Training.Budget(40, 30, 10, 30, 5000, 3e-3f), false, 0, 0, 0, null, 0, null, 0);
            case FULL -> new Plan(FULL_LM, 8, 4_000_000, 400_000, 256,
                    new Training.Budget(300, 30, 5, 10, 20000, 3e-3f), true, 200, 50, 600, n0(128), 32,
                    new Training.Budget(120, 30, 10, 10, 20000, 3e-3f), 256);
        };
    }
}
