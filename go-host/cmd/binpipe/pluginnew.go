package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
)

// scaffolds holds the project templates of plugin new, one directory per language.
//
//go:embed scaffold
var scaffolds embed.FS

// pluginName is what plugin new accepts as a project name (a Go module and a Rust crate).
var pluginName = regexp.MustCompile(`^[a-z][a-z0-9-]{0,63}$`)

// scaffoldData fills the templates.
type scaffoldData struct {
	Name  string // the plugin's name: DIR's base name
	Crate string // the Rust library's file name (dashes as underscores)
	SDK   string // the SDK's directory (--sdk), absolute; empty: the published package
}

// newPlugin writes a plugin project for lang ("go" or "rust") into dir, which must not exist
// or be empty.
func newPlugin(lang, dir, sdk string) error {
	if lang != "go" && lang != "rust" {
		return usagef(pluginSynopsis, "--lang %q: want go or rust", lang)
	}
	name := filepath.Base(filepath.Clean(dir))
	if !pluginName.MatchString(name) {
		return usagef(pluginSynopsis, "the directory's name %q must be a plugin name: lowercase letters, digits and dashes", name)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s exists and is not empty", dir)
	}
	data := scaffoldData{Name: name, Crate: strings.ReplaceAll(name, "-", "_")}
	if sdk != "" {
		abs, err := filepath.Abs(sdk)
		if err != nil {
			return err
		}
		data.SDK = abs
	}
	root := "scaffold/" + lang
	return fs.WalkDir(scaffolds, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		text, err := scaffolds.ReadFile(path)
		if err != nil {
			return err
		}
		t, err := template.New(path).Parse(string(text))
		if err != nil {
			return err
		}
		out := filepath.Join(dir, strings.TrimSuffix(strings.TrimPrefix(path, root+"/"), ".tmpl"))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		if err := t.Execute(f, data); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}
