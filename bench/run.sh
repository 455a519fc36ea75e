#!/usr/bin/env bash
# run.sh compares `camshare run` (every camera, shipping, one process) with the
# hand-made reference it replaces: one ffmpeg segmenter per camera (the command
# from issue 2) plus a cron-like loop of `rclone moveto` per closed file (Debian's
# rclone), both side by side on the same test cameras, shipping to the same
# WebDAV server (`rclone serve webdav`, not counted for either side).
# Prints CPU seconds (user+sys) and peak RSS of each side and the ratios.
#
#   ./bench/run.sh                       # 1 and 9 cameras, 120 s each
#   SECS=300 CAMS="1 4 9" ./bench/run.sh
#   FIXTURE=h264 ./bench/run.sh          # video only (default h264_pcma: G.711 → AAC on both sides)
#
# Segments are 10 s (SEGMENT) and the cron loop runs every 30 s (EVERY) so a
# short run ships something; the ratio is what matters, not the absolutes.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${SECS:-120}
cams=${CAMS:-"1 9"}
fixture=${FIXTURE:-h264_pcma}
segment=${SEGMENT:-10}
every=${EVERY:-30}

for tool in ffmpeg rclone /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool missing: run ./test.sh once (it installs them), and apt-get install time" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

CGO_ENABLED=0 go build -o "$work/camshare" .
base=$((20000 + ($$ % 400) * 50)) # a port range of our own: the machine is shared
export RCLONE_CONFIG=$work/none.conf

# bench N: one comparison with N cameras.
bench() {
	local n=$1 dir=$work/n$1 i
	mkdir -p "$dir/dav" "$dir/cs" "$dir/ref"
	local dav=$((base + 1))
	rclone serve webdav "$dir/dav" --addr "127.0.0.1:$dav" -q &
	pids+=($!)
	local urls=()
	for i in $(seq "$n"); do
		"$work/camshare" testcam --fixture "$fixture" --addr "127.0.0.1:$((base + 10 + i))" >"$dir/cam$i.url" 2>"$dir/cam$i.log" &
		pids+=($!)
	done
	for i in $(seq "$n"); do
		for _ in $(seq 100); do [ -s "$dir/cam$i.url" ] && break; sleep 0.1; done
		urls+=("$(head -1 "$dir/cam$i.url")")
		[ -n "${urls[$((i - 1))]}" ] || { cat "$dir/cam$i.log"; echo "test camera $i did not start" >&2; exit 1; }
	done
	for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$dav") 2>/dev/null && break; sleep 0.1; done
	local remote=":webdav,url='http://127.0.0.1:$dav/'"

	{
		echo "remote: \"$remote:camshare\""
		echo "dir: $dir/cs"
		echo "segment: ${segment}s"
		echo "live: off"
		echo "cameras:"
		for i in $(seq "$n"); do printf '  - name: cam%d\n    url: %s\n' "$i" "${urls[$((i - 1))]}"; done
	} >"$dir/camshare.yaml"

	# camshare: one process.
	/usr/bin/time -f '%U %S %M' -o "$dir/camshare.time" \
		timeout -s INT "$secs" "$work/camshare" run --config "$dir/camshare.yaml" --log-file "$dir/camshare.log" &
	local runpid=$!

	# Reference: one ffmpeg per camera...
	local ffpids=()
	for i in $(seq "$n"); do
		mkdir -p "$dir/ref/cam$i"
		(cd "$dir/ref/cam$i" && /usr/bin/time -f '%U %S %M' -o "$dir/ffmpeg$i.time" \
			timeout -s INT "$secs" ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i "${urls[$((i - 1))]}" -map 0 \
			-vcodec copy -acodec aac -b:a 48k -f segment -segment_time "$segment" -segment_atclocktime 1 \
			-segment_format mp4 -reset_timestamps 1 -strftime 1 %Y%m%dT%H%M%S%z.mp4 2>"$dir/ffmpeg$i.log") &
		ffpids+=($!)
	done
	# ...and cron: every $every s, move each closed file (all but the newest,
	# which ffmpeg is writing) to REMOTE/ref/CAM/YYYYMMDD/HH/ with one rclone each.
	cat >"$dir/cron.sh" <<-EOF
		end=\$((SECONDS + $secs))
		pass() {
		  for d in "$dir"/ref/cam*; do
		    cam=\${d##*/}
		    ls -1 "\$d"/*.mp4 2>/dev/null | sort | head -n -1 | while read -r f; do
		      name=\${f##*/}
		      rclone moveto -q "\$f" "$remote:ref/\$cam/\${name:0:8}/\${name:9:2}/\$name" || true
		    done
		  done
		}
		while [ \$SECONDS -lt \$end ]; do sleep $every; pass; done
	EOF
	/usr/bin/time -f '%U %S %M' -o "$dir/cron.time" bash "$dir/cron.sh" &
	local cronpid=$!

	wait "$runpid" || true
	for p in "${ffpids[@]}"; do wait "$p" || true; done
	wait "$cronpid" || true
	for f in "$dir"/*.time; do tail -1 "$f" >"$f.last" && mv "$f.last" "$f"; done

	local shipped_cs shipped_ref
	shipped_cs=$(find "$dir/dav/camshare" -name '*.mp4' 2>/dev/null | wc -l)
	shipped_ref=$(find "$dir/dav/ref" -name '*.mp4' 2>/dev/null | wc -l)
	[ "$shipped_cs" -gt 0 ] || { tail -20 "$dir/camshare.log"; echo "camshare shipped nothing" >&2; exit 1; }
	[ "$shipped_ref" -gt 0 ] || { echo "the reference shipped nothing" >&2; exit 1; }

	awk -v n="$n" -v secs="$secs" -v cs="$shipped_cs" -v rs="$shipped_ref" '
		FILENAME ~ /camshare.time$/ { ccpu = $1 + $2; crss = $3 / 1024; next }
		FILENAME ~ /cron.time$/     { rcpu = $1 + $2; rrss = $3 / 1024; next }
		{ fcpu += $1 + $2; frss += $3 / 1024; nf++ }
		END {
			printf "%d camera(s), %d s, %s segments:\n", n, secs, "'"${segment}s"'"
			printf "  camshare run            cpu %7.2f s   peak RSS %7.1f MiB   shipped %d\n", ccpu, crss, cs
			printf "  %d ffmpeg + cron rclone   cpu %7.2f s   peak RSS %7.1f MiB   shipped %d  (ffmpeg %.2f s / %.1f MiB summed, rclone loop %.2f s / %.1f MiB peak)\n", nf, fcpu + rcpu, frss + rrss, rs, fcpu, frss, rcpu, rrss
			printf "  ratio camshare/reference: CPU %.2f   RSS %.2f\n", ccpu / (fcpu + rcpu), crss / (frss + rrss)
		}' "$dir/camshare.time" "$dir/cron.time" "$dir"/ffmpeg*.time

	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	pids=()
}

echo "fixture $fixture (320x240 10 fps H.264), side by side on the same cameras"
for n in $cams; do bench "$n"; done
