package signing

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"
)

// The Go backend's signing code with a key made at test time; every cookie and URL it makes is decided by the
// project's one verifier (test/signing/verify-cookies.ts, through its CLI test/signing/verify-cli.ts).

const (
	keyID     = "K3GOTEST1"
	domain    = "https://d111111abcdef8.cloudfront.net"
	title1    = domain + "/out/v1/6e2f3c1a/*"
	title2    = domain + "/out/v1/0a1b2c3d/*"
	manifest1 = domain + "/out/v1/6e2f3c1a/9b8c7d6e/5f4e3d2c/index.m3u8"
	segment1  = domain + "/out/v1/6e2f3c1a/9b8c7d6e/5f4e3d2c/index_1_0.ts?aws.manifestfilter=video_height%3A1-720"
	manifest2 = domain + "/out/v1/0a1b2c3d/9b8c7d6e/5f4e3d2c/index.m3u8"
	withQuery = manifest1 + "?aws.manifestfilter=video_height%3A1-720&start=10&end=70"
)

type verdict struct {
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason"`
}

type testCase map[string]any

func cookieMap(t *testing.T, cookies []*http.Cookie) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, c := range cookies {
		m[c.Name] = c.Value
	}
	return m
}

// verify decides every case with the verifier CLI (node and the repository's ts-node).
func verify(t *testing.T, publicPEM string, cases []testCase) map[string]verdict {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	input, err := json.Marshal(map[string]any{"publicKeys": map[string]string{keyID: publicPEM}, "cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "cases.json")
	if err := os.WriteFile(file, input, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "-r", "ts-node/register/transpile-only", filepath.Join(root, "test/signing/verify-cli.ts"), file)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "TS_NODE_PROJECT="+filepath.Join(root, "tsconfig.dev.json"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("verifier: %v: %s", err, stderr.String())
	}
	var parsed struct {
		Results []struct {
			Name string `json:"name"`
			verdict
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &parsed); err != nil {
		t.Fatalf("verifier output %q: %v", out, err)
	}
	verdicts := map[string]verdict{}
	for _, r := range parsed.Results {
		verdicts[r.Name] = r.verdict
	}
	return verdicts
}

func TestSigningVerifiedByCloudFrontAlgorithm(t *testing.T) {
	generated, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	// As a backend reads it (e.g. from a Secrets Manager secret): PKCS#8 PEM, loaded with the SDK's loader.
	der, err := x509.MarshalPKCS8PrivateKey(generated)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := sign.LoadPEMPrivKeyPKCS8(bytes.NewReader(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
	if err != nil {
		t.Fatal(err)
	}
	key := loaded.(*rsa.PrivateKey)
	spki, err := x509.MarshalPKIXPublicKey(&generated.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	publicPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}))

	now := time.Now()
	inOneHour := now.Add(time.Hour)
	aMinuteAgo := now.Add(-time.Minute)
	must := func(cookies []*http.Cookie, err error) map[string]string {
		if err != nil {
			t.Fatal(err)
		}
		return cookieMap(t, cookies)
	}
	cookies := must(SignTitleCookies(keyID, key, title1, inOneHour, ""))
	other := must(SignTitleCookies(keyID, key, title2, inOneHour, ""))
	expired := must(SignTitleCookies(keyID, key, title1, aMinuteAgo, ""))
	ipBound := must(SignTitleCookies(keyID, key, title1, inOneHour, "192.0.2.0/24"))
	signedURL, err := SignURL(keyID, key, withQuery, inOneHour, "")
	if err != nil {
		t.Fatal(err)
	}
	expiredURL, err := SignURL(keyID, key, withQuery, aMinuteAgo, "")
	if err != nil {
		t.Fatal(err)
	}
	tampered := map[string]string{}
	for k, v := range cookies {
		tampered[k] = v
	}
	tampered["CloudFront-Policy"] = other["CloudFront-Policy"]

	ts := now.Unix()
	d := verify(t, publicPEM, []testCase{
		{"name": "manifest", "time": ts, "url": manifest1, "cookies": cookies},
		{"name": "segment", "time": ts, "url": segment1, "cookies": cookies},
		{"name": "other title", "time": ts, "url": manifest2, "cookies": cookies},
		{"name": "after expiry", "time": inOneHour.Unix() + 1, "url": manifest1, "cookies": cookies},
		{"name": "expired policy", "time": ts, "url": manifest1, "cookies": expired},
		{"name": "tampered policy", "time": ts, "url": manifest2, "cookies": tampered},
		{"name": "ip inside", "time": ts, "url": manifest1, "cookies": ipBound, "clientIp": "192.0.2.10"},
		{"name": "ip outside", "time": ts, "url": manifest1, "cookies": ipBound, "clientIp": "203.0.113.5"},
		{"name": "url", "time": ts, "signedUrl": signedURL},
		{"name": "url query changed", "time": ts, "signedUrl": strings.Replace(signedURL, "end=70", "end=7000", 1)},
		{"name": "url expired", "time": ts, "signedUrl": expiredURL},
	})

	if len(cookies) != 3 || cookies["CloudFront-Key-Pair-Id"] != keyID || cookies["CloudFront-Policy"] == "" || cookies["CloudFront-Signature"] == "" {
		t.Errorf("cookies: want the three CloudFront cookies, got %v", cookies)
	}
	if !strings.HasPrefix(signedURL, withQuery+"&Policy=") || !strings.HasSuffix(signedURL, "&Key-Pair-Id="+keyID) {
		t.Errorf("signed URL: want %s&Policy=…&Signature=…&Key-Pair-Id=%s, got %s", withQuery, keyID, signedURL)
	}
	want := map[string]verdict{
		"manifest":          {true, "allowed"},
		"segment":           {true, "allowed"},
		"other title":       {false, "resource " + title1 + " does not match " + manifest2},
		"tampered policy":   {false, "signature does not match the policy"},
		"ip inside":         {true, "allowed"},
		"ip outside":        {false, "client IP 203.0.113.5 is not in 192.0.2.0/24"},
		"url":               {true, "allowed"},
		"url query changed": {false, "resource " + withQuery + " does not match " + strings.Replace(withQuery, "end=70", "end=7000", 1)},
	}
	for name, w := range want {
		if d[name] != w {
			t.Errorf("%s: want %+v, got %+v", name, w, d[name])
		}
	}
	for _, name := range []string{"after expiry", "expired policy", "url expired"} {
		if d[name].Allowed || !strings.HasPrefix(d[name].Reason, "expired") {
			t.Errorf("%s: want denied as expired, got %+v", name, d[name])
		}
	}
}
