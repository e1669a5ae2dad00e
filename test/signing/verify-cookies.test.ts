import { execFileSync } from 'child_process';
import { createSign, generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  cloudFrontBase64Decode,
  cloudFrontBase64Encode,
  resourceMatches,
  verifySignedCookies,
  verifySignedUrl,
} from './verify-cookies';

// The verifier's own tests sign with Node's crypto (what `openssl sha1 -sign` does), not with an AWS SDK signer: the
// SDK signers are what the verifier checks elsewhere.
const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const otherPublicPem = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const KEY_ID = 'K2JCJMDEHXQW5F';
const publicKeys = { [KEY_ID]: publicPem };

const NOW = 1_800_000_000;
const TITLE = 'https://d111111abcdef8.cloudfront.net/out/v1/title1/*';
const MANIFEST = 'https://d111111abcdef8.cloudfront.net/out/v1/title1/a1/b2/index.m3u8';

function sign(policy: string, privateKey = key.privateKey, hash = 'RSA-SHA1'): string {
  return cloudFrontBase64Encode(createSign(hash).update(policy).sign(privateKey));
}
function policyOf(resource: string | undefined, condition: Record<string, unknown>): string {
  return JSON.stringify({ Statement: [{ ...(resource === undefined ? {} : { Resource: resource }), Condition: condition }] });
}
function cookiesFor(policy: string, signature = sign(policy), keyId = KEY_ID): Record<string, string> {
  return { 'CloudFront-Policy': cloudFrontBase64Encode(policy), 'CloudFront-Signature': signature, 'CloudFront-Key-Pair-Id': keyId };
}
const until = (epoch: number) => ({ DateLessThan: { 'AWS:EpochTime': epoch } });

describe('CloudFront base64', () => {
  test('uses - _ ~ for + = /, and reverses', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xfe, 0x3e]); // standard base64: '+//+Pg=='
    expect(Buffer.from(bytes).toString('base64')).toBe('+//+Pg==');
    expect(cloudFrontBase64Encode(bytes)).toBe('-~~-Pg__');
    expect(cloudFrontBase64Decode('-~~-Pg__')).toEqual(bytes);
  });

  test("decodes the Developer Guide's example CloudFront-Policy cookie", () => {
    const policy = 'eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cDovL2QxMTExMTFhYmNkZWY4LmNsb3VkZnJvbnQubmV0L2dhbWVfZG93bmxvYWQuemlwIiwiQ29uZGl0aW9uIjp7'
      + 'IklwQWRkcmVzcyI6eyJBV1M6U291cmNlSXAiOiIxOTIuMC4yLjAvMjQifSwiRGF0ZUxlc3NUaGFuIjp7IkFXUzpFcG9jaFRpbWUiOjE0MjY1MDAwMDB9fX1dfQ__';
    expect(JSON.parse(cloudFrontBase64Decode(policy)!.toString())).toEqual({
      Statement: [{
        Resource: 'http://d111111abcdef8.cloudfront.net/game_download.zip',
        Condition: { IpAddress: { 'AWS:SourceIp': '192.0.2.0/24' }, DateLessThan: { 'AWS:EpochTime': 1426500000 } },
      }],
    });
  });

  test('rejects characters outside the alphabet (standard base64 is not accepted)', () => {
    expect(cloudFrontBase64Decode('+//+Pg==')).toBeUndefined();
  });
});

