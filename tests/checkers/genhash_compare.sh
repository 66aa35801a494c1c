#!/usr/bin/env bash
# vigil-genhash against keepalived's genhash on the same pages, served by
# python3's http.server on 127.0.0.1: the same digest (and the md5sum of the
# file), for a page, a 404 page and each protocol; and the same verbose
# dump apart from the response time. Fails without genhash (the keepalived
# package) or python3: a test that cannot run must not pass.
#
#   genhash_compare.sh VIGIL_GENHASH
set -euo pipefail

vigil_genhash=$1
command -v genhash >/dev/null || { echo "FAIL: genhash not installed (scripts/install-deps.sh installs keepalived)"; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: python3 not installed"; exit 1; }

dir=$(mktemp -d /tmp/vigil-genhash-test.XXXXXX)
server=
cleanup() {
	if [[ -n $server ]]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT

mkdir "$dir/www"
head -c 20000 /dev/urandom >"$dir/www/page.bin"
printf 'hello\n' >"$dir/www/index.html"

# Port 0: the kernel picks a free one, the server prints it.
timeout 60 python3 -c '
import http.server, sys, os
os.chdir(sys.argv[1])
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
print(s.server_address[1], flush=True)
s.serve_forever()
' "$dir/www" >"$dir/port" 2>"$dir/server.log" &
server=$!
for _ in $(seq 50); do
	[[ -s $dir/port ]] && break
	sleep 0.1
done
port=$(cat "$dir/port")
[[ -n $port ]] || { echo "http.server did not start"; exit 1; }

status=0
compare() {
	local theirs ours
	theirs=$(timeout 10 genhash -s 127.0.0.1 -p "$port" "$@" 2>&1 | tail -1)
	ours=$(timeout 10 "$vigil_genhash" -s 127.0.0.1 -p "$port" "$@" 2>&1 | tail -1)
	if [[ $theirs == "$ours" && $ours =~ ^[0-9a-f]{32}$ ]]; then
		echo "ok   $* -> $ours"
	else
		echo "FAIL $*: genhash '$theirs', vigil-genhash '$ours'"
		status=1
	fi
}

compare -u /page.bin
compare -u /page.bin -P 1.1
compare -u /page.bin -P 1.0c
compare -u /index.html -V www.example.com
compare -u /missing.html

expected=$(md5sum <"$dir/www/page.bin" | cut -d' ' -f1)
ours=$(timeout 10 "$vigil_genhash" -s 127.0.0.1 -p "$port" -u /page.bin)
if [[ $ours == "$expected" ]]; then
	echo "ok   digest is the file's md5sum"
else
	echo "FAIL digest $ours, file md5sum $expected"
	status=1
fi

# The verbose layout, without the response time and the header's dump and
# Date (the server's clock may tick between the two requests). genhash
# prints its "HTML Buffer" title only when the body arrives in a read of
# its own, which depends on timing: that line is left out too.
strip() {
	awk '/HTTP Header Buffer/ { skip = 1; print; next } /HTTP Header Ascii Buffer/ { skip = 0 } !skip' |
		grep -v -e '^Global response time' -e '^Date: ' -e 'HTML Buffer' -e '^$'
}
timeout 10 genhash -v -s 127.0.0.1 -p "$port" -u /index.html 2>&1 | strip >"$dir/theirs.txt"
timeout 10 "$vigil_genhash" -v -s 127.0.0.1 -p "$port" -u /index.html 2>&1 | strip >"$dir/ours.txt"
if diff -u "$dir/theirs.txt" "$dir/ours.txt"; then
	echo "ok   verbose layout"
else
	echo "FAIL verbose layout differs"
	status=1
fi

# Nothing listening: a failure, not a digest.
if timeout 10 "$vigil_genhash" -s 127.0.0.1 -p 1 -t 1 >/dev/null 2>&1; then
	echo "FAIL vigil-genhash succeeded against a closed port"
	status=1
else
	echo "ok   closed port fails"
fi
exit $status
