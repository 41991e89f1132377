"""The training step of MlpStepBenchmark in PyTorch: MLP 784-256-256-10 with ReLU, a batch of 64
random inputs and labels, mean cross-entropy, plain SGD (lr 0.01); median time per step.

    python3 benchmarks/pytorch/mlp_step.py --threads 1 2 --csv /tmp/torch.csv
"""

import torch
import torch.nn.functional as F

from timing import arguments, median_ms, record

SIZES = [784, 256, 256, 10]
BATCH = 64


def main():
    args = arguments(__doc__)
    for threads in args.threads:
        torch.set_num_threads(threads)
        torch.manual_seed(7)
        layers = []
        for i in range(len(SIZES) - 1):
            layers.append(torch.nn.Linear(SIZES[i], SIZES[i + 1]))
            if i + 2 < len(SIZES):
                layers.append(torch.nn.ReLU())
        model = torch.nn.Sequential(*layers)
        sgd = torch.optim.SGD(model.parameters(), lr=0.01)
        x = torch.randn(BATCH, SIZES[0])
        y = torch.randint(0, SIZES[-1], (BATCH,))

        def step():
            sgd.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            sgd.step()
            return loss.item()

        ms = median_ms(step, args.seconds, warmup=50)
        print(f"mlp_step threads {threads}  median {ms:.3f} ms")
        record(args.csv, "mlp_step", "", threads, ms)


if __name__ == "__main__":
    main()
