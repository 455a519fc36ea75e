package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the ship work.
func newShipCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "ship",
		Short: "ship (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("ship: not built yet")
		},
	}
}
