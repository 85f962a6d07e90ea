#!/usr/bin/env python3
"""PyTorch 1.13 reference for the Omniglot one-shot rotation-1 experiment.

Run with (from benchmarks/pytorch, after OmniglotRotations has built the runs):
           OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=1 \
           /usr/bin/python3 omniglot_rotation.py --seed 42

Protocol: train on the 6 background alphabets other than Balinese and Early_Aramaic
(from images_background_small1+2, alphabet/character key, first zip wins), 28x28 area-averaged,
inverted; Conv-4 -> Linear(64,64); batch-hard soft-margin triplet loss (Hermans et al. 2017),
L2 with eps inside the sqrt; P x K = 32 x 4; Koch affine augmentation; Adam 1e-3 with cosine
annealing to 1e-5; 3680 steps.  Evaluate 1-NN (L2) on the 20 Lake-layout runs built by the Java
code, plus the raw-pixel 1-NN baseline.
"""
import argparse
import io
import math
import os
import random
import sys
import time
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

torch.set_num_threads(2)

# ../shared beside the repository, as for the Java code
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "omniglot")
ZIPS = ["images_background_small1.zip", "images_background_small2.zip"]
HELD_OUT = {"Balinese", "Early_Aramaic"}
# written by OmniglotRotations (java.io.tmpdir/omniglot-rotation-runs-20/rotation1); --runs overrides
RUNS = "/tmp/omniglot-rotation-runs-20/rotation1"
SIDE = 28


# ---------------------------------------------------------------- preprocessing
def area_weights(n_in, n_out):
    """Row-stochastic (n_out x n_in) box-filter matrix: output cell o covers
    [o*s, (o+1)*s), s = n_in/n_out, fractional overlaps weighted by length (as Java Resize.AREA)."""
    s = n_in / n_out
    w = np.zeros((n_out, n_in), dtype=np.float64)
    for o in range(n_out):
        lo, hi = o * s, (o + 1) * s
        for p in range(int(math.floor(lo)), min(int(math.ceil(hi)), n_in)):
            w[o, p] = max(min(hi, p + 1) - max(lo, p), 0.0) / s
    return w


_W = {}


def to_input(png_bytes):
    """PNG bytes -> float32 SIDE x SIDE in [0,1], strokes 1 / background 0."""
    im = Image.open(io.BytesIO(png_bytes))
    a = np.asarray(im.convert("L"), dtype=np.float64) / 255.0  # 1-bit: 0 (black) / 1 (white)
    h, w = a.shape
    key = (h, w)
    if key not in _W:
        _W[key] = (area_weights(h, SIDE), area_weights(w, SIDE))
    wy, wx = _W[key]
    r = wy @ a @ wx.T  # area averaging
    return (1.0 - r).astype(np.float32)  # invert (linear, so order vs resize is irrelevant)


def load_background():
    files = {}  # "Alphabet/characterNN/file.png" -> bytes, first zip wins
    for z in ZIPS:
        with zipfile.ZipFile(os.path.join(DATA, z)) as zf:
            for name in zf.namelist():
                if not name.lower().endswith(".png"):
                    continue
                parts = name.split("/")
                if len(parts) < 3 or parts[-1].startswith("."):
                    continue
                key = "/".join(parts[-3:])
                if key not in files:
                    files[key] = zf.read(name)
    keys = sorted(files)
    classes = sorted({k.rsplit("/", 1)[0] for k in keys})
    return files, keys, classes


# ---------------------------------------------------------------- model / loss
def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True), nn.MaxPool2d(2))


