package detect

import "testing"

func TestIsPlaceholder(t *testing.T) {
	tests := []struct {
		secret string
		want   bool
	}{
		// stand-ins and references
		{"sk-...", true},
		{"sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", true},
		{"YOUR_API_KEY", true},
		{"<OPENAI_API_KEY>", true},
		{"sk-<your key here>", true},
		{"<%= api_token %>", true},
		{"Qv7&kP2<mW9x#Lr4", false}, // a password may hold < and >
		{"a>b<c9Xz!q", false},
		{"${OPENAI_API_KEY}", true},
		{"$WANDB_API_KEY", true},
		{"%DB_PASSWORD%", true},
		{"${{ secrets.HF_TOKEN }}", true},
		{"{{ var.value.anthropic_api_key }}", true},
		{"op://vault/openai/credential", true},
		{"vault:secret/data/openai#key", true},
		{"AKIAIOSFODNN7EXAMPLE", true},
		{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", true},
		{"changeme", true},
		{"my-dummy-token-value", true},
		{"sk-proj-****abcd", true},
		{"dapi00000000000000000000000000000000", true},
		{"abcdefgh12345678", true},
		// identifiers, not keys
		{"credentials", true},
		{"bert-base-uncased", true},
		{"OPENAI_API_KEY", true},
		{"AutoTokenizer", true},
		{"T5ForConditionalGeneration", false}, // digit: left to the rules' own shape
		// base64 of a placeholder (a Kubernetes Secret's data) and "key: value"
		{"PE9QRU5BSV9BUElfS0VZPg==", true},                        // <OPENAI_API_KEY>
		{"OPENAI_API_KEY: c2stYW50LWFwaTAzLS4uLg==", true},        // sk-ant-api03-...
		{"AWS_ACCESS_KEY_ID: QUtJQUlPU0ZPRE5ON0VYQU1QTEU=", true}, // AKIAIOSFODNN7EXAMPLE
		// real-looking secrets
		{"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", false},
		{"xoxb-51711222223-2008261186951-cdfHVKWUfvMHzMdDuYn5Tm46", false}, // a run of five 2s happens
		{"f4056a30514fb88e10c99a9c8a7cef27c347afda", false},
		{"Ddmh_JKub_n9KK5f2qprI", false},
		{"XPXhSOJRRfZQq", false},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\nc2gtZW7x0OroI2gFMIziI3JGhC9pMQSAK7csbVcrMlP4GaxQO7IN8waYxzsPbGL5\n-----END OPENSSH PRIVATE KEY-----", false},
		{"-----BEGIN PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END PRIVATE KEY-----", true},
		{"dXNlcjpTM2NyM3RQNHNzdzByZCE=", false}, // base64 of a real-looking password stays a finding
		// placeholder words must be written as words, not be pieces of a random token
		{"ghp_ngoouPc6m4LsCLeWaCZvBxIxcUmRg3NNrDWY", false},                                                                       // "CLe"
		{"XMZds+ZWk1SpxjJVqJrM6yeb2wSVb9WGZVU0MmLWA/cLlkLlYkkNpUbK4MOqhtXZwCLE6Mvfx1V/VGTcdj4MGA==", false},                       // "XZwCLE"
		{"sk-ant-admin01-3tRSaWo6vo_YfDCKRCgR0K09EAE7oMQJHxifRPqVPNimYO5HcCle-KbC1OAXdmjnNxLnqHe2zlvAUkHWqsGqMCf50hGDeAA", false}, // "Cle"
		{"gsk_BWBjS3shkRX5Llz81X73gJ1sDemoFkLNqr4scZjJM1j1Qe8IGLYa", false},                                                       // "Demo"
		{"votre_cle_ici", true},
		{"sk-xxx", true},
		{"yourKeyHere", true},
		{"InsertTokenHere", true},
		{"sk-FAKE-4f9a8b7c6d5e4f3a2b1c", true},
		// the next assignment's name, caught past an elided value
		{"WANDB_API_KEY=", true},
		{"--openai-api-key-2", true}, // the next flag in an argument list
		{"QUJDREVGR0hJSktM=", false}, // base64 padding after a random-looking value
	}
	for _, tt := range tests {
		if got := isPlaceholder(tt.secret); got != tt.want {
			t.Errorf("isPlaceholder(%q) = %v, want %v", tt.secret, got, tt.want)
		}
	}
}

func TestIsIdentifier(t *testing.T) {
	for s, want := range map[string]bool{
		"ChatOpenAI": true, "AutoModelForCausalLM": true, "sentence-transformers": true,
		"MAX_NEW_TOKENS": true, "QPbmLfUONwJEkEF": false,
		"OuounJtzbuKwforQtv": false, "ryvYzrPEajtbONR": false, "LlamaForCausalLM": true, "QueueManager": true, "StrengthScore": true, "mHUJjLSNsTf5RaY": false, "abc": false,
	} {
		if got := isIdentifier(s); got != want {
			t.Errorf("isIdentifier(%q) = %v, want %v", s, got, want)
		}
	}
}
