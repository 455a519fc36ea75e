#!/usr/bin/env bash
# camshare prune vs `rclone delete --min-age 30d` + `rclone rmdirs` (Debian's
# rclone) on the same 40-day × 288-segment archive in rclone's in-process S3
# server; prints wall time and HTTP requests (counted by a proxy in front of
# each server) and their ratios. RUNS=3 repeats it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v rclone >/dev/null || { echo "rclone missing: run ./test.sh once (it installs Debian's rclone)" >&2; exit 1; }
go test ./bench/prune/ -run '^$' -bench PruneVsRclone -benchtime "${RUNS:-1}x" -count 1 -timeout 30m -v
