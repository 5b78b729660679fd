package shell

import "testing"

func TestArg(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dir/a.ipynb", "dir/a.ipynb"},
		{"my notes.ipynb", "'my notes.ipynb'"},
		{"it's.py", `'it'\''s.py'`},
		{"-dash.py", "./-dash.py"},
		{"--", "./--"},
		{"x\x1b[2K.py", "'x\x1b[2K.py'"},
		{"", "''"},
	}
	for _, tt := range tests {
		if got := Arg(tt.in); got != tt.want {
			t.Errorf("Arg(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Quote("a'b"); got != `'a'\''b'` {
		t.Errorf("Quote = %q", got)
	}
}
