/**
 * The TypeScript backend's signing code (README "Signing cookies in your backend" shows the part between the README
 * markers, and test/signing/readme-snippets.test.ts checks that it is the same): `@aws-sdk/cloudfront-signer` with a
 * custom policy. test/signing/typescript-signer.test.ts runs it and checks its output with the verifier.
 */
// README: typescript begin
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';

/** A custom policy: `resource` (a URL, `*` matches any characters), valid until `expires`, optionally for one IP range. */
function customPolicy(resource: string, expires: Date, ipRange?: string): string {
  const condition: Record<string, unknown> = { DateLessThan: { 'AWS:EpochTime': Math.floor(expires.getTime() / 1000) } };
  if (ipRange) {
    condition.IpAddress = { 'AWS:SourceIp': ipRange }; // CIDR, e.g. '192.0.2.0/24'
  }
  return JSON.stringify({ Statement: [{ Resource: resource, Condition: condition }] });
}

/** The three cookies (name -> value) that let a viewer play every file of a title, e.g. 'https://cdn.example.com/out/v1/abc/*'. */
export function signTitleCookies(keyPairId: string, privateKey: string, resource: string, expires: Date, ipRange?: string) {
  return getSignedCookies({ keyPairId, privateKey, policy: customPolicy(resource, expires, ipRange) });
}

/** One URL (its query string, e.g. aws.manifestfilter, included) signed with Policy, Signature and Key-Pair-Id. */
export function signUrl(keyPairId: string, privateKey: string, url: string, expires: Date, ipRange?: string): string {
  return getSignedUrl({ url, keyPairId, privateKey, policy: customPolicy(url, expires, ipRange) });
}
// README: typescript end
