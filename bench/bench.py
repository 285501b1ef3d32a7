#!/usr/bin/env python3
"""Benchmark harness for imcsave / imcrestore (issue 6).

Builds Release, creates sample servers at fixed seeds, then times, over several runs:
  save     imcsave of all queues
  delete   imcsave -delete -yes (on a fresh copy of the server each run)
  restore  imcrestore of the backup onto a new server
and, in the same run, the floor for the same bytes: `cat priv.db > /dev/null` plus `cp -r Backup` and `sync`.
Peak resident memory comes from /usr/bin/time -v. Results go to bench/RESULTS.md (and results.json).

Usage: python3 bench/bench.py [--sets mix20k,mix100k,big1g] [--runs 3] [--work DIR] [--report-only]
(--work defaults to bench/out, which is ignored by git; it needs about 6x the store size free: mix20k 2.6 GB,
mix100k about 13 GB, big1g 1.1 GB.)
"""
import argparse, datetime, json, os, platform, re, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETS = {
    # name: (imcadmin sample arguments, description)
    "mix2k": (["2000", "-seed", "2"], "realistic mix, 2,000 messages (seed 2) — quick check"),
    "mix20k": (["20000", "-seed", "20"], "realistic mix, 20,000 messages (seed 20)"),
    "mix100k": (["100000", "-seed", "20"], "realistic mix, 100,000 messages (seed 20)"),
    "big1g": (["1", "-seed", "1", "-queue", "MTSOut", "-attachment", "1GiB"], "one message with a 1 GiB attachment"),
}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def build(out):
    for proj in ("Imcadmin", "Imcsave", "Imcrestore"):
        sh(["dotnet", "publish", os.path.join(ROOT, "src", proj), "-c", "Release", "-o", out, "--nologo", "-v", "q"],
           stdout=subprocess.DEVNULL)
    return {name: os.path.join(out, name + ".dll") for name in ("imcadmin", "imcsave", "imcrestore")}


CACHES = {"dropped": None}


def cold():
    """Every timed step starts with nothing of its data in memory: dirty pages written (sync), then the page cache
    dropped (root only). Without that, whether a step reads the disk or the cache depends on what the step before it
    left behind, and one run of the same command differed from the next by 2x."""
    sh(["sync"])
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        CACHES["dropped"] = True
    except OSError:
        CACHES["dropped"] = False


def read_all(path):
    """Reads every file under path once (to put it in the page cache)."""
    for d, _, names in os.walk(path):
        for n in names:
            with open(os.path.join(d, n), "rb") as f:
                while f.read(1 << 20):
                    pass


LAST_CPU = [0.0]


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak RSS in MB, stdout). CPU seconds (user + system) go to LAST_CPU."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", p.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", p.stderr)
    LAST_CPU[0] = (float(user.group(1)) if user else 0.0) + (float(system.group(1)) if system else 0.0)
    return elapsed, (int(m.group(1)) / 1024 if m else float("nan")), p.stdout


def floor(server, backup, scratch):
    """The physical floor of a save: read the store once from disk and write the same files and bytes durably, with
    tools that do no encoding. The backup is read into the page cache first (untimed), so cp pays only for writing:
    what is timed is exactly a save's unavoidable work — the store read cold, every file created and written, synced."""
    cold()
    read_all(backup)
    t0 = time.perf_counter()
    c0 = os.times()
    with open(os.path.join(server, "exchsrvr", "mdbdata", "priv.db"), "rb") as f:
        while f.read(1 << 20):
            pass
    dest = os.path.join(scratch, "floor-copy")
    sh(["cp", "-r", backup, dest])
    sh(["sync"])
    elapsed = time.perf_counter() - t0
    c1 = os.times()
    LAST_CPU[0] = (c1.user - c0.user) + (c1.system - c0.system) + (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
    shutil.rmtree(dest)
    return elapsed


def dir_stats(path):
    files = size = 0
    for d, _, names in os.walk(path):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(d, n))
    return files, size


