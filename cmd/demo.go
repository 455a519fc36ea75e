package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the demo work.
func newDemoCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "demo (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("demo: not built yet")
		},
	}
}
