/** Order-k Markov sources, their stationary distributions, unigram entropies and entropy rates (nats). */
package org.tokenlab.theory.markov;
