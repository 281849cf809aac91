#!/usr/bin/env python3
"""Reads the `cycle:` lines of an smbreaper log and prints each cycle's session count, total and
phases (milliseconds) as JSON. Usage: cycle_phases.py LOG"""
import json
import re
import sys

CYCLE = re.compile(r" cycle: (\d+) sessions, .*; took ([\d.]+) ms \((.*)\); audit chain head")
PHASE = re.compile(r"([a-z-]+) ([\d.]+) ms")

cycles = []
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for line in log:
        match = CYCLE.search(line)
        if match:
            cycles.append({
                "sessions": int(match.group(1)),
                "total_ms": float(match.group(2)),
                "phases_ms": {name: float(ms) for name, ms in PHASE.findall(match.group(3))},
            })
json.dump(cycles, sys.stdout, indent=1)
print()
