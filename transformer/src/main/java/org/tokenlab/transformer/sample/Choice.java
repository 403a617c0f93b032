package org.tokenlab.transformer.sample;

/**
 * One decoding step's outcome.
 *
 * @param token    the chosen token id
 * @param entropy  entropy in nats of the model's full distribution softmax(logits) at temperature 1,
 *                 before bans and truncation (the Hyperfitting "mean entropy" measure)
 * @param top1Prob the largest probability of that same distribution
 */
public record Choice(int token, double entropy, double top1Prob) {
}
