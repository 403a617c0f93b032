#!/usr/bin/env python3
"""The PyTorch peer of GemmBenchmark: square GEMMs on the same GPU, timed with CUDA events.

fp32 (allow_tf32 off), tf32 (allow_tf32 on), bf16 (bf16 inputs and output, fp32 accumulation inside
cuBLAS; inputs converted before timing, so compare with GemmBenchmark's "bf16" rows, not its
"bf16+convert" rows). Usage: torch_gemm.py OUT.json N [N ...]
"""
import json
import os
import sys


def main():
    out_path, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]] or [1024, 2048, 4096, 8192]
    try:
        import torch
    except ImportError as e:
        json.dump({"error": f"no torch: {e}"}, open(out_path, "w"))
        print("torch_gemm: no torch in", sys.executable)
        return 0
    rows = []
    for n in sizes:
        a = torch.full((n, n), 0.5, device="cuda")
        b = torch.full((n, n), 0.25, device="cuda")
        for mode in ("fp32", "tf32", "bf16"):
            torch.backends.cuda.matmul.allow_tf32 = mode == "tf32"
            x, y = (a.bfloat16(), b.bfloat16()) if mode == "bf16" else (a, b)

            def run(iters):
                start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                start.record()
                for _ in range(iters):
                    torch.mm(x, y)
                stop.record()
                stop.synchronize()
                return start.elapsed_time(stop) / iters

            run(2)
            probe = run(1)
            iters = int(max(3, min(200, 200 / max(probe, 1e-3))))
            ms = run(iters)
            tflops = 2.0 * n ** 3 / (ms * 1e-3) / 1e12
            rows.append({"impl": "torch", "mode": mode, "n": n, "iters": iters, "ms": ms, "tflops": tflops})
            print(f"torch        {mode:12s} n={n:5d}  {ms:9.3f} ms  {tflops:8.2f} TFLOP/s")
    info = {"torch": torch.__version__, "cuda": torch.version.cuda, "device": torch.cuda.get_device_name(0)}
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"env": info, "results": rows}, f, indent=2)
    os.replace(tmp, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
