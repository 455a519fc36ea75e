package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// STUB: replaced by the doctor work.
func newDoctorCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "doctor (not built yet)",
		RunE: func(c *cobra.Command, args []string) error {
			return errors.New("doctor: not built yet")
		},
	}
}
