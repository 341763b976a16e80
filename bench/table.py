#!/usr/bin/env python3
"""bench/table.py OUTDIR: the table of a bench/run session (medians over runs) and the
aiomc/SPIN ratios against issue 12's targets. Reads OUTDIR/aiomc.SCEN.CFG.runN.log and
OUTDIR/spin-SCEN/summary.txt (the parseable `SPIN NAME ordered:` line of the SPIN
scripts in ../shared/bench/spin/)."""
import glob
import os
import re
import statistics
import sys

OUT = sys.argv[1]


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def grab(pat, text, conv=float):
    m = re.search(pat, text, re.M)
    return conv(m.group(1)) if m else None


def parse_aiomc(path):
    t = open(path).read()
    return {
        # --stats: "    [depth-first, ][reductions on|off, ]states N, transitions M, ..."
        "states": grab(r"^\s+(?:depth-first, )?(?:reductions \w+(?: \([^)]*\))?, )?states (\d+), transitions", t, int),
        "trans": grab(r"^\s+(?:depth-first, )?(?:reductions \w+(?: \([^)]*\))?, )?states \d+, transitions (\d+)", t, int),
        "bps": grab(r"([\d.]+) bytes/state", t),
        "wall": grab(r"^### wall_ns=(\d+)", t, int) / 1e9,
        "rc": grab(r"^### rc=(\d+)", t, int),
        "rss_mb": (grab(r"Maximum resident set size \(kbytes\): (\d+)", t, int) or 0) / 1024 or None,
        "verdict": "ok" if re.search(r"^ok\s", t, re.M) else "NOT OK",
    }


rows = []          # (scenario, tool, config, states, trans, secs, rate, bps, rss, runs, note)
aiomc = {}         # (scen, cfg) -> dict of medians
runs = {}
for p in sorted(glob.glob(os.path.join(OUT, "aiomc.*.run*.log"))):
    _, scen, cfg = os.path.basename(p).split(".")[:3]
    runs.setdefault((scen, cfg), []).append(parse_aiomc(p))


CFG = r"t(\d+)(?:-red([a-z]+))?(-dfs)?$"


def cfg_key(c):
    m = re.match(CFG, c)
    return (m.group(2) or "", int(m.group(1)), bool(m.group(3))) if m else ("", 0, False)


order = sorted(runs, key=lambda k: (k[0], cfg_key(k[1])))
for scen, cfg in order:
    rs = runs[(scen, cfg)]
    d = {k: med([r[k] for r in rs]) for k in ("states", "trans", "bps", "wall", "rss_mb")}
    d["runs"] = len(rs)
    bad = [r for r in rs if r["rc"] != 0 or r["verdict"] != "ok" or r["states"] is None]
    d["note"] = "" if not bad else f"{len(bad)} run(s) rc/verdict not ok"
    d["rate"] = d["states"] / d["wall"] if d["states"] and d["wall"] else None
    aiomc[(scen, cfg)] = d
    m = re.match(CFG, cfg)
    label = f"{m.group(1)} thr" + (f", red {m.group(2)}" if m.group(2) else "") + (", dfs" if m.group(3) else "")
    rows.append((scen, "aiomc", label, d))

spin, spin_sets = {}, {}
for p in sorted(glob.glob(os.path.join(OUT, "spin-*", "summary.txt"))):
    scen = os.path.basename(os.path.dirname(p))[len("spin-"):]
    for line in open(p):
        # ordered: the reference; sets: SPIN's default, kaio queues as sets
        # (the like-for-like peer of aiomc's reductions, which keep them as sets where
        # the scenario never reads their order)
        m = re.match(rf"SPIN {re.escape(scen)} (ordered|sets): (.*)", line.strip())
        if not m:
            continue
        kind = m.group(1)
        kv = dict(x.split("=", 1) for x in m.group(2).split())
        num = lambda k: float(kv[k]) if kv.get(k, "-") not in ("-", "") else None
        d = {"states": num("states"), "trans": num("transitions"), "wall": num("seconds"),
             "rate": num("states_per_s"), "bps": num("bytes_per_state"),
             "rss_mb": num("peak_rss_mb"), "runs": int(kv.get("runs", "0")),
             "note": "" if kv.get("complete") == "yes" else "not complete"}
        (spin if kind == "ordered" else spin_sets)[scen] = d
        rows.append((scen, "SPIN", f"{kind}, POR, full", d))
