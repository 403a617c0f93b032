#!/usr/bin/env python3
"""The PyTorch peer of DeviceBenchmark on the same GPU, timed with CUDA events: square GEMMs, then the
same kernels at the same sizes (softmax, layer norm, causal scaled-dot-product attention forward, and
forward + backward).

fp32 (allow_tf32 off), tf32 (allow_tf32 on), bf16-out16 (bf16 inputs and output, fp32 accumulation
inside cuBLAS: plain torch.mm), bf16 (the same with an fp32 output, out_dtype, where torch has it); inputs
converted before timing, as in DeviceBenchmark's rows of the same names (not its "bf16+convert").
Each GEMM row also records the host's microseconds per call spent enqueueing, as DeviceBenchmark's do.
Usage: torch_peer.py OUT.json N [N ...]
       torch_peer.py --probe-kernels N [MODE ...]   (each mode's torch.mm three times, default fp32 and tf32,
                      a line naming each, for Nsight Compute to name the kernels; DeviceBenchmark has the same mode)
"""
import json
import os
import sys


GEMM_MODES = ("fp32", "tf32", "bf16", "bf16-out16")


def gemm_operands(torch, n):
    """n × n operands uniform in [-1, 1) like DeviceBenchmark's: constant data draws less power and would time
    faster."""
    gen = torch.Generator(device="cuda").manual_seed(n)
    a = torch.rand((n, n), device="cuda", generator=gen) * 2 - 1
    b = torch.rand((n, n), device="cuda", generator=gen) * 2 - 1
    return a, b


def gemm_call(torch, mode, a, b):
    """torch.mm of one of GEMM_MODES on a, b, as a function of no arguments. torch.mm of bf16 tensors returns
    bf16 ("bf16-out16"); out_dtype=float32 (torch >= 2.9) gives DeviceBenchmark's "bf16" (fp32 C)."""
    torch.backends.cuda.matmul.allow_tf32 = mode == "tf32"
    x, y = (a.bfloat16(), b.bfloat16()) if mode.startswith("bf16") else (a, b)
    kw = {"out_dtype": torch.float32} if mode == "bf16" else {}
    return lambda: torch.mm(x, y, **kw)


def probe_kernels(n, modes):
    import torch
    a, b = gemm_operands(torch, n)
    for mode in modes or ("fp32", "tf32"):
        if mode not in GEMM_MODES:
            print(f"probe-kernels: torch has no {mode} row (DeviceBenchmark's own variant)", flush=True)
            continue
        call = gemm_call(torch, mode, a, b)
        torch.cuda.synchronize()
        print(f"probe-kernels: torch {mode} n={n}, 3 calls", flush=True)
        for _ in range(3):
            call()
        torch.cuda.synchronize()
    return 0


def main():
    if sys.argv[1] == "--probe-kernels":
        return probe_kernels(int(sys.argv[2]), sys.argv[3:])
    out_path, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]] or [1024, 2048, 4096, 8192]
    try:
        import torch
    except ImportError as e:
        with open(out_path, "w") as f:
            json.dump({"error": f"no torch: {e}"}, f)
        print("torch_peer: no torch in", sys.executable)
        return 0
    import time

    def timed(fn, window_ms=100, max_iters=5000):
        """GPU ms per call of fn, the calls timed and host µs per call spent enqueueing them: two warm-up
        calls, a probe, then about window_ms."""
        def run(iters):
            start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            t0 = time.perf_counter()
            for _ in range(iters):
                fn()
            host_us = (time.perf_counter() - t0) * 1e6 / iters
            stop.record()
            stop.synchronize()
            return start.elapsed_time(stop) / iters, host_us
        run(2)
        probe, _ = run(1)
        iters = int(max(3, min(max_iters, window_ms / max(probe, 1e-3))))
        ms, host_us = run(iters)
        return ms, iters, host_us

    rows = []
    for n in sizes:
        a, b = gemm_operands(torch, n)
        for mode in GEMM_MODES:
            call = gemm_call(torch, mode, a, b)
            if mode == "bf16":  # out_dtype needs torch >= 2.9; without it that row is left out
                try:
                    call()
                except (TypeError, RuntimeError) as e:
                    print(f"torch        bf16 with fp32 output: not available ({type(e).__name__}: {e})")
                    continue
            ms, iters, host_us = timed(call, 200, 20000)  # about 0.2 s, as DeviceBenchmark
            tflops = 2.0 * n ** 3 / (ms * 1e-3) / 1e12
            rows.append({"impl": "torch", "mode": mode, "n": n, "iters": iters, "ms": ms, "tflops": tflops,
                         "host_us": host_us})
            print(f"torch        {mode:14s} n={n:5d}  {ms:9.3f} ms  {tflops:8.2f} TFLOP/s  host {host_us:6.1f} us/call")
    import torch.nn.functional as F
    R, V, C, B, T, NH, HS = 8 * 1024, 50304, 768, 8, 1024, 12, 64
    logits = torch.zeros(R, V, device="cuda")
    kernels = [("softmax", f"{R}x{V}", 8 * R * V, lambda: torch.softmax(logits, dim=-1))]
    x, w, b = torch.zeros(R, C, device="cuda"), torch.ones(C, device="cuda"), torch.zeros(C, device="cuda")
    kernels.append(("layerNorm", f"{R}x{C}", 8 * R * C, lambda: F.layer_norm(x, (C,), w, b, 1e-5)))
    for B, T, NH, HS in ((8, 1024, 12, 64), (8, 256, 8, 32)):
        shape = f"B{B} T{T} NH{NH} HS{HS} causal"
        q, k, v = (torch.rand(B, NH, T, HS, device="cuda", requires_grad=True) for _ in range(3))
        g = torch.rand(B, NH, T, HS, device="cuda")
        fwd = lambda q=q, k=k, v=v: F.scaled_dot_product_attention(q, k, v, is_causal=True)
        kernels.append(("attention", shape, 0, lambda fwd=fwd: fwd().detach()))
        kernels.append(("attn-fwd+bwd", shape, 0, lambda fwd=fwd, q=q, k=k, v=v, g=g:
                        torch.autograd.grad(fwd(), (q, k, v), g)))
        # with dropout 0.1 on the probabilities (PyTorch draws its mask with Philox; ours hashes positions)
        drop = lambda q=q, k=k, v=v: F.scaled_dot_product_attention(q, k, v, dropout_p=0.1, is_causal=True)
        kernels.append(("attn-fwd+bwd", shape + " drop0.1", 0, lambda drop=drop, q=q, k=k, v=v, g=g:
                        torch.autograd.grad(drop(), (q, k, v), g)))
    for name, shape, nbytes, fn in kernels:
        ms, iters, _ = timed(fn)
        row = {"impl": "torch", "mode": "kernel", "kernel": name, "shape": shape, "iters": iters, "ms": ms}
        if nbytes:
            row["gbps"] = nbytes / (ms * 1e-3) / 1e9
        rows.append(row)
        print(f"torch        kernel {name:10s} {shape:34s} {ms:9.3f} ms")
    del logits
    info = {"torch": torch.__version__, "cuda": torch.version.cuda, "device": torch.cuda.get_device_name(0)}
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"env": info, "results": rows}, f, indent=2)
    os.replace(tmp, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
