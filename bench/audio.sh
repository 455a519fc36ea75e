#!/usr/bin/env bash
# Compares the CPU cost of camshare's pure-Go G.711 -> AAC-LC transcoder
# (package audio) with the reference `ffmpeg -c:a aac -b:a 48k` on the same
# 60 s of camera-like G.711 (synthetic speech over pink noise), and prints
# the ratio. Each side runs $RUNS times (default 5), alternating; the fastest
# run counts, which is the least disturbed by other load. A 1 s run of each measures
# process start-up, so the steady-state ratio (what a recorder running for
# hours pays per second of audio) is printed too.
#
#   bench/audio.sh            # A-law
#   LAW=mulaw bench/audio.sh  # µ-law
set -euo pipefail
cd "$(dirname "$0")/.."

law=${LAW:-alaw}
runs=${RUNS:-5}
seconds=60
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go test -c -o "$tmp/audio.test" ./record/internal/audio/

sentence="Someone is at the front door. The parcel was left on the porch at ten past three. The dog barked twice and then the car drove away. "
for _ in $(seq 1 $((1 + seconds / 8))); do printf '%s' "$sentence"; done >"$tmp/text.txt"
ffmpeg -nostdin -v error -f lavfi -i "flite=textfile=$tmp/text.txt:voice=slt" \
  -f lavfi -i "anoisesrc=color=pink:amplitude=0.03:sample_rate=8000" \
  -filter_complex "[0:a]aresample=8000,apad[s];[s][1:a]amix=inputs=2:duration=first:normalize=0" \
  -t "$seconds" -f "$law" -ar 8000 -ac 1 "$tmp/in.$law"
head -c 8000 "$tmp/in.$law" >"$tmp/short.$law"

# cpu CMD...: user+system CPU seconds of CMD (bash's time keyword; no extra tools).
cpu() {
  local TIMEFORMAT='%U %S'
  { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ printf "%.3f", $1 + $2 }'
}
camshare() { # input output
  CAMSHARE_AUDIO_IN="$1" CAMSHARE_AUDIO_OUT="$2" "$tmp/audio.test" -test.run '^TestTranscodeFile$' -test.count=1
}
reference() { # input output
  ffmpeg -nostdin -v error -y -f "$law" -ar 8000 -ac 1 -i "$1" -c:a aac -b:a 48k "$2"
}
# Runs alternate between the two sides so changing load on a shared machine
# hits both alike; the fastest run of each counts.
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
go_full="" ff_full="" go_start="" ff_start=""
for _ in $(seq "$runs"); do
  go_full=$(min "$go_full" "$(cpu camshare "$tmp/in.$law" "$tmp/go.aac")")
  ff_full=$(min "$ff_full" "$(cpu reference "$tmp/in.$law" "$tmp/ff.m4a")")
  go_start=$(min "$go_start" "$(cpu camshare "$tmp/short.$law" "$tmp/go-short.aac")")
  ff_start=$(min "$ff_start" "$(cpu reference "$tmp/short.$law" "$tmp/ff-short.m4a")")
done

# Both outputs must be real AAC-LC of the right length, or the numbers mean nothing.
for f in "$tmp/go.aac" "$tmp/ff.m4a"; do
  ffmpeg -nostdin -v error -xerror -i "$f" -f null - ||
    { echo "audio.sh: $f does not decode" >&2; exit 1; }
done
probe=$(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name,profile,sample_rate -of csv=p=0 "$tmp/go.aac")
[ "$probe" = "aac,LC,8000" ] || { echo "audio.sh: camshare output is $probe, want aac,LC,8000" >&2; exit 1; }
samples=$(ffmpeg -nostdin -v error -i "$tmp/go.aac" -f s16le - | wc -c)
[ $((samples / 2)) -ge $((seconds * 8000)) ] || { echo "audio.sh: camshare output too short" >&2; exit 1; }

awk -v gf="$go_full" -v ff="$ff_full" -v gs="$go_start" -v fs="$ff_start" -v s="$seconds" -v law="$law" -v runs="$runs" 'BEGIN {
  printf "G.711 (%s) -> AAC-LC, %d s of camera-like audio, CPU seconds (user+sys), best of %d\n", law, s, runs
  printf "  %-32s %7.3f s  (1 s input: %.3f s)\n", "camshare audio (pure Go, 48k)", gf, gs
  printf "  %-32s %7.3f s  (1 s input: %.3f s)\n", "ffmpeg -c:a aac -b:a 48k", ff, fs
  printf "  ratio camshare/ffmpeg, whole run:      %.2f\n", gf / ff
  gd = gf - gs; fd = ff - fs
  if (gd > 0 && fd > 0)
    printf "  ratio per audio second (no start-up): %.2f  (camshare %.2f ms/s, ffmpeg %.2f ms/s)\n", gd / fd, 1000 * gd / (s - 1), 1000 * fd / (s - 1)
}'