rows.sort(key=lambda r: (r[0], r[1] != "aiomc"))


def fmt(x, f="{:,.0f}"):
    return "—" if x is None else f.format(x)


meta = open(os.path.join(OUT, "meta.txt")).read().strip().splitlines() \
    if os.path.exists(os.path.join(OUT, "meta.txt")) else []
print("bench/run — " + "; ".join(meta))
print()
print("| scenario | tool | config | states | transitions | seconds | states/s | bytes/state | peak RSS (MB) | runs | note |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
for scen, tool, label, d in rows:
    print(f"| {scen} | {tool} | {label} | {fmt(d['states'])} | {fmt(d['trans'])} | "
          f"{fmt(d['wall'], '{:.3f}')} | {fmt(d['rate'])} | {fmt(d['bps'], '{:.1f}')} | "
          f"{fmt(d['rss_mb'], '{:,.0f}')} | {d['runs']} | {d['note']} |")
print()
print("seconds: wall, median; states/s = states / median wall. bytes/state: aiomc's own "
      "--stats figure; SPIN's 'memory usage for states' / states. Peak RSS: /usr/bin/time -v.")

# ---------------------------------------------------------------- simulation
sim = {}
for path in sorted(glob.glob(os.path.join(OUT, "sim.*.run*.log"))):
    scen = os.path.basename(path).split(".")[1]
    t = open(path).read()
    sim.setdefault(scen, []).append((grab(r"^steps (\d+),", t, int), grab(r"([\d.]+) steps/s", t)))
if sim:
    print()
    print("| scenario | simulation (`aiomc run --runs N`) | steps per batch | steps/s (median) | runs |")
    print("|---|---|---:|---:|---:|")
    for scen in sorted(sim):
        steps = med([x[0] for x in sim[scen]])
        print(f"| {scen} | fixed | {fmt(steps)} | {fmt(med([x[1] for x in sim[scen]]))} | {len(sim[scen])} |")


# ---------------------------------------------------------------- ratios and targets
def pick1(scen, threads, red, dfs):
    suffix = "-dfs" if dfs else ""
    for cfg in ([f"t{threads}-red{red}{suffix}"] if red else []) + [f"t{threads}{suffix}"]:
        if (scen, cfg) in aiomc:
            return aiomc[(scen, cfg)]
    return None


# The faster of the breadth-first and depth-first searches (both give the same
# verdicts, states and transitions), with which one it was.
def pick(scen, threads, red):
    got = [(x, "dfs" if dfs else "bfs") for dfs in (False, True) for x in [pick1(scen, threads, red, dfs)]
           if x and x["wall"] and x["note"] == ""]
    if not got:
        return pick1(scen, threads, red, False)
    best, how = min(got, key=lambda g: g[0]["wall"])
    return dict(best, search=how)


def how(x):
    return f" ({x['search']})" if x and x.get("search") else ""


has_red = any("-red" in c for _, c in aiomc)
out = []
for scen in sorted(spin):
    s = spin[scen]
    a1 = pick(scen, 1, "off")
    if not a1 or not s["states"] or not a1["states"] or not s["wall"]:
        continue
    a2 = pick(scen, 2, "off")
    out.append(f"**{scen}**, aiomc (1 thread{', reductions off' if has_red else ''}) / SPIN: "
               f"time {a1['wall'] / s['wall']:.2f}×, states {a1['states'] / s['states']:.2f}×, "
               f"states/s {a1['rate'] / s['rate']:.2f}×"
               + (f"; 2 threads: time {a2['wall'] / s['wall']:.2f}×, states/s {a2['rate'] / s['rate']:.2f}×"
                  if a2 and a2['wall'] and a2['rate'] else ""))
if out:
    print()
    print("Ratios (aiomc / SPIN):")
    print()
    for o in out:
        print("- " + o)

tgt_scen = "lio-wide" if any(sc == "lio-wide" for sc, _ in aiomc) else None
if tgt_scen:
    print()
    print(f"Issue 12 targets on {tgt_scen}:")
    print()
    s = spin.get(tgt_scen)
    off1, off2 = pick(tgt_scen, 1, "off"), pick(tgt_scen, 2, "off")
    on1, on2 = (pick(tgt_scen, 1, "on"), pick(tgt_scen, 2, "on")) if has_red else (None, None)
    lines = []

    def verdict(ok):
        return "—" if ok is None else ("met" if ok else "NOT met")

    r = off1["rate"] / s["rate"] if s and off1 and off1["rate"] and s["rate"] else None
    lines.append(("states/s, reductions off, one thread, ≥ 2× SPIN", f"{r:.2f}×{how(off1)}" if r else "—",
                  verdict(r >= 2 if r else None)))
    on = [x for x in (on1, on2) if x and x["wall"]]
    if on and s and s["wall"]:
        best = min(x["wall"] for x in on)
        fastest = min(on, key=lambda x: x["wall"])
        lines.append(("time, reductions on (fastest of 1/2 threads), ≤ ¼ SPIN",
                      f"{best / s['wall']:.2f}×{how(fastest)}", verdict(best / s['wall'] <= 0.25)))
        ss = spin_sets.get(tgt_scen)
        if ss and ss["wall"]:
            lines.append(("time, reductions on, against SPIN's queues as sets (like for like; not an issue target), ≤ ¼",
                          f"{best / ss['wall']:.2f}×", verdict(best / ss['wall'] <= 0.25)))
        f = off1["states"] / on1["states"] if off1 and off1["states"] and on1 and on1["states"] else None
        lines.append(("states, ≥ 4× fewer with reductions", f"{f:.2f}× fewer" if f else "—",
                      verdict(f >= 4 if f else None)))
    else:
        lines.append(("time, reductions on, ≤ ¼ SPIN", "no reductions option yet", "—"))
        lines.append(("states, ≥ 4× fewer with reductions", "no reductions option yet", "—"))
    b = off1["bps"] if off1 else None
    lines.append(("≤ 16 B/state", f"{b:.1f} B" if b else "—", verdict(b <= 16 if b else None)))
    sp = off1["wall"] / off2["wall"] if off1 and off2 and off2["wall"] else None
    lines.append(("≥ 1.7× from 1 to 2 threads (reductions off)", f"{sp:.2f}× (1: {off1.get('search', '-') if off1 else '-'}, 2: {off2.get('search', '-') if off2 else '-'})" if sp else "—",
                  verdict(sp >= 1.7 if sp else None)))
    for dfs in (False, True):
        x1, x2 = pick1(tgt_scen, 1, "off", dfs), pick1(tgt_scen, 2, "off", dfs)
        if x1 and x2 and x1["wall"] and x2["wall"]:
            lines.append((f"  of which {'depth' if dfs else 'breadth'}-first alone", f"{x1['wall'] / x2['wall']:.2f}×",
                          verdict(x1["wall"] / x2["wall"] >= 1.7)))
    rate = med([x[1] for x in sim.get(tgt_scen, [])])
    lines.append(("simulation ≥ 1 M steps/s", f"{rate:,.0f} steps/s" if rate else "—",
                  verdict(rate >= 1e6 if rate else None)))
    print("| target | measured | |")
    print("|---|---|---|")
    for a, b_, c in lines:
        print(f"| {a} | {b_} | {c} |")
