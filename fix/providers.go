package fix

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lifeguard-dev/lifeguard/shell"
)

// Providers lists the --provider values, in the order help shows them.
var Providers = []string{"env", "vault", "aws", "gcp", "azure", "1password", "databricks", "colab", "github", "k8s"}

// defaultPaths are the --vault-path defaults: the Vault mount and prefix,
// AWS name prefix, 1Password vault, Databricks scope, Kubernetes Secret name.
// GCP (project) and Azure (key vault name) have no sensible default.
var defaultPaths = map[string]string{
	"vault": "secret/lifeguard", "aws": "lifeguard/", "1password": "Private",
	"databricks": "lifeguard", "k8s": "lifeguard-secrets",
}

// provider renders references to a secret store.
type provider struct {
	name string
	path string // --vault-path or the default
}

func newProvider(name, path string) (provider, error) {
	ok := false
	for _, p := range Providers {
		ok = ok || p == name
	}
	if !ok {
		return provider{}, fmt.Errorf("unknown provider %q (want one of %s)", name, strings.Join(Providers, ", "))
	}
	if path == "" {
		path = defaultPaths[name]
	}
	if i := strings.IndexFunc(path, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" /_.-@:", r))
	}); i >= 0 {
		// The path goes into code (Python strings, f-strings) and commands:
		// only characters a store's names use.
		return provider{}, fmt.Errorf("--vault-path %q: %q is not allowed (use letters, digits, spaces and / _ . - @ :)", path, path[i:i+1])
	}
	if path == "" && (name == "gcp" || name == "azure") {
		return provider{}, fmt.Errorf("--provider %s needs --vault-path (the %s)", name, map[string]string{"gcp": "GCP project id", "azure": "Key Vault name"}[name])
	}
	if name == "aws" && path != "" && !strings.ContainsAny(path[len(path)-1:], "/-_.") {
		path += "/" // a prefix, not the start of a longer name: myteam/OPENAI_API_KEY
	}
	return provider{name: name, path: path}, nil
}

// pyQuote quotes s as a Python string literal with quote character q.
func pyQuote(s string, q byte) string {
	r := strings.NewReplacer(`\`, `\\`, string(q), `\`+string(q), "\n", `\n`)
	return string(q) + r.Replace(s) + string(q)
}

// python returns the expression that reads secret name, using quote q for
// the strings inside it (the other quote when embedded in an f-string), and
// the import lines the expression needs.
func (p provider) python(name string, q byte) (expr string, imports []string) {
	s := func(v string) string { return pyQuote(v, q) }
	switch p.name {
	case "vault":
		mount, prefix := splitVaultPath(p.path)
		return fmt.Sprintf(`hvac.Client().secrets.kv.v2.read_secret_version(mount_point=%s, path=%s)[%s][%s][%s]`,
			s(mount), s(joinPath(prefix, name)), s("data"), s("data"), s("value")), []string{"import hvac"}
	case "aws":
		return fmt.Sprintf(`boto3.client(%s).get_secret_value(SecretId=%s)[%s]`,
			s("secretsmanager"), s(p.path+name), s("SecretString")), []string{"import boto3"}
	case "gcp":
		return fmt.Sprintf(`secretmanager.SecretManagerServiceClient().access_secret_version(name=%s).payload.data.decode()`,
			s("projects/"+p.path+"/secrets/"+name+"/versions/latest")), []string{"from google.cloud import secretmanager"}
	case "azure":
		return fmt.Sprintf(`SecretClient(%s, DefaultAzureCredential()).get_secret(%s).value`,
				s("https://"+p.path+".vault.azure.net"), s(azureName(name))),
			[]string{"from azure.identity import DefaultAzureCredential", "from azure.keyvault.secrets import SecretClient"}
	case "databricks":
		return fmt.Sprintf(`dbutils.secrets.get(scope=%s, key=%s)`, s(p.path), s(name)), nil
	case "colab":
		return fmt.Sprintf(`userdata.get(%s)`, s(name)), []string{"from google.colab import userdata"}
	}
	// env, github, k8s, 1password (op run resolves op:// references into the environment).
	return fmt.Sprintf(`os.environ[%s]`, s(name)), []string{"import os"}
}

func splitVaultPath(p string) (mount, prefix string) {
	p = strings.Trim(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return p, ""
}

func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return strings.TrimRight(prefix, "/") + "/" + name
}

// azureName turns OPENAI_API_KEY into OPENAI-API-KEY: Key Vault names allow
// only letters, digits and dashes.
func azureName(name string) string { return strings.ReplaceAll(name, "_", "-") }

// onePasswordRef is the op:// reference `op run` resolves.
func (p provider) onePasswordRef(name string) string {
	return "op://" + p.path + "/" + name + "/password"
}

// storeCommand is the command that stores one secret in a store ("env",
// "vault", …, "github", "k8s"); value is the secret or its redaction.
func (p provider) storeCommand(store, name, value string) string {
	// Every argument is quoted where it needs it: a repository's
	// .lifeguard.toml sets the vault path, and people paste these lines.
	v := shell.Quote(value)
	q := shell.Arg
	switch store {
	case "vault":
		mount, prefix := splitVaultPath(p.path)
		return fmt.Sprintf("vault kv put %s %s value=%s", "-mount="+q(mount), q(joinPath(prefix, name)), v)
	case "aws":
		return fmt.Sprintf("aws secretsmanager create-secret --name %s --secret-string %s", q(p.path+name), v)
	case "gcp":
		return fmt.Sprintf("printf %%s %s | gcloud secrets create %s %s --data-file=-", v, q(name), "--project="+q(p.path))
	case "azure":
		return fmt.Sprintf("az keyvault secret set --vault-name %s --name %s --value %s", q(p.path), q(azureName(name)), v)
	case "1password":
		return fmt.Sprintf("op item create --category=password %s --title=%s password=%s", "--vault="+q(p.path), q(name), v)
	case "databricks":
		return fmt.Sprintf("databricks secrets put-secret %s %s --string-value %s", q(p.path), q(name), v)
	case "colab":
		return fmt.Sprintf("in Colab: Secrets (key icon) > Add new secret: name %s, value %s; allow notebook access", name, v)
	case "github":
		return fmt.Sprintf("gh secret set %s --body %s", name, v)
	case "k8s":
		return fmt.Sprintf("kubectl create secret generic %s --from-literal=%s=%s", q(k8sSecretName(p)), name, v)
	}
	return fmt.Sprintf("export %s=%s", name, v)
}

// k8sSecretName is the Secret manifests refer to.
func k8sSecretName(p provider) string {
	if p.name == "k8s" {
		return p.path
	}
	return defaultPaths["k8s"]
}

// k8sSecretManifest is the Secret to create for names, without values.
func k8sSecretManifest(secret, namespace string, names []string) string {
	names = append([]string(nil), names...)
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n", secret)
	if namespace != "" {
		fmt.Fprintf(&b, "  namespace: %s\n", namespace)
	}
	b.WriteString("type: Opaque\nstringData:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %s: \"\" # fill in outside version control, or use the kubectl command\n", n)
	}
	return b.String()
}
