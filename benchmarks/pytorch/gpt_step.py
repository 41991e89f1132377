"""The training step of GptStepBenchmark in PyTorch: a nanoGPT-style model with vocabulary 256,
d_model 128, 4 heads, context 64, 2 layers, MLP 4x (GELU, tanh approximation), learned positions,
tied head, biases, no dropout; a batch of 16 x 64 random tokens; mean next-token cross-entropy;
AdamW with PyTorch's defaults except weight decay 0.01 on the matrices only, as nanoGPT groups them
(lr 1e-3, betas 0.9/0.999, eps 1e-8).
Attention is written out (softmax(q k^T / sqrt(hs)) v with a causal mask), as in Gradbook.

    python3 benchmarks/pytorch/gpt_step.py --threads 1 2 --csv /tmp/torch.csv
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from timing import arguments, median_ms, record

VOCAB, CONTEXT, LAYERS, HEADS, D_MODEL, BATCH = 256, 64, 2, 4, 128, 16


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
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, D_MODEL)
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
        return F.cross_entropy(logits.view(-1, VOCAB), targets.view(-1))


def main():
    args = arguments(__doc__)
    for threads in args.threads:
        torch.set_num_threads(threads)
        torch.manual_seed(3)
        model = Gpt()
        groups = [{"params": [p for p in model.parameters() if p.dim() >= 2], "weight_decay": 0.01},
                  {"params": [p for p in model.parameters() if p.dim() < 2], "weight_decay": 0.0}]
        optimizer = torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
        ids = torch.randint(0, VOCAB, (BATCH, CONTEXT))
        targets = torch.randint(0, VOCAB, (BATCH, CONTEXT))

        def step():
            optimizer.zero_grad()
            loss = model.loss(ids, targets)
            loss.backward()
            optimizer.step()
            return loss.item()

        ms = median_ms(step, args.seconds, warmup=10)
        print(f"gpt_step threads {threads}  median {ms:.3f} ms  "
              f"({sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters)")
        record(args.csv, "gpt_step", "", threads, ms)


if __name__ == "__main__":
    main()
