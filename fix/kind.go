package fix

import (
	"bytes"
	"path"
	"strings"
)

// Kind is the kind of file a fix rewrites; it decides the reference style.
type Kind string

const (
	KindPython    Kind = "python"    // .py source
	KindNotebook  Kind = "notebook"  // Jupyter .ipynb
	KindWorkflow  Kind = "workflow"  // GitHub Actions workflow
	KindManifest  Kind = "manifest"  // Kubernetes, Argo, Kubeflow
	KindEnv       Kind = "env"       // .env files
	KindDVC       Kind = "dvc"       // DVC .dvc/config
	KindGenerated Kind = "generated" // MLflow / W&B files a tool regenerates
	KindOther     Kind = "other"     // anything else: proposal only
)

// DetectKind decides a file's kind from its path and contents. It does not
// rely on the scanner's format, so that fixes work whatever formats are
// registered; a structured finding's Location.Kind only confirms it.
func DetectKind(p string, data []byte) Kind {
	p = strings.ReplaceAll(p, "\\", "/")
	base := path.Base(p)
	ext := strings.ToLower(path.Ext(base))
	switch {
	case generatedPath(p):
		return KindGenerated
	case ext == ".ipynb":
		return KindNotebook
	case ext == ".py" || ext == ".pyw":
		return KindPython
	case base == "config" && path.Base(path.Dir(p)) == ".dvc":
		return KindDVC
	case envFileName(base):
		return KindEnv
	case ext == ".yml" || ext == ".yaml":
		if strings.Contains("/"+p, "/.github/workflows/") {
			return KindWorkflow
		}
		if isManifest(data) {
			return KindManifest
		}
	}
	if ext == "" && bytes.HasPrefix(data, []byte("#!")) && bytes.Contains(firstLine(data), []byte("python")) {
		return KindPython
	}
	return KindOther
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// envFileName matches .env, .env.production, prod.env; not the examples
// committed on purpose (.env.example, .env.sample, .env.template) nor the
// local file fixes move values to.
func envFileName(base string) bool {
	switch {
	case strings.HasSuffix(base, ".example"), strings.HasSuffix(base, ".sample"),
		strings.HasSuffix(base, ".template"), strings.HasSuffix(base, ".dist"),
		base == localEnvFile:
		return false
	}
	return base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env")
}

// generatedPath matches metadata that MLflow and Weights & Biases write on
// every run: the fix is to stop versioning it, not to edit it.
func generatedPath(p string) bool {
	parts := strings.Split(p, "/")
	for _, d := range parts[:len(parts)-1] {
		if d == "mlruns" || d == "wandb" || d == "mlartifacts" {
			return true
		}
	}
	base := parts[len(parts)-1]
	return strings.HasPrefix(base, "wandb-") && (strings.HasSuffix(base, ".json") || strings.HasSuffix(base, ".yaml"))
}

// Generated says whether a tool writes the file on every run (MLflow, W&B),
// and then the path to stop versioning (git rm -r --cached PATH) and the
// .gitignore pattern that keeps it out.
func Generated(file string) (untrack, pattern string, ok bool) {
	if !generatedPath(file) {
		return "", "", false
	}
	pattern = generatedDir(file)
	untrack = file
	if strings.HasSuffix(pattern, "/") {
		if i := strings.Index("/"+file, "/"+pattern); i >= 0 {
			untrack = file[:i] + pattern
		}
	}
	return untrack, pattern, true
}

// generatedDir is the folder to ignore for a generated file: its mlruns or
// wandb ancestor, or the file itself.
func generatedDir(p string) string {
	parts := strings.Split(strings.ReplaceAll(p, "\\", "/"), "/")
	for _, d := range parts[:len(parts)-1] {
		if d == "mlruns" || d == "wandb" || d == "mlartifacts" {
			return d + "/"
		}
	}
	return parts[len(parts)-1]
}

func isManifest(data []byte) bool {
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "apiVersion:") {
			return bytes.Contains(data, []byte("\nkind:")) || bytes.HasPrefix(data, []byte("kind:"))
		}
	}
	return false
}
