#!/bin/sh
# make-fixtures.sh regenerates the test camera's fixtures in internal/testcam/fixtures/
# (embedded into the testcam package). Run from anywhere: ./testdata/make-fixtures.sh
#
# Each fixture is ~10 s of 10 fps video with a keyframe every second (GOP 10,
# no B-frames so decode order is presentation order) plus, where named, a sine
# tone with a beep every second. Raw formats keep packetizing trivial:
#   *.h264 / *.h265        Annex-B, an AUD before every access unit, SPS/PPS(/VPS)
#                          repeated in-band at every IDR
#   tone.alaw / tone.mulaw raw G.711, 8 kHz mono
#   tone.aac               ADTS AAC-LC, 48 kHz mono
#   mjpeg.mjpeg            concatenated baseline JPEG frames
# Single-threaded encoders keep reruns byte-identical (or nearly so).
set -eu
cd "$(dirname "$0")/../internal/testcam/fixtures"

ff="ffmpeg -nostdin -hide_banner -loglevel error -y"
dur=10
video="testsrc2=size=320x240:rate=10"
tone="sine=frequency=440:beep_factor=4:sample_rate=8000"
x264="-c:v libx264 -threads 1 -preset veryfast -profile:v main -pix_fmt yuv420p -b:v 90k -maxrate 120k -bufsize 120k
 -x264-params keyint=10:min-keyint=10:scenecut=0:bframes=0:repeat-headers=1:aud=1
 -bsf:v filter_units=remove_types=6"

h264() { # h264 OUT LAVFI-SOURCE [extra args]
	out=$1 src=$2
	shift 2
	$ff -f lavfi -i "$src" "$@" $x264 -an -f h264 "$out"
}

rm -f ./*.h264 ./*.h265 ./*.alaw ./*.mulaw ./*.aac ./*.mjpeg

# Fixtures share streams (internal/testcam/fixture.go maps fixture names to files):
# h264_pcma = h264.h264 + tone.alaw, h265_pcma = h265.h265 + tone.alaw, ...
h264 h264.h264 "$video:duration=$dur"

$ff -f lavfi -i "$tone:duration=$dur" -c:a pcm_alaw -ar 8000 -ac 1 -f alaw tone.alaw
$ff -f lavfi -i "$tone:duration=$dur" -c:a pcm_mulaw -ar 8000 -ac 1 -f mulaw tone.mulaw
# AAC at 48 kHz: one 1024-sample access unit is 21 ms, one per RTP packet.
$ff -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=$dur" \
	-c:a aac -b:a 32k -ar 48000 -ac 1 -f adts tone.aac

# H.265 with VPS/SPS/PPS at every IDR.
$ff -f lavfi -i "$video:duration=$dur" -an -c:v libx265 -preset veryfast -pix_fmt yuv420p -b:v 90k \
	-x265-params keyint=10:min-keyint=10:scenecut=0:bframes=0:repeat-headers=1:aud=1:frame-threads=1:pools=none:wpp=0:log-level=error:info=0 \
	-f hevc h265.h265

# The SPS changes half-way: 320x240 for 5 s, then 240x160 for 5 s (the picture
# and its timer continue). Both halves carry SPS/PPS at each IDR.
half=$((dur / 2))
h264 spschange-a.h264 "$video:duration=$half"
h264 spschange-b.h264 "testsrc2=size=240x160:rate=10:duration=$dur" -vf "trim=start=$half,setpts=PTS-STARTPTS"
cat spschange-a.h264 spschange-b.h264 >h264_spschange.h264
rm spschange-a.h264 spschange-b.h264

# MJPEG: a codec the recorder does not support (its error path). Small frames.
$ff -f lavfi -i "testsrc2=size=160x120:rate=10:duration=$dur" -an -c:v mjpeg -pix_fmt yuvj420p -q:v 24 \
	-huffman default -f mjpeg mjpeg.mjpeg

ls -l
du -ch . | tail -1
