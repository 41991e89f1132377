"""Shared by the scripts in this folder: median wall time of a function, and the CSV that
dev.gradbook.benchmarks.Report reads (columns benchmark,shape,threads,median_ms,torch)."""

import argparse
import csv
import os
import statistics
import time


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, os.cpu_count()],
                        help="torch.set_num_threads values to run (default: 1 and all cores)")
    parser.add_argument("--seconds", type=float, default=2.0,
                        help="measuring time per configuration, after warm-up (default 2)")
    parser.add_argument("--csv", help="append results to this CSV file for Report")
    return parser.parse_args()


def median_ms(fn, seconds, warmup=10, min_samples=5):
    """Runs fn warmup times, then times single calls for about `seconds`; returns the median in ms."""
    for _ in range(warmup):
        fn()
    samples = []
    deadline = time.perf_counter() + seconds
    while len(samples) < min_samples or time.perf_counter() < deadline:
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def build():
    """This PyTorch and the BLAS it multiplies with, e.g. '2.13.0+cpu (mkl)'."""
    import torch
    config = torch.__config__.show()
    blas = next((part.split("=")[1] for part in config.replace(",", " ").split() if part.startswith("BLAS_INFO=")),
                "?")
    if blas == "generic":
        # Debian's build calls whatever libblas.so.3 the system selects: name the one loaded
        torch.mm(torch.ones(64, 64), torch.ones(64, 64))
        blas = "generic: " + _loaded_blas()
    return f"{torch.__version__} ({blas})"


def _loaded_blas():
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if "blas" in path and ".so" in path:
                    return "/".join(path.split("/")[-2:])
    except OSError:
        pass
    return "unknown"


def record(path, benchmark, shape, threads, ms):
    if path is None:
        return
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", newline="") as f:
        out = csv.writer(f)
        if new:
            out.writerow(["benchmark", "shape", "threads", "median_ms", "torch"])
        out.writerow([benchmark, shape, threads, f"{ms:.6f}", build()])
