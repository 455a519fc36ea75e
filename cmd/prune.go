package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the prune work.
func newPruneCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "prune",
		Short: "prune (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("prune: not built yet")
		},
	}
}
