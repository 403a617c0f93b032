/**
 * Benchmarks of the theory module: range coder throughput, BPE training and encoding. Results are
 * recorded in docs/performance.md (theory section).
 */
package org.tokenlab.jmh.theory;
