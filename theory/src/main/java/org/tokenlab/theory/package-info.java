/** Algorithms on symbol streams: tokenizers, Markov sources, arithmetic coding, tokenization bounds. */
package org.tokenlab.theory;
