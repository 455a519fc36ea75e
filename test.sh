#!/usr/bin/env bash
# Runs camshare's whole test suite. Installs what the tests use (ffmpeg and
# ffprobe to decode every segment, browsers to play pages, espeak-ng for the
# audio quality test's speech, Debian's rclone and qemu-user for the reference
# benchmarks and cross-build smoke tests, Ceph's RADOS Gateway for the S3
# access rules)
# when missing, so it works on a fresh Debian/Ubuntu machine (as root, or
# with sudo).
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || need+=(ffmpeg)
command -v chromium >/dev/null || need+=(chromium)
command -v firefox-esr >/dev/null || need+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || need+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || need+=(xvfb)
command -v pulseaudio >/dev/null || need+=(pulseaudio)
for p in gstreamer1.0-libav gstreamer1.0-plugins-good gstreamer1.0-plugins-bad espeak-ng; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
done
command -v rclone >/dev/null || need+=(rclone)
command -v qemu-aarch64 >/dev/null || need+=(qemu-user)
command -v zbarimg >/dev/null || need+=(zbar-tools)
# Ceph's RADOS Gateway: the S3 server that enforces ACLs and presigned
# expiry (internal/testkit/rgw).
command -v ceph-mon >/dev/null || need+=(ceph-mon)
command -v ceph-osd >/dev/null || need+=(ceph-osd)
command -v radosgw >/dev/null || need+=(radosgw)
command -v radosgw-admin >/dev/null || need+=(ceph-common)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

go mod download
go vet ./...
# One package at a time (-p 1): the browser, camera and live-view tests measure
# delays, and two packages of browsers on 2 cores make them miss for load alone.
go test -p 1 -timeout 40m -count=1 "$@" ./...

# Every fuzz target also fuzzes a while (not only its seeds) when the whole
# suite runs. The budgets are counts of inputs, about ten seconds each on a
# 2-core machine, not durations: with -fuzztime as a duration Go's fuzz
# coordinator can fail a clean run with "context deadline exceeded" when the
# time runs out while a worker is busy (golang/go#75804, fixed after go1.26).
# A count sets no deadline, so that failure cannot happen.
# FUZZSCALE=6 ./test.sh fuzzes six times as many inputs.
if [ $# -eq 0 ]; then
  for target in ./internal/layout:FuzzTime:500000 ./internal/config:FuzzParse:15000 \
    ./internal/redact:FuzzSecret:80000 ./internal/remote:FuzzSpec:25000 \
    ./internal/seal:FuzzDecrypt:40000 ./share:FuzzParseTime:18000 \
    ./record/internal/segment:FuzzScan:500000 ./record/internal/segment:FuzzRecover:10000; do
    IFS=: read -r pkg name count <<<"$target"
    go test -run '^$' -fuzz "^${name}\$" -fuzztime "$((count * ${FUZZSCALE:-1}))x" "$pkg"
  done
fi
