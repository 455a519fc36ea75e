package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the status work.
func newStatusCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "status (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("status: not built yet")
		},
	}
}