class Conv4(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(conv_block(1, 64), conv_block(64, 64),
                                      conv_block(64, 64), conv_block(64, 64))
        self.fc = nn.Linear(64, 64)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


def batch_hard_soft(emb, labels, eps=1e-8):
    sq = (emb.unsqueeze(1) - emb.unsqueeze(0)).pow(2).sum(-1)
    d = torch.sqrt(sq + eps)
    same = labels.unsqueeze(1) == labels.unsqueeze(0)
    eye = torch.eye(len(labels), dtype=torch.bool)
    pos_mask = same & ~eye
    d_ap = torch.where(pos_mask, d, torch.full_like(d, -float("inf"))).max(1).values
    d_an = torch.where(~same, d, torch.full_like(d, float("inf"))).min(1).values
    return F.softplus(d_ap - d_an).mean()


# ---------------------------------------------------------------- augmentation
def koch_thetas(n, gen, side, p=0.5):
    """Koch et al. 2015: theta, rho_x, rho_y, s_x, s_y, t_x, t_y, each kept with prob p.
    Same geometry as Java AffineAugment: p' = A(p - c) + c + t, A = R(theta) Sh(rho) S(s), about the
    centre c = (W-1)/2, so with align_corners=True the normalised input coordinate is
    A^-1 (p'_n - t_n), t_n = 2 t / (W - 1)."""
    def pick(lo, hi, ident):
        on = torch.rand(n, generator=gen, dtype=torch.float64) < p
        v = lo + (hi - lo) * torch.rand(n, generator=gen, dtype=torch.float64)
        return torch.where(on, v, torch.full_like(v, ident))
    th = pick(-10.0, 10.0, 0.0) * math.pi / 180
    shx, shy = pick(-0.3, 0.3, 0.0), pick(-0.3, 0.3, 0.0)
    sx, sy = pick(0.8, 1.2, 1.0), pick(0.8, 1.2, 1.0)
    tx, ty = pick(-2.0, 2.0, 0.0), pick(-2.0, 2.0, 0.0)
    c, s = torch.cos(th), torch.sin(th)
    s00, s01, s10, s11 = sx, shx * sy, shy * sx, sy
    a00, a01 = c * s00 - s * s10, c * s01 - s * s11
    a10, a11 = s * s00 + c * s10, s * s01 + c * s11
    det = a00 * a11 - a01 * a10
    i00, i01, i10, i11 = a11 / det, -a01 / det, -a10 / det, a00 / det
    txn, tyn = 2 * tx / (side - 1), 2 * ty / (side - 1)
    theta = torch.stack([torch.stack([i00, i01, -(i00 * txn + i01 * tyn)], 1),
                         torch.stack([i10, i11, -(i10 * txn + i11 * tyn)], 1)], 1)
    return theta.float()


def augment(x, gen):
    theta = koch_thetas(x.shape[0], gen, x.shape[-1])
    grid = F.affine_grid(theta, list(x.shape), align_corners=True)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True)


# ---------------------------------------------------------------- evaluation
def read_runs():
    runs = []
    for run in sorted(os.listdir(RUNS)):
        d = os.path.join(RUNS, run)
        if not (run.startswith("run") and os.path.isdir(d)):
            continue
        train = sorted(f for f in os.listdir(os.path.join(d, "training")) if f.lower().endswith(".png"))
        tidx = {f: i for i, f in enumerate(train)}
        pairs = []
        with open(os.path.join(d, "class_labels.txt")) as fh:
            for line in fh:
                if line.strip():
                    q, c = line.split()
                    pairs.append((q.split("/")[-1], tidx[c.split("/")[-1]]))
        pairs.sort()
        rd = lambda p: to_input(open(os.path.join(RUNS, p), "rb").read())
        xt = np.stack([rd(f"{run}/training/{f}") for f in train])
        xq = np.stack([rd(f"{run}/test/{q}") for q, _ in pairs])
        runs.append((run, xt, xq, np.array([a for _, a in pairs])))
    return runs


