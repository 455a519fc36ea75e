package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the share work.
func newShareCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "share",
		Short: "share (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("share: not built yet")
		},
	}
}
