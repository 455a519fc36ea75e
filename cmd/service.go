package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the service work.
func newServiceCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "service",
		Short: "service (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("service: not built yet")
		},
	}
}