def sample_stamp(args):
    """What a cached sample server was made from: its arguments and the committed code that generates it and creates
    the store (a change to the generator, the schema, the page size or auto-vacuum makes a new server)."""
    trees = [subprocess.run(["git", "-C", ROOT, "rev-parse", f"HEAD:{p}"], capture_output=True, text=True).stdout.strip()
             for p in ("src/Imc.Server/Setup", "src/Imc.Server/SqliteDatabase.cs", "src/Imc.Server/Store/StoreSchema.cs",
                       "src/Imc.Formats/Mapi")]
    return " ".join(args) + "\n" + "\n".join(trees) + "\n"


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def prepare(name, dlls, work):
    """Creates (or reuses) the set's sample server; returns its folder."""
    args, desc = SETS[name]
    dotnet = ["dotnet"]
    base = os.path.join(work, name, "server")
    stamp_path = os.path.join(work, name, "sample.stamp")
    stamp = sample_stamp(args)
    current = open(stamp_path).read() if os.path.exists(stamp_path) else None
    if not os.path.exists(os.path.join(base, "registry.db")) or current != stamp:
        print(f"[{name}] creating sample server: {desc}", flush=True)
        shutil.rmtree(os.path.join(work, name), ignore_errors=True)
        os.makedirs(os.path.join(work, name))
        sh(dotnet + [dlls["imcadmin"], "setup", "-server", base], stdout=subprocess.DEVNULL)
        t0 = time.perf_counter()
        sh(dotnet + [dlls["imcadmin"], "sample"] + args + ["-server", base], stdout=subprocess.DEVNULL)
        print(f"[{name}] sample generation took {time.perf_counter() - t0:.1f} s", flush=True)
        with open(stamp_path, "w") as f:
            f.write(stamp)
    return base


def run_set(name, dlls, work, runs):
    base = prepare(name, dlls, work)
    dotnet = ["dotnet"]
    args, desc = SETS[name]
    store_bytes = os.path.getsize(os.path.join(base, "exchsrvr", "mdbdata", "priv.db"))
    res = {"description": desc, "store_bytes": store_bytes, "save": [], "delete": [], "restore": [], "floor": [],
           "save_cpu": [], "delete_cpu": [], "restore_cpu": [], "floor_cpu": [],
           "save_mb": [], "delete_mb": [], "restore_mb": []}
    for i in range(runs):
        scratch = os.path.join(work, name, f"run{i}")
        shutil.rmtree(scratch, ignore_errors=True)
        os.makedirs(scratch)
        # 1. plain save of all queues (routing is turned back on afterwards so every run sees the same server)
        out = os.path.join(scratch, "save")
        os.makedirs(out)
        cold()
        t, mb, _ = timed(dotnet + [dlls["imcsave"], "-server", base, "-output", out, "-quiet"])
        sh(dotnet + [dlls["imcadmin"], "routing", "on", "-server", base], stdout=subprocess.DEVNULL)
        backup = os.path.join(out, "Backup")
        files, nbytes = dir_stats(backup)
        res["save"].append(t); res["save_mb"].append(mb); res["save_cpu"].append(LAST_CPU[0])
        # 2. the floor for the same bytes, measured in the same run
        res["floor"].append(floor(base, backup, scratch)); res["floor_cpu"].append(LAST_CPU[0])
        # 3. save with -delete -yes on a copy of the server
        copy = os.path.join(scratch, "server-copy")
        sh(["cp", "-r", base, copy])
        out2 = os.path.join(scratch, "delete")
        os.makedirs(out2)
        cold()
        t, mb, _ = timed(dotnet + [dlls["imcsave"], "-server", copy, "-output", out2, "-delete", "-yes", "-quiet"])
        res["delete"].append(t); res["delete_mb"].append(mb); res["delete_cpu"].append(LAST_CPU[0])
        shutil.rmtree(copy)
        shutil.rmtree(out2)
        # 4. restore the first backup onto a new server with another name
        target = os.path.join(scratch, "target")
        sh(dotnet + [dlls["imcadmin"], "setup", "-server", target, "-name", "EXCH2", "-org", "ORG2", "-site", "SITE2"],
           stdout=subprocess.DEVNULL)
        cold()
        t, mb, _ = timed(dotnet + [dlls["imcrestore"], backup, "-server", target, "-yes", "-quiet"])
        res["restore"].append(t); res["restore_mb"].append(mb); res["restore_cpu"].append(LAST_CPU[0])
        res["files"], res["bytes"] = files, nbytes
        res["cold"] = CACHES["dropped"]
        shutil.rmtree(scratch)
        print(f"[{name}] run {i + 1}/{runs}: save {res['save'][-1]:.2f}s delete {res['delete'][-1]:.2f}s "
              f"restore {res['restore'][-1]:.2f}s floor {res['floor'][-1]:.2f}s", flush=True)
    return res


def machine():
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    disk = subprocess.run(["df", "-h", "--output=source,fstype,size,avail", ROOT], capture_output=True, text=True).stdout.splitlines()[-1].split()
    dev = os.path.basename(disk[0])
    rota = "?"
    try:
        rota = "rotational" if open(f"/sys/block/{dev}/queue/rotational").read().strip() == "1" else "non-rotational"
    except OSError:
        pass
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({model}), {int(mem) // 1024 // 1024} GiB RAM, disk {disk[0]} ({disk[1]}, {rota}, "
            f"{disk[2]}, {disk[3]} free), .NET SDK {dotnet}, {platform.platform()}")


