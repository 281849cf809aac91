#!/usr/bin/env python3
"""Turns the files scripts/bench leaves in a results folder into summary.md (printed) and the data
of the time-against-size plot (simulate-time.dat, written beside them). Usage: report.py RESULTS"""
import csv
import glob
import json
import os
import statistics
import sys

results = sys.argv[1]


def path(name):
    return os.path.join(results, name)


def read_json(name):
    try:
        with open(path(name)) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def read_load(name):
    try:
        with open(path(name)) as f:
            return " -> ".join(f.read().split())
    except FileNotFoundError:
        return "?"


def figures():
    rows = {}
    try:
        with open(path("figures.tsv")) as f:
            for section, name, value, unit, load, command in csv.reader(f, delimiter="\t"):
                rows[(section, name)] = (value, unit, load, command)
    except FileNotFoundError:
        pass
    return rows


FIGURES = figures()
out = []
emit = out.append


def hyperfine_results(name):
    data = read_json(f"hyperfine-{name}.json")
    return {r["command"]: r for r in data["results"]} if data else {}


def seconds(value):
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def micro_benchmarks():
    data = read_json("micro.json")
    if not data:
        return {}
    found = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") not in (None, "median"):
            continue
        found[b["run_name"]] = b
    return found


def short_time(value):
    return f"{value * 1e9:,.0f} ns" if value < 1e-5 else f"{value * 1e6:,.1f} µs" if value < 1e-3 else f"{value * 1e3:,.2f} ms"


def micro_time(b):
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
    return b["real_time"] * unit, b["cpu_time"] * unit


# -- the machine ------------------------------------------------------------------------------
emit("# smbreaper benchmark results\n")
try:
    with open(path("machine.txt")) as f:
        for line in f:
            emit(f"- {line.strip()}")
except FileNotFoundError:
    pass
emit("")

# -- whole commands ---------------------------------------------------------------------------
sizes = sorted(int(p.split("windows-")[1].split(".")[0]) for p in glob.glob(path("hyperfine-windows-*.json")))
plot_rows = []
if sizes:
    emit("## Whole commands (hyperfine), Windows table\n")
    emit("Each cell: mean wall time ± standard deviation, then the mean CPU time (user + system) in brackets.\n")
    emit("| sessions | smbreaper, 50 rules | smbreaper, 1 rule | jq, 1 rule | Python, 1 rule | load before -> after |")
    emit("|---:|---:|---:|---:|---:|---|")
    for n in sizes:
        r = hyperfine_results(f"windows-{n}")
        cells, row = [], [n]
        for command in ("smbreaper-50-rules", "smbreaper-1-rule", "jq-1-rule", "python-1-rule"):
            x = r.get(command)
            cells.append(f"{seconds(x['mean'])} ± {seconds(x['stddev'] or 0)} ({seconds(x['user'] + x['system'])})"
                         if x else "-")
            row += [x["mean"], x["stddev"] or 0, x["user"] + x["system"]] if x else ["NaN", "NaN", "NaN"]
        plot_rows.append(row)
        emit(f"| {n:,} | " + " | ".join(cells) + f" | {read_load(f'hyperfine-windows-{n}.load')} |")
    emit("")
if plot_rows:
    with open(path("simulate-time.dat"), "w") as f:
        f.write("# sessions, then for smbreaper 50 rules, smbreaper 1 rule, jq, Python: "
                "mean wall, its standard deviation, mean CPU (seconds)\n")
        for row in plot_rows:
            f.write(" ".join(str(v) for v in row) + "\n")

for name, title in (("rules-100000", "Policy size, 100,000 sessions"), ("rules-10000", "Policy size, 10,000 sessions"),
                    ("smbstatus", "smbstatus documents, 50 rules"),
                    ("compare-builds", "This build and the one given with --compare-with, 50 rules")):
    r = hyperfine_results(name)
    if not r:
        continue
    emit(f"## {title} (hyperfine; load {read_load(f'hyperfine-{name}.load')})\n")
    emit("| command | mean ± sd | min | max | user | system |")
    emit("|---|---:|---:|---:|---:|---:|")
    for command, x in r.items():
        emit(f"| {command} | {seconds(x['mean'])} ± {seconds(x['stddev'] or 0)} | {seconds(x['min'])} | "
             f"{seconds(x['max'])} | {seconds(x['user'])} | {seconds(x['system'])} |")
    emit("")

# -- memory -----------------------------------------------------------------------------------
memory = [(name, v) for (section, name), v in FIGURES.items() if section == "memory"]
if memory:
    emit("## Peak resident memory and CPU time, one run each (/usr/bin/time -v)\n")
    emit("| command / table | peak | CPU | wall | load |")
    emit("|---|---:|---:|---:|---:|")
    for name, (value, unit, load, command) in memory:
        cpu = FIGURES.get(("cpu", name), ("?",))[0]
        wall = FIGURES.get(("wall", name), ("?",))[0]
        emit(f"| {name} | {int(value) / 1024:.1f} MiB | {cpu} s | {wall} s | {load} |")
    emit("")

