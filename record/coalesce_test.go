package record

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// TestCoalescingConnGulps: a camera's trickle of small packets reaches the
// reader in about one read a second, in order and whole; after a silence
// the first byte still gets through at once (the socket's low-water mark
// is lowered before the reader waits); the end of the stream arrives.
func TestCoalescingConnGulps(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c
		}
	}()
	l := newLink()
	c, err := coalescingDialer(l)(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	srv := <-accepted
	defer srv.Close()
	l.coalesce.Store(true)

	const packets, size = 100, 1000
	lateSent := make(chan time.Time, 1)
	go func() {
		for i := range packets {
			srv.Write(bytes.Repeat([]byte{byte(i)}, size))
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(2500 * time.Millisecond)
		lateSent <- time.Now()
		srv.Write([]byte("late"))
		time.Sleep(1500 * time.Millisecond)
		srv.Close()
	}()

	var got []byte
	reads := 0
	buf := make([]byte, 1<<20)
	for len(got) < packets*size {
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("after %d bytes: %v", len(got), err)
		}
		got = append(got, buf[:n]...)
		reads++
	}
	for i := range packets {
		if p := got[i*size : (i+1)*size]; !bytes.Equal(p, bytes.Repeat([]byte{byte(i)}, size)) {
			t.Fatalf("packet %d arrived changed or out of order", i)
		}
	}
	// 2 s of packets: the first read, then about one a second (100 reads
	// without coalescing; a margin for a slow machine's timing).
	if reads > 6 {
		t.Fatalf("%d reads for 2 s of packets, want about one a second", reads)
	}

	n, err := io.ReadFull(c, buf[:4])
	arrived := time.Now()
	if err != nil || string(buf[:n]) != "late" {
		t.Fatalf("after the silence: %q, %v", buf[:n], err)
	}
	if d := arrived.Sub(<-lateSent); d > 300*time.Millisecond {
		t.Fatalf("the first byte after a silence took %v to reach the reader", d)
	}
	if _, err := c.Read(buf); !errors.Is(err, io.EOF) {
		t.Fatalf("at the end of the stream: %v, want EOF", err)
	}
	t.Logf("%d bytes in %d reads", len(got), reads)
}
