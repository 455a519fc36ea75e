#!/bin/sh
# activity.sh measures what activity scoring, sidecars and the day's
# timelapse cost the recorder: `camshare record` as it runs by default
# (activity on, one timelapse picture a minute) and with --no-activity
# --timelapse-every 0, on the same RTSP stream in the same run, side by
# side. It prints CPU seconds (user+sys) of each and the ratio on/off.
# Target: <= 1.05.
#
#   ./bench/activity.sh [SECONDS] [FIXTURE]     (defaults: 120 h264_pcma)
set -eu
cd "$(dirname "$0")/.."
secs=${1:-120}
fixture=${2:-h264_pcma}

if [ ! -x /usr/bin/time ]; then
	apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

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
echo "stream: $url ($fixture), ${secs}s, both recorders side by side, 1 min segments"

measure() { # NAME COMMAND...
	name=$1
	shift
	mkdir -p "$work/$name-out"
	(cd "$work/$name-out" && /usr/bin/time -f '%U %S %M' -o "$work/$name.time" \
		timeout -s INT "$secs" "$@" 2>"$work/$name.log") || true
	tail -1 "$work/$name.time" >"$work/$name.t" && mv "$work/$name.t" "$work/$name.time"
}
measure on "$work/camshare" record --url "$url" --dir . --segment 1m &
p1=$!
measure off "$work/camshare" record --url "$url" --dir . --segment 1m --no-activity --timelapse-every 0 &
p2=$!
wait $p1 $p2 || true

for n in on off; do
	awk -v n="$n" -v mp4="$(ls "$work/$n-out" | grep -c 'mp4$')" -v json="$(ls "$work/$n-out" | grep -c 'json$')" \
		'{ printf "activity+timelapse %-4s cpu %6.2fs (user %s sys %s)  peak RSS %6.1f MiB  segments %s sidecars %s\n", n, $1 + $2, $1, $2, $3 / 1024, mp4, json }' "$work/$n.time"
done
ratio=$(awk 'NR == FNR { a = $1 + $2; next } { printf "%.3f", a / ($1 + $2) }' "$work/on.time" "$work/off.time")
echo "ratio activity+timelapse on/off: CPU $ratio (target <= 1.05)"
if awk -v r="$ratio" 'BEGIN { exit !(r > 1.05) }'; then
	echo "activity and timelapse miss the CPU target" >&2
	exit 1
fi
