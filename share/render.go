package share

import (
	"bytes"
	"embed"
	"html/template"
)

// Step 4 of the path: the page, one self-contained HTML file.

//go:embed page/page.html page/page.css page/page.js
var pageFiles embed.FS

var pageTemplate = template.Must(template.ParseFS(pageFiles, "page/page.html"))

// pageConfig is what the page's script starts from (CAMSHARE). The page
// embeds latest.json as it was when written, so it shows something even if
// nothing else can be fetched; opened, it asks LatestURL first.
type pageConfig struct {
	Latest    *latest `json:"latest"`
	LatestURL string  `json:"latestURL"`          // presigned or relative link to latest.json
	Script    bool    `json:"script,omitempty"`   // documents are .js scripts (a page opened from disk)
	Relative  bool    `json:"relative,omitempty"` // links are relative to the page
}

func renderPage(title string, cfg pageConfig) ([]byte, error) {
	css, err := pageFiles.ReadFile("page/page.css")
	if err != nil {
		return nil, err
	}
	js, err := pageFiles.ReadFile("page/page.js")
	if err != nil {
		return nil, err
	}
	if title == "" {
		title = "Camera"
	}
	var buf bytes.Buffer
	err = pageTemplate.Execute(&buf, map[string]any{
		"Title":  title,
		"CSS":    template.CSS(css),
		"JS":     template.JS(js),
		"Config": cfg,
	})
	return buf.Bytes(), err
}

// PageWeight is the page's own code (HTML template, CSS, JS) in bytes.
func PageWeight() int {
	n := 0
	for _, name := range []string{"page/page.html", "page/page.css", "page/page.js"} {
		b, _ := pageFiles.ReadFile(name)
		n += len(b)
	}
	return n
}
