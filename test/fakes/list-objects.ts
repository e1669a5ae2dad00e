/**
 * A small, fast local fake of S3's ListObjectsV2 (path-style `GET /<bucket>?list-type=2`), for tests and the backfill
 * benchmark that drive the real @aws-sdk/client-s3 over HTTP against millions of keys (moto's S3 lists a few thousand
 * keys a second). Written from the S3 API reference (ListObjectsV2):
 * - keys are kept sorted in UTF-8 binary order, as S3 lists them; `prefix`, `delimiter`, `max-keys` (default and
 *   largest 1000), `start-after`, `continuation-token`, `encoding-type=url` (Key, Prefix, Delimiter, StartAfter
 *   URL-encoded in the answer);
 * - with a delimiter, every key whose rest after the prefix contains it is rolled into one common prefix (the text up to
 *   and including the first occurrence), which counts as one result towards max-keys and is returned once;
 * - the answer: `ListBucketResult` with Name, Prefix, Delimiter, MaxKeys, KeyCount, IsTruncated, ContinuationToken,
 *   NextContinuationToken (opaque), StartAfter, Contents (Key, LastModified, ETag, Size, StorageClass), CommonPrefixes;
 * - a bucket that does not exist: 404 `NoSuchBucket`; an invalid continuation token: 400 `InvalidArgument`.
 * Faults: `failNext(n, status)` (500 InternalError or 503 SlowDown, as S3 sends them), `latencyMs`, `stallNext(n)`
 * (the request is never answered: the client's abort or timeout must end it). Counted in `stats`.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export interface FakeObject {
  readonly key: string;
  readonly etag?: string;
  readonly size?: number;
}

export interface ListObjectsStats {
  requests: number;
  /** Contents and common prefixes returned, summed over every answer. */
  resultsReturned: number;
  /** Of them, keys (Contents). */
  keysReturned: number;
  failed: number;
  stalled: number;
}

