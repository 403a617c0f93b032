package org.tokenlab.experiments.runner;

/**
 * Fits a training phase's step count to a wall-clock budget (papers.md §0.3: "measure tokens/s over the
 * first steps, fit the step count to the budget, record the tokens processed").
 *
 * <p>A decision, once taken, is stored in the run folder: a resumed run, or a run started with
 * {@code --timebox-from DIR}, reuses it, takes the same number of steps and so reproduces the same
 * results.json.
 *
 * @param name             the phase it budgets
 * @param budgetSeconds    the wall-clock budget
 * @param tokensPerStep    tokens processed by one step (B·T)
 * @param probeSteps       steps timed to measure throughput
 * @param tokensPerSecond  measured throughput (0 when the decision was replayed or fixed)
 * @param steps            total steps to run, probe steps included
 * @param source           "measured", "replayed" or "fixed"
 */
public record TimeBox(String name, double budgetSeconds, long tokensPerStep, int probeSteps,
                      double tokensPerSecond, long steps, String source) {

    /** Tokens the phase processes. */
    public long tokens() {
        return steps * tokensPerStep;
    }

    /**
     * The step count for a budget: {@code floor(budget · tokensPerSecond / tokensPerStep)}, clamped to
     * [{@code minSteps}, {@code maxSteps}].
     */
    public static long stepsFor(double budgetSeconds, double tokensPerSecond, long tokensPerStep,
                                long minSteps, long maxSteps) {
        if (budgetSeconds <= 0 || tokensPerStep <= 0 || minSteps < 0 || maxSteps < minSteps) {
            throw new IllegalArgumentException("time box: need budget > 0, tokensPerStep > 0, 0 ≤ minSteps ≤ maxSteps; got "
                    + budgetSeconds + ", " + tokensPerStep + ", " + minSteps + ", " + maxSteps);
        }
        if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
            throw new IllegalArgumentException("time box: measured throughput must be positive and finite, got "
                    + tokensPerSecond);
        }
        double steps = Math.floor(budgetSeconds * tokensPerSecond / tokensPerStep);
        return Math.max(minSteps, Math.min(maxSteps, (long) Math.min(steps, Long.MAX_VALUE / 2)));
    }
}
