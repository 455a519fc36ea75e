package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the run work.
func newRunCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "run (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("run: not built yet")
		},
	}
}
