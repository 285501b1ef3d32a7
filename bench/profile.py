#!/usr/bin/env python3
"""Summarises a dotnet-trace speedscope file: the top methods by self and by inclusive time (sampled).

Usage: python3 bench/profile.py trace.speedscope.json [N] [thread-substring]
"""
import collections, json, sys

doc = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
frames = [f["name"] for f in doc["shared"]["frames"]]
self_t, incl_t = collections.Counter(), collections.Counter()
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
                self_t[frames[stack[-1]]] += dt
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
                self_t[frames[s[-1]]] += w
            for f in set(s):
                incl_t[frames[f]] += w


def show(title, c):
    print(f"## {title} (of {total:.0f} ms sampled)")
    for name, t in c.most_common(top):
        print(f"{100 * t / total:6.1f}%  {name[:150]}")
    print()


show("self", self_t)
show("inclusive", incl_t)
