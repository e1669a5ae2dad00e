package io.github.cdkmediapackagevod.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java backend's signing code (TitleSigner) with a key made at test time; every cookie and URL it makes is decided
 * by the project's one verifier (test/signing/verify-cookies.ts, through its CLI test/signing/verify-cli.ts).
 */
class TitleSignerTest {
    private static final String KEY_ID = "K3JAVATEST1";
    private static final String DOMAIN = "https://d111111abcdef8.cloudfront.net";
    private static final String TITLE_1 = DOMAIN + "/out/v1/6e2f3c1a/*";
    private static final String TITLE_2 = DOMAIN + "/out/v1/0a1b2c3d/*";
    private static final String MANIFEST_1 = DOMAIN + "/out/v1/6e2f3c1a/9b8c7d6e/5f4e3d2c/index.m3u8";
    private static final String SEGMENT_1 = DOMAIN + "/out/v1/6e2f3c1a/9b8c7d6e/5f4e3d2c/index_1_0.ts?aws.manifestfilter=video_height%3A1-720";
    private static final String MANIFEST_2 = DOMAIN + "/out/v1/0a1b2c3d/9b8c7d6e/5f4e3d2c/index.m3u8";
    private static final String WITH_QUERY = MANIFEST_1 + "?aws.manifestfilter=video_height%3A1-720&start=10&end=70";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, String> cookies;
    private static String signedUrl;
    private static Map<String, JsonNode> decisions;

    @BeforeAll
    static void signAndVerify() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        // As a backend reads it (e.g. from a Secrets Manager secret): PKCS#8 PEM, decoded into a PrivateKey.
        String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
        String body = privatePem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());

        Instant now = Instant.now();
        Instant inOneHour = now.plusSeconds(3600);
        Instant aMinuteAgo = now.minusSeconds(60);
        cookies = TitleSigner.signTitleCookies(KEY_ID, key, TITLE_1, inOneHour, null);
        Map<String, String> other = TitleSigner.signTitleCookies(KEY_ID, key, TITLE_2, inOneHour, null);
        Map<String, String> expired = TitleSigner.signTitleCookies(KEY_ID, key, TITLE_1, aMinuteAgo, null);
        Map<String, String> ipBound = TitleSigner.signTitleCookies(KEY_ID, key, TITLE_1, inOneHour, "192.0.2.0/24");
        Map<String, String> tampered = new HashMap<>(cookies);
        tampered.put("CloudFront-Policy", other.get("CloudFront-Policy"));
        signedUrl = TitleSigner.signUrl(KEY_ID, key, WITH_QUERY, inOneHour, null);
        String expiredUrl = TitleSigner.signUrl(KEY_ID, key, WITH_QUERY, aMinuteAgo, null);

        long t = now.getEpochSecond();
        List<Map<String, Object>> cases = new ArrayList<>();
        cases.add(cookieCase("manifest", t, MANIFEST_1, cookies, null));
        cases.add(cookieCase("segment", t, SEGMENT_1, cookies, null));
        cases.add(cookieCase("other title", t, MANIFEST_2, cookies, null));
        cases.add(cookieCase("after expiry", inOneHour.getEpochSecond() + 1, MANIFEST_1, cookies, null));
        cases.add(cookieCase("expired policy", t, MANIFEST_1, expired, null));
        cases.add(cookieCase("tampered policy", t, MANIFEST_2, tampered, null));
        cases.add(cookieCase("ip inside", t, MANIFEST_1, ipBound, "192.0.2.10"));
        cases.add(cookieCase("ip outside", t, MANIFEST_1, ipBound, "203.0.113.5"));
        cases.add(urlCase("url", t, signedUrl));
        cases.add(urlCase("url query changed", t, signedUrl.replace("end=70", "end=7000")));
        cases.add(urlCase("url expired", t, expiredUrl));
        decisions = verify(publicPem, cases);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static Map<String, Object> cookieCase(String name, long time, String url, Map<String, String> cookies, String clientIp) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("time", time);
        c.put("url", url);
        c.put("cookies", cookies);
        if (clientIp != null) {
            c.put("clientIp", clientIp);
        }
        return c;
    }

    private static Map<String, Object> urlCase(String name, long time, String url) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("time", time);
        c.put("signedUrl", url);
        return c;
    }

    /** Runs the verifier CLI (node and the repository's ts-node) on the cases; returns name to decision. */
    private static Map<String, JsonNode> verify(String publicPem, List<Map<String, Object>> cases) throws Exception {
        Path root = Path.of(System.getProperty("user.dir"), "..", "..", "..").toRealPath();
        Path file = Files.createTempFile("java-signing-", ".json");
        try {
            Files.writeString(file, JSON.writeValueAsString(Map.of("publicKeys", Map.of(KEY_ID, publicPem), "cases", cases)));
            ProcessBuilder builder = new ProcessBuilder("node", "-r", "ts-node/register/transpile-only",
                root.resolve("test/signing/verify-cli.ts").toString(), file.toString())
                .directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("TS_NODE_PROJECT", root.resolve("tsconfig.dev.json").toString());
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the verifier did not finish");
            assertEquals(0, process.exitValue(), "the verifier failed");
            Map<String, JsonNode> byName = new HashMap<>();
            for (JsonNode result : JSON.readTree(new String(out, StandardCharsets.UTF_8)).get("results")) {
                byName.put(result.get("name").asText(), result);
            }
            return byName;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void assertDecision(String name, boolean allowed, String reason) {
        assertEquals(allowed, decisions.get(name).get("allowed").asBoolean(), name + ": " + decisions.get(name));
        assertEquals(reason, decisions.get(name).get("reason").asText(), name);
    }

    private static void assertExpired(String name) {
        assertFalse(decisions.get(name).get("allowed").asBoolean(), name);
        assertTrue(decisions.get(name).get("reason").asText().startsWith("expired"), name + ": " + decisions.get(name));
    }

    @Test
    void cookiesAreTheThreeCloudFrontCookies() {
        assertEquals(java.util.Set.of("CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id"), cookies.keySet());
        assertEquals(KEY_ID, cookies.get("CloudFront-Key-Pair-Id"));
    }

    @Test
    void cookiesOpenTheTitle() {
        assertDecision("manifest", true, "allowed");
        assertDecision("segment", true, "allowed");
    }

    @Test
    void cookiesDoNotOpenAnotherTitle() {
        assertDecision("other title", false, "resource " + TITLE_1 + " does not match " + MANIFEST_2);
    }

    @Test
    void expiredCookiesFail() {
        assertExpired("after expiry");
        assertExpired("expired policy");
    }

    @Test
    void tamperedPolicyFails() {
        assertDecision("tampered policy", false, "signature does not match the policy");
    }

    @Test
    void ipRange() {
        assertDecision("ip inside", true, "allowed");
        assertDecision("ip outside", false, "client IP 203.0.113.5 is not in 192.0.2.0/24");
    }

    @Test
    void signedUrlKeepsTheServiceQueryStrings() {
        assertTrue(signedUrl.startsWith(WITH_QUERY + "&Policy="), signedUrl);
        assertTrue(signedUrl.endsWith("&Key-Pair-Id=" + KEY_ID), signedUrl);
        assertDecision("url", true, "allowed");
        assertFalse(decisions.get("url query changed").get("allowed").asBoolean());
        assertExpired("url expired");
    }
}
