#!/usr/bin/env python3
"""Prints the length of every HTTP handler (an `async fn` right after an `#[oai(path = ...)]`
attribute) under api/src/routes: the median, the 90th percentile and those over a limit.

    scripts/handler-lengths.py [--limit 60] [--list]
"""
import pathlib, re, statistics, sys

root = pathlib.Path(__file__).resolve().parent.parent / "api" / "src" / "routes"
limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 60
handlers = []
for path in sorted(root.rglob("*.rs")):
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        if re.match(r"\s*#\[oai\(\s*path", lines[i]):
            j = i
            while j < len(lines) and not re.match(r"\s*(pub )?async fn ", lines[j]):
                j += 1
            if j == len(lines):
                break
            indent = len(lines[j]) - len(lines[j].lstrip())
            k = j + 1
            while k < len(lines) and not (lines[k].startswith(" " * indent + "}") and len(lines[k]) - len(lines[k].lstrip()) == indent):
                k += 1
            name = re.search(r"async fn (\w+)", lines[j]).group(1)
            handlers.append((k - j + 1, f"{path.relative_to(root.parent.parent.parent)}:{j + 1} {name}"))
            i = k
        i += 1
sizes = sorted(n for n, _ in handlers)
p90 = sizes[int(round(0.9 * (len(sizes) - 1)))]
print(f"handlers: {len(sizes)}  median: {statistics.median(sizes)}  p90: {p90}  max: {sizes[-1]}  over {limit}: {sum(n > limit for n in sizes)}")
for n, where in sorted(handlers, reverse=True):
    if n > limit or "--list" in sys.argv:
        print(f"{n:4} {where}")
