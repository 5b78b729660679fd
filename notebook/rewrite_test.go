package notebook

import (
	"encoding/json"
	"strings"
	"testing"
)

const nb = `{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 4,
   "metadata": {},
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "token hf_x\n"
     ]
    },
    {
     "data": {
      "text/plain": [
       "42"
      ]
     },
     "execution_count": 4,
     "metadata": {},
     "output_type": "execute_result"
    }
   ],
   "source": [
    "import os\n",
    "tok = \"hf_x\"\n",
    "print(\"token\", tok)\n",
    "42"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": "x = \"caf\u00e9\"\ny = 1"
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
`

func TestEditor(t *testing.T) {
	tests := []struct {
		name string
		edit func(e *Editor) error
		want string
	}{
		{"replace one line", func(e *Editor) error {
			return e.SetSource(1, "import os\ntok = os.environ[\"HF_TOKEN\"]\nprint(\"token\", tok)\n42")
		}, strings.Replace(nb, `"tok = \"hf_x\"\n",`, `"tok = os.environ[\"HF_TOKEN\"]\n",`, 1)},
		{"insert a line", func(e *Editor) error {
			return e.SetSource(1, "import json\nimport os\ntok = \"hf_x\"\nprint(\"token\", tok)\n42")
		}, strings.Replace(nb, `    "import os\n",`, "    \"import json\\n\",\n    \"import os\\n\",", 1)},
		{"clear first output, keep the second and execution_count", func(e *Editor) error {
			return e.ClearOutput(1, 1)
		}, strings.Replace(nb, "    {\n     \"name\": \"stdout\",\n     \"output_type\": \"stream\",\n     \"text\": [\n      \"token hf_x\\n\"\n     ]\n    },\n", "", 1)},
		{"clear every output", func(e *Editor) error {
			if err := e.ClearOutput(1, 2); err != nil {
				return err
			}
			return e.ClearOutput(1, 1)
		}, nb[:strings.Index(nb, "\"outputs\": [\n")] + "\"outputs\": []," + nb[strings.Index(nb, "\n   \"source\": [\n    \"import os"):]},
		{"string source re-encoded, escapes kept as nbformat writes them", func(e *Editor) error {
			return e.SetSource(2, "x = \"café\"\ny = 2")
		}, strings.Replace(nb, `"source": "x = \"caf\u00e9\"\ny = 1"`, `"source": "x = \"café\"\ny = 2"`, 1)},
		{"unchanged source is a no-op", func(e *Editor) error {
			return e.SetSource(2, "x = \"café\"\ny = 1")
		}, nb},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse([]byte(nb))
			if err != nil {
				t.Fatal(err)
			}
			e, err := NewEditor([]byte(nb), res)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(e); err != nil {
				t.Fatal(err)
			}
			got := string(e.Bytes())
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(got), &v); err != nil {
				t.Errorf("result is not JSON: %v", err)
			}
		})
	}
}

func TestEditorErrors(t *testing.T) {
	res, _ := Parse([]byte(nb))
	e, _ := NewEditor([]byte(nb), res)
	if err := e.ClearOutput(2, 1); err == nil {
		t.Error("ClearOutput on a cell without outputs: want an error")
	}
	if err := e.SetSource(3, "x"); err == nil {
		t.Error("SetSource on a missing cell: want an error")
	}
	v3 := `{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}`
	res3, err := Parse([]byte(v3))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewEditor([]byte(v3), res3); err != ErrNotV4 {
		t.Errorf("v3 notebook: err = %v, want ErrNotV4", err)
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"a\"b\\c\n": `"a\"b\\c\n"`,
		"tab\there": `"tab\there"`,
		"\x01é<&>":  `"\u0001é<&>"`,
		"":          `""`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}
