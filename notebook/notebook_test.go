package notebook

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lifeguard-dev/lifeguard/jsonpos"
	"github.com/lifeguard-dev/lifeguard/segment"
)

func load(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/notebook/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// find returns the segment whose text contains s.
func find(t *testing.T, segs []segment.Segment, s string) segment.Segment {
	t.Helper()
	for _, sg := range segs {
		if strings.Contains(sg.Text, s) {
			return sg
		}
	}
	t.Fatalf("no segment contains %q", s)
	return segment.Segment{}
}

func TestParseV4Segments(t *testing.T) {
	data := load(t, "mixed.ipynb")
	res, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != "4.5" || res.Cells != 6 {
		t.Fatalf("version %s cells %d", res.Version, res.Cells)
	}
	// Two base64 PNGs: one image output; markdown inline data stays in the source text.
	if res.NotText != 1 {
		t.Errorf("NotText = %d, want 1 (the image/png output)", res.NotText)
	}
	three := 3
	tests := []struct {
		contains string
		loc      segment.Location
		text     string // exact text when set
	}{
		{"client = openai.OpenAI", segment.Location{Kind: Kind, Cell: 2, CellID: "f00dcafe", CellType: "code", ExecutionCount: &three, Part: "source"}, ""},
		{"'HF_TOKEN'", segment.Location{Kind: Kind, Cell: 2, CellID: "f00dcafe", CellType: "code", ExecutionCount: &three, Part: "output", Output: 1, OutputType: "stream"}, ""},
		{"<Figure size", segment.Location{Kind: Kind, Cell: 2, CellID: "f00dcafe", CellType: "code", ExecutionCount: &three, Part: "output", Output: 2, OutputType: "display_data", MimeType: "text/plain"}, "<Figure size 640x480 with 1 Axes>"},
		{"!cat ~/.aws", segment.Location{}, "!cat ~/.aws/credentials"},
	}
	for _, tc := range tests {
		s := find(t, res.Segments, tc.contains)
		if tc.text != "" && s.Text != tc.text {
			t.Errorf("segment %q text = %q, want %q", tc.contains, s.Text, tc.text)
		}
		if tc.loc.Kind == "" {
			continue
		}
		got, want := s.Loc, tc.loc
		if (got.ExecutionCount == nil) != (want.ExecutionCount == nil) || (got.ExecutionCount != nil && *got.ExecutionCount != *want.ExecutionCount) {
			t.Errorf("segment %q execution count = %v", tc.contains, got.ExecutionCount)
		}
		got.ExecutionCount, want.ExecutionCount = nil, nil
		if got != want {
			t.Errorf("segment %q loc = %+v, want %+v", tc.contains, got, want)
		}
	}
	// Sources given as a list of lines are concatenated as Jupyter does.
	src := find(t, res.Segments, "import os, openai")
	if !strings.HasPrefix(src.Text, "import os, openai\nclient = openai.OpenAI(api_key=\"sk-proj-") || !strings.HasSuffix(src.Text, "\")\nprint(os.environ)") {
		t.Errorf("joined source = %q", src.Text)
	}
	// The traceback is joined by newlines with ANSI colour codes removed.
	tb := find(t, res.Segments, "Traceback (most recent call last)")
	if strings.Contains(tb.Text, "\x1b") || strings.Contains(tb.Text, "[0;31m") {
		t.Errorf("ANSI codes left in traceback: %q", tb.Text)
	}
	if !strings.Contains(tb.Text, "\nAuthenticationError: Incorrect API key provided: sk-ant-api03-") {
		t.Errorf("traceback text = %q", tb.Text)
	}
	if !strings.Contains(tb.Text, "----> 1 client.messages.create()") {
		t.Errorf("traceback frame = %q", tb.Text)
	}
	// Metadata leaves carry a key path and their key as context; kernelspec,
	// language_info and the vscode interpreter hash are not scanned.
	md := find(t, res.Segments, "r8_1zh87mTa5")
	if md.Loc.KeyPath != "metadata.papermill.parameters.replicate_token" || md.Context != "replicate_token" || md.Loc.Part != "metadata" {
		t.Errorf("metadata segment = %+v context %q", md.Loc, md.Context)
	}
	for _, s := range res.Segments {
		for _, bad := range []string{"python3", "3.11.4", "f00dcafe", "a1b2c3d4"} {
			if s.Text == bad {
				t.Errorf("scanned %q (%+v)", bad, s.Loc)
			}
		}
		if strings.Contains(s.Loc.KeyPath, "kernelspec") || strings.Contains(s.Loc.KeyPath, "vscode") {
			t.Errorf("scanned %s", s.Loc.KeyPath)
		}
	}
}

func TestRawOffsetsMapBack(t *testing.T) {
	data := load(t, "mixed.ipynb")
	res, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"sk-proj-", "hf_KFSuf", "AKIAPHKQ", "sk-ant-api03-", "r8_DDXh5", "lgt_BGumXx"} {
		s := find(t, res.Segments, tok)
		off := s.RawOffset(strings.Index(s.Text, tok))
		if !strings.HasPrefix(string(data[off:]), tok) {
			t.Errorf("%s maps to raw %q", tok, data[off:off+len(tok)])
		}
	}
	// After an escaped quote the mapping skips the backslash.
	s := find(t, res.Segments, "lgt_")
	i := strings.Index(s.Text, `"Y9B4b`)
	if off := s.RawOffset(i); string(data[off:off+3]) != `\"Y` {
		t.Errorf("escaped quote maps to %q", data[off:off+3])
	}
	if off := s.RawOffset(i + 1); string(data[off:off+2]) != "Y9" {
		t.Errorf("byte after escape maps to %q", data[off:off+2])
	}
}

