package io.github.cdkmediapackagevod.consumer;

// The Java backend's signing code: the AWS SDK for Java v2 CloudFrontUtilities with a custom policy. README "Signing
// cookies in your backend" shows the part between the README markers (test/signing/readme-snippets.test.ts checks that
// it is the same); TitleSignerTest runs it and checks its output with the project's one verifier
// (test/signing/verify-cookies.ts).

// README: java begin
import java.security.PrivateKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.cloudfront.CloudFrontUtilities;
import software.amazon.awssdk.services.cloudfront.cookie.CookiesForCustomPolicy;
import software.amazon.awssdk.services.cloudfront.model.CustomSignerRequest;

public final class TitleSigner {
    private static final CloudFrontUtilities CLOUDFRONT = CloudFrontUtilities.create();

    private TitleSigner() {
    }

    /**
     * The three cookies (name to value) for every file under resourcePattern, e.g. "https://cdn.example.com/out/v1/abc/*",
     * until expires; ipRange (CIDR, e.g. "192.0.2.0/24") or null for any viewer address.
     */
    public static Map<String, String> signTitleCookies(String keyPairId, PrivateKey key, String resourcePattern,
                                                       Instant expires, String ipRange) {
        CookiesForCustomPolicy cookies = CLOUDFRONT.getCookiesForCustomPolicy(CustomSignerRequest.builder()
            .resourceUrl(resourcePattern)
            .resourceUrlPattern(resourcePattern)
            .keyPairId(keyPairId)
            .privateKey(key)
            .expirationDate(expires)
            .ipRange(ipRange)
            .build());
        Map<String, String> byName = new HashMap<>();
        // The SDK gives "Name=value" (a Cookie header's pair); a Set-Cookie header needs name and value.
        for (String pair : new String[] {cookies.policyHeaderValue(), cookies.signatureHeaderValue(), cookies.keyPairIdHeaderValue()}) {
            int eq = pair.indexOf('=');
            byName.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return byName;
    }

    /** One URL (its query string, e.g. aws.manifestfilter, included) signed with Policy, Signature and Key-Pair-Id. */
    public static String signUrl(String keyPairId, PrivateKey key, String url, Instant expires, String ipRange) {
        return CLOUDFRONT.getSignedUrlWithCustomPolicy(CustomSignerRequest.builder()
            .resourceUrl(url)
            .keyPairId(keyPairId)
            .privateKey(key)
            .expirationDate(expires)
            .ipRange(ipRange)
            .build()).url();
    }
}
// README: java end
