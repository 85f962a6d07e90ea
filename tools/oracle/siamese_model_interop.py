#!/usr/bin/python3
"""PyTorch interoperability check for oneshot Siamese model files (dev.oneshot.siamese.model.SiameseModel).

A model file is a safetensors file whose tensors are the state dict of a module with the children
`embedding` (an nn.Sequential) and, for models trained with the binary loss, `head` (Koch's
Linear(d, 1) as `head.fc`). Its metadata holds the architecture (`oneshot.architecture`,
`SiameseModel[Sequential[...],BinaryVerificationHead(d)]`) and the model card (`siamese.card`,
JSON: input size, normalisation, mirror averaging, τ, recipe, provenance).

    python3 tools/oracle/siamese_model_interop.py --check FILE

rebuilds the module in PyTorch from the architecture string, loads the tensors with
load_state_dict(strict=True), embeds the formula input (element i = cos(0.37 i + 0.2), shape
[2, C, H, W] at the card's input size) the way the card says — f(x), plus f(mirror(x)) when
mirror_average, then L2 normalisation when normalized — and compares with the metadata entry
`check.output` (Java's SiameseModel.embed of the same input, comma-separated) to 1e-5.
SiameseModelInteropTest writes such files for the recipes fashion, faces and omniglot (untrained
networks, no head) to siamese/target/interop/java_siamese_model_<recipe>.safetensors.

Offline only: Python/PyTorch are never a build, runtime or test dependency.
Last run with torch 1.13.0a0 (Debian 12 python3-torch 1.13.1).
"""
import argparse
import json
import re
import sys

import torch
from torch import nn
import torch.nn.functional as F

from pytorch_interop import read_safetensors  # the one hand-written safetensors reader of these scripts


def split_top(s):
    """Splits 'a(1,2),b[c,d],e' at the commas outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        parts.append(cur)
    return parts


def layer(spec):
    m = re.fullmatch(r"(\w+)(?:\((.*?)\))?(?:\[(.*)\])?", spec)
    kind, args, children = m.group(1), m.group(2), m.group(3)
    pos, named = [], {}
    for a in (args.split(",") if args else []):
        if "=" in a:
            k, v = a.split("=")
            named[k] = v
        else:
            pos.append(a)
    if kind == "Sequential":
        return nn.Sequential(*[layer(c) for c in split_top(children or "")])
    if kind == "Conv2d":
        return nn.Conv2d(int(pos[0]), int(pos[1]), int(named["k"]), stride=int(named.get("s", 1)),
                         padding=int(named.get("p", 0)), bias=named.get("bias", "true") == "true")
    if kind == "Linear":
        return nn.Linear(int(pos[0]), int(pos[1]), bias=named.get("bias", "true") == "true")
    if kind == "BatchNorm2d":
        return nn.BatchNorm2d(int(pos[0]), eps=float(named.get("eps", 1e-5)), momentum=float(named.get("momentum", 0.1)))
    if kind == "MaxPool2d":
        k = int(named["k"])
        return nn.MaxPool2d(k, stride=int(named.get("s", k)))
    if kind == "BinaryVerificationHead":
        head = nn.Module()
        head.fc = nn.Linear(int(pos[0]), 1)
        return head
    return {"ReLU": nn.ReLU, "Flatten": nn.Flatten, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh}[kind]()


def siamese_model(architecture):
    m = re.fullmatch(r"SiameseModel\[(.*)\]", architecture)
    if not m:
        sys.exit("not a SiameseModel architecture: %r" % architecture)
    children = split_top(m.group(1))
    model = nn.Module()
    model.embedding = layer(children[0])
    if len(children) == 2:
        model.head = layer(children[1])
    return model


def check(path):
    tensors, meta = read_safetensors(path)
    card = json.loads(meta["siamese.card"])
    print("file:", path)
    print("architecture:", meta["oneshot.architecture"])
    print("card input:", card["input"], "normalized:", card["normalized"])
    model = siamese_model(meta["oneshot.architecture"])
    # our BatchNorm keeps num_batches_tracked as F32; PyTorch's is int64
    for k, v in tensors.items():
        if k.endswith("num_batches_tracked"):
            tensors[k] = v.to(torch.int64)
    print("load_state_dict(strict=True):", model.load_state_dict(tensors, strict=True))
    model.eval()
    c, h, w = card["input"]["channels"], card["input"]["height"], card["input"]["width"]
    i = torch.arange(2 * c * h * w, dtype=torch.float64)
    x = torch.cos(0.37 * i + 0.2).float().reshape(2, c, h, w)
    with torch.no_grad():
        e = model.embedding(x).flatten(1)
        if card["input"].get("mirror_average"):
            e = e + model.embedding(torch.flip(x, dims=[3])).flatten(1)
        if card["normalized"]:
            e = F.normalize(e, dim=1, eps=1e-12)
    java = torch.tensor([float(v) for v in meta["check.output"].split(",")], dtype=torch.float32)
    diff = (e.flatten() - java).abs().max().item()
    print("max |torch - java| = %.3g over %d values" % (diff, java.numel()))
    if diff > 1e-5:
        sys.exit("MISMATCH")
    print("OK")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", metavar="FILE", required=True, help="check a model file written by Java")
    check(ap.parse_args().check)
