#!/usr/bin/env python3
"""Checks the relative links of markdown files.

    python3 tools/check_doc_links.py README.md docs/*.md

Every inline link `](target)` and reference definition `[label]: target` outside code whose target
is not a URL must name an existing file or folder (relative to the page); a `#anchor` must match a
heading of the target page (GitHub's slugs: lower case, punctuation dropped, spaces to '-', '-1',
'-2' for repeats). `[text][label]` without a definition of `label` is only a warning: GitHub then
shows the brackets as text (as in a grammar such as `[:train|:test]`). Exit code 1 when a link is
broken. Standard library only.
"""
import os, re, sys, unicodedata

def slug(h):
    h = h.strip().lower()
    h = re.sub(r'`', '', h)
    h = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', h)
    out = []
    for ch in h:
        cat = unicodedata.category(ch)
        if ch in ' -':
            out.append('-' if ch == ' ' else ch)
        elif ch == '_' or cat[0] in 'LN' or cat in ('Mn',):
            out.append(ch)
    return ''.join(out)

def anchors(path):
    res, seen, fence = set(), {}, False
    for line in open(path, encoding='utf-8'):
        if line.lstrip().startswith('```'):
            fence = not fence; continue
        if fence: continue
        m = re.match(r'^(#{1,6})\s+(.*?)\s*#*\s*$', line)
        if m:
            s = slug(m.group(2))
            n = seen.get(s, 0); seen[s] = n + 1
            res.add(s if n == 0 else f'{s}-{n}')
    return res

bad = 0
for md in sys.argv[1:]:
    base = os.path.dirname(md)
    text = open(md, encoding='utf-8').read()
    # strip fenced code
    lines, fence, keep = text.split('\n'), False, []
    for i, l in enumerate(lines, 1):
        if l.lstrip().startswith('```'):
            fence = not fence; keep.append((i, '')); continue
        keep.append((i, '' if fence else re.sub(r'`[^`]*`', lambda m: ' ' * len(m.group(0)) if '](' not in m.group(0) else m.group(0), l)))
    targets = []
    for i, l in keep:
        for m in re.finditer(r'\]\(([^)\s]+)\)', l):
            targets.append((i, m.group(1)))
        m = re.match(r'^\s*\[[^\]]+\]:\s*(\S+)', l)
        if m:
            targets.append((i, m.group(1)))
    for i, t in targets:
        if re.match(r'^[a-z]+://', t) or t.startswith('mailto:'):
            continue
        path, _, frag = t.partition('#')
        full = os.path.normpath(os.path.join(base, path)) if path else md
        if not os.path.exists(full):
            print(f'{md}:{i}: missing {t}'); bad += 1; continue
        if frag:
            if not full.endswith('.md'):
                print(f'{md}:{i}: anchor on non-md {t}'); bad += 1
            elif frag not in anchors(full):
                print(f'{md}:{i}: no heading #{frag} in {full}'); bad += 1
    # reference-style uses without definitions
    defs = set(re.findall(r'^\s*\[([^\]]+)\]:', text, re.M))
    for i, l in keep:
        for m in re.finditer(r'\]\[([^\]]+)\]', l):
            if m.group(1) not in defs:
                print(f'{md}:{i}: warning: [{m.group(1)}] has no definition (shown as text)')
print(f'{bad} broken link(s)')
sys.exit(1 if bad else 0)
