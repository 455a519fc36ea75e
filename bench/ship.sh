#!/usr/bin/env bash
# camshare ship vs the cron reference (`rclone moveto --no-traverse` per file,
# Debian's rclone) against one rclone S3 server: rename→remote latency
# (p50/p95 over 25 segments) and CPU seconds for 20 segments, with the ratio
# (also for one `camshare ship --once` process, start-up included).
# RUNS=3 repeats it; SHIPBENCH_MIB=1 uses 1 MiB segments instead of 4.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v rclone >/dev/null || { echo "rclone missing: run ./test.sh once (it installs Debian's rclone)" >&2; exit 1; }
go test ./bench/ship/ -run '^$' -bench BenchmarkShip -benchtime "${RUNS:-1}x" -count 1 -timeout 30m
