/**
 * The ListObjectsV2 fake (test/fakes/list-objects.ts) through the real S3 client: the listing rules the backfill relies
 * on (order, prefix, delimiter, max-keys, continuation, start-after, URL encoding), its errors and injected faults; and
 * HeadObject for the keys it holds (what the ingest function asks before CreateAsset/DeleteAsset).
 */
import { HeadObjectCommand, ListObjectsV2Command, ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { compareUtf8, FakeListObjects } from '../fakes/list-objects';

const fake = new FakeListObjects();
let s3: S3Client;

beforeAll(async () => {
  const endpoint = await fake.start();
  s3 = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  s3.destroy();
  await fake.stop();
});

const KEYS = [
  'a.smil',
  'movies/t1/index.m3u8',
  'movies/t1/index_720p.m3u8',
  'movies/t1/seg_1.ts',
  'movies/t1/720p/seg_1.ts',
  'movies/t2/index.m3u8',
  'movies/t2/seg_1.ts',
  'movies/t10/index.m3u8',
  'movies/z.smil',
  'movies/\u00e9t\u00e9/index.m3u8',
  'movies/\u{1F600}/index.m3u8',
  'movies/\uff21/index.m3u8',
  'other/a b+c%.smil',
];
fake.putBucket('b', KEYS.map(key => ({ key, etag: 'e' })));

async function all(input: { Prefix?: string; Delimiter?: string; MaxKeys?: number; StartAfter?: string }) {
  const pages: ListObjectsV2CommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: 'b', ...input, ContinuationToken: token }));
    pages.push(page);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return {
    pages: pages.length,
    keys: pages.flatMap(p => (p.Contents ?? []).map(c => c.Key!)),
    prefixes: pages.flatMap(p => (p.CommonPrefixes ?? []).map(c => c.Prefix!)),
  };
}

test('lists every key once, in UTF-8 binary order (an astral character sorts after U+FF21), paged by MaxKeys', async () => {
  const sorted = [...KEYS].sort(compareUtf8);
  expect(sorted.indexOf('movies/\u{1F600}/index.m3u8')).toBeGreaterThan(sorted.indexOf('movies/\uff21/index.m3u8'));
  const result = await all({ MaxKeys: 3 });
  expect(result).toEqual({ pages: 5, keys: sorted, prefixes: [] });
});

test('a delimiter rolls each subfolder into one common prefix that counts towards MaxKeys, across pages', async () => {
  const whole = await all({ Prefix: 'movies/', Delimiter: '/' });
  expect(whole).toEqual({
    pages: 1,
    keys: ['movies/z.smil'],
    prefixes: ['movies/t1/', 'movies/t10/', 'movies/t2/', 'movies/\u00e9t\u00e9/', 'movies/\uff21/', 'movies/\u{1F600}/'],
  });
  const paged = await all({ Prefix: 'movies/', Delimiter: '/', MaxKeys: 2 });
  expect(paged.pages).toBe(4);
  expect(paged.prefixes).toEqual(whole.prefixes);
  expect(paged.keys).toEqual(whole.keys);
  // Under a title: its files, and its rendition folder as one prefix.
  expect(await all({ Prefix: 'movies/t1/', Delimiter: '/' })).toEqual({
    pages: 1, keys: ['movies/t1/index.m3u8', 'movies/t1/index_720p.m3u8', 'movies/t1/seg_1.ts'], prefixes: ['movies/t1/720p/'],
  });
});

test('a key sorts before the longer keys it starts: MaxKeys 1 with the key as prefix finds exactly it', async () => {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'movies/t1/index', MaxKeys: 1 }));
  expect(page.Contents?.map(c => [c.Key, c.ETag])).toEqual([['movies/t1/index.m3u8', '"e"']]);
  expect(page.IsTruncated).toBe(true);
  expect(page.KeyCount).toBe(1);
  const none = await s3.send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'movies/t3/index.m3u8', MaxKeys: 1 }));
  expect(none.Contents).toBeUndefined();
  expect(none.IsTruncated).toBe(false);
});

test('StartAfter, and URL encoding when asked', async () => {
  expect((await all({ Prefix: 'movies/t1/', StartAfter: 'movies/t1/index.m3u8' })).keys)
    .toEqual(['movies/t1/index_720p.m3u8', 'movies/t1/seg_1.ts']);
  const encoded = await s3.send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'other/', EncodingType: 'url' }));
  expect(encoded.Contents?.[0].Key).toBe('other/a%20b%2Bc%25.smil');
  const plain = await s3.send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'other/' }));
  expect(plain.Contents?.[0].Key).toBe('other/a b+c%.smil');
});

