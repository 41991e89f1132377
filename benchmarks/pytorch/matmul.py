"""The products of MatmulBenchmark in PyTorch: C = A B in float32 for A (m, k), B (k, n), written
into a preallocated C (like the kernels' gemm), reported as GFLOP/s = 2 m n k / median time.

    python3 benchmarks/pytorch/matmul.py --threads 1 2 --csv /tmp/torch.csv
"""

import torch

from timing import arguments, build, median_ms, record

SHAPES = ["64", "256", "1024", "64x784x256"]  # "n" is n x n x n; "m x k x n" as in MatmulBenchmark


def parse(shape):
    parts = [int(p) for p in shape.split("x")]
    return parts * 3 if len(parts) == 1 else parts


def main():
    args = arguments(__doc__)
    torch.manual_seed(0)
    print(f"torch {build()}")
    for threads in args.threads:
        torch.set_num_threads(threads)
        for shape in SHAPES:
            m, k, n = parse(shape)
            a, b, c = torch.randn(m, k), torch.randn(k, n), torch.empty(m, n)
            ms = median_ms(lambda: torch.mm(a, b, out=c), args.seconds)
            print(f"matmul {m:5d} x {k:5d} x {n:5d}  threads {threads}  {ms * 1e3:10.1f} us  "
                  f"{2 * m * n * k / (ms * 1e6):7.1f} GFLOP/s")
            record(args.csv, "matmul", shape, threads, ms)


if __name__ == "__main__":
    main()
