/**
 * A test helper (not product code): decides, as CloudFront does, whether a request carrying signed cookies or a signed
 * URL is allowed. Every language's signing code in the consumers' tests is checked with this one verifier (directly
 * from jest, or through test/signing/verify-cli.ts from Python, Java and Go).
 *
 * The algorithm, from the CloudFront Developer Guide:
 * - Signed cookies with a custom policy: three cookies, `CloudFront-Policy` (the policy statement in CloudFront's
 *   URL-safe base64), `CloudFront-Signature` (the policy statement hashed and signed, same encoding) and
 *   `CloudFront-Key-Pair-Id` (the id of a public key in a trusted key group); optionally a fourth,
 *   `CloudFront-Hash-Algorithm` (SHA1, the default, or SHA256).
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-setting-signed-cookie-custom-policy.html
 * - Signed URLs: the same three values as query parameters `Policy`, `Signature`, `Key-Pair-Id`, after the URL's own
 *   query parameters; a canned policy sends `Expires` instead of `Policy`, and its policy statement is
 *   {"Statement":[{"Resource":"<base URL>","Condition":{"DateLessThan":{"AWS:EpochTime":<Expires>}}}]}, the base URL
 *   being the URL with its own query string and without the signing parameters.
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-creating-signed-url-custom-policy.html
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-creating-signed-url-canned-policy.html
 * - The signature: RSA over the SHA-1 digest of the policy statement (OpenSSL: `openssl sha1 -sign private-key.pem`),
 *   then base64 with `+` -> `-`, `=` -> `_`, `/` -> `~` (characters not valid in a query string or a cookie).
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-linux-openssl.html
 * - The policy statement: exactly one statement; `Resource` the URL, with `*` (zero or more characters) and `?`
 *   (exactly one character) as wildcards, matched against the whole request URL including its query string (omitted:
 *   every file the key group's distributions serve); `DateLessThan` (required): the request must come before it;
 *   `DateGreaterThan` (optional): the request must come after it; `IpAddress` `AWS:SourceIp` (optional): one IPv4 or
 *   IPv6 range in CIDR form that the viewer's address must fall in. Times are Unix epoch seconds, UTC. CloudFront
 *   checks the times when the request arrives.
 *   (Same pages, "Values that you specify in the policy statement"; private-content-signed-cookies.html, "When
 *   CloudFront checks expiration date and time in a signed cookie".)
 *
 * Canned-policy cookies (`CloudFront-Expires`) are out of scope: the verifier denies them with a reason rather than
 * guess their resource.
 */
import { createPublicKey, createVerify, KeyObject } from 'crypto';
import { BlockList, isIPv4, isIPv6 } from 'net';

/** What a request looks like at the edge. */
export interface EdgeRequest {
  /** The public keys of the key group the behavior trusts: key id (what `CloudFront-Key-Pair-Id` names) -> PEM. */
  readonly publicKeys: Readonly<Record<string, string>>;
  /** When the request arrives: a Date, or Unix epoch seconds. */
  readonly time: Date | number;
  /** The viewer's address; required when the policy has an IpAddress condition. */
  readonly clientIp?: string;
}

/** CloudFront's answer, with why. */
export interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
}

export const COOKIE_POLICY = 'CloudFront-Policy';
export const COOKIE_SIGNATURE = 'CloudFront-Signature';
export const COOKIE_KEY_PAIR_ID = 'CloudFront-Key-Pair-Id';
export const COOKIE_HASH_ALGORITHM = 'CloudFront-Hash-Algorithm';
export const COOKIE_EXPIRES = 'CloudFront-Expires';

/** The query parameters CloudFront reads for a signed URL (and removes before it matches the policy's Resource). */
const URL_SIGNING_PARAMETERS = ['Policy', 'Signature', 'Key-Pair-Id', 'Expires', 'Hash-Algorithm'];

const ALLOWED: Decision = { allowed: true, reason: 'allowed' };
const deny = (reason: string): Decision => ({ allowed: false, reason });

/** CloudFront's URL-safe base64: standard base64 with `+` -> `-`, `=` -> `_`, `/` -> `~`. */
export function cloudFrontBase64Encode(data: Buffer | string): string {
  return Buffer.from(data).toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');
}

