#!/usr/bin/env python3
"""Pools the tables of several GemmPeerComparison runs (jmh/results/peer-*.txt) into one table per cell.

GemmPeerComparison alternates SimdBackend and OpenBLAS in bursts inside one JVM and prints, per (shape,
threads), the median of its rounds' ratios (SimdBackend GFLOP/s over OpenBLAS's). For every cell this script
lists each run's median, their mean (the cell's figure), and then per thread count the median over shapes,
the lowest cell and how many cells reach 0.9 (issue 2's target).

    jmh/pool-peer.py jmh/results/peer-20261201T032359Z.txt jmh/results/peer-20261201T033203Z.txt

Standard library only. A table row reads: | M×N×K[ (Aᵀ)| (Bᵀ)] | threads | simd GFLOP/s | blas GFLOP/s | ratio | quartiles | rounds |
"""
import statistics
import sys
from collections import defaultdict


def read_rows(paths):
    """{(shape, threads): [median ratio of each run]}, cells in first-seen order."""
    cells = defaultdict(list)
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if not line.startswith("| ") or line.startswith("| shape"):
                        continue
                    fields = [x.strip() for x in line.strip().strip("|").split("|")]
                    if len(fields) != 7:
                        sys.exit(f"pool-peer: {path}:{n}: not a 7-column GemmPeerComparison row (runs before session 21 "
                                 f"had 6 columns, one call per library per round, and are not pooled here): {line.strip()!r}")
                    try:
                        cells[(fields[0], int(fields[1]))].append(float(fields[4]))
                    except ValueError:
                        sys.exit(f"pool-peer: {path}:{n}: threads or ratio is not a number: {line.strip()!r}")
        except OSError as e:
            sys.exit(f"pool-peer: cannot read {path}: {e.strerror}")
    return cells


def main(paths):
    if not paths:
        sys.exit(__doc__)
    cells = read_rows(paths)
    if not cells:
        sys.exit("pool-peer: no table rows in " + ", ".join(paths))
    print("| shape (M×N×K) | threads | ratio per run | mean |")
    print("|---|---|---|---|")
    by_threads = defaultdict(list)
    for (shape, threads), ratios in cells.items():
        mean = statistics.fmean(ratios)
        by_threads[threads].append((mean, shape))
        print(f"| {shape} | {threads} | {' '.join(f'{r:.3f}' for r in ratios)} | {mean:.3f} |")
    for threads, means in sorted(by_threads.items()):
        values = [m for m, _ in means]
        low, low_shape = min(means)
        print(f"# {threads} thread(s): median {statistics.median(values):.2f}, lowest {low:.3f} ({low_shape}), "
              f"{sum(v >= 0.9 for v in values)} of {len(values)} cells at or above 0.9")


if __name__ == "__main__":
    main(sys.argv[1:])