describe('resourceMatches', () => {
  test.each([
    [TITLE, MANIFEST, true],
    [TITLE, 'https://d111111abcdef8.cloudfront.net/out/v1/title1/a1/b2/seg_1.ts?aws.manifestfilter=x', true],
    [TITLE, 'https://d111111abcdef8.cloudfront.net/out/v1/title2/a1/b2/index.m3u8', false],
    [TITLE, 'http://d111111abcdef8.cloudfront.net/out/v1/title1/x', false],
    ['http*://d111111abcdef8.cloudfront.net/out/v1/title1/*', 'http://d111111abcdef8.cloudfront.net/out/v1/title1/x', true],
    ['https://d111111abcdef8.cloudfront.net/out/v1/title?/x', 'https://d111111abcdef8.cloudfront.net/out/v1/title1/x', true],
    ['https://d111111abcdef8.cloudfront.net/out/v1/title?/x', 'https://d111111abcdef8.cloudfront.net/out/v1/title12/x', false],
    ['https://d111111abcdef8.cloudfront.net/a.b', 'https://d111111abcdef8.cloudfront.net/aXb', false],
    [MANIFEST, MANIFEST + '?start=1', false],
  ])('%s matches %s: %s', (resource, url, expected) => {
    expect(resourceMatches(resource, url)).toBe(expected);
  });
});

