package share

import (
	"bytes"
	"embed"
	"html/template"
	"regexp"
)

// Step 4 of the path: the page, one self-contained HTML file.

//go:embed page/page.html page/page.css page/page.js page/decrypt.js
var pageFiles embed.FS

var pageTemplate = template.Must(template.ParseFS(pageFiles, "page/page.html"))

// pageConfig is what the page's script starts from (CAMSHARE). The page
// embeds latest.json as it was when written, so it shows something even if
// nothing else can be fetched; opened, it asks LatestURL first. An
// encrypted archive's page embeds nothing (not even the title): it is
// the same page code for every share, all it knows comes sealed.
type pageConfig struct {
	Latest    *latest `json:"latest"`
	LatestURL string  `json:"latestURL"`          // presigned or relative link to latest.json
	Script    bool    `json:"script,omitempty"`   // documents are .js scripts (a page opened from disk)
	Relative  bool    `json:"relative,omitempty"` // links are relative to the page
	Sealed    bool    `json:"sealed,omitempty"`   // documents and footage are sealed: the key is in the fragment
}

// pageCode is the page's own code: CSS, and its script with decrypt.js in
// front for an encrypted archive.
type pageCode struct{ css, js, decrypt []byte }

func loadPageCode() (pageCode, error) {
	var c pageCode
	var err error
	if c.css, err = pageFiles.ReadFile("page/page.css"); err != nil {
		return c, err
	}
	if c.js, err = pageFiles.ReadFile("page/page.js"); err != nil {
		return c, err
	}
	raw, err := pageFiles.ReadFile("page/decrypt.js")
	c.decrypt = classicScript(raw)
	return c, err
}

var exportKeyword = regexp.MustCompile(`(?m)^export `)

// classicScript turns decrypt.js (an ES module, so its test imports it)
// into a plain script defining camseal: inline module scripts can't share
// names, and the page must work opened from disk too.
func classicScript(module []byte) []byte {
	body := exportKeyword.ReplaceAll(module, nil)
	var b bytes.Buffer
	b.WriteString("var camseal = (function () {\n")
	b.Write(body)
	b.WriteString("\nreturn { keyFromFragment: keyFromFragment, openSealed: openSealed, SealError: SealError };\n})();\n")
	return b.Bytes()
}

func renderPage(title string, cfg pageConfig) ([]byte, error) {
	code, err := loadPageCode()
	if err != nil {
		return nil, err
	}
	js := code.js
	if cfg.Sealed {
		title, cfg.Latest = "", nil // the title is in the sealed index
		js = append(append(bytes.Clone(code.decrypt), '\n'), js...)
	}
	if title == "" {
		title = "Camera"
	}
	var buf bytes.Buffer
	err = pageTemplate.Execute(&buf, map[string]any{
		"Title":  title,
		"CSS":    template.CSS(code.css),
		"JS":     template.JS(js),
		"Config": cfg,
	})
	return buf.Bytes(), err
}

// PageWeight is the page's own code (HTML template, CSS, JS) in bytes, of
// the plain page and of an encrypted archive's (with decrypt.js).
func PageWeight() (plain, sealed int) {
	code, _ := loadPageCode()
	html, _ := pageFiles.ReadFile("page/page.html")
	plain = len(html) + len(code.css) + len(code.js)
	return plain, plain + len(code.decrypt)
}
