package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/walk"
	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/seal"
)

func newDecryptCmd(g *globals) *cobra.Command {
	var (
		kf         keyFlags
		ro         remote.Options
		out        string
		passphrase bool
	)
	c := &cobra.Command{
		Use:   "decrypt SRC [--out DIR]",
		Short: "Turn encrypted footage (a file, a folder or a remote path) back into plain MP4s",
		Long: `decrypt reads encrypted segments from SRC (one file, a local folder, or
REMOTE:PATH, a folder or a file) and writes the plain MP4s under --out, keeping
the folders below SRC (YYYYMMDD/HH/NAME.mp4). Each file is checked chunk by
chunk: a damaged or cut-short file is reported and left out, never written
half. Files that are not encrypted (an index.html) are skipped. The key is the
archive key of the config (or --key-file); with --passphrase it is made from a
passphrase read from standard input and the salt in the files. The format is
in docs/encryption.md, so footage is never locked in camshare.`,
		Example: `  camshare decrypt s3:bucket/cam1/20260101 --out ./footage
  camshare decrypt ./download/20260101T100000+0000.mp4 --key-file ./archive.key
  echo 'my long passphrase words' | camshare decrypt b2:bucket/cam1 --passphrase --out ./all`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			log, err := g.logger()
			if err != nil {
				return usagef("%v", err)
			}
			ctx, err := remote.Setup(c.Context(), ro, log)
			if err != nil {
				return err
			}
			items, err := sealedItems(ctx, args[0])
			if err != nil {
				return err
			}
			var key func(*seal.Header) (seal.Key, error)
			if passphrase {
				line, err := readSecretLine(c.InOrStdin())
				if err != nil {
					return err
				}
				key = func(h *seal.Header) (seal.Key, error) { return keys.FromPassphrase(line, h.Salt) }
			} else {
				_, a, err := kf.load(g)
				if err != nil {
					return err
				}
				key = func(*seal.Header) (seal.Key, error) { return a.Key, nil }
			}
			return decryptAll(ctx, g, items, out, key)
		},
	}
	kf.add(c)
	f := c.Flags()
	f.StringVarP(&out, "out", "o", ".", "folder to write the plain MP4s to")
	f.BoolVar(&passphrase, "passphrase", false, "read the archive's passphrase from standard input instead of using a key file")
	f.StringVar(&ro.ConfigPath, "rclone-config", "", "rclone config file (default $RCLONE_CONFIG or rclone's own default)")
	return c
}

// sealedItem is one object to decrypt and its path below SRC.
type sealedItem struct {
	obj fs.Object
	rel string
}

// sealedItems resolves SRC: a file (local or remote), else every object in
// the folder and below.
func sealedItems(ctx context.Context, spec string) ([]sealedItem, error) {
	if st, err := os.Stat(spec); err == nil && !st.IsDir() {
		return oneObject(ctx, filepath.Dir(spec), filepath.Base(spec))
	}
	if _, err := os.Stat(spec); err != nil && strings.Contains(spec, ":") && path.Ext(spec) != "" {
		dir, base := splitRemote(spec)
		if items, err := oneObject(ctx, dir, base); err == nil {
			return items, nil
		}
	}
	f, err := remote.Open(ctx, spec)
	if err != nil {
		return nil, err
	}
	var items []sealedItem
	err = walk.ListR(ctx, f, "", true, -1, walk.ListObjects, func(entries fs.DirEntries) error {
		for _, e := range entries {
			if o, ok := e.(fs.Object); ok {
				items = append(items, sealedItem{obj: o, rel: o.Remote()})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("decrypt: listing %s: %v", remote.Printable(spec), err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("decrypt: nothing found at %s", remote.Printable(spec))
	}
	return items, nil
}

func oneObject(ctx context.Context, dir, base string) ([]sealedItem, error) {
	f, err := remote.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	o, err := f.NewObject(ctx, base)
	if err != nil {
		return nil, fmt.Errorf("decrypt: %s: %v", base, err)
	}
	return []sealedItem{{obj: o, rel: base}}, nil
}

// splitRemote splits REMOTE:DIR/NAME into REMOTE:DIR and NAME.
func splitRemote(spec string) (string, string) {
	colon := strings.LastIndex(spec, ":")
	i := strings.LastIndex(spec, "/")
	if i < colon {
		return spec[:colon+1], spec[colon+1:]
	}
	return spec[:i], spec[i+1:]
}

// decryptAll writes each sealed item's plaintext under out; one bad file
// does not stop the others, but makes the command fail.
func decryptAll(ctx context.Context, g *globals, items []sealedItem, out string, key func(*seal.Header) (seal.Key, error)) error {
	var written, skipped, failed int
	for _, it := range items {
		dst := filepath.Join(out, filepath.FromSlash(it.rel))
		err := decryptOne(ctx, it.obj, dst, key)
		switch {
		case errors.Is(err, seal.ErrNotSealed):
			skipped++
		case err != nil:
			failed++
			fmt.Fprintf(g.stderr, "camshare: %s: %v\n", it.rel, err)
		default:
			written++
			fmt.Fprintln(g.stdout, dst)
		}
	}
	if failed > 0 {
		return fmt.Errorf("decrypt: %d file(s) could not be decrypted (%d written, %d not encrypted skipped)", failed, written, skipped)
	}
	if written == 0 {
		return fmt.Errorf("decrypt: no encrypted files among the %d found", len(items))
	}
	return nil
}

// decryptOne streams one object through the decrypter into DST.tmp and
// renames it only when every chunk authenticated.
func decryptOne(ctx context.Context, o fs.Object, dst string, key func(*seal.Header) (seal.Key, error)) error {
	r, err := o.Open(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	h, err := seal.ReadHeader(r)
	if err != nil {
		return err
	}
	archive, err := key(h)
	if err != nil {
		return err
	}
	file, err := h.FileKey(archive)
	if errors.Is(err, seal.ErrWrongKey) {
		return errors.New("wrong key: this file was encrypted with another archive key")
	}
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp := dst + ".tmp"
	w, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, h.Open(r, file))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, dst)
}

// sealedHeader reads the header of the first encrypted file at spec (for
// key import --passphrase --from).
func sealedHeader(g *globals, c *cobra.Command, spec string) (*seal.Header, error) {
	log, err := g.logger()
	if err != nil {
		return nil, usagef("%v", err)
	}
	ctx, err := remote.Setup(c.Context(), remote.Options{}, log)
	if err != nil {
		return nil, err
	}
	items, err := sealedItems(ctx, spec)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		r, err := it.obj.Open(ctx)
		if err != nil {
			return nil, err
		}
		h, err := seal.ReadHeader(r)
		r.Close()
		if err == nil {
			return h, nil
		}
	}
	return nil, fmt.Errorf("key import: no encrypted file at %s", remote.Printable(spec))
}