def report(results, runs, path):
    lines = ["# Benchmark results", "",
             f"Date: {datetime.date.today().isoformat()}  ", f"Machine: {machine()}  ",
             f"Command: `python3 bench/bench.py --sets {','.join(results)} --runs {runs}`  ",
             "Times are wall-clock seconds, median of the runs with [min–max]; ratio = median / median floor, "
             "where the floor (same run) = `cat priv.db > /dev/null` + `cp -r Backup` + `sync`. CPU s = user + system time of "
             "the process (for the floor: of cat/cp/sync; the kernel's writeback threads are in nobody's column). "
             + ("Every timed step starts cold: `sync`, then the page cache dropped (`/proc/sys/vm/drop_caches`); the floor's "
                "Backup is read into the cache before its timed part, so cp pays only for writing."
                if all(r.get("cold", True) for r in results.values()) else
                "**The page cache could not be dropped (not root)**: steps start after a `sync` only, so what they read may be cached."),
             ""]
    lines.append("| set | messages/files | backup MB | command | median s [min–max] | × floor | msg/s | MB/s | peak RSS MB | CPU s (median) |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        fl = statistics.median(r["floor"])
        mb = r["bytes"] / 1e6
        msgs = max(r["files"] - 4, 1)
        lines.append(f"| {name} | {r['files']} | {mb:.0f} | floor | {fl:.2f} [{min(r['floor']):.2f}–{max(r['floor']):.2f}] | 1.00 | | {mb / fl:.0f} | | {statistics.median(r.get('floor_cpu') or [float('nan')]):.1f} |")
        for cmd in ("save", "delete", "restore"):
            s = summary(r[cmd])
            lines.append(f"| {name} | | | {cmd} | {s['median']:.2f} [{s['min']:.2f}–{s['max']:.2f}] | "
                         f"{s['median'] / fl:.2f} | {msgs / s['median']:.0f} | {mb / s['median']:.0f} | {max(r[cmd + '_mb']):.0f} | "
                         f"{statistics.median(r.get(cmd + '_cpu') or [float('nan')]):.1f} |")
    lines.append("")
    lines.append("Targets: save ≤ 2.0× floor, restore ≤ 3.0× floor, delete ≤ 1.5× save, peak RSS ≤ 200 MB, "
                 "mix100k / mix20k = 5 ± 15 %.")
    lines.append("")
    for name, r in results.items():
        save, delete = statistics.median(r["save"]), statistics.median(r["delete"])
        lines.append(f"- {name}: delete / save = {delete / save:.2f}")
    if "mix20k" in results and "mix100k" in results:
        small, large = results["mix20k"], results["mix100k"]
        lines.append(f"- scaling, what the sets hold: mix100k / mix20k = {(large['files'] - 4) / (small['files'] - 4):.2f}× the "
                     f"messages, {large['bytes'] / small['bytes']:.2f}× the bytes; the floor took "
                     f"{statistics.median(large['floor']) / statistics.median(small['floor']):.2f}× as long")
        for cmd in ("save", "delete", "restore"):
            a, b = statistics.median(small[cmd]), statistics.median(large[cmd])
            verdict = "within 5 ± 15 %" if 4.25 <= b / a <= 5.75 else "outside 5 ± 15 %"
            lines.append(f"- scaling {cmd}: mix100k / mix20k = {b / a:.2f} ({verdict}); peak RSS {max(small[cmd + '_mb']):.0f} → "
                         f"{max(large[cmd + '_mb']):.0f} MB")
    lines.append("")
    # The hand-written part (profiles before/after, where the time goes) lives in bench/ANALYSIS.md.
    analysis = os.path.join(ROOT, "bench", "ANALYSIS.md")
    if os.path.exists(analysis):
        lines.append(open(analysis).read())
    with open(path, "w") as f:
        f.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="mix20k,mix100k,big1g")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=os.path.join(ROOT, "bench", "out"))
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    ap.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md from WORK/results.json without measuring")
    ap.add_argument("--prepare", action="store_true", help="only build and create the sets' sample servers")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    if a.report_only:
        results = json.load(open(os.path.join(a.work, "results.json")))
        report(results, a.runs, a.results)
        return 0
    dlls = build(os.path.join(a.work, "bin"))
    if a.prepare:
        for name in a.sets.split(","):
            prepare(name, dlls, a.work)
        return 0
    results = {}
    for name in a.sets.split(","):
        results[name] = run_set(name, dlls, a.work, a.runs)
        with open(os.path.join(a.work, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
    report(results, a.runs, a.results)
    print(open(a.results).read())


if __name__ == "__main__":
    sys.exit(main())
