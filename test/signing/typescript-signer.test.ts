import { generateKeyPairSync } from 'crypto';
import { signTitleCookies, signUrl } from './typescript-signer';
import { verifySignedCookies, verifySignedUrl } from './verify-cookies';

// The TypeScript backend's signing code (@aws-sdk/cloudfront-signer), checked with the one verifier. The key pair is
// made here, at test time; the key id stands for the CloudFront public key id of a key group.
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const KEY_ID = 'K3TESTKEYID1';
const publicKeys = { [KEY_ID]: publicKey.export({ type: 'spki', format: 'pem' }).toString() };

const DOMAIN = 'https://d111111abcdef8.cloudfront.net';
const TITLE_1 = `${DOMAIN}/out/v1/6e2f3c1a/*`;
const MANIFEST_1 = `${DOMAIN}/out/v1/6e2f3c1a/9b8c7d6e/5f4e3d2c/index.m3u8`;
const SEGMENT_1 = `${DOMAIN}/out/v1/6e2f3c1a/9b8c7d6e/5f4e3d2c/index_1_0.ts`;
const MANIFEST_2 = `${DOMAIN}/out/v1/0a1b2c3d/9b8c7d6e/5f4e3d2c/index.m3u8`;

const now = new Date();
const inOneHour = new Date(now.getTime() + 3600_000);
const oneMinuteAgo = new Date(now.getTime() - 60_000);

describe('TypeScript backend: signed cookies for a title', () => {
  test('let the viewer fetch the manifest and the segments of the title', () => {
    const cookies = signTitleCookies(KEY_ID, privatePem, TITLE_1, inOneHour);
    expect(Object.keys(cookies).sort()).toEqual(['CloudFront-Key-Pair-Id', 'CloudFront-Policy', 'CloudFront-Signature']);
    expect(verifySignedCookies(MANIFEST_1, cookies, { publicKeys, time: now })).toEqual({ allowed: true, reason: 'allowed' });
    expect(verifySignedCookies(`${SEGMENT_1}?aws.manifestfilter=video_height%3A1-720`, cookies, { publicKeys, time: now }).allowed).toBe(true);
  });

  test("do not open another title's path", () => {
    const cookies = signTitleCookies(KEY_ID, privatePem, TITLE_1, inOneHour);
    expect(verifySignedCookies(MANIFEST_2, cookies, { publicKeys, time: now }).reason).toMatch(/^resource .* does not match/);
  });

  test('expire: a policy that ended a minute ago, and one verified after its end', () => {
    const expired = signTitleCookies(KEY_ID, privatePem, TITLE_1, oneMinuteAgo);
    expect(verifySignedCookies(MANIFEST_1, expired, { publicKeys, time: now }).reason).toMatch(/^expired/);
    const cookies = signTitleCookies(KEY_ID, privatePem, TITLE_1, inOneHour);
    expect(verifySignedCookies(MANIFEST_1, cookies, { publicKeys, time: new Date(inOneHour.getTime() + 1000) }).reason).toMatch(/^expired/);
  });

  test('fail verification when the policy is tampered with (another title put in)', () => {
    const cookies = signTitleCookies(KEY_ID, privatePem, TITLE_1, inOneHour);
    const other = signTitleCookies(KEY_ID, privatePem, `${DOMAIN}/out/v1/0a1b2c3d/*`, inOneHour);
    const tampered = { ...cookies, 'CloudFront-Policy': other['CloudFront-Policy']! };
    expect(verifySignedCookies(MANIFEST_2, tampered, { publicKeys, time: now }).reason).toBe('signature does not match the policy');
  });

  test('with an IP range: the viewer inside it only', () => {
    const cookies = signTitleCookies(KEY_ID, privatePem, TITLE_1, inOneHour, '192.0.2.0/24');
    expect(verifySignedCookies(MANIFEST_1, cookies, { publicKeys, time: now, clientIp: '192.0.2.10' }).allowed).toBe(true);
    expect(verifySignedCookies(MANIFEST_1, cookies, { publicKeys, time: now, clientIp: '203.0.113.5' }).allowed).toBe(false);
  });
});

describe('TypeScript backend: a signed URL', () => {
  const withQuery = `${MANIFEST_1}?aws.manifestfilter=video_height%3A1-720&start=10&end=70`;

  test('keeps the query strings MediaPackage reads (aws.manifestfilter, start, end) before Policy, Signature, Key-Pair-Id', () => {
    const signed = signUrl(KEY_ID, privatePem, withQuery, inOneHour);
    expect(signed.startsWith(`${withQuery}&Policy=`)).toBe(true);
    const signing = new URLSearchParams(signed.slice(withQuery.length + 1));
    expect([...signing.keys()].sort()).toEqual(['Key-Pair-Id', 'Policy', 'Signature']);
    expect(signing.get('Key-Pair-Id')).toBe(KEY_ID);
    expect(verifySignedUrl(signed, { publicKeys, time: now })).toEqual({ allowed: true, reason: 'allowed' });
  });

  test('fails when a signed query string is changed, when expired, and for another file', () => {
    const signed = signUrl(KEY_ID, privatePem, withQuery, inOneHour);
    expect(verifySignedUrl(signed.replace('end=70', 'end=7000'), { publicKeys, time: now }).allowed).toBe(false);
    expect(verifySignedUrl(signUrl(KEY_ID, privatePem, withQuery, oneMinuteAgo), { publicKeys, time: now }).reason).toMatch(/^expired/);
    expect(verifySignedUrl(signed.replace('index.m3u8', 'index_1_0.ts'), { publicKeys, time: now }).allowed).toBe(false);
  });
});
