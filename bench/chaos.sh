#!/usr/bin/env bash
# Issue 11's chaos run (bench/chaos): `camshare run` with three test cameras
# and rclone's S3 server while a seeded schedule restarts and freezes
# cameras, takes the remote down and up, SIGKILLs camshare and starts it
# again, and fills the disk past min_free; then every file is decoded and
# the footage compared with each camera's timeline. Prints seconds recorded
# per seconds up, seconds lost per fault, undecodable files, duplicates,
# files left locally, unshipped deletions and credentials found in the logs;
# fails if a target of the issue is missed.
#
#   sudo ./bench/chaos.sh              # 600 s (needs root: the disk is a tmpfs of its own)
#   SECS=1800 SEED=7 ./bench/chaos.sh
#
# The test suite runs the same test for 120 s (each fault once).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${SECS:-600}
for tool in ffmpeg ffprobe; do
	command -v "$tool" >/dev/null || { echo "chaos.sh: $tool missing: run ./test.sh once (it installs it)" >&2; exit 1; }
done
CHAOS_SECS=$secs CHAOS_SEED=${SEED:-1} go test ./bench/chaos -run '^TestChaos$' -count=1 -v -timeout "$((secs + 2400))s"
