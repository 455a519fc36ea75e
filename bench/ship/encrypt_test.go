package shipbench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/logging"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/ship"
)

// BenchmarkShipEncrypt: upload CPU (user+system of this process; the S3
// server is a child) for the same N segments shipped plain and encrypted,
// alternating twice so neither side gets the warm caches, and the ratio
// (target ≤ 1.2).
func BenchmarkShipEncrypt(b *testing.B) {
	sc := scheme(b)
	spec, _ := server(b)
	ctx, err := remote.Setup(context.Background(), remote.Options{
		ConfigPath: filepath.Join(b.TempDir(), "none.conf"), Transfers: 2, LowLevelRetries: 3,
	}, logging.Discard())
	if err != nil {
		b.Fatal(err)
	}
	archive, err := keys.LoadOrCreate(filepath.Join(b.TempDir(), keys.FileName))
	if err != nil {
		b.Fatal(err)
	}
	src := b.TempDir()
	start := time.Date(2024, 3, 23, 10, 0, 0, 0, time.UTC)
	var names []string
	for i := 0; i < cpuN; i++ {
		name, _ := write(b, src, sc, start, i)
		names = append(names, name)
	}
	shipOnce := func(round int, enc *keys.Archive) time.Duration {
		dir := b.TempDir()
		for _, n := range names {
			data, _ := os.ReadFile(filepath.Join(src, n))
			os.WriteFile(filepath.Join(dir, n), data, 0o644)
		}
		kind := "plain"
		if enc != nil {
			kind = "sealed"
		}
		dest, err := remote.Open(ctx, fmt.Sprintf("%s/%s-%d", spec, kind, round))
		if err != nil {
			b.Fatal(err)
		}
		before := cpu(syscall.RUSAGE_SELF)
		s, err := ship.New(ship.Options{Sources: []ship.Source{{Dir: dir, Dest: dest, Encrypt: enc}}, Scheme: sc, Once: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Run(ctx); err != nil {
			b.Fatal(err)
		}
		return cpu(syscall.RUSAGE_SELF) - before
	}
	for run := 0; run < b.N; run++ {
		var plain, sealed time.Duration
		for round := 0; round < 2; round++ {
			plain += shipOnce(run*2+round, nil)
			sealed += shipOnce(run*2+round, archive)
		}
		ratio := sealed.Seconds() / plain.Seconds()
		fmt.Printf("ship %d × %d MiB to S3, CPU (2 rounds): plain %.2fs, encrypted %.2fs, ratio %.2f (target ≤ 1.2)\n",
			cpuN, segSize>>20, plain.Seconds(), sealed.Seconds(), ratio)
		b.ReportMetric(ratio, "enc/plain")
	}
}
