// Package resolver makes name lookups work where Go's own resolver cannot
// find a name server. Android has no /etc/resolv.conf, so a static Go binary
// falls back to [::1]:53 and every lookup fails ("lookup … on [::1]:53:
// connection refused"). Termux keeps a resolv.conf under $PREFIX/etc; a user
// can also name a server with --dns. Setting net.DefaultResolver covers
// every dial in the process, rclone's HTTP clients included, since their
// net.Dialer has no resolver of its own.
package resolver

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// systemResolvConf is where Go's resolver looks for name servers (a
// variable so tests can play Android, which has none).
var systemResolvConf = "/etc/resolv.conf"

// Choice says which name servers were chosen and why.
type Choice struct {
	Servers []string // host:port; empty = Go's default resolver left alone
	Source  string   // "--dns", a resolv.conf path, or "system"
}

// Choose picks the name servers: flag ("1.1.1.1", "1.1.1.1:53",
// "[2606:4700::1111]", comma-separated) wins; else, when the system has no
// resolv.conf, $PREFIX/etc/resolv.conf (Termux); else the system's own.
func Choose(flag string) (Choice, error) {
	if strings.TrimSpace(flag) != "" {
		var servers []string
		for _, s := range strings.Split(flag, ",") {
			hp, err := hostPort(strings.TrimSpace(s))
			if err != nil {
				return Choice{}, fmt.Errorf("--dns %q: %v", flag, err)
			}
			servers = append(servers, hp)
		}
		return Choice{Servers: servers, Source: "--dns"}, nil
	}
	if _, err := os.Stat(systemResolvConf); err == nil {
		return Choice{Source: "system"}, nil
	}
	if prefix := os.Getenv("PREFIX"); prefix != "" {
		path := filepath.Join(prefix, "etc", "resolv.conf")
		if servers, err := ReadResolvConf(path); err == nil && len(servers) > 0 {
			return Choice{Servers: servers, Source: path}, nil
		}
	}
	return Choice{Source: "system"}, nil
}

// hostPort accepts an IP with or without a port. Names are refused: a name
// server named by a name cannot be looked up.
func hostPort(s string) (string, error) {
	host, port := s, "53"
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
	}
	host = strings.Trim(host, "[]")
	if net.ParseIP(host) == nil {
		return "", fmt.Errorf("%q is not an IP address", s)
	}
	return net.JoinHostPort(host, port), nil
}

// ReadResolvConf returns the nameserver lines of a resolv.conf as host:port.
func ReadResolvConf(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var servers []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "nameserver" {
			if hp, err := hostPort(fields[1]); err == nil {
				servers = append(servers, hp)
			}
		}
	}
	return servers, sc.Err()
}

// Install makes the chosen servers the process's resolver. With no servers
// it changes nothing.
func Install(c Choice) {
	if len(c.Servers) == 0 {
		return
	}
	net.DefaultResolver = New(c.Servers)
}

// New is a pure-Go resolver that sends every query to servers, taking the
// next one on each dial so Go's retries fail over between them.
func New(servers []string) *net.Resolver {
	var next atomic.Uint64
	d := net.Dialer{Timeout: 5 * time.Second}
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			s := servers[int(next.Add(1)-1)%len(servers)]
			return d.DialContext(ctx, network, s)
		},
	}
}

// Setup chooses and installs; it is what the root command's hook calls.
func Setup(flag string) (Choice, error) {
	c, err := Choose(flag)
	if err != nil {
		return c, err
	}
	Install(c)
	return c, nil
}