# -- instruction counts -----------------------------------------------------------------------
counts = [(name, v) for (section, name), v in FIGURES.items() if section == "instructions"]
if counts:
    emit("## Instructions (callgrind; independent of the load)\n")
    emit("| what | instructions |")
    emit("|---|---:|")
    for name, (value, *_rest) in counts:
        emit(f"| {name} | {int(value):,} |" if value.isdigit() else f"| {name} | {value} |")
    emit("")

# -- micro benchmarks -------------------------------------------------------------------------
micro = micro_benchmarks()
if micro:
    emit(f"## Micro benchmarks (Google Benchmark; load {read_load('micro.load')})\n")
    emit("| benchmark | real time | CPU time | items/s |")
    emit("|---|---:|---:|---:|")
    for name, b in micro.items():
        real, cpu = micro_time(b)
        rate = f"{b['items_per_second']:,.0f}" if "items_per_second" in b else "-"
        emit(f"| {name} | {short_time(real)} | {short_time(cpu)} | {rate} |")
    emit("")

# -- live Samba -------------------------------------------------------------------------------
live = sorted(int(p.split("live-cycles-")[1].split(".")[0]) for p in glob.glob(path("live-cycles-*.json")))
if live:
    emit("## Live Samba: one cycle, step by step (median of the cycles after the first, ms)\n")
    phases = ["server-check", "smbstatus", "parse", "sockets", "processes", "evaluate", "audit", "metrics"]
    emit("| sessions | cycles | " + " | ".join(phases) + " | total | service work (total - smbstatus) | "
         "share of smbstatus | metrics' share of the cycle | first cycle's audit (one entry per session) | load |")
    emit("|---:|---:|" + "---:|" * (len(phases) + 5) + "---|")
    for n in live:
        cycles = read_json(f"live-cycles-{n}.json")
        steady = cycles[1:] or cycles
        med = {p: statistics.median(c["phases_ms"].get(p, 0.0) for c in steady) for p in phases}
        total = statistics.median(c["total_ms"] for c in steady)
        work = statistics.median(c["total_ms"] - c["phases_ms"].get("smbstatus", 0.0) for c in steady)
        first_audit = cycles[0]["phases_ms"].get("audit", 0.0) if cycles else 0.0
        emit(f"| {n} | {len(steady)} | " + " | ".join(f"{med[p]:.2f}" for p in phases) +
             f" | {total:.2f} | {work:.2f} | {100 * work / med['smbstatus']:.1f} % |"
             f" {100 * med['metrics'] / (total - med['metrics']):.2f} % | {first_audit:.2f} |"
             f" {read_load(f'live-cycles-{n}.load')} |")
    emit("")

try:
    with open(path("live-idle.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
except FileNotFoundError:
    rows = []
if len(rows) >= 2:
    ticks = os.sysconf("SC_CLK_TCK")
    first, last = rows[0], rows[-1]
    elapsed = int(last["seconds"]) - int(first["seconds"])
    own = (int(last["utime_ticks"]) + int(last["stime_ticks"]) - int(first["utime_ticks"]) - int(first["stime_ticks"])) / ticks
    children = (int(last["children_ticks"]) - int(first["children_ticks"])) / ticks
    emit(f"## Live Samba: the idle daemon over {elapsed} s at a 5 s poll\n")
    emit(f"- smbreaper's own CPU: {own:.2f} s = {100 * own / elapsed:.2f} % of one core")
    emit(f"- its children (smbstatus, testparm): {children:.2f} s = {100 * children / elapsed:.2f} % of one core")
    emit(f"- resident memory: {int(first['rss_kib']) / 1024:.1f} MiB at the first sample, "
         f"{max(int(r['rss_kib']) for r in rows) / 1024:.1f} MiB at most, {int(last['rss_kib']) / 1024:.1f} MiB at the "
         f"last; peak (VmHWM) {int(last['hwm_kib']) / 1024:.1f} MiB")
    emit(f"- load average during the run: {min(float(r['load1']) for r in rows):.2f} to "
         f"{max(float(r['load1']) for r in rows):.2f}")
    emit("")

try:
    with open(path("live-reaction.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
except FileNotFoundError:
    rows = []
if rows:
    emit("## Live Samba: seconds from crossing 60 s of idleness to the disconnection\n")
    emit("| closer | sessions | min | median | max | never closed |")
    emit("|---|---:|---:|---:|---:|---:|")
    for closer in ("smbreaper", "deadtime"):
        values = [float(r["seconds_after_60s"]) for r in rows if r["closer"] == closer and r["seconds_after_60s"] != "never"]
        never = sum(1 for r in rows if r["closer"] == closer and r["seconds_after_60s"] == "never")
        if values:
            emit(f"| {closer} | {len(values) + never} | {min(values):.1f} | {statistics.median(values):.1f} | "
                 f"{max(values):.1f} | {never} |")
        else:
            emit(f"| {closer} | {never} | - | - | - | {never} |")
    emit("")

print("\n".join(out))
