// Package signing is the Go backend's signing code: the AWS SDK for Go v2 CloudFront signer
// (feature/cloudfront/sign) with a custom policy. README "Signing cookies in your backend" shows the part between the
// README markers (test/signing/readme-snippets.test.ts checks that it is the same); signing_test.go runs it and checks
// its output with the project's one verifier (test/signing/verify-cookies.ts).
package signing

// README: go begin
import (
	"crypto/rsa"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"
)

// customPolicy: resource (a URL, '*' matches any characters) until expires, optionally for one IP range (CIDR).
func customPolicy(resource string, expires time.Time, ipRange string) *sign.Policy {
	condition := sign.Condition{DateLessThan: sign.NewAWSEpochTime(expires)}
	if ipRange != "" {
		condition.IPAddress = &sign.IPAddress{SourceIP: ipRange}
	}
	return &sign.Policy{Statements: []sign.Statement{{Resource: resource, Condition: condition}}}
}

// SignTitleCookies returns the three cookies for every file under resource, e.g. "https://cdn.example.com/out/v1/abc/*".
// The private key: sign.LoadPEMPrivKey (PKCS#1) or sign.LoadPEMPrivKeyPKCS8.
func SignTitleCookies(keyPairID string, key *rsa.PrivateKey, resource string, expires time.Time, ipRange string) ([]*http.Cookie, error) {
	return sign.NewCookieSigner(keyPairID, key).SignWithPolicy(customPolicy(resource, expires, ipRange))
}

// SignURL signs one URL (its query string, e.g. aws.manifestfilter, included) with Policy, Signature and Key-Pair-Id.
func SignURL(keyPairID string, key *rsa.PrivateKey, url string, expires time.Time, ipRange string) (string, error) {
	return sign.NewURLSigner(keyPairID, key).SignWithPolicy(url, customPolicy(url, expires, ipRange))
}

// README: go end