/** The inverse of {@link cloudFrontBase64Encode}; undefined when the text has a character outside that alphabet. */
export function cloudFrontBase64Decode(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9\-_~]*$/.test(text)) {
    return undefined;
  }
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
}

/** Whether a policy Resource (with `*` and `?` wildcards) matches the whole request URL. */
export function resourceMatches(resource: string, url: string): boolean {
  const pattern = resource
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`, 's').test(url);
}

/**
 * Decides a request for `url` that carries signed cookies: an object of cookie name -> value (a signer's output as it
 * is; other cookies are ignored).
 */
export function verifySignedCookies(url: string, cookies: object, request: EdgeRequest): Decision {
  const jar = cookies as Readonly<Record<string, unknown>>;
  const cookie = (name: string) => (jar[name] === undefined ? undefined : String(jar[name]));
  if (cookie(COOKIE_EXPIRES) !== undefined && cookie(COOKIE_POLICY) === undefined) {
    return deny('canned-policy cookies (CloudFront-Expires) are not handled by this verifier');
  }
  for (const name of [COOKIE_POLICY, COOKIE_SIGNATURE, COOKIE_KEY_PAIR_ID]) {
    if (!cookie(name)) {
      return deny(`missing cookie ${name}`);
    }
  }
  const policy = cloudFrontBase64Decode(cookie(COOKIE_POLICY)!);
  if (policy === undefined) {
    return deny(`${COOKIE_POLICY} is not CloudFront base64`);
  }
  return verifyPolicy(policy, {
    url,
    signature: cookie(COOKIE_SIGNATURE)!,
    keyPairId: cookie(COOKIE_KEY_PAIR_ID)!,
    hashAlgorithm: cookie(COOKIE_HASH_ALGORITHM),
  }, request);
}

/** Decides a request for a signed URL (custom policy: `Policy`; canned: `Expires`). */
export function verifySignedUrl(signedUrl: string, request: EdgeRequest): Decision {
  const queryStart = signedUrl.indexOf('?');
  if (queryStart < 0) {
    return deny('the URL has no query string (no Signature)');
  }
  const params = new Map<string, string>();
  const own: string[] = [];
  for (const pair of signedUrl.slice(queryStart + 1).split('&')) {
    const name = pair.split('=', 1)[0];
    if (URL_SIGNING_PARAMETERS.includes(name)) {
      params.set(name, decodeURIComponent(pair.slice(name.length + 1)));
    } else {
      own.push(pair);
    }
  }
  const baseUrl = signedUrl.slice(0, queryStart) + (own.length ? `?${own.join('&')}` : '');
  for (const name of ['Signature', 'Key-Pair-Id']) {
    if (!params.get(name)) {
      return deny(`missing query parameter ${name}`);
    }
  }
  let policy: Buffer | undefined;
  if (params.has('Policy')) {
    policy = cloudFrontBase64Decode(params.get('Policy')!);
    if (policy === undefined) {
      return deny('Policy is not CloudFront base64');
    }
  } else if (params.has('Expires')) {
    const expires = params.get('Expires')!;
    if (!/^\d+$/.test(expires)) {
      return deny(`Expires is not epoch seconds: ${expires}`);
    }
    policy = Buffer.from(`{"Statement":[{"Resource":${JSON.stringify(baseUrl)},"Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`);
  } else {
    return deny('missing query parameter Policy or Expires');
  }
  return verifyPolicy(policy, {
    url: baseUrl,
    signature: params.get('Signature')!,
    keyPairId: params.get('Key-Pair-Id')!,
    hashAlgorithm: params.get('Hash-Algorithm'),
  }, request);
}

interface Signed {
  /** The URL the Resource must match: the request URL, less a signed URL's signing parameters. */
  readonly url: string;
  readonly signature: string;
  readonly keyPairId: string;
  readonly hashAlgorithm?: string;
}

function verifyPolicy(policy: Buffer, signed: Signed, request: EdgeRequest): Decision {
  // 1. The key and the signature over the policy statement's exact bytes.
  const pem = Object.prototype.hasOwnProperty.call(request.publicKeys, signed.keyPairId) ? request.publicKeys[signed.keyPairId] : undefined;
  if (pem === undefined) {
    return deny(`unknown key pair id ${signed.keyPairId}`);
  }
  const hash = signed.hashAlgorithm ?? 'SHA1';
  if (hash !== 'SHA1' && hash !== 'SHA256') {
    return deny(`unsupported hash algorithm ${hash}`);
  }
  const signature = cloudFrontBase64Decode(signed.signature);
  if (signature === undefined) {
    return deny('signature is not CloudFront base64');
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    return deny(`public key ${signed.keyPairId} is not a PEM public key: ${(e as Error).message}`);
  }
  if (!createVerify(hash === 'SHA1' ? 'RSA-SHA1' : 'RSA-SHA256').update(policy).verify(key, signature)) {
    return deny('signature does not match the policy');
  }

  // 2. The policy statement.
  let statement: PolicyStatement;
  try {
    statement = parseStatement(policy.toString('utf8'));
  } catch (e) {
    return deny(`malformed policy: ${(e as Error).message}`);
  }
  if (statement.resource !== undefined && !resourceMatches(statement.resource, signed.url)) {
    return deny(`resource ${statement.resource} does not match ${signed.url}`);
  }
  const now = request.time instanceof Date ? request.time.getTime() / 1000 : request.time;
  if (!(now < statement.dateLessThan)) {
    return deny(`expired: DateLessThan ${statement.dateLessThan}, request at ${now}`);
  }
  if (statement.dateGreaterThan !== undefined && !(now > statement.dateGreaterThan)) {
    return deny(`not yet valid: DateGreaterThan ${statement.dateGreaterThan}, request at ${now}`);
  }
  if (statement.sourceIp !== undefined) {
    if (request.clientIp === undefined) {
      return deny(`the policy allows ${statement.sourceIp} only and the request has no client IP`);
    }
    if (!ipInRange(request.clientIp, statement.sourceIp)) {
      return deny(`client IP ${request.clientIp} is not in ${statement.sourceIp}`);
    }
  }
  return ALLOWED;
}

interface PolicyStatement {
  readonly resource?: string;
  readonly dateLessThan: number;
  readonly dateGreaterThan?: number;
  readonly sourceIp?: string;
}

function parseStatement(json: string): PolicyStatement {
  const doc = JSON.parse(json);
  const statements = doc?.Statement;
  if (!Array.isArray(statements) || statements.length !== 1) {
    throw new Error('a policy has exactly one Statement');
  }
  const s = statements[0];
  if (s.Resource !== undefined && typeof s.Resource !== 'string') {
    throw new Error('Resource is not a string');
  }
  const epoch = (condition: string): number | undefined => {
    const value = s.Condition?.[condition];
    if (value === undefined) {
      return undefined;
    }
    const seconds = value['AWS:EpochTime'];
    if (typeof seconds !== 'number' || !Number.isInteger(seconds)) {
      throw new Error(`${condition} AWS:EpochTime is not a whole number of seconds: ${JSON.stringify(seconds)}`);
    }
    return seconds;
  };
  const dateLessThan = epoch('DateLessThan');
  if (dateLessThan === undefined) {
    throw new Error('DateLessThan is required');
  }
  const sourceIp = s.Condition?.IpAddress?.['AWS:SourceIp'];
  if (s.Condition?.IpAddress !== undefined && (typeof sourceIp !== 'string' || parseCidr(sourceIp) === undefined)) {
    throw new Error(`IpAddress AWS:SourceIp is not one CIDR range: ${JSON.stringify(sourceIp)}`);
  }
  return { resource: s.Resource, dateLessThan, dateGreaterThan: epoch('DateGreaterThan'), sourceIp };
}

function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) {
    return undefined;
  }
  const family = isIPv4(m[1]) ? 'ipv4' : isIPv6(m[1]) ? 'ipv6' : undefined;
  const prefix = Number(m[2]);
  if (family === undefined || prefix > (family === 'ipv4' ? 32 : 128)) {
    return undefined;
  }
  return { address: m[1], prefix, family };
}

function ipInRange(ip: string, cidr: string): boolean {
  const range = parseCidr(cidr)!;
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
  if (family !== range.family) {
    return false;
  }
  const list = new BlockList();
  list.addSubnet(range.address, range.prefix, range.family);
  return list.check(ip, family);
}
