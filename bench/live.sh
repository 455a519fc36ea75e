#!/usr/bin/env bash
# live.sh measures the near-live view (issue 13) end to end in one process:
# test camera → recorder → shipper with live parts → rclone's S3 server →
# headless Chromium playing share/page/live.js. Prints the camera → page
# delay p50/p95 while one page watches (with, from the same run, what a
# page of closed segments only could show, and the ratio) and the live
# view's requests per hour idle and watched. Last line is machine-readable.
#
#   ./bench/live.sh                 # 60 s idle, 120 s watching, 60 s segments
#   SECS=60 ./bench/live.sh         # watch 60 s
#   IDLE=30 SEGMENT=30 ENCRYPT=1 ./bench/live.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "chromium missing: run ./test.sh once (it installs it)" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test ./bench/live/ -run TestLiveBench -count 1 -timeout 30m -v >"$out" 2>&1 || { cat "$out"; exit 1; }
grep -v '^=== RUN\|^--- PASS\|^PASS\|^ok \|proxy error\|ReverseProxy' "$out" | grep -v 'delay_p50_s=' || true
grep 'delay_p50_s=' "$out" | tail -1
