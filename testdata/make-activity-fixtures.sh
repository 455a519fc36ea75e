#!/bin/sh
# make-activity-fixtures.sh makes the fixtures of the activity test
# (record/internal/activity) in testdata/activity/: scenes encoded the way a
# cheap camera encodes them, with the seconds a person would call "something
# happened" written down beside them in truth.txt. Run from anywhere:
# ./testdata/make-activity-fixtures.sh
#
# Camera-like x264: 640x360, 15 fps, a key frame every 2 s (GOP 30, no scene
# cut, no B-frames), "VBR with a cap" as camera menus call it: constant
# quality up to 512 kbit/s. Like a camera's hardware encoder it has no
# look-ahead, no macroblock tree and no weighted prediction (x264's weighted
# prediction codes a change of brightness almost for free; cameras' chips
# do not). Raw Annex-B with an AUD before every access unit.
#
# The scene is a still picture (the first picture of ffmpeg's testsrc2: flat
# areas, edges, text, like a room) with temporal sensor noise; the night scene is the same picture dark,
# grey and much noisier. A moving object is a patch of detail (a test
# pattern, changing as it goes, like a walking person) crossing the picture.
set -eu
cd "$(dirname "$0")/activity"

ff="ffmpeg -nostdin -hide_banner -loglevel error -y"
dur=40
x264="-c:v libx264 -threads 1 -preset veryfast -profile:v main -pix_fmt yuv420p -crf 28 -maxrate 512k -bufsize 1024k
 -x264-params keyint=30:min-keyint=30:scenecut=0:bframes=0:weightp=0:mbtree=0:rc-lookahead=0:repeat-headers=1:aud=1
 -bsf:v filter_units=remove_types=6"
still="testsrc2=size=640x360:rate=15,trim=end_frame=1,loop=loop=-1:size=1,setpts=N/15/TB"
day="noise=alls=6:allf=t"
dark="hue=s=0,eq=brightness=-0.25:contrast=0.5"
lit="hue=s=0,eq=brightness=-0.1:contrast=0.8"
night="noise=alls=10:allf=t"

# cross T0 T1 W H LOOK LOOK-OF-OBJECT NOISE: the object moving left to right
# across the picture between seconds T0 and T1; LOOK is applied to the
# picture, LOOK-OF-OBJECT to the object (at night an IR lamp lights what is
# near the camera more than the scene), NOISE after they are joined.
cross() {
	echo "[0:v]$5[bg];[1:v]$6[fg];[bg][fg]overlay=x='-$3+(t-$1)*(640+$3)/($2-$1)':y=(H-h)/2:enable='between(t,$1,$2)',$7"
}

scene() { # scene OUT FILTERGRAPH-AFTER-STILL [object W H]
	out=$1 graph=$2
	if [ $# -gt 2 ]; then
		$ff -f lavfi -i "$still,trim=duration=$dur" -f lavfi -i "testsrc2=size=$3x$4:rate=15" \
			-filter_complex "$graph" -t $dur $x264 -an -f h264 "$out"
	else
		$ff -f lavfi -i "$still,trim=duration=$dur" -vf "$graph" -t $dur $x264 -an -f h264 "$out"
	fi
}

rm -f ./*.h264 truth.txt

scene static.h264 "$day"
scene crossing.h264 "$(cross 12 18 80 160 null null "$day")" 80 160
scene light.h264 "$day,eq=brightness='if(gte(t,25.5),-0.2*exp(-(t-25.5)/0.6),if(gte(t,13.5),0.2*exp(-(t-13.5)/0.6),0))':eval=frame"
scene night.h264 "$dark,$night"
scene nightmotion.h264 "$(cross 15 23 100 200 "$dark" "$lit" "$night")" 100 200

# truth.txt: FIXTURE SECONDS — the seconds (from the start, [from,to) ranges)
# with something to look at. A light goes on at 13.5 s and off at 25.5 s, and
# the camera's auto exposure brings the picture back to its usual brightness
# within about two seconds each time, as cameras do (the steps fall between
# key frames, which come at even seconds; see docs/activity.md for a change
# that falls on one).
cat >truth.txt <<'TRUTH'
static
crossing 12-18
light 13-15 25-27
night
nightmotion 15-23
TRUTH

ls -l
du -ch . | tail -1
