#!/usr/bin/env python3
"""Run a command; print wall seconds and peak RSS (MiB) as 'name<TAB>seconds<TAB>rss'.

Usage: measure.py NAME OUTFILE -- CMD [ARGS...]   (stdout of CMD goes to OUTFILE)
"""
import resource
import subprocess
import sys
import time

name, out = sys.argv[1], sys.argv[2]
cmd = sys.argv[sys.argv.index("--") + 1:]
with open(out, "wb") as f:
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=f, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
if proc.returncode not in (0, 1, 183):
    print(f"{name}: exit {proc.returncode}", file=sys.stderr)
print(f"{name}\t{wall:.2f}\t{rss:.0f}")
