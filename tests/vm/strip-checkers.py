#!/usr/bin/env python3
"""strip-checkers.py SRC DEST: copy a keepalived.conf without its health checkers.

The differential test (diff.sh) runs keepalived and vigil on the same config in
the test VM and compares their IPVS tables. The VM has no real servers, so
keepalived's checkers would fail and pull servers out over time, and vigil has
no checkers yet (every real server counts as alive). Without its checker blocks
keepalived also counts every real server as alive, so both must program the
same table. Nothing else is changed; removed lines become blank lines so line
numbers in messages still match the original file.

Checker blocks nest (HTTP_GET { url { ... } }), so this follows the braces with
keepalived's lexical rules: '#' and '!' start a comment outside double quotes,
'{' and '}' are tokens wherever they stand outside quotes and comments.
"""
import gzip
import re
import sys

CHECKER = re.compile(r"(?:[A-Z0-9]+_CHECK|HTTP_GET|SSL_GET)\Z")


def tokens(text):
    """Yields (kind, start, end) for words and braces, skipping comments."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
        elif c in "#!":
            while i < n and text[i] != "\n":
                i += 1
        elif c in "{}":
            yield c, i, i + 1
            i += 1
        elif c == '"':
            j = text.find('"', i + 1)
            j = n if j < 0 else j + 1
            yield "word", i, j
            i = j
        else:
            j = i
            while j < n and text[j] not in " \t\r\n{}\"#!":
                j += 1
            yield "word", i, j
            i = j


def strip(text):
    spans = []  # (start, end) of each checker block
    toks = list(tokens(text))
    k = 0
    while k < len(toks):
        kind, s, e = toks[k]
        if kind == "word" and re.fullmatch(r"include[a-z_]*", text[s:e]):
            sys.exit(f"strip-checkers.py: {text[s:e]} is not supported: the included files would keep their checkers")
        if kind == "word" and CHECKER.match(text[s:e]) and k + 1 < len(toks) and toks[k + 1][0] == "{":
            depth, m = 0, k + 1
            while m < len(toks):
                if toks[m][0] == "{":
                    depth += 1
                elif toks[m][0] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                m += 1
            if m == len(toks):
                sys.exit(f"strip-checkers.py: unterminated {text[s:e]} block")
            spans.append((s, toks[m][2]))
            k = m + 1
            continue
        k += 1
    out, last = [], 0
    for s, e in spans:
        out.append(text[last:s])
        out.append("\n" * text.count("\n", s, e))
        last = e
    out.append(text[last:])
    return "".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: strip-checkers.py SRC DEST")
    src, dest = sys.argv[1:]
    opener = gzip.open if src.endswith(".gz") else open
    with opener(src, "rt", encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    with open(dest, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(strip(text))


if __name__ == "__main__":
    main()