/** UTF-8 binary order: the same as UTF-16 order except where a surrogate pair meets U+E000..U+FFFF. */
export function compareUtf8(a: string, b: string): number {
  if (!/[\ud800-\uffff]/.test(a) && !/[\ud800-\uffff]/.test(b)) { return a < b ? -1 : a > b ? 1 : 0; }
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&apos;' };
const xml = (text: string) => text.replace(/[&<>"']/g, c => XML_ESCAPES[c]);

export class FakeListObjects {
  public readonly stats: ListObjectsStats = { requests: 0, resultsReturned: 0, keysReturned: 0, failed: 0, stalled: 0 };
  private readonly buckets = new Map<string, { keys: string[]; objects: Map<string, FakeObject> }>();
  private server?: http.Server;
  private failures: number[] = [];
  private stalls = 0;
  private readonly stalledResponses = new Set<http.ServerResponse>();

  constructor(private readonly options: { readonly latencyMs?: number } = {}) {}

  /** Creates (or replaces) a bucket holding these objects. */
  public putBucket(name: string, objects: Iterable<FakeObject | string>): void {
    const map = new Map<string, FakeObject>();
    for (const o of objects) {
      const object = typeof o === 'string' ? { key: o } : o;
      map.set(object.key, object);
    }
    this.buckets.set(name, { keys: [...map.keys()].sort(compareUtf8), objects: map });
  }

  /** The next `count` requests answer `status` (500 InternalError, 503 SlowDown). */
  public failNext(count: number, status: 500 | 503 = 503): void {
    for (let i = 0; i < count; i++) { this.failures.push(status); }
  }

  /** The next `count` requests are never answered. */
  public stallNext(count: number): void {
    this.stalls += count;
  }

  public async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const finish = () => this.handle(req, res);
      if (this.options.latencyMs) { setTimeout(finish, this.options.latencyMs); } else { finish(); }
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    for (const res of this.stalledResponses) { res.destroy(); }
    this.server?.closeAllConnections();
    await new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The ListObjectsV2 result for these parameters (also used directly by tests of the listing rules). */
  public list(bucket: string, params: {
    prefix?: string; delimiter?: string; maxKeys?: number; startAfter?: string; continuationToken?: string;
  }): { contents: FakeObject[]; commonPrefixes: string[]; isTruncated: boolean; nextToken?: string } {
    const found = this.buckets.get(bucket);
    if (!found) { throw Object.assign(new Error('The specified bucket does not exist'), { code: 'NoSuchBucket', status: 404 }); }
    const { keys, objects } = found;
    const prefix = params.prefix ?? '';
    const delimiter = params.delimiter || undefined;
    const maxKeys = Math.min(1000, Math.max(0, params.maxKeys ?? 1000));
    if (maxKeys === 0) { return { contents: [], commonPrefixes: [], isTruncated: false }; }
    // Resume after the last result given (a key, or a common prefix: every key under it is skipped).
    let after = params.startAfter ?? '';
    let afterPrefix: string | undefined;
    if (params.continuationToken !== undefined) {
      let token: { k: string; p?: boolean };
      try {
        token = JSON.parse(Buffer.from(params.continuationToken, 'base64url').toString('utf8'));
        if (typeof token.k !== 'string') { throw new Error(); }
      } catch {
        throw Object.assign(new Error('The continuation token provided is incorrect'), { code: 'InvalidArgument', status: 400 });
      }
      if (token.p) { afterPrefix = token.k; } else { after = token.k; }
    }
    let i = afterPrefix !== undefined ? this.firstNotUnder(keys, afterPrefix) : this.firstAfter(keys, after);
    i = Math.max(i, this.firstAtLeast(keys, prefix));
    const contents: FakeObject[] = [];
    const commonPrefixes: string[] = [];
    let last: { k: string; p?: boolean } | undefined;
    while (i < keys.length && keys[i].startsWith(prefix)) {
      if (contents.length + commonPrefixes.length === maxKeys) {
        return { contents, commonPrefixes, isTruncated: true, nextToken: Buffer.from(JSON.stringify(last)).toString('base64url') };
      }
      const key = keys[i];
      const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (at >= 0) {
        const common = key.slice(0, at + delimiter!.length);
        commonPrefixes.push(common);
        last = { k: common, p: true };
        i = this.firstNotUnder(keys, common);
      } else {
        contents.push(objects.get(key)!);
        last = { k: key };
        i++;
      }
    }
    return { contents, commonPrefixes, isTruncated: false };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.stats.requests++;
    if (this.stalls > 0) {
      this.stalls--;
      this.stats.stalled++;
      this.stalledResponses.add(res);
      res.on('close', () => this.stalledResponses.delete(res));
      return;
    }
    const failure = this.failures.shift();
    if (failure !== undefined) {
      this.stats.failed++;
      const [code, message] = failure === 503 ? ['SlowDown', 'Please reduce your request rate.'] : ['InternalError', 'We encountered an internal error. Please try again.'];
      this.error(res, failure, code, message);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const bucket = decodeURIComponent(url.pathname.split('/')[1] ?? '');
    if (req.method !== 'GET' || url.searchParams.get('list-type') !== '2' || !bucket) {
      this.error(res, 501, 'NotImplemented', 'This fake answers ListObjectsV2 only');
      return;
    }
    const q = url.searchParams;
    const maxKeysText = q.get('max-keys');
    const maxKeys = maxKeysText === null ? 1000 : Number(maxKeysText);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) {
      this.error(res, 400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range');
      return;
    }
    const params = {
      prefix: q.get('prefix') ?? undefined,
      delimiter: q.get('delimiter') ?? undefined,
      maxKeys,
      startAfter: q.get('start-after') ?? undefined,
      continuationToken: q.get('continuation-token') ?? undefined,
    };
    let result: ReturnType<FakeListObjects['list']>;
    try {
      result = this.list(bucket, params);
    } catch (error) {
      const e = error as Error & { code: string; status: number };
      this.error(res, e.status, e.code, e.message);
      return;
    }
    const encode = q.get('encoding-type') === 'url' ? (t: string) => encodeURIComponent(t).replace(/%2F/g, '/') : (t: string) => t;
    this.stats.resultsReturned += result.contents.length + result.commonPrefixes.length;
    this.stats.keysReturned += result.contents.length;
    const parts = [
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
      `<Name>${xml(bucket)}</Name><Prefix>${xml(encode(params.prefix ?? ''))}</Prefix>`,
      params.delimiter ? `<Delimiter>${xml(encode(params.delimiter))}</Delimiter>` : '',
      `<MaxKeys>${maxKeys}</MaxKeys><KeyCount>${result.contents.length + result.commonPrefixes.length}</KeyCount>`,
      `<IsTruncated>${result.isTruncated}</IsTruncated>`,
      q.get('encoding-type') === 'url' ? '<EncodingType>url</EncodingType>' : '',
      params.continuationToken ? `<ContinuationToken>${xml(params.continuationToken)}</ContinuationToken>` : '',
      result.nextToken ? `<NextContinuationToken>${xml(result.nextToken)}</NextContinuationToken>` : '',
      params.startAfter ? `<StartAfter>${xml(encode(params.startAfter))}</StartAfter>` : '',
      ...result.contents.map(o => `<Contents><Key>${xml(encode(o.key))}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>`
        + `<ETag>&quot;${xml(o.etag ?? 'd41d8cd98f00b204e9800998ecf8427e')}&quot;</ETag><Size>${o.size ?? 0}</Size>`
        + '<StorageClass>STANDARD</StorageClass></Contents>'),
      ...result.commonPrefixes.map(p => `<CommonPrefixes><Prefix>${xml(encode(p))}</Prefix></CommonPrefixes>`),
      '</ListBucketResult>',
    ];
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': String(this.stats.requests) });
    res.end(parts.join(''));
  }

  private error(res: http.ServerResponse, status: number, code: string, message: string): void {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>`
      + `<RequestId>${this.stats.requests}</RequestId></Error>`);
  }

  /** Index of the first key >= `text`. */
  private firstAtLeast(keys: string[], text: string): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (compareUtf8(keys[mid], text) < 0) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  /** Index of the first key > `text`. */
  private firstAfter(keys: string[], text: string): number {
    const i = this.firstAtLeast(keys, text);
    return i < keys.length && keys[i] === text ? i + 1 : i;
  }

  /** Index of the first key after every key that starts with `prefix`. */
  private firstNotUnder(keys: string[], prefix: string): number {
    let lo = this.firstAtLeast(keys, prefix);
    let hi = keys.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (keys[mid].startsWith(prefix)) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }
}
