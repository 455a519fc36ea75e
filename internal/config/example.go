package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Example is the commented file `camshare init` writes. It parses as is
// (a test keeps it so) once the password variable is set.
const Example = `# camshare configuration. Check it with: camshare doctor
# Durations: 90s, 5m, 36h, 30d, 4w.  Sizes: 500MB, 20GB, 1TiB.

# rclone's config file for the remote below (default: $RCLONE_CONFIG, then
# rclone's usual ~/.config/rclone/rclone.conf).
# rclone_config: ~/.config/rclone/rclone.conf

# Where footage goes: REMOTE:FOLDER. Each camera gets FOLDER/CAMERA/YYYYMMDD/HH/.
remote: mycloud:cameras

# Local recordings, one folder per camera, kept until shipped. Keep this
# under $HOME on Android (shared storage is slow and misses file events).
dir: ~/camshare
# Stop keeping unshipped footage beyond this (oldest goes first), and keep
# this much disk free, so an outage never fills the phone.
max_local: 5GB
min_free: 1GB

# Defaults for every camera (each camera can override them).
segment: 5m        # segment length; cuts fall on the clock (12:00, 12:05, ...)
audio: auto        # auto: keep audio (G.711 becomes AAC) | none
transport: tcp     # tcp (best for cheap cameras) | udp | auto

cameras:
  - name: door                     # letters, digits, . _ - (it becomes a folder)
    url: rtsp://admin@192.168.1.10:554/stream1
    password_env: CAMSHARE_DOOR_PASSWORD   # or password_file: ~/.config/camshare/door.pass
  # - name: garden
  #   url: rtsp://admin@192.168.1.11:554/h264Preview_01_main
  #   password_file: ~/.config/camshare/garden.pass
  #   segment: 10m
  #   audio: none
  #   only_active: true      # upload only segments with activity (docs/activity.md);
  #   keep_inactive: 24h     # the rest stay on the device this long
  #   timelapse_every: 0     # no day's timelapse (default 60s: one picture a minute)

# Naming under each camera folder (the defaults match ffmpeg -strftime +
# rclone moveto set-ups, so old archives continue).
layout:
  name: "%Y%m%dT%H%M%S%z.mp4"
  dir: "%Y%m%d/%H"
  utc: false

# What stays on the remote, per camera. Pruned every hour.
retention:
  keep: 30d          # delete footage older than this
  min_keep: 12       # but always keep the newest 12 segments, even if older
  # max_size: 100GB  # and keep each camera's folder under this
  every: 1h

# The family page: an index.html per camera on the remote, refreshed after
# every upload, with links that expire (S3 links: at most 7d).
live:
  enabled: true
  expire: 7d
  window: 1h         # the page plays the last hour and follows new footage
  title: Our cameras
`

// WriteExample writes Example to path, creating its folder. It refuses to
// overwrite an existing file unless force.
func WriteExample(path string, force bool) error {
	if !force {
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%q already exists (use --force to overwrite it)", path)
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	// 0600: the file may later hold paths to password files and remote names.
	return os.WriteFile(path, []byte(Example), 0o600)
}