describe('verifySignedCookies', () => {
  const request = { publicKeys, time: NOW };

  test('allows a request under the resource before DateLessThan', () => {
    expect(verifySignedCookies(MANIFEST, cookiesFor(policyOf(TITLE, until(NOW + 60))), request)).toEqual({ allowed: true, reason: 'allowed' });
  });

  test('takes a Date for the time', () => {
    const cookies = cookiesFor(policyOf(TITLE, until(NOW + 60)));
    expect(verifySignedCookies(MANIFEST, cookies, { publicKeys, time: new Date((NOW + 59) * 1000) }).allowed).toBe(true);
    expect(verifySignedCookies(MANIFEST, cookies, { publicKeys, time: new Date((NOW + 61) * 1000) }).allowed).toBe(false);
  });

  test('denies at and after DateLessThan', () => {
    const cookies = cookiesFor(policyOf(TITLE, until(NOW)));
    expect(verifySignedCookies(MANIFEST, cookies, request)).toEqual({ allowed: false, reason: `expired: DateLessThan ${NOW}, request at ${NOW}` });
    expect(verifySignedCookies(MANIFEST, cookies, { publicKeys, time: NOW + 1 }).reason).toMatch(/^expired/);
  });

  test('denies before and at DateGreaterThan', () => {
    const cookies = cookiesFor(policyOf(TITLE, { ...until(NOW + 600), DateGreaterThan: { 'AWS:EpochTime': NOW } }));
    expect(verifySignedCookies(MANIFEST, cookies, request).reason).toBe(`not yet valid: DateGreaterThan ${NOW}, request at ${NOW}`);
    expect(verifySignedCookies(MANIFEST, cookies, { publicKeys, time: NOW + 1 }).allowed).toBe(true);
  });

  test("denies another title's path", () => {
    const decision = verifySignedCookies(MANIFEST.replace('title1', 'title2'), cookiesFor(policyOf(TITLE, until(NOW + 60))), request);
    expect(decision).toEqual({ allowed: false, reason: `resource ${TITLE} does not match ${MANIFEST.replace('title1', 'title2')}` });
  });

  test('denies a tampered policy (resource widened after signing)', () => {
    const signed = policyOf(TITLE, until(NOW + 60));
    const cookies = { ...cookiesFor(signed), 'CloudFront-Policy': cloudFrontBase64Encode(signed.replace('title1/*', '*')) };
    expect(verifySignedCookies(MANIFEST, cookies, request)).toEqual({ allowed: false, reason: 'signature does not match the policy' });
  });

  test('denies a tampered policy (expiry extended after signing)', () => {
    const signed = policyOf(TITLE, until(NOW - 1));
    const cookies = { ...cookiesFor(signed), 'CloudFront-Policy': cloudFrontBase64Encode(policyOf(TITLE, until(NOW + 3600))) };
    expect(verifySignedCookies(MANIFEST, cookies, request).reason).toBe('signature does not match the policy');
  });

  test('denies a signature made with another private key, and an unknown key pair id', () => {
    const policy = policyOf(TITLE, until(NOW + 60));
    const otherKeySignature = sign(policy, other.privateKey);
    expect(verifySignedCookies(MANIFEST, cookiesFor(policy, otherKeySignature), request).reason).toBe('signature does not match the policy');
    expect(verifySignedCookies(MANIFEST, cookiesFor(policy, sign(policy), 'KOTHER'), request).reason).toBe('unknown key pair id KOTHER');
  });

  test('checks the key the Key-Pair-Id names (two keys in the group, as during rotation)', () => {
    const policy = policyOf(TITLE, until(NOW + 60));
    const both = { publicKeys: { [KEY_ID]: publicPem, KNEW: otherPublicPem }, time: NOW };
    expect(verifySignedCookies(MANIFEST, cookiesFor(policy, sign(policy, other.privateKey), 'KNEW'), both).allowed).toBe(true);
    expect(verifySignedCookies(MANIFEST, cookiesFor(policy, sign(policy, other.privateKey), KEY_ID), both).allowed).toBe(false);
  });

  test('allows SHA256 with CloudFront-Hash-Algorithm, and denies a SHA256 signature without it', () => {
    const policy = policyOf(TITLE, until(NOW + 60));
    const cookies = cookiesFor(policy, sign(policy, key.privateKey, 'RSA-SHA256'));
    expect(verifySignedCookies(MANIFEST, { ...cookies, 'CloudFront-Hash-Algorithm': 'SHA256' }, request).allowed).toBe(true);
    expect(verifySignedCookies(MANIFEST, cookies, request).reason).toBe('signature does not match the policy');
    expect(verifySignedCookies(MANIFEST, { ...cookies, 'CloudFront-Hash-Algorithm': 'MD5' }, request).reason).toBe('unsupported hash algorithm MD5');
  });

  test('IpAddress: allows an address in the range, denies one outside it or a request without one', () => {
    const cookies = cookiesFor(policyOf(TITLE, { ...until(NOW + 60), IpAddress: { 'AWS:SourceIp': '192.0.2.0/24' } }));
    expect(verifySignedCookies(MANIFEST, cookies, { ...request, clientIp: '192.0.2.77' }).allowed).toBe(true);
    expect(verifySignedCookies(MANIFEST, cookies, { ...request, clientIp: '198.51.100.7' }).reason)
      .toBe('client IP 198.51.100.7 is not in 192.0.2.0/24');
    expect(verifySignedCookies(MANIFEST, cookies, { ...request, clientIp: '2001:db8::1' }).allowed).toBe(false);
    expect(verifySignedCookies(MANIFEST, cookies, request).reason).toBe('the policy allows 192.0.2.0/24 only and the request has no client IP');
  });

  test('IpAddress: IPv6 ranges', () => {
    const cookies = cookiesFor(policyOf(TITLE, { ...until(NOW + 60), IpAddress: { 'AWS:SourceIp': '2001:db8:85a3::/64' } }));
    expect(verifySignedCookies(MANIFEST, cookies, { ...request, clientIp: '2001:db8:85a3::8a2e:370:7334' }).allowed).toBe(true);
    expect(verifySignedCookies(MANIFEST, cookies, { ...request, clientIp: '2001:db8:85a4::1' }).allowed).toBe(false);
  });

  test('a policy without Resource covers every URL (as the guide warns)', () => {
    expect(verifySignedCookies('https://x.example.com/any', cookiesFor(policyOf(undefined, until(NOW + 60))), request).allowed).toBe(true);
  });

  test.each([
    [JSON.stringify({ Statement: [] }), 'malformed policy: a policy has exactly one Statement'],
    [policyOf(TITLE, {}), 'malformed policy: DateLessThan is required'],
    [
      policyOf(TITLE, { DateLessThan: { 'AWS:EpochTime': '1800000060' } }),
      'malformed policy: DateLessThan AWS:EpochTime is not a whole number of seconds: "1800000060"',
    ],
    [
      policyOf(TITLE, { ...until(NOW + 60), IpAddress: { 'AWS:SourceIp': '192.0.2.1' } }),
      'malformed policy: IpAddress AWS:SourceIp is not one CIDR range: "192.0.2.1"',
    ],
    ['{"Statement":', 'malformed policy: Unexpected end of JSON input'],
  ])('denies a signed but malformed policy %s', (policy, reason) => {
    expect(verifySignedCookies(MANIFEST, cookiesFor(policy), { ...request, clientIp: '192.0.2.1' })).toEqual({ allowed: false, reason });
  });

  test('denies missing cookies, bad encodings and canned-policy cookies', () => {
    const cookies = cookiesFor(policyOf(TITLE, until(NOW + 60)));
    for (const name of ['CloudFront-Policy', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id']) {
      const { [name]: _, ...rest } = cookies;
      expect(verifySignedCookies(MANIFEST, rest, request).reason).toBe(`missing cookie ${name}`);
    }
    expect(verifySignedCookies(MANIFEST, { ...cookies, 'CloudFront-Policy': 'a+b=' }, request).reason)
      .toBe('CloudFront-Policy is not CloudFront base64');
    expect(verifySignedCookies(MANIFEST, { ...cookies, 'CloudFront-Signature': 'a/b' }, request).reason).toBe('signature is not CloudFront base64');
    const canned: Record<string, string> = { ...cookies, 'CloudFront-Expires': String(NOW + 60) };
    delete canned['CloudFront-Policy'];
    expect(verifySignedCookies(MANIFEST, canned, request).reason).toMatch(/^canned-policy cookies/);
  });
});

describe('against the Developer Guide\'s OpenSSL pipeline (private-content-linux-openssl.html)', () => {
  test('accepts cookies whose signature openssl made from a pretty-printed policy with its white space removed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-openssl-'));
    try {
      fs.writeFileSync(path.join(dir, 'private-key.pem'), key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      fs.writeFileSync(path.join(dir, 'policy'), JSON.stringify(JSON.parse(policyOf(TITLE, until(NOW + 60))), undefined, 2));
      // The guide's pipeline; `openssl base64 -A` writes one line (plain `openssl base64` wraps at 64 characters).
      const shell = (script: string) => execFileSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
      const signature = shell('cat policy | tr -d " \\t\\n\\r" | openssl sha1 -sign private-key.pem | openssl base64 -A | tr -- \'+=/\' \'-_~\'');
      const compact = shell('cat policy | tr -d " \\t\\n\\r"');
      expect(compact).toBe(policyOf(TITLE, until(NOW + 60)));
      const cookies = cookiesFor(compact, signature.trim());
      expect(verifySignedCookies(MANIFEST, cookies, { publicKeys, time: NOW })).toEqual({ allowed: true, reason: 'allowed' });
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('verifySignedUrl', () => {
  const request = { publicKeys, time: NOW };
  const withQuery = `${MANIFEST}?aws.manifestfilter=video_height%3A1-720&start=10&end=70`;
  const signUrl = (base: string, policy: string) =>
    `${base}${base.includes('?') ? '&' : '?'}Policy=${cloudFrontBase64Encode(policy)}&Signature=${sign(policy)}&Key-Pair-Id=${KEY_ID}`;

  test('custom policy: the URL\'s own query string (aws.manifestfilter, start, end) is part of what is signed', () => {
    const signed = signUrl(withQuery, policyOf(withQuery, until(NOW + 60)));
    expect(verifySignedUrl(signed, request)).toEqual({ allowed: true, reason: 'allowed' });
    const changed = signed.replace('start=10', 'start=0');
    expect(verifySignedUrl(changed, request).reason).toBe(`resource ${withQuery} does not match ${withQuery.replace('start=10', 'start=0')}`);
  });

  test('custom policy with a wildcard resource, expiry and tampering', () => {
    expect(verifySignedUrl(signUrl(MANIFEST, policyOf(TITLE, until(NOW + 60))), request).allowed).toBe(true);
    expect(verifySignedUrl(signUrl(MANIFEST, policyOf(TITLE, until(NOW))), request).reason).toMatch(/^expired/);
    const otherTitle = signUrl(MANIFEST.replace('title1', 'title2'), policyOf(TITLE, until(NOW + 60)));
    expect(verifySignedUrl(otherTitle, request).reason).toMatch(/^resource .* does not match/);
    const signed = signUrl(MANIFEST, policyOf(MANIFEST, until(NOW + 60)));
    const tampered = signed.replace(/Policy=[^&]+/, `Policy=${cloudFrontBase64Encode(policyOf(TITLE, until(NOW + 60)))}`);
    expect(verifySignedUrl(tampered, request).reason).toBe('signature does not match the policy');
  });

  test('canned policy (Expires): the policy statement is rebuilt from the URL and Expires', () => {
    const expires = NOW + 60;
    const canned = `{"Statement":[{"Resource":"${withQuery}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
    const signed = `${withQuery}&Expires=${expires}&Signature=${sign(canned)}&Key-Pair-Id=${KEY_ID}`;
    expect(verifySignedUrl(signed, request).allowed).toBe(true);
    const extended = signed.replace(`Expires=${expires}`, `Expires=${expires + 3600}`);
    expect(verifySignedUrl(extended, request).reason).toBe('signature does not match the policy');
    expect(verifySignedUrl(signed, { publicKeys, time: expires }).reason).toMatch(/^expired/);
  });

  test('denies URLs without the signing parameters', () => {
    expect(verifySignedUrl(MANIFEST, request).reason).toBe('the URL has no query string (no Signature)');
    expect(verifySignedUrl(`${MANIFEST}?Policy=x&Key-Pair-Id=${KEY_ID}`, request).reason).toBe('missing query parameter Signature');
    expect(verifySignedUrl(`${MANIFEST}?Signature=x&Key-Pair-Id=${KEY_ID}`, request).reason).toBe('missing query parameter Policy or Expires');
  });
});

describe('verify-cli', () => {
  const root = path.resolve(__dirname, '..', '..');
  const cli = path.join(__dirname, 'verify-cli.ts');
  const runCli = (file: string) => execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', cli, file], {
    cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.dev.json') }, encoding: 'utf8', stdio: 'pipe',
  });

  test('decides each case of a JSON file, for the consumers in other languages', () => {
    const policy = policyOf(TITLE, until(NOW + 60));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-cli-'));
    const file = path.join(dir, 'cases.json');
    fs.writeFileSync(file, JSON.stringify({
      publicKeys,
      cases: [
        { name: 'cookies', time: NOW, url: MANIFEST, cookies: cookiesFor(policy) },
        { name: 'expired', time: NOW + 60, url: MANIFEST, cookies: cookiesFor(policy) },
        { name: 'url', time: NOW, signedUrl: `${MANIFEST}?Policy=${cloudFrontBase64Encode(policy)}&Signature=${sign(policy)}&Key-Pair-Id=${KEY_ID}` },
        { name: 'neither', time: NOW },
      ],
    }));
    expect(JSON.parse(runCli(file)).results).toEqual([
      { name: 'cookies', allowed: true, reason: 'allowed' },
      { name: 'expired', allowed: false, reason: `expired: DateLessThan ${NOW + 60}, request at ${NOW + 60}` },
      { name: 'url', allowed: true, reason: 'allowed' },
      { name: 'neither', allowed: false, reason: 'a case needs signedUrl, or url and cookies' },
    ]);
    fs.rmSync(dir, { recursive: true });
  });

  test('exits 2 on input that is not a cases file', () => {
    expect(() => runCli('/nonexistent.json')).toThrow(/Command failed/);
  });
});
