#!/usr/bin/env python3
"""Top frames of an async-profiler collapsed-stack file (output=collapsed): self time, then
inclusive time of livegraph, Jackson, commons-text and map frames.

    scripts/profile-top.py target/profile/cpu/*/collapsed-itimer.csv [N]
"""
import sys, collections
f = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
self_c = collections.Counter(); incl = collections.Counter(); total = 0
for line in open(f):
    line = line.rstrip('\n')
    if not line: continue
    stack, cnt = line.rsplit(' ', 1); cnt = int(cnt); total += cnt
    frames = stack.split(';')
    self_c[frames[-1]] += cnt
    for fr in set(frames): incl[fr] += cnt
print("total samples", total)
print("== self ==")
for fr, c in self_c.most_common(n): print(f"{100*c/total:5.1f}%  {fr}")
print("== inclusive (livegraph / jackson / commons) ==")
for fr, c in incl.most_common(400):
    if any(k in fr for k in ('livegraph', 'StringEscape', 'Translator', 'jackson', 'HashMap', 'Map.copyOf', 'ImmutableCollections')):
        print(f"{100*c/total:5.1f}%  {fr}")
