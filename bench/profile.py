#!/usr/bin/env python3
"""Summarises a dotnet-trace speedscope file: the top methods by self and by inclusive time (sampled).

Usage: python3 bench/profile.py trace.speedscope.json [N] [thread-substring]
"""
import collections, json, sys

doc = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
frames = [f["name"] for f in doc["shared"]["frames"]]
self_t, incl_t = collections.Counter(), collections.Counter()
# dotnet-trace ends every stack with a pseudo-frame saying whether the thread ran managed code or not; the method
# that was running is the frame before it (the pseudo-frame is kept in the name, so waiting shows as waiting).
PSEUDO = ("CPU_TIME", "UNMANAGED_CODE_TIME")


def leaf(stack):
    names = [frames[f] for f in stack]
    if len(names) > 1 and names[-1] in PSEUDO:
        return f"{names[-2]} [{'cpu' if names[-1] == 'CPU_TIME' else 'unmanaged'}]"
    return names[-1]


total = 0.0
for prof in doc["profiles"]:
    if len(sys.argv) > 3 and sys.argv[3] not in prof.get("name", ""):
        continue
    if prof["type"] == "evented":
        stack, last = [], None
        for ev in prof["events"]:
            t = ev["at"]
            if last is not None and stack:
                dt = t - last
                total += dt
                self_t[leaf(stack)] += dt
                for f in set(stack):
                    incl_t[frames[f]] += dt
            last = t
            if ev["type"] == "O":
                stack.append(ev["frame"])
            else:
                stack.pop()
    else:
        for s, w in zip(prof["samples"], prof["weights"]):
            total += w
            if s:
                self_t[leaf(s)] += w
            for f in set(s):
                incl_t[frames[f]] += w


def show(title, c):
    print(f"## {title} (of {total:.0f} ms sampled)")
    for name, t in c.most_common(top):
        print(f"{100 * t / total:6.1f}%  {name[:150]}")
    print()


show("self", self_t)
show("inclusive", incl_t)
