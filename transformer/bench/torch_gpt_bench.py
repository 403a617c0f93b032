#!/usr/bin/env python3
"""PyTorch peer of `tokenlab bench` (CPU, or a CUDA GPU with --device cuda): the same nanoGPT model (learned positions, LayerNorm with bias,
GELU tanh, tied head), the same presets, forward + backward + global-norm clipping + AdamW per step,
on random byte tokens. Prints tokens/s and GFLOP/s with nanoGPT's estimate 6N + 12·L·C·T per token.

Usage: python3 torch_gpt_bench.py --preset small --threads 2 [--warmup 4 --steps 6] [--device cuda]
"""
import argparse, math, time
import torch
import torch.nn as nn
import torch.nn.functional as F

import openblas_core

PRESETS = {"small": dict(V=256, T=128, C=128, L=4, NH=4, B=16), "medium": dict(V=256, T=256, C=256, L=6, NH=8, B=8)}

class Block(nn.Module):
    def __init__(s, C, NH):
        super().__init__()
        s.NH = NH
        s.ln_1, s.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        s.c_attn, s.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        s.c_fc, s.mlp_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(s, x):
        B, T, C = x.shape
        q, k, v = s.c_attn(s.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, s.NH, C // s.NH).transpose(1, 2) for t in (q, k, v))
        if hasattr(F, "scaled_dot_product_attention"):  # torch >= 2.0: fused kernel
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:  # nanoGPT's explicit path
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).tril().logical_not(), float("-inf"))
            y = F.softmax(att, dim=-1) @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        x = x + s.c_proj(y)
        return x + s.mlp_proj(F.gelu(s.c_fc(s.ln_2(x)), approximate="tanh"))

class Gpt(nn.Module):
    def __init__(s, V, T, C, L, NH):
        super().__init__()
        s.wte, s.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        s.h = nn.ModuleList(Block(C, NH) for _ in range(L))
        s.ln_f = nn.LayerNorm(C)

    def forward(s, idx, targets):
        x = s.wte(idx) + s.wpe(torch.arange(idx.shape[1], device=idx.device))
        for b in s.h:
            x = b(x)
        logits = s.ln_f(x) @ s.wte.weight.t()
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))

def make_step(preset, device="cpu"):
    """The bench's model, optimiser and one training step (forward, backward, clipping, AdamW) for a preset."""
    torch.manual_seed(0)
    p = PRESETS[preset]
    m = Gpt(p["V"], p["T"], p["C"], p["L"], p["NH"]).to(device)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1)
    data = torch.randint(0, p["V"], (1 << 20,)).to(device)
    def step():
        ix = torch.randint(0, len(data) - p["T"] - 1, (p["B"],)).tolist()
        x = torch.stack([data[i:i + p["T"]] for i in ix])
        y = torch.stack([data[i + 1:i + 1 + p["T"]] for i in ix])
        opt.zero_grad(set_to_none=True)
        m(x, y).backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()
    return m, step

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="small", choices=PRESETS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=4)
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    ap.add_argument("--matmul", default="fp32", choices=("fp32", "tf32"),
                    help="tf32: allow TensorFloat-32 tensor cores in matmul (cuda), as tokenlab's --matmul tf32")
    a = ap.parse_args()
    if a.device == "cpu":
        openblas_core.ensure_fast_kernels()
    torch.set_num_threads(a.threads)
    torch.backends.cuda.matmul.allow_tf32 = a.matmul == "tf32"
    p = PRESETS[a.preset]
    m, step = make_step(a.preset, a.device)
    sync = torch.cuda.synchronize if a.device == "cuda" else (lambda: None)
    for _ in range(a.warmup):
        step()
    sync()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        step()
    sync()
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    tokens = a.steps * p["B"] * p["T"]
    n = sum(q.numel() for q in m.parameters()) - m.wpe.weight.numel()
    flops = 6 * n + 12 * p["L"] * p["C"] * p["T"]
    where = torch.cuda.get_device_name(0) + f" | matmul {a.matmul}" if a.device == "cuda" else f"threads {a.threads}"
    core = openblas_core.core() if a.device == "cpu" else None
    blas = f" | OpenBLAS {core}" if core else ""
    print(f"torch {torch.__version__} {a.preset} | {where} | {tokens / secs:.0f} tok/s | "
          f"{tokens / secs * flops * 1e-9:.1f} GFLOP/s | {secs * 1e3 / a.steps:.1f} ms/step | "
          f"{tokens / cpu:.0f} tok per CPU-second{blas}")

if __name__ == "__main__":
    main()
