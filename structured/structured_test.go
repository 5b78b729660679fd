package structured

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeguard-dev/lifeguard/segment"
)

// want is one value a parser must deliver: its key path, the context shown
// to rules, a secret inside its text and the raw 1-based line and column
// (in bytes) where that secret is written.
type want struct {
	keyPath, context, secret string
	line, col                int
}

func readFixture(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "formats", rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// position returns the 1-based line and byte column of off.
func position(data []byte, off int) (int, int) {
	line := 1 + strings.Count(string(data[:off]), "\n")
	return line, off - strings.LastIndexByte(string(data[:off]), '\n')
}

func checkSegments(t *testing.T, data []byte, segs []segment.Segment, wants []want) {
	t.Helper()
	for _, w := range wants {
		var seg *segment.Segment
		for i := range segs {
			if segs[i].Loc.KeyPath == w.keyPath {
				seg = &segs[i]
				break
			}
		}
		if seg == nil {
			var paths []string
			for _, s := range segs {
				paths = append(paths, s.Loc.KeyPath)
			}
			t.Errorf("no segment at %s; have %q", w.keyPath, paths)
			continue
		}
		if seg.Context != w.context {
			t.Errorf("%s: context %q, want %q", w.keyPath, seg.Context, w.context)
		}
		i := strings.Index(seg.Text, w.secret)
		if i < 0 {
			t.Errorf("%s: text %q does not hold %q", w.keyPath, seg.Text, w.secret)
			continue
		}
		off := seg.RawOffset(i)
		end := seg.RawOffset(i+len(w.secret)-1) + 1
		if got := string(data[off:end]); got != w.secret {
			t.Errorf("%s: raw span %q, want %q", w.keyPath, got, w.secret)
		}
		if l, c := position(data, off); l != w.line || c != w.col {
			t.Errorf("%s: at %d:%d, want %d:%d", w.keyPath, l, c, w.line, w.col)
		}
	}
}

func noSegment(t *testing.T, segs []segment.Segment, texts ...string) {
	t.Helper()
	for _, s := range segs {
		for _, x := range texts {
			if strings.Contains(s.Text, x) {
				t.Errorf("segment %s holds %q: %q", s.Loc.KeyPath, x, s.Text)
			}
		}
	}
}

func TestYAMLFixtures(t *testing.T) {
	tests := []struct {
		file  string
		wants []want
		not   []string
	}{
		{"yaml/github-workflow.yml", []want{
			{"jobs.train.env.OPENAI_API_KEY", "OPENAI_API_KEY", "sk-proj-Rq2Wm8Pz3Kd7", 9, 23},
			{"jobs.train.steps[1].run", "run", "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", 14, 36},
		}, []string{"secrets.WANDB_API_KEY", "a reference"}},
		{"yaml/k8s-multidoc.yaml", []want{
			{"stringData.token", "token", "Zk9QmW3xR7tY2vB8nL4pJ6hG1fD5sA0e", 8, 24},
			{`metadata.annotations["example.com/owner"]`, "example.com/owner", "ml-platform", 6, 25},
			{"spec.predictor.containers[0].args[1]", "api-key", "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", 19, 30},
			{"spec.predictor.containers[0].env[name=HF_TOKEN].value", "HF_TOKEN", "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", 22, 21},
		}, []string{"openai"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readFixture(t, tt.file)
			segs, err := YAML(data)
			if err != nil {
				t.Fatal(err)
			}
			checkSegments(t, data, segs, tt.wants)
			noSegment(t, segs, tt.not...)
		})
	}
}

func TestYAMLScalarStyles(t *testing.T) {
	data := []byte(`plain: Ab3dEf6hIj
multi: first line
  Ab3dEf6hIj
sq: 'it''s Ab3dEf6hIj'
dq: "x\"y\u00e9 Ab3dEf6hIj"
dqcont: "one \
    Ab3dEf6hIj"
lit: |-
    keep
      Ab3dEf6hIj
fold: >
  one
  two

  Ab3dEf6hIj
flow: {k: [a, "Ab3dEf6hIj"]}
"é": ééAb3dEf6hIj
`)
	segs, err := YAML(data)
	if err != nil {
		t.Fatal(err)
	}
	checkSegments(t, data, segs, []want{
		{"plain", "plain", "Ab3dEf6hIj", 1, 8},
		{"multi", "multi", "Ab3dEf6hIj", 3, 3},
		{"sq", "sq", "Ab3dEf6hIj", 4, 12},
		{"dq", "dq", "Ab3dEf6hIj", 5, 17},
		{"dqcont", "dqcont", "Ab3dEf6hIj", 7, 5},
		{"lit", "lit", "Ab3dEf6hIj", 10, 7},
		{"fold", "fold", "Ab3dEf6hIj", 15, 3},
		{"flow.k[1]", "k", "Ab3dEf6hIj", 16, 16},
		{"é", "é", "Ab3dEf6hIj", 17, 11},
	})
	for _, s := range segs {
		switch s.Loc.KeyPath {
		case "sq":
			if s.Text != "it's Ab3dEf6hIj" {
				t.Errorf("sq text %q", s.Text)
			}
		case "fold":
			if s.Text != "one two\nAb3dEf6hIj\n" {
				t.Errorf("fold text %q", s.Text)
			}
		case "lit":
			if s.Text != "keep\n  Ab3dEf6hIj" {
				t.Errorf("lit text %q", s.Text)
			}
		}
	}
}

func TestYAMLAnchorsReportedOnce(t *testing.T) {
	data := []byte(`base: &base
  token: Qw3rTy7uIoP1aS5dF9gH
  url: postgres://u:Zx8cVb2nM4@db/x
one:
  <<: *base
  extra: 1
two: *base
list: [*base, *base]
`)
	segs, err := YAML(data)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range segs {
		if strings.Contains(s.Text, "Qw3rTy7uIoP1aS5dF9gH") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("token in %d segments, want 1", n)
	}
	checkSegments(t, data, segs, []want{{"base.token", "token", "Qw3rTy7uIoP1aS5dF9gH", 2, 10}})
}

func TestYAMLBillionLaughs(t *testing.T) {
	data := readFixture(t, "yaml/billion-laughs.yaml")
	start := time.Now()
	segs, err := YAML(data)
	if err != nil {
		t.Fatal(err)
	}
	// Nine "lol"s written once each: aliases are not expanded.
	if len(segs) != 9 {
		t.Errorf("%d segments, want 9", len(segs))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d) // a guard against expansion, not a speed target
	}
}

