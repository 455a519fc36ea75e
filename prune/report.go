package prune

import "time"

// Report is Result as scripts read it (prune --json); field names are
// stable.
type Report struct {
	DryRun       bool       `json:"dry_run"`
	DeletedFiles int        `json:"deleted_files"`
	DeletedBytes int64      `json:"deleted_bytes"`
	Days         int        `json:"days"`
	Oldest       *time.Time `json:"oldest,omitempty"`
	Newest       *time.Time `json:"newest,omitempty"`
	Failed       []string   `json:"failed"`
	KeptActive   int        `json:"kept_active,omitempty"`
	Cold         int        `json:"cold,omitempty"`
	ColdTier     string     `json:"cold_tier,omitempty"`
	Seconds      float64    `json:"seconds"`
	Error        string     `json:"error,omitempty"`
}

// Report describes r, and runErr if the run failed part way.
func (r Result) Report(runErr error) Report {
	out := Report{DryRun: r.DryRun, DeletedFiles: r.DeletedFiles, DeletedBytes: r.DeletedBytes,
		Days: r.Days, Failed: r.Failed, Seconds: r.Took.Seconds(), KeptActive: r.KeptActive, Cold: r.Cold, ColdTier: r.ColdTier}
	if out.Failed == nil {
		out.Failed = []string{}
	}
	if !r.Oldest.IsZero() {
		out.Oldest, out.Newest = &r.Oldest, &r.Newest
	}
	if runErr != nil {
		out.Error = runErr.Error()
	}
	return out
}