func TestParseV3(t *testing.T) {
	res, err := Parse(load(t, "v3.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != "3.0" || res.Cells != 2 || res.NotText != 1 {
		t.Fatalf("version %s cells %d notText %d", res.Version, res.Cells, res.NotText)
	}
	src := find(t, res.Segments, "replicate.Client(api_token")
	if src.Loc.Cell != 2 || src.Loc.Part != "source" || src.Loc.ExecutionCount == nil || *src.Loc.ExecutionCount != 2 {
		t.Errorf("v3 code cell loc = %+v", src.Loc)
	}
	out := find(t, res.Segments, "<replicate.Client>")
	if out.Loc.Output != 1 || out.Loc.MimeType != "text/plain" || out.Loc.OutputType != "pyout" {
		t.Errorf("v3 output loc = %+v", out.Loc)
	}
	tb := find(t, res.Segments, "ValueError: bad")
	if tb.Text != "ValueError: bad" || tb.Loc.Output != 2 {
		t.Errorf("v3 traceback = %q %+v", tb.Text, tb.Loc)
	}
}

func TestParseBadInput(t *testing.T) {
	tests := []struct {
		name string
		data string
		want error // nil: any error
	}{
		{"invalid json", `{"cells": [`, nil},
		{"truncated", `{"cells": [{"cell_type": "code", "source": "x = 1`, nil},
		{"not a notebook", `{"name": "package", "version": "1.0"}`, ErrNotNotebook},
		{"array", `[1, 2]`, ErrNotNotebook},
		{"empty", ``, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.data))
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var se *jsonpos.SyntaxError
			if tc.want == nil && !errors.As(err, &se) {
				t.Fatalf("err = %v, want a syntax error with an offset", err)
			}
		})
	}
	// Odd but valid shapes are tolerated: wrong types are ignored, not fatal.
	odd := `{"nbformat": 4, "cells": [1, "x", {"cell_type": "code", "source": 5, "outputs": {"a": 1}}, {"source": ["ok ", 3, "fine"]}]}`
	res, err := Parse([]byte(odd))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Segments) != 1 || res.Segments[0].Text != "ok fine" {
		t.Fatalf("segments = %+v", res.Segments)
	}
}

