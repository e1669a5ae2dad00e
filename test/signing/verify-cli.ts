/**
 * The verifier (verify-cookies.ts) for the consumers' tests in other languages: reads a JSON file of cases, prints one
 * JSON document with a decision per case. Run from anywhere with the repository's ts-node:
 *
 *   TS_NODE_PROJECT=<repo>/tsconfig.dev.json node -r <repo>/node_modules/ts-node/register/transpile-only \
 *     <repo>/test/signing/verify-cli.ts cases.json
 *
 * Input:  {"publicKeys": {"<key id>": "<PEM>"}, "cases": [{"name": "...", "time": <epoch seconds>, "clientIp": "...",
 *          and either "url": "<request URL>", "cookies": {"CloudFront-Policy": "...", ...}, or "signedUrl": "..."}]}
 * Output: {"results": [{"name": "...", "allowed": true|false, "reason": "..."}]}, exit code 0; 2 on unreadable input.
 */
import * as fs from 'fs';
import { Decision, verifySignedCookies, verifySignedUrl } from './verify-cookies';

interface Case {
  readonly name: string;
  readonly time: number;
  readonly clientIp?: string;
  readonly url?: string;
  readonly cookies?: Record<string, string>;
  readonly signedUrl?: string;
}

export function decideAll(input: { publicKeys: Record<string, string>; cases: Case[] }): Array<Decision & { name: string }> {
  return input.cases.map((c) => {
    const request = { publicKeys: input.publicKeys, time: c.time, clientIp: c.clientIp };
    if (c.signedUrl !== undefined) {
      return { name: c.name, ...verifySignedUrl(c.signedUrl, request) };
    }
    if (c.url !== undefined && c.cookies !== undefined) {
      return { name: c.name, ...verifySignedCookies(c.url, c.cookies, request) };
    }
    return { name: c.name, allowed: false, reason: 'a case needs signedUrl, or url and cookies' };
  });
}

if (require.main === module) {
  let input;
  try {
    input = JSON.parse(fs.readFileSync(process.argv[2] ?? 0, 'utf8'));
    if (typeof input?.publicKeys !== 'object' || !Array.isArray(input?.cases)) {
      throw new Error('expected {"publicKeys": {...}, "cases": [...]}');
    }
  } catch (e) {
    process.stderr.write(`verify-cli: ${(e as Error).message}\n`);
    process.exit(2);
  }
  process.stdout.write(JSON.stringify({ results: decideAll(input) }) + '\n');
}
