#!/bin/sh
# record.sh compares `camshare record` with the hand-made reference set-up
# (ffmpeg's segmenter, G.711 → AAC) on the same RTSP stream in the same run:
# CPU seconds (user+sys) and peak RSS of each, and the camshare/ffmpeg ratios.
# Target: camshare CPU ≤ 0.5× ffmpeg's.
#
#   ./bench/record.sh [SECONDS] [FIXTURE]     (defaults: 60 h264_pcma)
#
# Both recorders read the built-in test camera (`camshare testcam`) at the
# same time; each is stopped with SIGINT, as a service manager would.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
fixture=${2:-h264_pcma}

if [ ! -x /usr/bin/time ]; then
	apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
command -v ffmpeg >/dev/null || { apt-get update >/dev/null && apt-get install -y ffmpeg >/dev/null; }

work=$(mktemp -d)
cleanup() {
	[ -n "${cam:-}" ] && kill "$cam" 2>/dev/null && wait "$cam" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

CGO_ENABLED=0 go build -o "$work/camshare" .
port=$(( 20000 + $$ % 20000 ))
"$work/camshare" testcam --fixture "$fixture" --addr "127.0.0.1:$port" >"$work/cam.url" 2>"$work/cam.log" &
cam=$!
for _ in $(seq 50); do [ -s "$work/cam.url" ] && break; sleep 0.1; done
url=$(head -1 "$work/cam.url")
[ -n "$url" ] || { cat "$work/cam.log"; echo "test camera did not start" >&2; exit 1; }
echo "stream: $url ($fixture), ${secs}s each, side by side"

# One recorder run under GNU time: %U user s, %S system s, %M peak RSS KiB
# (of the recorder, which timeout waits for). timeout's exit status 124 adds
# a "Command exited" line, so the figures are the file's last line.
measure() { # NAME COMMAND...
	name=$1
	shift
	mkdir -p "$work/$name-out"
	(cd "$work/$name-out" && /usr/bin/time -f '%U %S %M' -o "$work/$name.time" \
		timeout -s INT "$secs" "$@" 2>"$work/$name.log") || true
	tail -1 "$work/$name.time" >"$work/$name.t" && mv "$work/$name.t" "$work/$name.time"
}
# The reference command and camshare, plus the same two without audio: the
# second pair shows the recording path alone, the difference is the cost
# of G.711 → AAC. All four read the stream at once.
measure camshare "$work/camshare" record --url "$url" --dir . --segment 5m &
p1=$!
measure ffmpeg ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i "$url" -map 0 \
	-vcodec copy -acodec aac -b:a 48k -f segment -segment_time 300 -segment_atclocktime 1 \
	-segment_format mp4 -reset_timestamps 1 -strftime 1 %Y%m%dT%H%M%S%z.mp4 &
p2=$!
measure camshare-video "$work/camshare" record --url "$url" --dir . --segment 5m --audio none &
p3=$!
measure ffmpeg-video ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i "$url" -map 0:v \
	-vcodec copy -f segment -segment_time 300 -segment_atclocktime 1 \
	-segment_format mp4 -reset_timestamps 1 -strftime 1 %Y%m%dT%H%M%S%z.mp4 &
p4=$!
wait $p1 $p2 $p3 $p4 || true

report() { # NAME
	awk -v n="$1" -v files="$(ls "$work/$1-out" | wc -l)" '{ printf "%-15s cpu %6.2fs (user %s sys %s)  peak RSS %6.1f MiB  files %s\n", n, $1 + $2, $1, $2, $3 / 1024, files }' "$work/$1.time"
}
ratio() { # A B FIELD-EXPR: A/B
	awk "NR == FNR { a = $3; next } { printf \"%.3f\", a / ($3) }" "$work/$1.time" "$work/$2.time"
}
for n in camshare ffmpeg camshare-video ffmpeg-video; do report $n; done
cpu_ratio=$(ratio camshare ffmpeg '$1 + $2')
echo "ratio camshare/ffmpeg:             CPU $cpu_ratio (target <= 0.50)  peak RSS $(ratio camshare ffmpeg '$3')"
echo "ratio without audio (video copy):  CPU $(ratio camshare-video ffmpeg-video '$1 + $2')  peak RSS $(ratio camshare-video ffmpeg-video '$3')"
for f in "$work"/camshare-out/*.mp4; do
	out=$(ffmpeg -nostdin -v error -i "$f" -f null - 2>&1) || true
	[ -z "$out" ] || { echo "camshare segment $f does not decode: $out" >&2; exit 1; }
done
if awk -v r="$cpu_ratio" 'BEGIN { exit !(r > 0.5) }'; then
	echo "camshare misses the CPU target" >&2
	exit 1
fi
