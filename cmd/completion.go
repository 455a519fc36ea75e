package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCompletionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:       "completion bash|zsh|fish|powershell",
		Short:     "Print a shell completion script",
		Long:      "Print a shell completion script. The same scripts ship in completions/ of every release archive.\n\n  bash:  source <(camshare completion bash)\n  zsh:   camshare completion zsh > \"${fpath[1]}/_camshare\"\n  fish:  camshare completion fish > ~/.config/fish/completions/camshare.fish",
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		RunE: func(c *cobra.Command, args []string) error {
			root, out := c.Root(), c.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(out)
			}
			return usagef("completion: unknown shell %q (want bash, zsh, fish or powershell)", args[0])
		},
	}
}

var _ = fmt.Sprint