func TestYAMLReferencesSkipped(t *testing.T) {
	data := []byte(`a: ${{ secrets.OPENAI_API_KEY }}
b: "{{ .Values.hfToken }}"
c: $(cat /run/secrets/token)
d: ${WANDB_API_KEY:-}
e: "%(password)s"
f: real-Zx8cVb2nM4
`)
	segs, err := YAML(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 1 || segs[0].Loc.KeyPath != "f" {
		t.Errorf("segments %+v, want only f", segs)
	}
}

func TestYAMLBadInput(t *testing.T) {
	for _, in := range []string{
		"a: [unclosed\n",
		"a: b\n c: d\n\t- x",
		"key: \"unterminated\n",
		"- a\nb: c\n",
		"&a [*a]",
		"--- !!binary |\n  !!!\n",
		"a: *undefined\n",
		"\xff\xfe garbage\x00",
	} {
		segs, err := YAML([]byte(in))
		if err == nil {
			// Some inputs are valid YAML; they must still yield sane spans.
			for _, s := range segs {
				if s.RawOffset(0) < 0 || s.RawOffset(0) > len(in) {
					t.Errorf("%q: segment %+v maps outside the input", in, s)
				}
			}
		}
	}
}

func FuzzYAML(f *testing.F) {
	f.Add([]byte("a: |\n  b\n"))
	f.Add([]byte("a: \"x\\u00e9\\\n  y\"\n"))
	f.Add([]byte("k: &x [1, *x]\n---\nz: >-\n  q\n\n  r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		segs, err := YAML(data)
		if err != nil {
			return
		}
		for _, s := range segs {
			for i := 0; i < len(s.Text); i++ {
				if o := s.RawOffset(i); o < 0 || o > len(data) {
					t.Fatalf("offset %d of %q maps to %d (len %d)", i, s.Text, o, len(data))
				}
			}
		}
	})
}

func TestJSONFixture(t *testing.T) {
	data := readFixture(t, "json/vertex-pipeline.json")
	segs, err := JSON(data)
	if err != nil {
		t.Fatal(err)
	}
	const exec = "pipelineSpec.deploymentSpec.executors.exec-train.container"
	checkSegments(t, data, segs, []want{
		{exec + ".args[3]", "hf-token", "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", 8, 66},
		{exec + ".env[name=WANDB_API_KEY].value", "WANDB_API_KEY", "7c1e0a9d4b2f86e35d1c0b9a8f7e6d5c4b3a2918", 10, 51},
		{"runtimeConfig.parameterValues.openai_key", "openai_key", "sk-proj-Tz4Xw9Qp2Lm7", 18, 56},
	})
	noSegment(t, segs, "{{$}}")
	for _, s := range segs {
		if s.Loc.KeyPath == "runtimeConfig.parameterValues.openai_key" && !strings.HasSuffix(s.Text, "Yu!") {
			t.Errorf("escape not decoded: %q", s.Text)
		}
	}
}

func TestJSONBadInput(t *testing.T) {
	for _, in := range []string{`{"a": }`, `{"a": "b"`, `[1, 2,]`, "\x00", `{"a": "\ud800"}x`} {
		if _, err := JSON([]byte(in)); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
	big := make([]byte, MaxParseSize+1)
	if _, err := JSON(big); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("oversized JSON: err %v", err)
	}
}

func TestINIFixtures(t *testing.T) {
	tests := []struct {
		file  string
		wants []want
	}{
		{"ini/pip.conf", []want{{"global.index-url", "index-url", "Zp3qR8sT1uV6wX9y", 3, 28}}},
		{"ini/.pypirc", []want{
			{"pypi.password", "password", "pypi-AgEIcHlwaS5vcmc", 8, 12},
			{"distutils.index-servers", "index-servers", "internal", 4, 5},
		}},
		{"ini/airflow.cfg", []want{
			{"core.fernet_key", "fernet_key", "Qm3xR7tY2vB8nL4pJ6hG1fD5sA0eZk9WcXbNaTyUiO4=", 3, 14},
			{"database.sql_alchemy_conn", "sql_alchemy_conn", "Vx8Kp2Lm9Qr4Tz7Wn", 6, 50},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readFixture(t, tt.file)
			segs, err := INI(data)
			if err != nil {
				t.Fatal(err)
			}
			checkSegments(t, data, segs, tt.wants)
		})
	}
}

func TestINIQuotedAndTOML(t *testing.T) {
	data := []byte("['remote \"s3\"']\n    url = s3://bucket\n[api]\nOPENAI_API_KEY = \"sk-Ab3dEf6hIj\"\nbare\n= nokey\n")
	segs, _ := INI(data)
	checkSegments(t, data, segs, []want{
		{`remote "s3".url`, "url", "s3://bucket", 2, 11},
		{"api.OPENAI_API_KEY", "OPENAI_API_KEY", "sk-Ab3dEf6hIj", 4, 19},
	})
	for _, s := range segs {
		if s.Loc.KeyPath == "api.OPENAI_API_KEY" && s.Text != "sk-Ab3dEf6hIj" {
			t.Errorf("quotes kept: %q", s.Text)
		}
	}
}

func TestEnvFixture(t *testing.T) {
	data := readFixture(t, "env/.env")
	segs, err := Env(data)
	if err != nil {
		t.Fatal(err)
	}
	checkSegments(t, data, segs, []want{
		{"GROQ_API_KEY", "GROQ_API_KEY", "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", 2, 21},
		{"MODEL", "MODEL", "llama-3.1-70b", 3, 7},
		{"LANGSMITH_API_KEY", "LANGSMITH_API_KEY", "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", 4, 20},
		{"PRIVATE_KEY", "PRIVATE_KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ", 7, 1},
		{"AFTER", "AFTER", "1", 9, 7},
	})
	noSegment(t, segs, "not a secret", "${DATABASE_URL}")
}

func TestNetrcFixture(t *testing.T) {
	data := readFixture(t, "netrc/.netrc")
	segs, err := Netrc(data)
	if err != nil {
		t.Fatal(err)
	}
	checkSegments(t, data, segs, []want{
		{"machine[api.wandb.ai].password", "password", "9b2f7e1c4a8d3b6e0f5c2a9d8e7b1c4f3a6d0e9b", 3, 12},
		{"machine[huggingface.co].password", "password", "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", 4, 42},
	})
}

func TestLineParsersBadInput(t *testing.T) {
	for _, in := range []string{"", "\x00\xff", "[", "=", "export", "A=\"unterminated\nB=2", "machine", "macdef x\nbody\n", "password"} {
		for name, parse := range map[string]func([]byte) ([]segment.Segment, error){"ini": INI, "env": Env, "netrc": Netrc} {
			segs, err := parse([]byte(in))
			if err != nil {
				t.Errorf("%s(%q): %v", name, in, err)
			}
			for _, s := range segs {
				if o := s.RawOffset(len(s.Text)); o > len(in) {
					t.Errorf("%s(%q): segment maps past the end", name, in)
				}
			}
		}
	}
}

func TestYAMLKubernetesSecretBase64(t *testing.T) {
	// data.HF_TOKEN is base64 of an invented token.
	data := []byte("apiVersion: v1\nkind: Secret\ndata:\n  HF_TOKEN: aGZfa0FTQU9zRW5ZRVpHbEdIcFlhYXhMQmVqWVdvb1NjQlZYQQ==\n  n: \"MQ==\"\n")
	segs, err := YAML(data)
	if err != nil {
		t.Fatal(err)
	}
	var got *segment.Segment
	for i := range segs {
		if segs[i].Loc.KeyPath == "data.HF_TOKEN(base64)" {
			got = &segs[i]
		}
	}
	if got == nil || got.Text != "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" || got.Context != "HF_TOKEN" {
		t.Fatalf("decoded segment %+v", got)
	}
	// The decoded token maps to the base64 that encodes it (line 4, col 13).
	if off := got.RawOffset(0); off != bytes.Index(data, []byte("aGZf")) {
		t.Errorf("start maps to %d", off)
	}
	if end := got.RawOffset(len(got.Text)-1) + 1; end > bytes.Index(data, []byte("==\n")) {
		t.Errorf("end maps to %d", end)
	}
}
