#!/bin/sh
# make-fixtures.sh regenerates the test camera's fixtures in internal/testcam/fixtures/
# (embedded into the testcam package). Run from anywhere: ./testdata/make-fixtures.sh
#
# Each fixture is 10 s shaped like a real camera's low-res substream: 640x360
# at 15 fps, ~512 kbit/s, a keyframe every 2 s (GOP 30), no B-frames (decode
# order is presentation order), one slice per frame; H.264 is Constrained
# Baseline. Audio is what cameras send: a beeping tone over room noise.
# Raw formats keep packetizing trivial:
#   *.h264 / *.h265        Annex-B, an AUD before every access unit, SPS/PPS(/VPS)
#                          repeated in-band at every IDR
#   room.alaw / room.mulaw raw G.711, 8 kHz mono (the camera sends 40 ms packets)
#   room.aac               ADTS AAC-LC, 16 kHz mono, 32 kbit/s
#   room.l16               raw big-endian 16-bit LPCM (RTP L16), 16 kHz mono
#   room.mp3               MPEG-2 Layer III frames (MP3 at a camera's rate), 16 kHz mono, 32 kbit/s
#   room.opus              Ogg Opus, 48 kHz mono, 20 ms packets, 32 kbit/s
#   mjpeg.mjpeg            concatenated baseline JPEG frames
# Single-threaded encoders keep reruns byte-identical (or nearly so).
set -eu
cd "$(dirname "$0")/../internal/testcam/fixtures"

ff="ffmpeg -nostdin -hide_banner -loglevel error -y"
dur=10
video="testsrc2=size=640x360:rate=15"
rate="-b:v 512k -maxrate 600k -bufsize 1000k"
x264="-c:v libx264 -threads 1 -preset veryfast -profile:v baseline -pix_fmt yuv420p $rate
 -x264-params keyint=30:min-keyint=30:scenecut=0:bframes=0:slices=1:repeat-headers=1:aud=1
 -bsf:v filter_units=remove_types=6"

h264() { # h264 OUT LAVFI-SOURCE [extra args]
	out=$1 src=$2
	shift 2
	$ff -f lavfi -i "$src" "$@" $x264 -an -f h264 "$out"
}
# room RATE: a 440 Hz tone that beeps every second over pink room noise.
room() {
	echo "sine=frequency=440:beep_factor=4:sample_rate=$1:duration=$dur[t];anoisesrc=color=pink:amplitude=0.02:sample_rate=$1:duration=$dur:seed=7[n];[t][n]amix=inputs=2:normalize=0"
}

rm -f ./*.h264 ./*.h265 ./*.alaw ./*.mulaw ./*.aac ./*.l16 ./*.mp3 ./*.opus ./*.mjpeg

# Fixtures share streams (internal/testcam/fixture.go maps fixture names to files):
# h264_pcma = h264.h264 + room.alaw, h265_pcma = h265.h265 + room.alaw, ...
h264 h264.h264 "$video:duration=$dur"

$ff -f lavfi -i "$(room 8000)" -c:a pcm_alaw -ar 8000 -ac 1 -f alaw room.alaw
$ff -f lavfi -i "$(room 8000)" -c:a pcm_mulaw -ar 8000 -ac 1 -f mulaw room.mulaw
# AAC as cameras send it: 16 kHz mono; one 1024-sample access unit (64 ms) per RTP packet.
$ff -f lavfi -i "$(room 16000)" -c:a aac -b:a 32k -ar 16000 -ac 1 -f adts room.aac
$ff -f lavfi -i "$(room 16000)" -c:a pcm_s16be -ar 16000 -ac 1 -f s16be room.l16
$ff -f lavfi -i "$(room 16000)" -c:a libmp3lame -b:a 32k -ar 16000 -ac 1 -write_xing 0 -id3v2_version 0 -f mp3 room.mp3
$ff -f lavfi -i "$(room 48000)" -c:a libopus -b:a 32k -frame_duration 20 -ac 1 -f ogg room.opus

# H.265 (Main) with VPS/SPS/PPS at every IDR, one slice per frame.
$ff -f lavfi -i "$video:duration=$dur" -an -c:v libx265 -preset veryfast -pix_fmt yuv420p $rate \
	-x265-params keyint=30:min-keyint=30:scenecut=0:bframes=0:repeat-headers=1:aud=1:frame-threads=1:pools=none:wpp=0:slices=1:log-level=error:info=0 \
	-f hevc h265.h265

# The SPS changes mid-pass: 640x360 for 4 s, then 320x180 for 6 s (the
# picture and its timer continue; both halves are whole GOPs). Both halves
# carry SPS/PPS at each IDR.
h264 spschange-a.h264 "$video:duration=4"
h264 spschange-b.h264 "testsrc2=size=320x180:rate=15:duration=$dur" -vf "trim=start=4,setpts=PTS-STARTPTS"
cat spschange-a.h264 spschange-b.h264 >h264_spschange.h264
rm spschange-a.h264 spschange-b.h264

# MJPEG: a codec the recorder does not support (its error path). Small frames.
$ff -f lavfi -i "testsrc2=size=128x72:rate=15:duration=$dur" -an -c:v mjpeg -pix_fmt yuvj420p -q:v 31 \
	-huffman default -f mjpeg mjpeg.mjpeg

ls -l
du -ch . | tail -1
