#!/usr/bin/env python3
"""Loads a TokenLab `model.safetensors` (standard configuration) into nanoGPT's model class and scores a byte
file the way `tokenlab score` does, so the two losses can be compared.

The model classes below are nanoGPT's `model.py` (karpathy/nanoGPT: LayerNorm with optional bias,
CausalSelfAttention with fused c_attn, MLP with c_fc/c_proj, Block, GPT with `transformer.{wte,wpe,drop,h,ln_f}`
and a tied `lm_head`), reduced to what inference needs and kept with the same module names, so that
`load_state_dict` checks every name and shape exactly as loading into nanoGPT itself would. nanoGPT's MLP uses
`nn.GELU()` (the exact erf form); TokenLab's standard configuration uses the tanh approximation (GPT-2's), so
the script scores with both: `--gelu tanh` must match TokenLab to float32 rounding, `--gelu erf` (nanoGPT as
published) differs by the approximation alone.

No `safetensors` package is needed: the format is an 8-byte little-endian header length, a JSON header and the
raw little-endian tensors.

Usage: python3 nanogpt_check.py MODEL.safetensors DATA [--expect NATS] [--tolerance 1e-4]
"""
import argparse, json, math, struct, sys
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
from torch.nn import functional as F


# ---------------------------------------------------------------- nanoGPT's model (names and shapes as in model.py)
class LayerNorm(nn.Module):
    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_attn = nn.Linear(cfg.n_embd, 3 * cfg.n_embd, bias=cfg.bias)
        self.c_proj = nn.Linear(cfg.n_embd, cfg.n_embd, bias=cfg.bias)
        self.n_head, self.n_embd = cfg.n_head, cfg.n_embd

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).tril().logical_not(), float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_fc = nn.Linear(cfg.n_embd, 4 * cfg.n_embd, bias=cfg.bias)
        self.gelu = nn.GELU(approximate=cfg.gelu)
        self.c_proj = nn.Linear(4 * cfg.n_embd, cfg.n_embd, bias=cfg.bias)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_1 = LayerNorm(cfg.n_embd, bias=cfg.bias)
        self.attn = CausalSelfAttention(cfg)
        self.ln_2 = LayerNorm(cfg.n_embd, bias=cfg.bias)
        self.mlp = MLP(cfg)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


@dataclass
class GPTConfig:
    block_size: int
    vocab_size: int
    n_layer: int
    n_head: int
    n_embd: int
    bias: bool
    gelu: str = "none"  # nanoGPT: nn.GELU() = exact erf; "tanh" = GPT-2's approximation


class GPT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(cfg.vocab_size, cfg.n_embd),
            wpe=nn.Embedding(cfg.block_size, cfg.n_embd),
            drop=nn.Dropout(0.0),
            h=nn.ModuleList([Block(cfg) for _ in range(cfg.n_layer)]),
            ln_f=LayerNorm(cfg.n_embd, bias=cfg.bias),
        ))
        self.lm_head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying, as nanoGPT

    def forward(self, idx, targets):
        t = idx.size(1)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(torch.arange(t)))
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1, reduction="sum")


# ---------------------------------------------------------------- safetensors, read by hand
DTYPES = {"F32": np.float32, "F16": np.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, h in header.items():
        start, end = h["data_offsets"]
        arr = np.frombuffer(blob, dtype=DTYPES[h["dtype"]], count=(end - start) // np.dtype(DTYPES[h["dtype"]]).itemsize,
                            offset=base + start).reshape(h["shape"])
        tensors[name] = torch.from_numpy(arr.astype(np.float32))
    return meta, tensors


def load_nanogpt(path, gelu):
    meta, sd = read_safetensors(path)
    if meta.get("tied") != "true":
        sys.exit(f"{path}: tied = {meta.get('tied')}; nanoGPT's class ties the head, so only tied checkpoints load into it")
    cfg = GPTConfig(block_size=int(meta["block_size"]), vocab_size=int(meta["vocab_size"]), n_layer=int(meta["n_layer"]),
                    n_head=int(meta["n_head"]), n_embd=int(meta["n_embd"]), bias=meta["bias"] == "true", gelu=gelu)
    model = GPT(cfg)
    missing, unexpected = model.load_state_dict(sd, strict=False)
    # the tied head is stored once, as transformer.wte.weight (nanoGPT's own checkpoints hold both names)
    if unexpected or [m for m in missing if m != "lm_head.weight"]:
        sys.exit(f"{path}: names do not match nanoGPT: missing {missing}, unexpected {unexpected}")
    return cfg, model.eval()


def score(model, cfg, data):
    """Mean nats/token over consecutive windows, as `tokenlab score`: inputs [s, s+T), targets [s+1, s+T+1)."""
    tokens = torch.tensor(list(data), dtype=torch.long)
    T, total, count = cfg.block_size, 0.0, 0
    with torch.no_grad():
        for s in range(0, len(tokens) - 1, T):
            n = min(T, len(tokens) - 1 - s)
            x, y = tokens[s:s + n].unsqueeze(0), tokens[s + 1:s + 1 + n].unsqueeze(0)
            total += model(x, y).double().item()
            count += n
    return total / count, count


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("data")
    ap.add_argument("--expect", type=float, help="tokenlab score's nats_per_token, to compare with")
    ap.add_argument("--tolerance", type=float, default=1e-4, help="allowed |difference| for --gelu tanh (nats/token)")
    a = ap.parse_args()
    data = open(a.data, "rb").read()
    result = {"torch": torch.__version__}
    for gelu in ("tanh", "none"):
        cfg, model = load_nanogpt(a.model, gelu)
        loss, count = score(model, cfg, data)
        result["nats_per_token_gelu_" + ("tanh" if gelu == "tanh" else "erf")] = round(loss, 6)
        result["tokens"] = count
    if a.expect is not None:
        diff = abs(result["nats_per_token_gelu_tanh"] - a.expect)
        result["tokenlab_nats_per_token"] = a.expect
        result["abs_diff_tanh"] = float(f"{diff:.3g}")
        result["abs_diff_erf"] = float(f"{abs(result['nats_per_token_gelu_erf'] - a.expect):.3g}")
        result["match"] = diff <= a.tolerance
    print(json.dumps(result))
    if a.expect is not None and not result["match"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
