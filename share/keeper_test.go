package share

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Item 6 for run: the keeper's own page is made once footage exists and
// renewed before its link expires (same page, same share; on S3 a new
// presigned link, which status shows), so there is always a working link.
func TestKeeperRenewsOwnPage(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a := newArchiveS3(t, ctx)
	now := time.Now().UTC().Truncate(time.Second)
	a.add(t, ctx, minutes(now, 2, 1)...)
	var mu sync.Mutex
	var got []*Published
	k := &Keeper{Dest: a.f, Scheme: a.s, Own: &Options{Window: time.Hour, Expire: 16 * time.Second, Title: "Garden", Owner: "run"},
		OnPage: func(p *Published) { mu.Lock(); got = append(got, p); mu.Unlock() }}
	go k.Run(ctx)
	first := func() *Published {
		for ctx.Err() == nil {
			mu.Lock()
			if len(got) > 0 {
				p := got[0]
				mu.Unlock()
				return p
			}
			mu.Unlock()
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("no page made")
		return nil
	}()
	var renewed *Published
	for renewed == nil && time.Now().Before(first.Expires) {
		mu.Lock()
		for _, p := range got {
			if p.URL != first.URL {
				renewed = p
			}
		}
		mu.Unlock()
		time.Sleep(200 * time.Millisecond)
	}
	if renewed == nil || renewed.ID != first.ID || !renewed.Expires.After(first.Expires) {
		t.Fatalf("not renewed before expiry: first %+v renewed %+v", first, renewed)
	}
	time.Sleep(time.Until(first.Expires) + time.Second)
	for url, want := range map[string]int{first.URL: http.StatusForbidden, renewed.URL: http.StatusOK} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %.80s…: %d, want %d", url, resp.StatusCode, want)
		}
	}
	if pages, _ := List(ctx, a.f, nil); len(pages) != 1 {
		t.Errorf("renewal made %d shares, want the same one", len(pages))
	}
}
