package report

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/rules"
	"github.com/lifeguard-dev/lifeguard/scanner"
	"github.com/lifeguard-dev/lifeguard/segment"
)

var sarifSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	return compileSARIFSchema(filepath.Join("..", "testdata", "schemas", "sarif-2.1.0.json"))
})

// compileSARIFSchema compiles the SARIF 2.1.0 schema (draft-04) with format
// assertions on, so that artifact URIs are checked as URI references.
func compileSARIFSchema(path string) (*jsonschema.Schema, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(id, doc); err != nil {
		return nil, err
	}
	return c.Compile(id)
}

var uriRef = regexp.MustCompile(`^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$`)

// sarifOut is the part of a SARIF log the tests inspect.
type sarifOut struct {
	Schema string `json:"$schema"`
	Runs   []struct {
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Rules []struct {
					ID string `json:"id"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine, StartColumn, EndLine, EndColumn int
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

// checkSARIF validates data against the schema and the invariants GitHub
// code scanning relies on, and returns the decoded log.
func checkSARIF(t *testing.T, data []byte) sarifOut {
	t.Helper()
	sch, err := sarifSchema()
	if err != nil {
		t.Fatalf("compiling SARIF schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v\n%s", err, data)
	}
	var log sarifOut
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	seen := map[string]bool{}
	for _, r := range run.Tool.Driver.Rules {
		if seen[r.ID] {
			t.Errorf("rule %s listed more than once", r.ID)
		}
		seen[r.ID] = true
	}
	for i, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d: ruleIndex %d does not point at rule %s", i, r.RuleIndex, r.RuleID)
		}
		if r.PartialFingerprints["lifeguard/v1"] == "" {
			t.Errorf("result %d: no partialFingerprints[lifeguard/v1]", i)
		}
		for _, l := range r.Locations {
			// The schema's uri-reference check (url.Parse) lets spaces and
			// the like through; RFC 3986 does not.
			if !uriRef.MatchString(l.PhysicalLocation.ArtifactLocation.URI) {
				t.Errorf("result %d: uri %q has characters RFC 3986 does not allow", i, l.PhysicalLocation.ArtifactLocation.URI)
			}
			u, err := url.Parse(l.PhysicalLocation.ArtifactLocation.URI)
			if err != nil {
				t.Errorf("result %d: uri %q: %v", i, l.PhysicalLocation.ArtifactLocation.URI, err)
				continue
			}
			if u.Scheme != "" && u.Scheme != "file" || u.Scheme == "" && strings.HasPrefix(u.Path, "/") {
				t.Errorf("result %d: uri %q is neither relative nor file://", i, l.PhysicalLocation.ArtifactLocation.URI)
			}
		}
	}
	return log
}

func TestSARIFSchemaAndInvariants(t *testing.T) {
	res := ghResult()
	res.Findings = append(res.Findings,
		detect.Finding{RuleID: "huggingface-access-token", Description: "Hugging Face access token", File: "c:x/ä b#1?.py",
			StartLine: 1, StartColumn: 7, EndLine: 1, EndColumn: 43, Secret: hfToken, Fingerprint: "0011223344556677"},
		detect.Finding{RuleID: "generic-api-key", File: "-", Secret: "Zx81kPq02LmNb73VcXs9", Fingerprint: "8899aabbccddeeff"},
		detect.Finding{RuleID: "openai-api-key", File: "/abs/dir/key.env", StartLine: 2, StartColumn: 1, EndLine: 2, EndColumn: 164,
			Secret: openaiToken, Fingerprint: "1122334455667788", Location: segment.Location{Kind: "file", Line: 2}},
	)
	for i := range res.Findings {
		if res.Findings[i].Fingerprint == "" {
			res.Findings[i].Fingerprint = "ffeeddccbbaa998" + string(rune('0'+i))
		}
	}
	var buf bytes.Buffer
	if err := SARIF(&buf, res, Options{Version: "1.2.3"}); err != nil {
		t.Fatal(err)
	}
	log := checkSARIF(t, buf.Bytes())
	run := log.Runs[0]
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
	}
	if got, want := strings.Join(ids, ","), "generic-api-key,huggingface-access-token,openai-api-key"; got != want {
		t.Errorf("rules %s, want %s", got, want)
	}
	var uris []string
	for _, r := range run.Results {
		uris = append(uris, r.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	}
	want := []string{"configs/b.yaml", "notebooks/a%7Cb%2C%20c%3Ad.ipynb", "old.py", "c%3Ax/%C3%A4%20b%231%3F.py", "-", "file:///abs/dir/key.env"}
	if strings.Join(uris, " ") != strings.Join(want, " ") {
		t.Errorf("uris\n%q\nwant\n%q", uris, want)
	}
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q", run.ColumnKind)
	}
	if r := run.Results[0].Locations[0].PhysicalLocation.Region; r == nil || *r != (struct{ StartLine, StartColumn, EndLine, EndColumn int }{3, 16, 3, 53}) {
		t.Errorf("region %+v, want 3:16-3:53 (exclusive end)", r)
	}
	if run.Results[4].Locations[0].PhysicalLocation.Region != nil {
		t.Errorf("finding without a line has a region")
	}
	if got := run.Results[1].Message.Text; got != "OpenAI API key: sk-p… (cell 1 [id x1] In [7], source, line 2)" {
		t.Errorf("message %q", got)
	}
	assertNoSecret(t, buf.String())
}

func TestSARIFEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, &scanner.Result{}, Options{}); err != nil {
		t.Fatal(err)
	}
	log := checkSARIF(t, buf.Bytes())
	if n := len(log.Runs[0].Results); n != 0 {
		t.Errorf("%d results", n)
	}
}

// Case 039 (gitleaks#890): GitHub rejects SARIF that lists a rule twice.
// Scan the case's files end to end and check the log.
func TestCase039SARIFRulesOnce(t *testing.T) {
	set, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join("..", "testdata", "cases", "039"))
	sc := scanner.New(detect.New(set), scanner.Options{})
	res, err := sc.ScanPaths(context.Background(), []string{"configs", "notebooks", "scripts"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := SARIF(&buf, res, Options{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join("..", "..", "..", "report"))
	log := checkSARIF(t, buf.Bytes())
	run := log.Runs[0]

	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
	}
	if got := strings.Join(ids, ","); got != "huggingface-access-token,openai-api-key" {
		t.Errorf("rules %s, want huggingface-access-token,openai-api-key each once", got)
	}
	var got []string
	for _, r := range run.Results {
		l := r.Locations[0].PhysicalLocation
		got = append(got, l.ArtifactLocation.URI+":"+strconv.Itoa(l.Region.StartLine)+" "+r.RuleID)
	}
	sort.Strings(got)
	want := []string{
		"configs/b.yaml:3 huggingface-access-token",
		"notebooks/a.ipynb:11 huggingface-access-token",
		"scripts/c.py:1 huggingface-access-token",
		"scripts/c.py:2 openai-api-key",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range []string{"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", hfToken, "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", openaiToken} {
		if bytes.Contains(buf.Bytes(), []byte(s[:8])) {
			t.Errorf("SARIF contains secret %s…", s[:8])
		}
	}
}

// The validator is really wired: broken logs fail.
func TestSARIFSchemaRejects(t *testing.T) {
	sch, err := sarifSchema()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := SARIF(&buf, ghResult(), Options{}); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	tests := []struct{ name, old, new string }{
		{"line 0", `"startLine": 3`, `"startLine": 0`},
		{"bad level", `"level": "error"`, `"level": "fatal"`},
		{"bad percent escape", `"uri": "configs/b.yaml"`, `"uri": "configs/b%zz.yaml"`},
		{"unknown property", `"ruleIndex": 0`, `"ruleIndex": 0, "secretValue": "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := strings.Replace(good, tt.old, tt.new, 1)
			if bad == good {
				t.Fatalf("%q not in SARIF", tt.old)
			}
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
			if err != nil {
				t.Fatal(err)
			}
			if sch.Validate(inst) == nil {
				t.Errorf("schema accepted %s", tt.name)
			}
		})
	}
}
