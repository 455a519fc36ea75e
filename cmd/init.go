package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/config"
)

func newInitCmd(g *globals) *cobra.Command {
	var (
		cfgPath string
		force   bool
	)
	c := &cobra.Command{
		Use:   "init",
		Short: "Write a commented example config to edit",
		Long: `init writes a commented example camshare.yaml (default
$XDG_CONFIG_HOME/camshare/config.yaml) to edit, then check with 'camshare doctor'.
It never overwrites an existing file without --force.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			path, err := config.Find(cfgPath)
			if err != nil {
				return usageError{err}
			}
			if err := config.WriteExample(path, force); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "wrote %s\nedit it, then run: camshare doctor%s\n", path, configArg(cfgPath))
			return nil
		},
	}
	c.Flags().StringVarP(&cfgPath, "config", "c", "", "where to write (default $XDG_CONFIG_HOME/camshare/config.yaml)")
	c.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return c
}

func configArg(path string) string {
	if path == "" {
		return ""
	}
	return " --config " + path
}
