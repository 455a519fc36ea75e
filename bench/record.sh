#!/bin/sh
# record.sh compares `camshare record` with the hand-made reference (ffmpeg's
# segmenter, G.711 → AAC at 48k, video copied) reading the same RTSP camera
# at the same time, for three streams: H.264 + G.711, H.264 only, H.265 +
# G.711. The camera is the built-in test camera (`camshare testcam`), whose
# fixtures are shaped like a real low-res substream (640x360, 15 fps,
# ~512 kbit/s, 2 s GOP, one slice per frame, G.711 in 40 ms packets).
#
# Steady state: CPU (user+sys, from /proc) is counted from WARM seconds after
# start (default 30) to the end, so start-up is left out; RSS is the resident
# size at the end, peak RSS the high-water mark. Targets: CPU ratio ≤ 0.5 and
# RSS ratio ≤ 0.8 for each stream.
#
#   ./bench/record.sh                      SECS=180 (default) for each stream
#   SECS=60 ./bench/record.sh              shorter
#   STREAMS="h264_pcma" ./bench/record.sh  one stream
#   PARALLEL=1 ./bench/record.sh           all streams at once (each pair still
#                                          shares its camera and its time)
set -eu
cd "$(dirname "$0")/.."
secs=${SECS:-180}
warm=${WARM:-30}
streams=${STREAMS:-"h264_pcma h264 h265_pcma"}
[ "$secs" -gt "$warm" ] || { echo "SECS ($secs) must exceed WARM ($warm)" >&2; exit 2; }
command -v ffmpeg >/dev/null || { echo "record.sh needs ffmpeg (./test.sh installs it)" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
	for p in "$work"/*/cam.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
CGO_ENABLED=0 go build -o "$work/camshare" .

# cpu PID: user+sys clock ticks so far.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# mem PID FIELD: VmRSS or VmHWM in KiB.
mem() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# run_pair FIXTURE: one camera, camshare and ffmpeg recording it side by side.
run_pair() {
	fx=$1
	d="$work/$fx"
	mkdir -p "$d/camshare" "$d/ffmpeg"
	"$work/camshare" testcam --fixture "$fx" --addr 127.0.0.1:0 >"$d/cam.url" 2>"$d/cam.log" &
	echo $! >"$d/cam.pid"
	for _ in $(seq 100); do [ -s "$d/cam.url" ] && break; sleep 0.1; done
	url=$(head -1 "$d/cam.url")
	[ -n "$url" ] || { cat "$d/cam.log"; echo "test camera $fx did not start" >&2; return 1; }
	(cd "$d/camshare" && exec "$work/camshare" record --url "$url" --dir . --segment 5m 2>"$d/camshare.log") &
	cs=$!
	# The README's reference command (-map 0: every track; -acodec aac where there is audio).
	(cd "$d/ffmpeg" && exec ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i "$url" -map 0 \
		-vcodec copy -acodec aac -b:a 48k -f segment -segment_time 300 -segment_atclocktime 1 \
		-segment_format mp4 -reset_timestamps 1 -strftime 1 %Y%m%dT%H%M%S%z.mp4 2>"$d/ffmpeg.log") &
	ff=$!
	sleep "$warm"
	c0=$(cpu $cs) f0=$(cpu $ff)
	sleep $((secs - warm))
	c1=$(cpu $cs) f1=$(cpu $ff)
	echo "$fx $((c1 - c0)) $((f1 - f0)) $(mem $cs VmRSS) $(mem $ff VmRSS) $(mem $cs VmHWM) $(mem $ff VmHWM)" >"$d/result"
	kill -INT $cs $ff
	wait $cs $ff || true
	kill "$(cat "$d/cam.pid")" 2>/dev/null || true
	for f in "$d"/camshare/*.mp4; do
		out=$(ffmpeg -nostdin -v error -i "$f" -f null - 2>&1) || true
		[ -z "$out" ] || { echo "camshare segment $f does not decode: $out" >&2; return 1; }
	done
}

echo "record.sh: ${secs}s per stream, CPU counted after ${warm}s of warm-up; camshare and ffmpeg read the same camera"
if [ -n "${PARALLEL:-}" ]; then
	pids=""
	for fx in $streams; do run_pair "$fx" & pids="$pids $!"; done
	for p in $pids; do wait "$p"; done
else
	for fx in $streams; do run_pair "$fx"; done
fi

hz=$(getconf CLK_TCK)
fail=0
printf '%-10s %10s %10s %6s  %9s %9s %6s  %s\n' stream camshare ffmpeg CPU camshare ffmpeg RSS "peak RSS camshare/ffmpeg"
for fx in $streams; do
	read -r name c f crss frss chwm fhwm <"$work/$fx/result"
	line=$(awk -v n="$name" -v c="$c" -v f="$f" -v hz="$hz" -v s=$((secs - warm)) -v cr="$crss" -v fr="$frss" -v ch="$chwm" -v fh="$fhwm" 'BEGIN {
		printf "%-10s %8.2fs %8.2fs %6.2f  %6.1fMiB %6.1fMiB %6.2f  %.1f/%.1f MiB (%.2f)", n, c / hz, f / hz, c / f, cr / 1024, fr / 1024, cr / fr, ch / 1024, fh / 1024, ch / fh
	}')
	echo "$line"
	awk -v c="$c" -v f="$f" -v cr="$crss" -v fr="$frss" 'BEGIN { exit !(c / f > 0.5 || cr / fr > 0.8) }' && fail=1
done
echo "(CPU seconds over the last $((secs - warm)) s; targets: CPU ratio <= 0.50, RSS ratio <= 0.80)"
[ $fail -eq 0 ] || { echo "camshare misses a target" >&2; exit 1; }
