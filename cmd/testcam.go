package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the testcam work.
func newTestcamCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "testcam",
		Short: "testcam (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("testcam: not built yet")
		},
	}
}
