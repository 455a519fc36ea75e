package completions_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/camshare/camshare/cmd"
)

// completionFiles maps each shell to the committed script in completions/.
var completionFiles = map[string]string{
	"bash":       "camshare.bash",
	"zsh":        "_camshare",
	"fish":       "camshare.fish",
	"powershell": "camshare.ps1",
}

// TestCompletionsUpToDate regenerates every completion script from the
// command tree and compares it with the committed one. Run with
// CAMSHARE_UPDATE_COMPLETIONS=1 to rewrite them.
func TestCompletionsUpToDate(t *testing.T) {
	update := os.Getenv("CAMSHARE_UPDATE_COMPLETIONS") != ""
	for shell, file := range completionFiles {
		var out, errOut bytes.Buffer
		root := cmd.NewRoot(&out, &errOut)
		root.SetArgs([]string{"completion", shell})
		if err := root.Execute(); err != nil {
			t.Fatalf("completion %s: %v %s", shell, err, errOut.String())
		}
		path := file
		if update {
			if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		committed, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run: CAMSHARE_UPDATE_COMPLETIONS=1 go test -run TestCompletionsUpToDate ./completions/)", err)
		}
		if !bytes.Equal(committed, out.Bytes()) {
			t.Errorf("%s is stale (run: CAMSHARE_UPDATE_COMPLETIONS=1 go test -run TestCompletionsUpToDate ./completions/)", path)
		}
	}
}

// The completion scripts ask the binary itself (cobra's __complete) for
// command and flag names, so they follow the tree; check that the tree they
// will see holds every user-facing command.
func TestCompletionSeesCommandTree(t *testing.T) {
	var out, errOut bytes.Buffer
	root := cmd.NewRoot(&out, &errOut)
	root.SetArgs([]string{"__complete", ""})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"record", "ship", "share", "prune", "run", "status", "doctor", "demo", "completion"} {
		if !bytes.Contains(out.Bytes(), []byte("\n"+want+"\t")) && !bytes.HasPrefix(out.Bytes(), []byte(want+"\t")) {
			t.Errorf("completion does not offer %q:\n%s", want, out.String())
		}
	}
	if bytes.Contains(out.Bytes(), []byte("testcam")) {
		t.Errorf("hidden test command offered in completion")
	}
}
