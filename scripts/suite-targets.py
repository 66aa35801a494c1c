#!/usr/bin/env python3
"""Prints what `ninja -C BUILD` must build for the tests of SUITE to run
(their executables and the other targets they depend on), one per line, as
paths relative to BUILD. scripts/test.sh builds only these in its sanitizer
trees: the daemon, its network-test helpers and the benchmarks are not part
of the unit suite.

    scripts/suite-targets.py BUILD SUITE
"""
import json
import os
import subprocess
import sys


def introspect(build, what):
    return json.loads(subprocess.check_output(['meson', 'introspect', build, what]))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build, suite = os.path.abspath(sys.argv[1]), sys.argv[2]
    targets = {t['id']: t for t in introspect(build, '--targets')}
    paths = set()
    for test in introspect(build, '--tests'):
        if not any(s.split(':')[-1] == suite for s in test['suite']):
            continue
        for dep in test['depends']:
            for f in targets.get(dep, {}).get('filename', []):
                paths.add(os.path.relpath(f, build))
    if not paths:
        sys.exit(f'{sys.argv[0]}: no test of suite {suite} in {build}')
    print('\n'.join(sorted(paths)))


if __name__ == '__main__':
    main()
