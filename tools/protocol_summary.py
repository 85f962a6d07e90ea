#!/usr/bin/env python3
"""Ratios of one tools/protocol.sh run: ours against PyTorch's, from the same window.

    python3 tools/protocol_summary.py OUTDIR

Training steps: our JMH ms / PyTorch's median ms (PyTorch's better triplet form), so < 1 is
faster; inference: our embeddings per second / PyTorch's median. Each line names its window.
"""
import json
import re
import sys
from pathlib import Path


def jmh(path):
    scores = {}
    for line in path.read_text().splitlines():
        m = re.match(r'(\w+)\.(\w+)\s+(.*?)\s+(avgt|thrpt)\s+\d+\s+([\d.]+)', line)
        if m:
            bench, params = m.group(1), m.group(3).split()
            net = 'conv4' if 'conv4' in params else 'demo'
            scores[(bench, net)] = float(m.group(5))
    return scores


def torch(path):
    return {r['bench']: r for r in (json.loads(l) for l in path.read_text().splitlines() if l.startswith('{'))}


def window(path):
    return path.read_text().splitlines()[0].lstrip('# ')


out = Path(sys.argv[1])
for tag, torch_file, jmh_file in [('2 threads, a', 'torch2-a', 'jmh2-a'), ('2 threads, b', 'torch2-b', 'jmh2-b'),
                                  ('1 thread', 'torch1', 'jmh1')]:
    t, j = torch(out / f'{torch_file}.txt'), jmh(out / f'{jmh_file}.txt')
    trip_t = min(t['triplet_step_3fwd']['median_ms'], t['triplet_step_cat']['median_ms'])
    conv4 = j[('Conv4StepBenchmark', 'demo')], t['conv4_batchhard_step']['median_ms']
    trip = j[('TrainingStepBenchmark', 'demo')], trip_t
    inf = j[('InferenceBenchmark', 'demo')], t['inference']['median_emb_per_s']
    print(f"{tag} (torch {window(out / f'{torch_file}.txt')}; ours {window(out / f'{jmh_file}.txt')})")
    print(f"  Conv-4/BN step  {conv4[0]:7.1f} / {conv4[1]:7.1f} ms   {conv4[0] / conv4[1]:.2f}x")
    print(f"  triplet step    {trip[0]:7.1f} / {trip[1]:7.1f} ms   {trip[0] / trip[1]:.2f}x")
    print(f"  inference       {inf[0]:7.0f} / {inf[1]:7.0f} /s   {inf[0] / inf[1]:.2f}x"
          f"   (conv4 net: {j.get(('InferenceBenchmark', 'conv4'), float('nan')):.0f} /s)")
