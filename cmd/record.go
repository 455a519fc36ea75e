package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the record work.
func newRecordCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "record",
		Short: "record (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("record: not built yet")
		},
	}
}
