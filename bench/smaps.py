#!/usr/bin/python3
"""Where a server's memory is: /proc/PID/smaps summed per mapping (bench/mem.sh).

  smaps.py snap PID LABEL FILE   append one JSON line: the status figures and, per mapping
                                 (a library, the program, [heap], [stack], [anon] for the
                                 other anonymous mappings), Rss, Pss, Private_Dirty, Anonymous
  smaps.py report FILE           print the snapshots in FILE as Markdown tables

Library pages count in Rss once a process has touched them (the kernel also maps up to 16
neighbouring pages already in the page cache on each fault), whether or not another process
shares them. Anonymous pages (the heap, the stack, relocated library data) are this process's
alone. (Private_Dirty, kept in the raw lines, also counts a freshly rebuilt binary's page-cache
pages that are not yet written back, so the tables use Anonymous.)"""
import collections
import json
import re
import sys

FIELDS = ("Rss", "Pss", "Private_Dirty", "Anonymous")
STATUS = ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem")


def mapping_name(line):
    parts = line.split()
    if len(parts) < 6:
        return "[anon]"
    name = parts[5]
    return name if name.startswith("[") else name.rsplit("/", 1)[-1]


def snap(pid, label, path):
    per = collections.defaultdict(collections.Counter)
    cur = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                cur = per[mapping_name(line)]
                continue
            key, _, value = line.partition(":")
            if key in FIELDS:
                cur[key] += int(value.split()[0])
    status = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in STATUS:
                status[key] = int(value.split()[0])
    total = collections.Counter()
    for c in per.values():
        total.update(c)
    rec = {"label": label, "status": status, "total": dict(total),
           "maps": {k: dict(v) for k, v in per.items() if v["Rss"]}}
    with open(path, "a") as f:
        f.write(json.dumps(rec) + "\n")


def report(path):
    with open(path) as f:
        recs = [json.loads(line) for line in f if line.strip()]
    print("| server | VmRSS kB | VmHWM kB | RssAnon kB | RssFile kB | Pss kB |")
    print("|---|---|---|---|---|---|")
    for r in recs:
        s, t = r["status"], r["total"]
        print(f"| {r['label']} | {s.get('VmRSS', 0):,} | {s.get('VmHWM', 0):,} | "
              f"{s.get('RssAnon', 0):,} | {s.get('RssFile', 0):,} | {t.get('Pss', 0):,} |")
    print()
    names = collections.Counter()
    for r in recs:
        for k, v in r["maps"].items():
            names[k] = max(names[k], v["Rss"])
    print("Per mapping, resident kB (of which anonymous: private copies, e.g. relocated library data):")
    print()
    print("| mapping | " + " | ".join(r["label"] for r in recs) + " |")
    print("|---|" + "---|" * len(recs))
    for name, _ in names.most_common():
        cells = []
        for r in recs:
            m = r["maps"].get(name)
            cells.append(f"{m['Rss']:,} ({m['Anonymous']:,})" if m else "-")
        print(f"| {name} | " + " | ".join(cells) + " |")


def main(argv):
    if len(argv) == 5 and argv[1] == "snap":
        snap(argv[2], argv[3], argv[4])
    elif len(argv) == 3 and argv[1] == "report":
        report(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
