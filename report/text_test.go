package report

import (
	"bytes"
	"testing"

	"github.com/lifeguard-dev/lifeguard/detect"
	"github.com/lifeguard-dev/lifeguard/scanner"
	"github.com/lifeguard-dev/lifeguard/segment"
)

// The text report groups by file, redacts, and names the other half of a
// paired credential by position and rule.
func TestTextPairedCredential(t *testing.T) {
	res := &scanner.Result{Findings: []detect.Finding{
		{RuleID: "aws-access-token", File: "creds", StartLine: 2, StartColumn: 21, Secret: "AKIAPHKQDLMTTNS4LRWB",
			Fingerprint: "aaaa000011112222", PairedWith: "bbbb000011112222", Location: segment.Location{Kind: "ini", KeyPath: "default.aws_access_key_id"}},
		{RuleID: "aws-secret-access-key", File: "creds", StartLine: 3, StartColumn: 25, Secret: "Gebcy8F5n3+YNBDRzrZSgqbjG3uhkWKFLf6xuI5a",
			Fingerprint: "bbbb000011112222", PairedWith: "aaaa000011112222", Location: segment.Location{Kind: "ini", KeyPath: "default.aws_secret_access_key"}},
	}}
	var buf bytes.Buffer
	if err := Text(&buf, res, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "creds\n" +
		"  2:21 aws-access-token  default.aws_access_key_id\n" +
		"    secret AKIA…  fingerprint aaaa000011112222\n" +
		"    one credential with 3:25 aws-secret-access-key\n" +
		"  3:25 aws-secret-access-key  default.aws_secret_access_key\n" +
		"    secret Gebc…  fingerprint bbbb000011112222\n" +
		"    one credential with 2:21 aws-access-token\n"
	if got := buf.String(); len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("text report:\n%s\nwant it to start with:\n%s", got, want)
	}
}
