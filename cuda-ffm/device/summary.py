#!/usr/bin/env python3
"""Merges the device check's JSON files into summary.json and prints the short table (last).

The timings come in rounds, ours and torch's alternating (bench-tokenlab-R.json, bench-torch-R.json for
R = 1, 2, ...), so that the GPU's drift over the minutes of the check falls on both sides; the table gives
each row's median over the rounds and the ratio of the medians, with each round's ratio beside it.
"""
import glob
import json
import os
import re
import statistics
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"error": f"{path}: {e}"}


def main():
    out = sys.argv[1]
    info = load(os.path.join(out, "cuda-info.json"))

    def rounds(side):
        """{round: rows} of one side's files, and the first file's other fields."""
        by_round, first = {}, {}
        for path in sorted(glob.glob(os.path.join(out, f"bench-{side}-*.json"))):
            r = int(re.search(r"-(\d+)\.json$", path).group(1))
            data = load(path)
            first = first or data
            by_round[r] = data.get("results") if isinstance(data.get("results"), list) else []
        return by_round, first

    our_rounds, ours = rounds("tokenlab")
    torch_rounds, torch = rounds("torch")
    tests = open(os.path.join(out, "tests.txt")).read() if os.path.exists(os.path.join(out, "tests.txt")) else ""
    gpt = open(os.path.join(out, "gpt-bench.txt")).read() if os.path.exists(os.path.join(out, "gpt-bench.txt")) else ""
    tagged = lambda by_round: [dict(row, round=r) for r, rows in sorted(by_round.items()) for row in rows]
    summary = {"availability": info, "tokenlab": tagged(our_rounds), "torch": tagged(torch_rounds),
               "torch_env": torch.get("env"), "errors": [d["error"] for d in (ours, torch) if "error" in d],
               "tests": [l.strip() for l in tests.splitlines() if l.strip().startswith("[") and "tests" in l],
               "gpt_bench": [l.strip() for l in gpt.splitlines() if l.startswith(("bench ", "torch "))]}
    tmp = os.path.join(out, "summary.json.tmp")
    with open(tmp, "w") as f:
        json.dump(summary, f, indent=2)
    os.replace(tmp, os.path.join(out, "summary.json"))

    print("cuda:", info.get("status"), "-", info.get("cudart"), "/", info.get("cublas"))
    for line in summary["tests"]:
        print("junit", line)
    for line in summary["gpt_bench"]:
        print(line)
    key = lambda r: (r["mode"], r.get("n"), r.get("kernel"), r.get("shape"))

    def by_key(by_round):
        """{row key: {round: row}}, keys in the first round's order."""
        merged = {}
        for r, rows in sorted(by_round.items()):
            for row in rows:
                merged.setdefault(key(row), {})[r] = row
        return merged

    mine, theirs = by_key(our_rounds), by_key(torch_rounds)
    med = lambda rows, field: statistics.median(row[field] for row in rows.values())
    host = lambda rows: f"{med(rows, 'host_us'):.1f}" if rows and all("host_us" in x for x in rows.values()) else "-"
    print(f"rounds: tokenlab {len(our_rounds)}, torch {len(torch_rounds)} (alternating); medians over rounds")
    print(f"{'GEMM':14s} {'n':>5s} {'tokenlab TFLOP/s':>17s} {'torch TFLOP/s':>14s} {'ratio':>6s} {'per round':>11s}"
          f" {'host us/call, ours':>19s} {'torch':>6s}")
    for k, rows in ((k, v) for k, v in mine.items() if "tflops" in next(iter(v.values()))):
        # our variants of a mode ("tf32-ex": TF32 asked for in cublasGemmEx; "-ws32": a handle with a 32 MiB
        # workspace) are compared with torch's plain row of that mode
        mode = k[0].removesuffix("-ws32").removesuffix("-ex")
        peer = theirs.get((mode,) + k[1:], {})
        ours_t = med(rows, "tflops")
        ratio = f"{ours_t / med(peer, 'tflops'):.2f}" if peer else "-"
        per_round = " ".join(f"{rows[r]['tflops'] / peer[r]['tflops']:.2f}" for r in sorted(rows) if r in peer)
        pt = f"{med(peer, 'tflops'):.1f}" if peer else "-"
        print(f"{k[0]:14s} {k[1]:5d} {ours_t:17.1f} {pt:>14s} {ratio:>6s} {per_round:>11s} {host(rows):>19s}"
              f" {host(peer):>6s}")
    print(f"{'kernel':12s} {'shape':34s} {'tokenlab ms':>11s} {'torch ms':>9s} {'ratio':>6s}")
    for k, rows in ((k, v) for k, v in mine.items() if k[0] == "kernel"):
        peer = theirs.get(k, {})
        ours_ms = med(rows, "ms")
        ratio = f"{ours_ms / med(peer, 'ms'):.2f}" if peer else "-"
        pt = f"{med(peer, 'ms'):.3f}" if peer else "-"
        print(f"{k[2]:12s} {k[3]:34s} {ours_ms:11.3f} {pt:>9s} {ratio:>6s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
