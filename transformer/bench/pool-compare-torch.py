#!/usr/bin/env python3
"""Pools the rounds of several transformer/bench/compare-torch.sh runs into one table.

Each round of compare-torch.sh runs `tokenlab bench` and the PyTorch peer side by side and prints their
ratio; on this shared machine a round's ratio moves by about +-0.15 within minutes, so a run of three rounds
does not settle a preset. For every (preset, threads) this prints the median of all rounds' ratios, their
quartiles, the number of rounds, and the median tokens/s of each program.

    transformer/bench/pool-compare-torch.py transformer/bench/results/compare-torch-*.txt

Standard library only. A round line reads:
round R PRESET threads N: tokenlab X tok/s, torch Y tok/s, ratio Z | load L [| FMA B/A]
(B/A: the bare FMA GFLOP/s TokenLab's run saw before/after its timed steps; since 2026-12-01)
"""
import argparse
import re
import statistics
import sys
from collections import defaultdict

ROUND = re.compile(r"round \d+ (\w+) threads (\d+): tokenlab (\d+) tok/s, torch (\d+) tok/s, ratio [\d.]+")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("files", nargs="+", help="files written by compare-torch.sh (transformer/bench/results/)")
    args = p.parse_args()
    rounds = defaultdict(list)
    for path in args.files:
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    m = ROUND.match(line)
                    if m:
                        rounds[(m[1], int(m[2]))].append((int(m[3]), int(m[4])))
        except OSError as e:
            sys.exit(f"pool-compare-torch: cannot read {path}: {e.strerror}")
    if not rounds:
        sys.exit("pool-compare-torch: no round lines in the files given")
    print(f"pooled from {len(args.files)} run(s)")
    print()
    print("| preset | threads | TokenLab tok/s (median) | PyTorch tok/s (median) | ratio (median of rounds) | quartiles | rounds |")
    print("|---|---|---|---|---|---|---|")
    for (preset, threads), rs in sorted(rounds.items(), key=lambda kv: (kv[0][0] != "small", kv[0][1])):
        ratios = [t / y for t, y in rs]
        q = statistics.quantiles(ratios, n=4, method="inclusive") if len(ratios) > 1 else [ratios[0]] * 3
        print(f"| {preset} | {threads} | {statistics.median(t for t, _ in rs):.0f} | {statistics.median(y for _, y in rs):.0f} | "
              f"{statistics.median(ratios):.2f}× | {q[0]:.2f}–{q[2]:.2f} | {len(rs)} |")


if __name__ == "__main__":
    main()
