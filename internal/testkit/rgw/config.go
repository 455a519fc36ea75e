package rgw

import (
	"fmt"
	"strings"
)

// config is the cluster's one ceph.conf, read by every daemon and tool.
//
// Cephx is off everywhere (auth ... required = none). radosgw alone also
// asks for a "secure" monitor connection by default, a mode only cephx
// offers: without `ms mon client mode = crc` it loops on "send_auth_request
// ... returned -13" against a cluster that has auth off.
func config(dir, fsid string, monPort, rgwPort int) string {
	lines := []string{
		"[global]",
		"fsid = " + fsid,
		fmt.Sprintf("mon host = v2:127.0.0.1:%d", monPort),
		"mon initial members = a",
		"public addr = 127.0.0.1",
		"cluster addr = 127.0.0.1",
		"ms bind ipv6 = false",
		"auth cluster required = none",
		"auth service required = none",
		"auth client required = none",
		"ms mon client mode = crc",
		"run dir = " + dir + "/run",
		"crash dir = " + dir + "/crash",
		"admin socket = " + dir + "/run/$name.$pid.asok",
		"log file = " + dir + "/log/$name.log",
		"pid file = " + dir + "/run/$name.pid",
		"mon data = " + dir + "/mon/$id",
		"osd data = " + dir + "/osd/$id",
		// One OSD: pools of one copy, few placement groups, no health
		// warnings or disk-space shutdowns that a test machine would hit.
		"osd pool default size = 1",
		"osd pool default min size = 1",
		"osd pool default pg num = 8",
		"osd pool default pgp num = 8",
		"osd pool default pg autoscale mode = off",
		"mon allow pool size one = true",
		"mon warn on pool no redundancy = false",
		"mon max pg per osd = 1000",
		"mon data avail warn = 1",
		"mon data avail crit = 0",
		"osd crush chooseleaf type = 0",
		"osd objectstore = memstore",
		"memstore device bytes = 1073741824",
		"osd op num shards = 1",
		"osd op num threads per shard = 2",
		"",
		"[client.rgw]",
		fmt.Sprintf("rgw frontends = beast endpoint=127.0.0.1:%d", rgwPort),
		"rgw data = " + dir + "/rgw",
		"rgw thread pool size = 32",
		"rgw rados pool pg num min = 8",
	}
	return strings.Join(lines, "\n") + "\n"
}