def nn_accuracy(runs, feat):
    correct = total = 0
    per = []
    for _, xt, xq, ans in runs:
        ft, fq = feat(xt), feat(xq)
        d = ((fq[:, None, :] - ft[None, :, :]) ** 2).sum(-1)
        pred = d.argmin(1)
        ok = int((pred == ans).sum())
        per.append(ok / len(ans))
        correct += ok
        total += len(ans)
    return correct / total, per


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--runs", default=RUNS, help="runs in Lake's layout built by OmniglotRotations")
    ap.add_argument("--steps", type=int, default=3680)
    ap.add_argument("--P", type=int, default=32)
    ap.add_argument("--K", type=int, default=4)
    args = ap.parse_args()
    global RUNS
    RUNS = args.runs
    print("torch", torch.__version__, "threads", torch.get_num_threads(), "args", vars(args), flush=True)

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    t0 = time.time()
    files, keys, classes = load_background()
    alphabets = sorted({c.split("/")[0] for c in classes})
    train_classes = [c for c in classes if c.split("/")[0] not in HELD_OUT]
    cidx = {c: i for i, c in enumerate(train_classes)}
    xs, ys = [], []
    for k in keys:
        c = k.rsplit("/", 1)[0]
        if c in cidx:
            xs.append(to_input(files[k]))
            ys.append(cidx[c])
    X = torch.from_numpy(np.stack(xs)).unsqueeze(1)
    Y = np.array(ys)
    by_class = [np.flatnonzero(Y == c) for c in range(len(train_classes))]
    print(f"alphabets {len(alphabets)} {alphabets}; classes {len(classes)}; images {len(keys)}", flush=True)
    print(f"train: {len(train_classes)} classes, {len(X)} images, mean pixel {X.mean():.4f}; "
          f"load {time.time() - t0:.1f}s", flush=True)

    runs = read_runs()
    pix_acc, pix_per = nn_accuracy(runs, lambda x: x.reshape(len(x), -1).astype(np.float64))
    print(f"runs {len(runs)} queries {sum(len(r[3]) for r in runs)}; pixel 1-NN accuracy {pix_acc:.4f}",
          flush=True)

    model = Conv4()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.steps, eta_min=1e-5)

    def batches():  # epochs: shuffle classes, cut into groups of P; K images w/o replacement
        while True:
            order = rng.permutation(len(by_class))
            for b in range(len(order) // args.P):
                idx, lab = [], []
                for c in order[b * args.P:(b + 1) * args.P]:
                    idx.extend(rng.choice(by_class[c], args.K, replace=False))
                    lab.extend([c] * args.K)
                yield np.array(idx), torch.tensor(lab)

    it = batches()
    model.train()
    t_train = time.time()
    run_loss = 0.0
    for step in range(1, args.steps + 1):
        idx, lab = next(it)
        x = augment(X[idx], gen)
        loss = batch_hard_soft(model(x), lab)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        run_loss += loss.item()
        if step % 500 == 0 or step == args.steps:
            n = 500 if step % 500 == 0 else step % 500
            print(f"step {step:5d} loss(last {n}) {run_loss / n:.4f} last {loss.item():.4f} "
                  f"lr {opt.param_groups[0]['lr']:.2e} elapsed {time.time() - t_train:.1f}s", flush=True)
            run_loss = 0.0
    train_time = time.time() - t_train

    model.eval()
    with torch.no_grad():
        emb = lambda x: model(torch.from_numpy(x).unsqueeze(1)).double().numpy()
        acc, per = nn_accuracy(runs, emb)
    sd = np.std(per, ddof=1)
    print(f"RESULT seed {args.seed}: model 1-NN accuracy {acc:.4f} (+-{1.96 * sd / math.sqrt(len(per)):.4f} "
          f"95% over runs), pixel {pix_acc:.4f}, final loss {loss.item():.4f}, train {train_time:.1f}s, "
          f"total {time.time() - t0:.1f}s", flush=True)
    print("per-run model:", " ".join(f"{a:.2f}" for a in per))
    print("per-run pixel:", " ".join(f"{a:.2f}" for a in pix_per))


if __name__ == "__main__":
    main()
