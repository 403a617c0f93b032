#!/usr/bin/env python3
"""Where PyTorch's training step goes: self CPU time per aten op over a few steps of the bench model.

Runs the model, presets and step of torch_gpt_bench.py (forward, backward, clipping, AdamW) under
torch.profiler and prints the share of matmul (mm + addmm for the Linear layers, bmm for attention) and
the top ops. docs/performance.md uses it to bound what a faster non-matmul part can gain.

Usage: /usr/bin/python3 torch_profile.py --preset medium --threads 1 [--warmup 3 --steps 4]
(unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE first, as for the bench; where OpenBLAS would fall back to its SSE3
kernels it is given SkylakeX's, see openblas_core.py, and the first line names the core)
"""
import argparse, os, sys
import torch
from torch.profiler import profile, ProfilerActivity

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_gpt_bench as bench
import openblas_core

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="small", choices=bench.PRESETS)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--top", type=int, default=12)
    a = ap.parse_args()
    openblas_core.ensure_fast_kernels()
    torch.set_num_threads(a.threads)
    _, step = bench.make_step(a.preset)
    for _ in range(a.warmup):
        step()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(a.steps):
            step()
    ops = prof.key_averages()
    total = sum(e.self_cpu_time_total for e in ops)
    share = lambda names: 100 * sum(e.self_cpu_time_total for e in ops if e.key in names) / total
    print(f"torch {torch.__version__} {a.preset} | threads {a.threads} | OpenBLAS {openblas_core.core()} | {a.steps} steps | "
          f"mm+addmm {share({'aten::mm', 'aten::addmm'}):.1f} % | bmm {share({'aten::bmm', 'aten::baddbmm'}):.1f} % | "
          f"total self CPU {total / 1e3:.0f} ms")
    for e in sorted(ops, key=lambda e: -e.self_cpu_time_total)[:a.top]:
        print(f"  {e.key:36s} {e.self_cpu_time_total / 1e3:9.1f} ms {100 * e.self_cpu_time_total / total:5.1f} %  calls {e.count}")

if __name__ == "__main__":
    main()
