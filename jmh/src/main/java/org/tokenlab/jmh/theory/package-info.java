/**
 * Benchmarks of the theory module: range coder throughput, BPE training and encoding. Results are
 * summarised in docs/performance.md §4 (the full tables: docs/performance-log.md, "Theory module").
 */
package org.tokenlab.jmh.theory;
