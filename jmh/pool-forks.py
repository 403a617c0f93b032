#!/usr/bin/env python3
"""Pools the raw lines of several jmh/run-gemm-forks.sh runs into one table per shape.

One fork pair (a SimdBackend fork and an OpenBLAS fork of the same shape and thread count, run back to
back) gives one ratio. On this shared machine one pair moves by about +-0.15 from one minute to the next,
so a single run does not settle a shape; pooling the pairs of several runs does better. For every
(shape, threads) the table gives the median of the per-pair ratios, their quartiles and the number of
pairs, then per thread count the median over shapes and how many shapes reach 0.9 (issue 2's target),
over all shapes and split by depth (K <= 512, where one or two 256-deep slabs cover the product, and K > 512).

    jmh/pool-forks.py jmh/results/forks-20261129T124812Z.txt jmh/results/forks-20261129T212807Z.txt ...

Standard library only. A raw line reads: SHAPE THREADS round R simd GFLOPS ERR blas GFLOPS ERR load L
"""
import argparse
import statistics
import sys
from collections import defaultdict


def read_pairs(paths):
    """{(shape, threads): [simd / blas ratio of each fork pair]} in file order, shapes in first-seen order."""
    ratios = defaultdict(list)
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    fields = line.split()
                    if not fields or fields[0].startswith("#"):
                        continue
                    if len(fields) < 9 or fields[2] != "round" or fields[4] != "simd" or fields[7] != "blas":
                        sys.exit(f"pool-forks: {path}:{n}: not a run-gemm-forks.sh raw line: {line.strip()!r}")
                    try:
                        simd, blas = float(fields[5]), float(fields[8])
                    except ValueError:
                        sys.exit(f"pool-forks: {path}:{n}: GFLOP/s is not a number: {line.strip()!r}")
                    if simd > 0 and blas > 0:  # a fork that printed nothing leaves an empty or nan field
                        ratios[(fields[0], fields[1])].append(simd / blas)
        except OSError as e:
            sys.exit(f"pool-forks: cannot read {path}: {e.strerror}")
    return ratios


DEPTHS = ("K <= 512", "K > 512")  # one or two 256-deep slabs, or more: the deep products are where the gap is


def depth(shape):
    """DEPTHS label of a shape written N (N³) or MxNxK with an optional T or A suffix."""
    k = int(shape.rstrip("TA").split("x")[-1])
    return DEPTHS[0] if k <= 512 else DEPTHS[1]


def quartiles(xs):
    q = statistics.quantiles(xs, n=4, method="inclusive") if len(xs) > 1 else [xs[0]] * 3
    return q[0], q[2]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("files", nargs="+", help="raw files written by jmh/run-gemm-forks.sh (jmh/results/forks-*.txt)")
    p.add_argument("--target", type=float, default=0.9, help="ratio to count shapes against (default 0.9)")
    args = p.parse_args()
    ratios = read_pairs(args.files)
    if not ratios:
        sys.exit("pool-forks: no fork pairs in the files given")
    threads = sorted({t for _, t in ratios}, key=int)
    shapes = list(dict.fromkeys(s for s, _ in ratios))
    print(f"pooled from {len(args.files)} run(s): median of the per-pair SimdBackend / OpenBLAS ratios "
          f"(quartiles; pairs)")
    print()
    print("| shape (M×N×K) | " + " | ".join(f"{t} thread{'s' if t != '1' else ''}" for t in threads) + " |")
    print("|---|" + "---|" * len(threads))
    medians = defaultdict(list)
    by_depth = defaultdict(list)  # (threads, DEPTHS label) -> pooled medians
    for s in shapes:
        cells = []
        for t in threads:
            xs = ratios.get((s, t))
            if not xs:
                cells.append("–")
                continue
            m = statistics.median(xs)
            lo, hi = quartiles(xs)
            medians[t].append(m)
            by_depth[(t, depth(s))].append(m)
            cells.append(f"{m:.2f} ({lo:.2f}–{hi:.2f}; {len(xs)})")
        print(f"| {s} | " + " | ".join(cells) + " |")
    print()
    for t in threads:
        ms = medians[t]
        print(f"{t} thread(s): median over {len(ms)} shapes {statistics.median(ms):.3f}, "
              f"range {min(ms):.2f}–{max(ms):.2f}, {sum(m >= args.target for m in ms)} of {len(ms)} >= {args.target}")
        for d in DEPTHS:
            ds = by_depth.get((t, d))
            if ds:
                print(f"    {d}: median {statistics.median(ds):.3f} over {len(ds)} shapes, "
                      f"{sum(m >= args.target for m in ds)} >= {args.target}")


if __name__ == "__main__":
    main()
