package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the init work.
func newInitCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "init (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("init: not built yet")
		},
	}
}
