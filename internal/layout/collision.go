package layout

// CollisionPath is where the n-th different file with a segment's name goes
// on the remote: STEM_n.mp4 beside where the name itself goes (n=0 is
// RemotePath). The shipper uses it when a different file already holds the
// name, so nothing is ever overwritten.
func (s *Scheme) CollisionPath(name string, n int) (string, error) {
	return s.RemotePath(s.Unique(name, n))
}
