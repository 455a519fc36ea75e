package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/share"
)

// keyFlags find the archive key: --key-file, else the config's key_file,
// else archive.key next to the config.
type keyFlags struct {
	cfgPath, keyFile string
}

func (k *keyFlags) add(c *cobra.Command) {
	f := c.Flags()
	f.StringVarP(&k.cfgPath, "config", "c", "", "camshare config whose key to use (default $XDG_CONFIG_HOME/camshare/config.yaml)")
	f.StringVar(&k.keyFile, "key-file", "", "the archive key file (default: key_file in the config, else archive.key next to it)")
}

// load reads the existing archive key the flags name, and where it is.
func (k *keyFlags) load(g *globals) (string, *keys.Archive, error) {
	path, err := k.path(g)
	if err != nil {
		return "", nil, err
	}
	a, err := keys.Load(path)
	return path, a, err
}

func (k *keyFlags) path(g *globals) (string, error) {
	if k.keyFile != "" {
		return k.keyFile, nil
	}
	cfgPath, err := config.Find(k.cfgPath)
	if err != nil {
		return "", usageError{err}
	}
	if _, err := os.Stat(cfgPath); errors.Is(err, fs.ErrNotExist) && k.cfgPath == "" {
		return keys.PathFor(cfgPath), nil // no config: ship --encrypt's default
	}
	cfg, err := loadConfig(g, cfgPath, false)
	if err != nil {
		return "", err
	}
	return keys.ForConfig(cfg.KeyFile, cfg.Path), nil
}

func newKeyCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "key",
		Short: "Show, back up or import the key of an encrypted archive",
		Long: `With encrypt: true (or ship --encrypt) every segment is encrypted on this device
with the archive key before it is uploaded; the key never leaves the device.
Without it nobody can read the footage, you included: print it with
'camshare key show --qr' and keep it somewhere safe. 'camshare key import' puts a
kept key (or a passphrase) on a new device. See docs/encryption.md.`,
		Args: cobra.NoArgs,
	}
	c.AddCommand(newKeyShowCmd(g), newKeyImportCmd(g))
	return c
}

func newKeyShowCmd(g *globals) *cobra.Command {
	var (
		kf keyFlags
		qr bool
	)
	c := &cobra.Command{
		Use:   "show [--qr]",
		Short: "Print the archive key for safe keeping (marks it exported for doctor)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			path, a, err := kf.load(g)
			if err != nil {
				return err
			}
			text := keys.Encode(a.Key)
			fmt.Fprintf(g.stdout, "camshare archive key (%s). Keep it secret and keep a copy: without it the encrypted footage cannot be read.\n\n  %s\n\n", path, text)
			if a.Passphrase() {
				fmt.Fprintln(g.stdout, "It was made from your passphrase: the passphrase alone also recovers it ('camshare key import --passphrase --from').")
			}
			if qr {
				if err := share.WriteQR(g.stdout, text); err != nil {
					return err
				}
			}
			return keys.MarkExported(path)
		},
	}
	kf.add(c)
	c.Flags().BoolVar(&qr, "qr", false, "also print the key as a QR code (photograph it)")
	return c
}

func newKeyImportCmd(g *globals) *cobra.Command {
	var (
		kf         keyFlags
		passphrase bool
		from       string
		replace    bool
	)
	c := &cobra.Command{
		Use:   "import [--passphrase [--from SEALED]]",
		Short: "Put a kept key, or a key made from a passphrase, on this device",
		Long: `Reads the key (as 'camshare key show' printed it) from standard input, so it stays
out of the shell history. With --passphrase it reads a passphrase instead (at
least 20 characters, e.g. four or more random words) and makes the archive key from
it with argon2id; with --from it recovers the key of an existing archive from the
passphrase and one of its encrypted files (a local path or REMOTE:PATH), which
hold the salt. An existing different key is only replaced with --replace (it is
kept as KEYFILE.old: footage already encrypted with it needs it).`,
		Example: `  camshare key import < key.txt
  echo 'four random words here' | camshare key import --passphrase
  camshare key import --passphrase --from s3:bucket/cam1/20260101/10/20260101T100000+0000.mp4`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if from != "" && !passphrase {
				return usagef("key import: --from goes with --passphrase")
			}
			path, err := kf.path(g)
			if err != nil {
				return err
			}
			line, err := readSecretLine(c.InOrStdin())
			if err != nil {
				return err
			}
			a, err := importedKey(g, c, path, line, passphrase, from)
			if err != nil {
				return err
			}
			if err := saveImported(a, replace); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "archive key saved to %s\n", path)
			return keys.MarkExported(path) // the person already holds it
		},
	}
	kf.add(c)
	f := c.Flags()
	f.BoolVar(&passphrase, "passphrase", false, "read a passphrase and make the key from it")
	f.StringVar(&from, "from", "", "an encrypted file of the archive whose passphrase this is (local or REMOTE:PATH)")
	f.BoolVar(&replace, "replace", false, "replace a different existing key (the old one is kept as .old)")
	return c
}

func importedKey(g *globals, c *cobra.Command, path, line string, passphrase bool, from string) (*keys.Archive, error) {
	if !passphrase {
		k, err := keys.Decode(line)
		if err != nil {
			return nil, usagef("key import: %v", err)
		}
		return &keys.Archive{Path: path, Key: k}, nil
	}
	if from == "" {
		a, err := keys.NewPassphraseKey(path, line)
		if err != nil {
			return nil, usagef("key import: %v", err)
		}
		return a, nil
	}
	h, err := sealedHeader(g, c, from)
	if err != nil {
		return nil, err
	}
	k, err := keys.FromPassphrase(line, h.Salt)
	if err != nil {
		return nil, usagef("key import: %v", err)
	}
	if _, err := h.FileKey(k); err != nil {
		return nil, fmt.Errorf("key import: this passphrase does not open %s (%v)", from, err)
	}
	return &keys.Archive{Path: path, Key: k, Salt: h.Salt}, nil
}

func saveImported(a *keys.Archive, replace bool) error {
	old, err := keys.Load(a.Path)
	switch {
	case err != nil:
		if _, statErr := os.Stat(a.Path); !errors.Is(statErr, fs.ErrNotExist) {
			return err
		}
		return a.Save(false)
	case old.Key == a.Key:
		return a.Save(true) // same key; maybe now with its salt
	case !replace:
		return fmt.Errorf("key import: %s holds a different key (footage encrypted with it needs it); pass --replace to keep it as %s.old and use the new one", a.Path, a.Path)
	}
	if err := os.Rename(a.Path, a.Path+".old"); err != nil {
		return err
	}
	return a.Save(false)
}

// readSecretLine reads one line; the secret never goes to a log.
func readSecretLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return "", usagef("key import: nothing on standard input")
	}
	return line, nil
}
