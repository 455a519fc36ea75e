// Command recordprof records an RTSP stream with record.Run for a while
// under the CPU profiler, to find what costs camshare record its CPU:
//
//	go run ./bench/recordprof -url rtsp://127.0.0.1:8554/stream -secs 60 -cpuprofile cpu.out
//	go tool pprof -top cpu.out
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"time"

	"github.com/camshare/camshare/record"
)

func main() {
	url := flag.String("url", "", "RTSP stream")
	secs := flag.Int("secs", 60, "how long to record")
	dir := flag.String("dir", "", "folder (default: a temporary one, removed)")
	prof := flag.String("cpuprofile", "cpu.out", "CPU profile output")
	audio := flag.String("audio", "auto", "auto or none")
	flag.Parse()
	if *dir == "" {
		d, err := os.MkdirTemp("", "recordprof-")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	f, err := os.Create(*prof)
	if err != nil {
		fail(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(*secs)*time.Second)
	defer cancel()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	err = record.Run(ctx, record.Options{URL: *url, Dir: *dir, Log: log, Audio: *audio})
	pprof.StopCPUProfile()
	f.Close()
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "recordprof:", err)
	os.Exit(1)
}