test('errors as S3 sends them: NoSuchBucket, a bad continuation token, 503 SlowDown, 500 InternalError', async () => {
  await expect(s3.send(new ListObjectsV2Command({ Bucket: 'nope' }))).rejects.toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
  await expect(s3.send(new ListObjectsV2Command({ Bucket: 'b', ContinuationToken: 'garbage' }))).rejects.toMatchObject({ name: 'InvalidArgument' });
  fake.failNext(1, 503);
  await expect(s3.send(new ListObjectsV2Command({ Bucket: 'b' }))).rejects.toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
  fake.failNext(1, 500);
  await expect(s3.send(new ListObjectsV2Command({ Bucket: 'b' }))).rejects.toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 500 } });
  expect((await s3.send(new ListObjectsV2Command({ Bucket: 'b', MaxKeys: 1 }))).KeyCount).toBe(1);
});

test('HeadObject: a held key answers its ETag and size (keys with spaces, +, % and non-ASCII too); others 404 NotFound', async () => {
  const other = new FakeListObjects();
  other.putBucket('h', [{ key: 'movies/t1/index.m3u8', etag: 'abc', size: 42 }, 'other/a b+c%.smil', 'movies/\u00e9t\u00e9/../x.smil']);
  const endpoint = await other.start();
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  try {
    const found = await client.send(new HeadObjectCommand({ Bucket: 'h', Key: 'movies/t1/index.m3u8' }));
    expect(found).toMatchObject({ ETag: '"abc"', ContentLength: 42, $metadata: { httpStatusCode: 200 } });
    expect(found.LastModified).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect((await client.send(new HeadObjectCommand({ Bucket: 'h', Key: 'other/a b+c%.smil' }))).ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    expect((await client.send(new HeadObjectCommand({ Bucket: 'h', Key: 'movies/\u00e9t\u00e9/../x.smil' }))).$metadata.httpStatusCode).toBe(200);
    // The encoded form of a held key is another key; a missing key, a missing bucket: 404 without a body.
    for (const [bucket, key] of [['h', 'other/a%20b%2Bc%25.smil'], ['h', 'movies/t1/index'], ['nope', 'movies/t1/index.m3u8']]) {
      await expect(client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).rejects.toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    }
    other.deleteObject('h', 'movies/t1/index.m3u8');
    await expect(client.send(new HeadObjectCommand({ Bucket: 'h', Key: 'movies/t1/index.m3u8' }))).rejects.toMatchObject({ name: 'NotFound' });
    expect(other.list('h', {}).contents.map(o => o.key)).not.toContain('movies/t1/index.m3u8');
    // Injected faults reach HeadObject too.
    other.failNext(1, 503);
    await expect(client.send(new HeadObjectCommand({ Bucket: 'h', Key: 'other/a b+c%.smil' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    expect(other.stats).toMatchObject({ heads: 7, failed: 1 });
  } finally {
    client.destroy();
    await other.stop();
  }
});

test('a stalled request is ended only by the client (abort signal)', async () => {
  fake.stallNext(1);
  const before = fake.stats.stalled;
  const started = Date.now();
  await expect(s3.send(new ListObjectsV2Command({ Bucket: 'b' }), { abortSignal: AbortSignal.timeout(300) })).rejects.toThrow();
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(fake.stats.stalled).toBe(before + 1);
});

test('100,000 keys under 5,000 folders: a delimited listing skips the files under each folder (5 pages, 5,000 results)', async () => {
  const big = new FakeListObjects();
  big.putBucket('big', Array.from({ length: 100_000 }, (_, i) => `m/t${Math.floor(i / 20)}/f${i % 20}`));
  const endpoint = await big.start();
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    let token: string | undefined;
    let prefixes = 0;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: 'big', Prefix: 'm/', Delimiter: '/', ContinuationToken: token }));
      prefixes += page.CommonPrefixes?.length ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    expect(prefixes).toBe(5_000);
    expect(big.stats).toMatchObject({ requests: 5, resultsReturned: 5_000, keysReturned: 0 });
  } finally {
    client.destroy();
    await big.stop();
  }
});
