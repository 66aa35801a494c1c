#!/usr/bin/env python3
"""fast-checkers.py SRC DEST: copy a keepalived.conf keeping its health
checkers but with their timing cut to about a second, for diff.sh --checkers.

The differential test with checkers runs keepalived and vigil on the same
config in the test VM, where no real server exists: every check fails, and
the table both programs once the checks have settled (servers removed,
inhibited ones at weight 0, sorry servers in) must be the same. Settling
takes delay_loop (the warmup's default) plus a check, so delay_loop,
connect_timeout, delay_before_retry and misc_timeout become 1 and warmup 0;
nothing else changes, and line numbers stay as they were.
"""
import gzip
import re
import sys

TIMING = re.compile(r"^(\s*)(delay_loop|connect_timeout|delay_before_retry|misc_timeout|warmup)(\s+)(\S+)(.*)$")


def main():
    src, dest = sys.argv[1], sys.argv[2]
    opener = gzip.open if src.endswith(".gz") else open
    with opener(src, "rt", errors="replace") as f:
        lines = f.read().split("\n")
    out = []
    for line in lines:
        m = TIMING.match(line)
        if m:
            value = "0" if m.group(2) == "warmup" else "1"
            line = f"{m.group(1)}{m.group(2)}{m.group(3)}{value}{m.group(5)}"
        out.append(line)
    with open(dest, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
