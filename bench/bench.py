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


LAST_CPU = [0.0, 0.0]  # user, system seconds of the last timed step
CGROUP = {"procs": None, "limit": None}  # set by --cache-limit: the cgroup every timed step runs in


def cache_limit(nbytes):
    """Creates a memory cgroup of nbytes (page cache included) for the timed steps: with more data than cache at
    both sizes, mix20k and mix100k run in the same regime (otherwise mix20k fits in this machine's page cache and
    mix100k does not, and the kernel's reclaim makes its every byte dearer)."""
    v2 = os.path.exists("/sys/fs/cgroup/cgroup.controllers")
    path = "/sys/fs/cgroup/imcbench" if v2 else "/sys/fs/cgroup/memory/imcbench"
    os.makedirs(path, exist_ok=True)
    if v2:
        with open("/sys/fs/cgroup/cgroup.subtree_control", "w") as f:
            f.write("+memory")
    with open(os.path.join(path, "memory.max" if v2 else "memory.limit_in_bytes"), "w") as f:
        f.write(str(nbytes))
    CGROUP["procs"] = os.path.join(path, "cgroup.procs")
    CGROUP["limit"] = nbytes


def in_cgroup(cmd):
    """cmd, run inside the --cache-limit cgroup when there is one."""
    if CGROUP["procs"] is None:
        return cmd
    return ["sh", "-c", f'echo $$ > {CGROUP["procs"]} && exec "$@"', "sh"] + cmd


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak RSS in MB, stdout). User and system CPU seconds go to LAST_CPU."""
    t0 = time.perf_counter()
    p = subprocess.run(in_cgroup(["/usr/bin/time", "-v"] + cmd), capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", p.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", p.stderr)
    LAST_CPU[:] = [float(user.group(1)) if user else float("nan"), float(system.group(1)) if system else float("nan")]
    return elapsed, (int(m.group(1)) / 1024 if m else float("nan")), p.stdout


def floor(server, backup, scratch):
    """The physical floor of a save: read the store once from disk and write the same files and bytes durably, with
    tools that do no encoding. The backup is read into the page cache first (untimed), so cp pays only for writing:
    what is timed is exactly a save's unavoidable work — the store read cold, every file created and written, synced."""
    cold()
    read_all(backup)
    t0 = time.perf_counter()
    c0 = os.times()
    dest = os.path.join(scratch, "floor-copy")
    db = os.path.join(server, "exchsrvr", "mdbdata", "priv.db")
    sh(in_cgroup(["sh", "-c", 'cat "$1" > /dev/null && cp -r "$2" "$3" && sync', "sh", db, backup, dest]))
    elapsed = time.perf_counter() - t0
    c1 = os.times()
    LAST_CPU[:] = [(c1.user - c0.user) + (c1.children_user - c0.children_user), (c1.system - c0.system) + (c1.children_system - c0.children_system)]
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


def record_cpu(res, step):
    res[step + "_user"].append(LAST_CPU[0])
    res[step + "_cpu"].append(LAST_CPU[0] + LAST_CPU[1])


