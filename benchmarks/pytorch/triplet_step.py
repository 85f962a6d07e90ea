#!/usr/bin/env python3
"""PyTorch 1.13 twin of TrainingStepBenchmark and InferenceBenchmark.

Same network as SmallCnnConfig.demo(), same step: 128 triplets = one forward of 384 images
[384, 1, 28, 28], squared-L2 triplet loss (margin 0.2, sum), backward, SGD (lr 0.01,
momentum 0.9); inference: batch 256 under torch.no_grad(). Prints the median (and min) over
repeated timings for 1 and 2 threads.

    OMP_WAIT_POLICY=PASSIVE OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 benchmarks/pytorch/triplet_step.py

THREADS=1 (or THREADS=2; default "1,2") times one thread count only. Each count runs in a
fresh process that pins torch's OpenMP pool AND OpenBLAS's pool before torch is imported:
OpenBLAS sizes its pool from the environment when it loads, and without the pin it starts one
thread per core under a torch set to one thread, the two pools fight and timings swing several-
fold (issue 15). ../shared/bench/torch_reference.py is the reference script (docs/benchmarks.md).
"""
import os
import statistics
import subprocess
import sys
import time

_COUNTS = os.environ.get("THREADS", "1,2").split(",")
if len(_COUNTS) > 1:  # one fresh, pinned process per thread count
    for _t in _COUNTS:
        subprocess.run([sys.executable] + sys.argv, env={**os.environ, "THREADS": _t.strip()}, check=True)
    sys.exit(0)
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _COUNTS[0].strip()

import torch  # noqa: E402  (after the thread variables, on purpose)
from torch import nn  # noqa: E402


def demo_net():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 64))


def timed(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    torch.manual_seed(0)
    triplets = 128
    net = demo_net()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    images = torch.rand(3 * triplets, 1, 28, 28)
    infer = torch.rand(256, 1, 28, 28)

    def step():
        opt.zero_grad()
        e = net(images)
        a, p, n = e[:triplets], e[triplets:2 * triplets], e[2 * triplets:]
        d_ap = (a - p).pow(2).sum(1)
        d_an = (a - n).pow(2).sum(1)
        loss = torch.relu(d_ap - d_an + 0.2).sum()
        loss.backward()
        opt.step()
        return loss

    def embed():
        with torch.no_grad():
            return net(infer)

    print(f"torch {torch.__version__}, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}, loadavg {os.getloadavg()}")
    for threads in [int(t) for t in os.environ.get("THREADS", "1,2").split(",")]:
        torch.set_num_threads(threads)
        med, best = timed(step, 5, reps)
        print(f"threads={threads} training step (128 triplets): median {med * 1e3:.1f} ms, min {best * 1e3:.1f} ms")
        med, best = timed(embed, 5, reps)
        print(f"threads={threads} inference batch 256: median {256 / med:.0f} embeddings/s "
              f"({med * 1e3:.1f} ms), best {256 / best:.0f} embeddings/s")


if __name__ == "__main__":
    main()
