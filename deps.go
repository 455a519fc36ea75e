//go:build deps

// This file pins modules that packages under construction will import, so
// parallel work never races on go.mod. Delete it once every one is imported.
package main

import (
	_ "github.com/bluenviron/gortsplib/v4"
	_ "github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/rclone/rclone/cmd/serve/s3"
	_ "github.com/rclone/rclone/cmd/serve/sftp"
	_ "github.com/rclone/rclone/cmd/serve/webdav"
	_ "github.com/rclone/rclone/fs/operations"
	_ "github.com/rclone/rclone/fs/rc"
	_ "github.com/tphakala/go-aac"
	_ "gopkg.in/yaml.v3"
	_ "rsc.io/qr"
)
