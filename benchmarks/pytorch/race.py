"""PyTorch's side of the race (benchmarks/race.sh): nanoGPT's documented CPU run of
train_shakespeare_char, written out here so that nothing but PyTorch is needed:
character-level Tiny Shakespeare (first 90% for training), 4 layers, 4 heads, 128 channels,
context 64, batch 12, biases, tied head, GELU (tanh approximation as in Gradbook; nanoGPT uses the
exact erf form, which trains the same), no dropout; AdamW betas 0.9/0.99 with weight decay 0.1 on
the matrices only (nanoGPT's configure_optimizers), lr 1e-3 with 100 warm-up steps and cosine decay
to 1e-4, gradient clipping at norm 1; GPT-2 initialisation.

It prints one line in the format of dev.gradbook.benchmarks.Race:
    race pytorch: iters 2000, threads 1, ms/iter 57.0, cpu ms/iter 57.0, train 1.80, val 1.89, peak RSS 300 MB, ...
ms/iter is the training loop's wall time per iteration (the evaluation is outside it); val is the
mean cross-entropy over every non-overlapping 64-character window of the validation text, the
same windows Gradbook uses; peak RSS is ru_maxrss.

    OPENBLAS_CORETYPE=Zen python3 benchmarks/pytorch/race.py --iters 2000 --threads 1
"""

import argparse
import ctypes
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

LAYERS, HEADS, D_MODEL, CONTEXT, BATCH = 4, 4, 128, 64, 12


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(D_MODEL, 3 * D_MODEL)
        self.proj = nn.Linear(D_MODEL, D_MODEL)
        self.register_buffer("mask", torch.tril(torch.ones(CONTEXT, CONTEXT, dtype=torch.bool)))

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.view(b, t, HEADS, c // HEADS).transpose(1, 2) for z in (q, k, v))  # (B, nh, T, hs)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // HEADS)                            # (B, nh, T, T)
        att = att.masked_fill(~self.mask[:t, :t], float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)                           # (B, T, C)
        return self.proj(y)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(D_MODEL)
        self.attn = CausalSelfAttention()
        self.ln2 = nn.LayerNorm(D_MODEL)
        self.fc = nn.Linear(D_MODEL, 4 * D_MODEL)
        self.out = nn.Linear(4 * D_MODEL, D_MODEL)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.vocab = vocab
        self.wte = nn.Embedding(vocab, D_MODEL)
        self.wpe = nn.Embedding(CONTEXT, D_MODEL)
        self.blocks = nn.ModuleList(Block() for _ in range(LAYERS))
        self.ln_f = nn.LayerNorm(D_MODEL)
        for name, p in self.named_parameters():           # GPT-2 initialisation
            if name.endswith("weight") and p.dim() == 2:
                std = 0.02 / math.sqrt(2 * LAYERS) if name.endswith(("proj.weight", "out.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias") and "ln" not in name:
                nn.init.zeros_(p)

    def loss(self, ids, targets):
        t = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(t))
        for block in self.blocks:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()                                       # (B, T, V), tied
        return F.cross_entropy(logits.view(-1, self.vocab), targets.view(-1))


def lr_at(it, iters):
    """Linear warm-up over 100 steps (fewer for short runs), then cosine from 1e-3 to 1e-4 at `iters`
    (Gradbook's WarmupCosine)."""
    warmup = min(100, iters // 2)
    if it < warmup:
        return 1e-3 * (it + 1) / warmup
    progress = (it - warmup) / (iters - warmup)
    return 1e-4 + (1e-3 - 1e-4) * (1 + math.cos(math.pi * progress)) / 2


def validation_loss(model, val):
    windows = (len(val) - 1) // CONTEXT
    total = 0.0
    model.eval()
    with torch.no_grad():
        for first in range(0, windows, 64):
            n = min(64, windows - first)
            starts = torch.arange(first, first + n) * CONTEXT
            x = torch.stack([val[s:s + CONTEXT] for s in starts])
            y = torch.stack([val[s + 1:s + 1 + CONTEXT] for s in starts])
            total += model.loss(x, y).item() * n
    model.train()
    return total / windows


def openblas_core():
    """The OpenBLAS kernel PyTorch multiplies with (OPENBLAS_CORETYPE or its detection), or '?'."""
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "openblas" in path and ".so" in path:
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                return lib.openblas_get_corename().decode() + " (" + path.rsplit("/", 1)[-1] + ")"
    return "? (no OpenBLAS loaded; " + torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0] + ")"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iters", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", default="data/text/tinyshakespeare.txt")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1337)

    text = open(args.data, encoding="utf-8").read()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([index[c] for c in text], dtype=torch.long)
    cut = int(0.9 * len(ids))
    train, val = ids[:cut], ids[cut:]

    model = Gpt(len(chars))
    params = list(model.named_parameters())
    groups = [{"params": [p for _, p in params if p.dim() >= 2], "weight_decay": 0.1},
              {"params": [p for _, p in params if p.dim() < 2], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.99), eps=1e-8)

    cpu_start, start = time.process_time(), time.perf_counter()
    loss = float("nan")
    for it in range(args.iters):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(it, args.iters)
        starts = torch.randint(len(train) - CONTEXT - 1, (BATCH,))
        x = torch.stack([train[s:s + CONTEXT] for s in starts])
        y = torch.stack([train[s + 1:s + 1 + CONTEXT] for s in starts])
        l = model.loss(x, y)
        optimizer.zero_grad(set_to_none=True)
        l.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        loss = l.item()
    ms = (time.perf_counter() - start) * 1e3 / args.iters
    cpu_ms = (time.process_time() - cpu_start) * 1e3 / args.iters
    val_loss = validation_loss(model, val)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"race pytorch: iters {args.iters}, threads {args.threads}, ms/iter {ms:.1f}, cpu ms/iter {cpu_ms:.1f}, "
          f"train {loss:.3f}, val {val_loss:.3f}, peak RSS {rss_mb} MB, torch {torch.__version__}, "
          f"BLAS kernel {openblas_core()}")


if __name__ == "__main__":
    main()
