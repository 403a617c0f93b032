package org.tokenlab.experiments.lexinvariant;

import org.tokenlab.experiments.Profile;
import org.tokenlab.transformer.config.GptConfig;

/**
 * The sizes of each profile (papers.md §2.3): smoke is a plumbing check in seconds; quick trains N0
 * (T = 128) standard and lexinvariant LMs on SYN for about 40 s each; full trains N1 (T = 512) on NAT,
 * a semi-lexinvariant N1, the decipher probe and the synthetic-task N0 models.
 *
 * @param lm           shape of the language models (vocabulary set from the text)
 * @param batch        sequences per LM training step
 * @param trainBytes   training text
 * @param valBytes     validation text
 * @param evalWindows  validation windows for the per-position loss
 * @param lmBudget     time box of each of the standard and lexinvariant LMs
 * @param semiBudget   time box of the semi-lexinvariant LM (null: not trained)
 * @param probeTrain   windows for probe training (0: no probe)
 * @param probeTest    held-out windows for the probe
 * @param probeSteps   probe Adam steps
 * @param task         shape of the synthetic-task models (null: no tasks)
 * @param taskBatch    sequences per task training step
 * @param taskBudget   time box of each task model
 * @param taskEvalSeqs evaluation sequences per pool
 */
record Plan(GptConfig lm, int batch, int trainBytes, int valBytes, int evalWindows, Training.Budget lmBudget,
            Training.Budget semiBudget, int probeTrain, int probeTest, int probeSteps, GptConfig task, int taskBatch,
            Training.Budget taskBudget, int taskEvalSeqs) {

    /** N0 of papers.md §0.3 (d 64, 2 layers, 4 heads). */
    static GptConfig n0(int T) {
        return GptConfig.standard(2, T, 2, 4, 64);
    }

    /** N1 (d 128, 4 layers, 4 heads). */
    static GptConfig n1(int T) {
        return GptConfig.standard(2, T, 4, 4, 128);
    }

    static Plan of(Profile p) {
        return switch (p) {
            case SMOKE -> new Plan(GptConfig.standard(2, 32, 1, 2, 32), 4, 20_000, 6_000, 8,
                    new Training.Budget(1, 2, 1, 3, 3, 3e-3f), new Training.Budget(1, 2, 1, 3, 3, 3e-3f),
                    8, 4, 5, GptConfig.standard(2, 32, 1, 2, 32), 4, new Training.Budget(1, 2, 1, 3, 3, 3e-3f), 8);
            case QUICK -> new Plan(n0(128), 16, 1_000_000, 100_000, 64,
                    new Training.Budget(40, 30, 5, 30, 5000, 3e-3f), null, 0, 0, 0, null, 0, null, 0);
            case FULL -> new Plan(n1(512), 8, 4_000_000, 400_000, 256,
                    new Training.Budget(420, 50, 3, 50, 20000, 2e-3f), new Training.Budget(240, 50, 3, 50, 20000, 2e-3f),
                    200, 50, 600, n0(128), 32, new Training.Budget(150, 50, 5, 50, 20000, 3e-3f), 256);
        };
    }
}
