/**
 * Arithmetic (range) coding over β-bit quantised models, equal-info windows, bit tokens and the
 * compression baselines of EqualInfoAC (papers.md §3).
 */
package org.tokenlab.theory.coding;
