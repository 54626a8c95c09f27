#!/usr/bin/env python3
"""Prints a JMH JSON result (-rf json) as a Markdown table: per benchmark and parameters, the
median over forks of each fork's mean score, the lowest and highest fork, and, where the
benchmark reports cpuMicros (ProcessCpu), the score per CPU-second (per core), or where it
reports cpuMicrosPerOp (ThreadCpu), the CPU time per operation.

    scripts/bench-table.py target/ingest.json [more.json ...]
"""
import json
import statistics
import sys


def fork_means(raw):
    return [statistics.mean(iterations) for iterations in raw if iterations]


def fmt(x):
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


rows = []
for path in sys.argv[1:]:
    for r in json.load(open(path)):
        name = r["benchmark"].split(".", 1)[1] if r["benchmark"].startswith("livegraph.") else r["benchmark"]
        name = name.replace("pipeline.", "").replace("source.", "")
        params = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        pm = r["primaryMetric"]
        forks = fork_means(pm["rawData"])
        med = statistics.median(forks)
        cpu = r.get("secondaryMetrics", {}).get("cpuMicros")
        per_op = r.get("secondaryMetrics", {}).get("cpuMicrosPerOp")
        per_core = ""
        if per_op:
            # ThreadCpu: CPU µs per op of each iteration (JMH's printed score sums iterations)
            per_core = fmt(statistics.median(fork_means(per_op["rawData"]))) + " CPU us/op"
        if cpu:
            cpu_forks = fork_means(cpu["rawData"])
            # per fork: score / cores busy, then the median over forks
            ratios = [s / (c / 1e6) for s, c in zip(forks, cpu_forks) if c > 0]
            per_core = fmt(statistics.median(ratios)) + f" ({statistics.median(cpu_forks) / 1e6:.2f} cores)"
        rows.append((name, params, r["mode"], len(forks), fmt(med), fmt(min(forks)), fmt(max(forks)),
                     pm["scoreUnit"], per_core))

print("| benchmark | params | mode | forks | median | min fork | max fork | unit | per CPU-second (cores busy), or CPU time |")
print("|---|---|---|---|---|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(str(c) for c in row) + " |")