def run_set(name, dlls, work, runs):
    base = prepare(name, dlls, work)
    dotnet = ["dotnet"]
    args, desc = SETS[name]
    store_bytes = os.path.getsize(os.path.join(base, "exchsrvr", "mdbdata", "priv.db"))
    res = {"description": desc, "store_bytes": store_bytes, "save": [], "delete": [], "restore": [], "floor": [],
           "save_cpu": [], "delete_cpu": [], "restore_cpu": [], "floor_cpu": [],
           "save_user": [], "delete_user": [], "restore_user": [], "floor_user": [],
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
        res["save"].append(t); res["save_mb"].append(mb); record_cpu(res, "save")
        # 2. the floor for the same bytes, measured in the same run
        res["floor"].append(floor(base, backup, scratch)); record_cpu(res, "floor")
        # 3. save with -delete -yes on a copy of the server
        copy = os.path.join(scratch, "server-copy")
        sh(["cp", "-r", base, copy])
        out2 = os.path.join(scratch, "delete")
        os.makedirs(out2)
        cold()
        t, mb, _ = timed(dotnet + [dlls["imcsave"], "-server", copy, "-output", out2, "-delete", "-yes", "-quiet"])
        res["delete"].append(t); res["delete_mb"].append(mb); record_cpu(res, "delete")
        shutil.rmtree(copy)
        shutil.rmtree(out2)
        # 4. restore the first backup onto a new server with another name
        target = os.path.join(scratch, "target")
        sh(dotnet + [dlls["imcadmin"], "setup", "-server", target, "-name", "EXCH2", "-org", "ORG2", "-site", "SITE2"],
           stdout=subprocess.DEVNULL)
        cold()
        t, mb, _ = timed(dotnet + [dlls["imcrestore"], backup, "-server", target, "-yes", "-quiet"])
        res["restore"].append(t); res["restore_mb"].append(mb); record_cpu(res, "restore")
        res["files"], res["bytes"] = files, nbytes
        res["cold"] = CACHES["dropped"]
        res["cache_limit"] = CGROUP["limit"]
        res["date"] = datetime.date.today().isoformat()
        res["machine"] = machine()
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


def med(values):
    return statistics.median(values) if values else float("nan")


def limit_gib(results):
    limits = {r.get("cache_limit") for r in results.values()}
    return f"{limits.pop() / (1 << 30):g}" if len(limits) == 1 and None not in limits else None


def limit_option(results):
    return f" --cache-limit {limit_gib(results)}" if limit_gib(results) else ""


def rate(x):
    return f"{x:,.0f}" if x >= 10 else f"{x:.2f}"


def verdict(ok):
    return "✓" if ok else "✗"


def report(sections, path):
    """Writes RESULTS.md: one section per results file, then the hand-written bench/ANALYSIS.md."""
    lines = ["# Benchmark results", "",
             "Written by `bench/bench.py` from the results files named in each section; the analysis after the tables is "
             "bench/ANALYSIS.md.", ""]
    for source, results in sections:
        lines += section(source, results)
    # The hand-written part (profiles before/after, where the time goes) lives in bench/ANALYSIS.md.
    analysis = os.path.join(ROOT, "bench", "ANALYSIS.md")
    if os.path.exists(analysis):
        lines.append(open(analysis).read())
    with open(path, "w") as f:
        f.write("\n".join(lines))


def section(source, results):
    first = next(iter(results.values()))
    runs = len(first["save"])
    title = f"Page cache limited to {limit_gib(results)} GiB" if limit_gib(results) else "Page cache as the machine has it"
    lines = [f"## {title}", "",
             f"Date: {first.get('date', datetime.date.today().isoformat())}  ", f"Machine: {first.get('machine') or machine()}  ",
             f"Command: `python3 bench/bench.py --sets {','.join(results)} --runs {runs}{limit_option(results)}`  ",
             f"Results file: `{os.path.relpath(source, ROOT)}`  ",
             "Times are wall-clock seconds, median of the runs with [min–max]; × floor = median / median floor of the same "
             "set, where the floor (measured in every run) = `cat priv.db > /dev/null` + `cp -r Backup` + `sync`. CPU s = "
             "user + system seconds of the process, and its user part (for the floor: of cat/cp/sync; the kernel's "
             "writeback threads are in nobody's column). "
             + ("Every timed step starts cold: `sync`, then the page cache dropped (`/proc/sys/vm/drop_caches`); the floor's "
                "Backup is read into the cache before its timed part, so cp pays only for writing."
                + (f" Every timed step (the floor too) ran in a memory cgroup of {limit_gib(results)} GiB, page cache included."
                   if limit_gib(results) else "")
                if all(r.get("cold", True) for r in results.values()) else
                "**The page cache could not be dropped (not root)**: steps start after a `sync` only, so what they read may be cached."),
             ""]
    lines.append("| set | messages | backup MB | command | median s [min–max] | × floor | msg/s | MB/s | peak RSS MB | CPU s | user s |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        fl = med(r["floor"])
        mb = r["bytes"] / 1e6
        msgs = max(r["files"] - 4, 1)
        lines.append(f"| {name} | {msgs:,} | {mb:,.0f} | floor | {fl:.2f} [{min(r['floor']):.2f}–{max(r['floor']):.2f}] | 1.00 | | {mb / fl:.0f} | "
                     f"| {med(r.get('floor_cpu', [])):.1f} | {med(r.get('floor_user', [])):.1f} |")
        for cmd in ("save", "delete", "restore"):
            s_ = summary(r[cmd])
            lines.append(f"| {name} | | | {cmd} | {s_['median']:.2f} [{s_['min']:.2f}–{s_['max']:.2f}] | "
                         f"{s_['median'] / fl:.2f} | {rate(msgs / s_['median'])} | {mb / s_['median']:.0f} | {max(r[cmd + '_mb']):.0f} | "
                         f"{med(r.get(cmd + '_cpu', [])):.1f} | {med(r.get(cmd + '_user', [])):.1f} |")
    lines += ["", f"### Targets ({title.lower()})", "", "| target | set | measured | |", "|---|---|---|---|"]
    for name, r in results.items():
        fl, save, delete, restore = med(r["floor"]), med(r["save"]), med(r["delete"]), med(r["restore"])
        lines.append(f"| imcsave ≤ 2.0× floor | {name} | {save / fl:.2f}× | {verdict(save / fl <= 2.0)} |")
        lines.append(f"| imcrestore ≤ 3.0× floor | {name} | {restore / fl:.2f}× | {verdict(restore / fl <= 3.0)} |")
        lines.append(f"| -delete ≤ 1.5× save | {name} | {delete / save:.2f}× | {verdict(delete / save <= 1.5)} |")
        if name in ("mix100k", "big1g"):
            peak = max(max(r[c + "_mb"]) for c in ("save", "delete", "restore"))
            lines.append(f"| peak RSS ≤ 200 MB | {name} | {peak:.0f} MB | {verdict(peak <= 200)} |")
    if "mix20k" in results and "mix100k" in results:
        small, large = results["mix20k"], results["mix100k"]
        nbytes = large["bytes"] / small["bytes"]
        floor_ratio = med(large["floor"]) / med(small["floor"])
        for cmd in ("save", "delete", "restore"):
            ratio = med(large[cmd]) / med(small[cmd])
            lines.append(f"| mix100k / mix20k = 5 ± 15 % | {cmd} | {ratio:.2f} | {verdict(4.25 <= ratio <= 5.75)} |")
        for cmd in ("save", "delete", "restore"):
            a, b = max(small[cmd + "_mb"]), max(large[cmd + "_mb"])
            lines.append(f"| flat memory | {cmd} | {a:.0f} → {b:.0f} MB | {verdict(b <= a * 1.15)} |")
        lines += ["", f"### Scaling, mix20k → mix100k ({title.lower()})", "",
                  f"The 100,000 messages hold {nbytes:.2f}× the bytes of the 20,000 "
                  f"({(large['files'] - 4) / (small['files'] - 4):.2f}× the messages). What each step took at mix100k, "
                  "as a multiple of what it took at mix20k:", "",
                  "| step | wall time | CPU (user + sys) | user CPU | × floor at mix20k → mix100k |", "|---|---|---|---|---|"]
        lines.append(f"| floor | {floor_ratio:.2f} | {med(large['floor_cpu']) / med(small['floor_cpu']):.2f} | | |")
        for cmd in ("save", "delete", "restore"):
            lines.append(f"| {cmd} | {med(large[cmd]) / med(small[cmd]):.2f} | {med(large[cmd + '_cpu']) / med(small[cmd + '_cpu']):.2f} | "
                         f"{med(large.get(cmd + '_user', [])) / med(small.get(cmd + '_user', [])):.2f} | "
                         f"{med(small[cmd]) / med(small['floor']):.2f} → {med(large[cmd]) / med(large['floor']):.2f} |")
    lines.append("")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="mix20k,mix100k,big1g")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=os.path.join(ROOT, "bench", "out"))
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    ap.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md from results files without measuring")
    ap.add_argument("--section", dest="sections", action="append", help="with --report-only: a results file, one section each (default WORK/results.json)")
    ap.add_argument("--prepare", action="store_true", help="only build and create the sets' sample servers")
    ap.add_argument("--cache-limit", help="run every timed step in a memory cgroup of this many GiB, page cache included (root)")
    a = ap.parse_args()
    if a.cache_limit:
        cache_limit(int(float(a.cache_limit) * (1 << 30)))
    os.makedirs(a.work, exist_ok=True)
    if a.report_only:
        report([(f, json.load(open(f))) for f in (a.sections or [os.path.join(a.work, "results.json")])], a.results)
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
    report([(os.path.join(a.work, "results.json"), results)], a.results)
    print(open(a.results).read())


if __name__ == "__main__":
    sys.exit(main())
