package share

import (
	"bytes"
	"embed"
	"html/template"
	"regexp"
)

// Step 4 of the path: the page, one self-contained HTML file.

//go:embed page/page.html page/page.css page/page.js page/decrypt.js page/live.js
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
// front for an encrypted archive. live.js (the near-live view, which needs
// decrypt.js's camseal too) comes with every page: a live view can appear
// in the index after the page was made.
type pageCode struct{ css, js, decrypt, live []byte }

func loadPageCode() (pageCode, error) {
	var c pageCode
	var err error
	if c.css, err = pageFiles.ReadFile("page/page.css"); err != nil {
		return c, err
	}
	if c.js, err = pageFiles.ReadFile("page/page.js"); err != nil {
		return c, err
	}
	raw, err := pageFiles.ReadFile("page/live.js")
	if err != nil {
		return c, err
	}
	c.live = classicLive(raw)
	raw, err = pageFiles.ReadFile("page/decrypt.js")
	c.decrypt = classicScript(raw)
	return c, err
}

var importLine = regexp.MustCompile(`(?m)^import .*$`)

// classicLive turns live.js (an ES module importing decrypt.js) into a
// plain script defining camlive, given camseal.
func classicLive(module []byte) []byte {
	body := exportKeyword.ReplaceAll(importLine.ReplaceAll(module, nil), nil)
	var b bytes.Buffer
	b.WriteString("var camlive = (function (keyFromFragment, openSealed, SealError) {\n")
	b.Write(body)
	b.WriteString("\nreturn { startLive: startLive };\n})(camseal.keyFromFragment, camseal.openSealed, camseal.SealError);\n")
	return b.Bytes()
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
	js := bytes.Join([][]byte{code.decrypt, code.live, code.js}, []byte("\n"))
	if cfg.Sealed {
		title, cfg.Latest = "", nil // the title is in the sealed index
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
// the plain page and of an encrypted archive's (the same code now: every
// page carries decrypt.js for live.js).
func PageWeight() (plain, sealed int) {
	code, _ := loadPageCode()
	html, _ := pageFiles.ReadFile("page/page.html")
	plain = len(html) + len(code.css) + len(code.js) + len(code.live) + len(code.decrypt)
	return plain, plain
}