// FuzzParse: the notebook parser never panics and every segment maps inside the input.
func FuzzParse(f *testing.F) {
	f.Add(load(f, "mixed.ipynb"))
	f.Add(load(f, "v3.ipynb"))
	f.Add([]byte(`{"cells":[{"cell_type":"code","source":"a\u001b[31mb","outputs":[{"output_type":"error","traceback":["\u001b[1;3","x"]}]}]}`))
	f.Add([]byte(`{"cells":[{"outputs":[{"output_type":"stream","text":["\u001b[","[0m"]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data)
		if err != nil {
			return
		}
		for _, s := range res.Segments {
			for i := 0; i < len(s.Text); i++ {
				if r := s.RawOffset(i); r < 0 || r > len(data) {
					t.Fatalf("segment %+v offset %d maps to %d outside input (%d bytes)", s.Loc, i, r, len(data))
				}
			}
		}
	})
}

// A bare value shown by a cell, or held by an input widget, gets the name that
// a person sees beside it as context.
func TestValueContext(t *testing.T) {
	res, err := Parse(load(t, "named.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, context string }{
		{"'u8jzPde0IgxLd6GncfBAepfJBd0Kh8oO'", "mistral_api_key"},
		{"'4fd12aabfe228f219e9cb0eb53f16947'", "run.info.run_id"},
		{"1c17149d439536b3216fdaeeb975729fae923d5a", "Wandb Api Key:"},
		{"4fd12aabfe228f219e9cb0eb53f16947", "Run id:"},
	}
	for _, tc := range tests {
		found := false
		for _, s := range res.Segments {
			if s.Text == tc.text && s.Context == tc.context {
				found = true
			}
		}
		if !found {
			t.Errorf("no segment %q with context %q", tc.text, tc.context)
		}
	}
}

func TestLastExpression(t *testing.T) {
	tests := []struct{ src, want string }{
		{"import os\nmistral_api_key", "mistral_api_key"},
		{"x = 1\nos.environ[\"HF_TOKEN\"]\n\n", `os.environ["HF_TOKEN"]`},
		{"a == b", "a == b"},
		{"key = load()", ""},
		{"!cat ~/.aws/credentials", ""},
		{"%env HF_TOKEN", ""},
		{"# api_key", ""},
		{strings.Repeat("x", 121), ""},
	}
	for _, tc := range tests {
		if got := lastExpression(tc.src); got != tc.want {
			t.Errorf("lastExpression(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
}

// Text outside the places nbformat defines is still scanned, by its JSON
// path: nothing in a notebook goes unread but images, attachments, ids and
// kernel metadata.
func TestRestPass(t *testing.T) {
	deep := `"x"`
	for i := 0; i < 70; i++ {
		deep = `{"k": ` + deep + `}`
	}
	deep = strings.Replace(deep, `"x"`, `"tok-deep-0001"`, 1)
	doc := `{"cells": [{"cell_type": "code", "execution_count": 1, "id": "a1b2c3d4e5f6a7b8", "metadata": {}, "source": "x = 1",
  "outputs": [
    {"output_type": "stream", "name": "stdout", "text": "ok", "metadata": {"note": "tok-outmeta-01"}},
    {"output_type": "error", "ename": "E", "evalue": "tok-evalue-001", "traceback": ["E: something else"]},
    {"output_type": "custom_type", "payload": "tok-custom-001"},
    {"output_type": "display_data", "metadata": {}, "data": {"application/x-sql": "select 'tok-sql-00001'", "image/png": "tok-image-0001"}}
  ],
  "attachments": {"a.png": {"image/png": "tok-attach-001"}}}],
 "metadata": {"kernelspec": {"name": "tok-kernel-001"}, "deep": ` + deep + `},
 "extra_top_level": "tok-toplevel01", "nbformat": 4, "nbformat_minor": 5}`
	res, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	where := map[string]string{}
	for _, s := range res.Segments {
		for _, tok := range []string{"tok-deep-0001", "tok-outmeta-01", "tok-evalue-001", "tok-custom-001", "tok-sql-00001", "tok-image-0001", "tok-attach-001", "tok-kernel-001", "tok-toplevel01", "a1b2c3d4e5f6a7b8"} {
			if strings.Contains(s.Text, tok) {
				where[tok] = s.Loc.Part + " " + s.Loc.KeyPath + " " + s.Loc.MimeType
			}
		}
	}
	want := map[string]string{
		"tok-deep-0001":  "other metadata.deep" + strings.Repeat(".k", 70) + " ",
		"tok-outmeta-01": "other cells[0].outputs[0].metadata.note ",
		"tok-evalue-001": "other cells[0].outputs[1].evalue ",
		"tok-custom-001": "other cells[0].outputs[2].payload ",
		"tok-sql-00001":  "output  application/x-sql",
		"tok-toplevel01": "other extra_top_level ",
	}
	for tok, w := range want {
		if where[tok] != w {
			t.Errorf("%s: at %q, want %q", tok, where[tok], w)
		}
	}
	for _, tok := range []string{"tok-image-0001", "tok-attach-001", "tok-kernel-001", "a1b2c3d4e5f6a7b8"} {
		if w, ok := where[tok]; ok {
			t.Errorf("%s is scanned (%s); images, attachments, kernel metadata and ids are not", tok, w)
		}
	}
}

// A cell id longer than Jupyter writes is read: a token there would
// otherwise be shown, unredacted, as the id of every finding in the cell.
func TestLongCellIDIsRead(t *testing.T) {
	const tok = "hf_TEbJqLmNoPqRsTuVwXyZaBcDeFgHiJkLmN"
	doc := `{"cells": [{"cell_type": "code", "id": "` + tok + `", "execution_count": 1, "metadata": {}, "outputs": [], "source": "x = 1"},
 {"cell_type": "code", "id": "a1b2c3d4", "execution_count": 2, "metadata": {}, "outputs": [], "source": "y = 2"}],
 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
	res, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, s := range res.Segments {
		if s.Loc.Part == "id" {
			parts = append(parts, fmt.Sprintf("cell %d %s", s.Loc.Cell, s.Text))
		}
	}
	if strings.Join(parts, ";") != "cell 1 "+tok {
		t.Errorf("id segments %q", parts)
	}
}
