/** The tokenization-bound calculation of papers.md §4: unigram-over-token loss per character and closure. */
package org.tokenlab.theory.bounds;
