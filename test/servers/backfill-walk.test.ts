/**
 * The backfill's folder walk (src/ingest/backfill/walk.ts), run in process against the ListObjectsV2 fake's listing
 * rules: which calls it makes, that it finds what it promises, never a key twice, never a key the rule would not match,
 * and that every listing prefix is one the functions' s3:prefix condition allows.
 */
import { ROOT_TASK } from '../../src/ingest/backfill/job';
import { compilePatterns, coveringStarts, planFolder, requestOf, resultOf, tasksOfFolder, WalkTask } from '../../src/ingest/backfill/walk';
import { listingPrefixesOf, matchesAnyKeyPattern, matchesKeyPattern } from '../../src/ingest/key-pattern';
import { FakeListObjects } from '../fakes/list-objects';

/** Runs a whole walk; returns the keys found (in order, duplicates kept) and the requests made. */
function walk(fake: FakeListObjects, patterns: string[], pageSize = 1000) {
  const compiled = compilePatterns(patterns);
  const stack: WalkTask[] = [ROOT_TASK];
  const found: string[] = [];
  const requests: ReturnType<typeof requestOf>[] = [];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if (task.t === 'dir') { stack.push(...tasksOfFolder(compiled, task.p, task.d)); continue; }
    const request = requestOf(task, pageSize);
    requests.push(request);
    const page = fake.list('b', {
      prefix: request.Prefix, delimiter: request.Delimiter, maxKeys: request.MaxKeys, continuationToken: request.ContinuationToken,
    });
    const result = resultOf(compiled, task, {
      objects: page.contents.map(c => ({ key: c.key, etag: c.etag })), folders: page.commonPrefixes, nextToken: page.nextToken,
    });
    found.push(...result.matched.map(m => m.key));
    stack.push(...result.tasks);
  }
  return { found, requests };
}

function bucket(keys: string[]) {
  const fake = new FakeListObjects();
  fake.putBucket('b', keys);
  return fake;
}

/** What the walk promises to find: a `*` before a `/` is one folder name; from a file part with a wildcard, the rule's semantics. */
function promised(pattern: string, key: string): boolean {
  const parts = pattern.split('/');
  const names = key.split('/');
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    if (last) { return matchesKeyPattern(parts[i], names.slice(i).join('/')) && (names.length === i + 1 || /(^|[^\\])(\\\\)*\*/.test(parts[i])); }
    if (names.length <= i + 1 || !matchesKeyPattern(parts[i], names[i])) { return false; }
  }
  return false;
}

test('movies/*/index.m3u8 over 50 titles of 20 files: one delimited listing and one probe per title, one key read per title', () => {
  const keys: string[] = [];
  for (let t = 0; t < 50; t++) {
    keys.push(`movies/t${t}/index.m3u8`, `movies/t${t}/index_720p.m3u8`);
    for (let s = 0; s < 15; s++) { keys.push(`movies/t${t}/seg_${s}.ts`); }
    keys.push(`movies/t${t}/720p/a.ts`, `movies/t${t}/720p/b.ts`, `movies/t${t}/720p/index.m3u8`);
  }
  keys.push('movies/readme.txt', 'other/t1/index.m3u8');
  const { found, requests } = walk(bucket(keys), ['movies/*/index.m3u8'], 10);
  expect(found.sort()).toEqual(Array.from({ length: 50 }, (_, t) => `movies/t${t}/index.m3u8`).sort());
  // 50 folders at 10 a page (the file readme.txt counts too: 51 results, 6 pages), then 50 probes of MaxKeys 1.
  expect(requests.filter(r => r.Delimiter === '/')).toHaveLength(6);
  expect(requests.filter(r => r.MaxKeys === 1)).toHaveLength(50);
  expect(requests).toHaveLength(56);
  expect(requests[0]).toEqual({ Prefix: 'movies/', Delimiter: '/', MaxKeys: 10 });
  // Documented limit: a * before / is one folder name, so movies/tN/720p/index.m3u8 (which the rule matches) is not found.
  expect(matchesAnyKeyPattern(['movies/*/index.m3u8'], 'movies/t1/720p/index.m3u8')).toBe(true);
  expect(found).not.toContain('movies/t1/720p/index.m3u8');
  // ... and a pattern for that depth finds them.
  expect(walk(bucket(keys), ['movies/*/*/index.m3u8']).found).toHaveLength(50);
});

test('a wildcard in the file name lists flat from there and keeps what the rule matches, folders included', () => {
  const keys = ['films/a.smil', 'films/x/y.smil', 'films/b.mp4', 'films.smil', 'other/c.smil', 'd.smil'];
  expect(walk(bucket(keys), ['films/*.smil']).found.sort()).toEqual(['films/a.smil', 'films/x/y.smil']);
  expect(walk(bucket(keys), ['*.smil']).found.sort()).toEqual(['d.smil', 'films.smil', 'films/a.smil', 'films/x/y.smil', 'other/c.smil']);
  const { requests } = walk(bucket(keys), ['films/*.smil']);
  expect(requests).toEqual([{ Prefix: 'films/', MaxKeys: 1000 }]);
});

test('overlapping patterns: each key once (a flat listing covers the folders and probes under it)', () => {
  const keys = ['movies/t1/index.m3u8', 'movies/t2/index.m3u8', 'movies/t1/x.m3u8', 'movies/t1/index.m3u8x'];
  expect(walk(bucket(keys), ['movies/*/index.m3u8', 'movies/t1/index.m3u8']).found.sort())
    .toEqual(['movies/t1/index.m3u8', 'movies/t2/index.m3u8']);
  expect(walk(bucket(keys), ['movies/*/index.m3u8', 'movies/*.m3u8']).found.sort())
    .toEqual(['movies/t1/index.m3u8', 'movies/t1/x.m3u8', 'movies/t2/index.m3u8']);
  expect(walk(bucket(keys), ['movies/t*/index.m3u8', 'movies/t1/*.m3u8']).found.sort())
    .toEqual(['movies/t1/index.m3u8', 'movies/t1/x.m3u8', 'movies/t2/index.m3u8']);
});

test('literal folders cost no call; escaped stars are literal', () => {
  const keys = ['a/b/c/x.smil', 'a/b/c/y.smil', 'a/*/z.smil', 'a/q/z.smil'];
  const literal = walk(bucket(keys), ['a/b/c/x.smil']);
  expect(literal).toEqual({ found: ['a/b/c/x.smil'], requests: [{ Prefix: 'a/b/c/x.smil', MaxKeys: 1 }] });
  expect(walk(bucket(keys), ['a/\\*/z.smil']).found).toEqual(['a/*/z.smil']);
  expect(walk(bucket(keys), ['a/*/z.smil']).found.sort()).toEqual(['a/*/z.smil', 'a/q/z.smil']);
});

test('the plan of a folder: covering starts, literal names not under a flat listing', () => {
  expect(coveringStarts(['ab', 'a', 'b', 'a'])).toEqual(['a', 'b']);
  const plan = planFolder(compilePatterns(['m/a*/x.m3u8', 'm/b/*/y.m3u8', 'm/c.smil', 'm/ab*.smil']), 'm/', 1);
  expect(plan).toEqual({ flatStarts: ['ab'], folderStarts: ['a'], wildFolders: ['a*'], literalFolders: ['b'], literalFiles: ['c.smil'] });
  expect(planFolder(compilePatterns(['m/*.smil', 'm/b/*/y.m3u8', 'm/c.smil']), 'm/', 1))
    .toEqual({ flatStarts: [''], folderStarts: [], wildFolders: [], literalFolders: [], literalFiles: [] });
  expect(planFolder(compilePatterns(['m/a/x.smil']), 'n/', 1).literalFiles).toEqual([]);
});

test('requestOf refuses a folder task; resultOf of a page that is not the task\'s keeps nothing it should not', () => {
  expect(() => requestOf({ t: 'dir', p: '', d: 0 }, 10)).toThrow(/makes no call/);
  expect(() => resultOf(compilePatterns(['a.smil']), { t: 'dir', p: '', d: 0 }, { objects: [], folders: [] })).toThrow(/makes no call/);
  const probe = resultOf(compilePatterns(['a/x.smil']), { t: 'probe', p: 'a/x.smil' }, { objects: [{ key: 'a/x.smil.bak' }], folders: [] });
  expect(probe.matched).toEqual([]);
});

describe('random buckets and patterns (seeded)', () => {
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const NAMES = ['a', 'ab', 'b', 't1', 't10', 'x y', 'a+b', '*', 'index.m3u8', 'x.smil', 'ab.smil'];
  const PARTS = ['a', 'ab', 'b', '*', 'a*', '*b', 't*', '\\*', 'x y'];
  const FILES = ['index.m3u8', '*.m3u8', 'x.smil', '*.smil', 'a*.smil', '*'];
  const totals = { expected: 0, found: 0 };
  // The cases are not vacuous: together they promise (and find) hundreds of keys.
  afterAll(() => {
    expect(totals.expected).toBeGreaterThan(300);
    expect(totals.found).toBeGreaterThanOrEqual(totals.expected);
  });

  test.each(Array.from({ length: 40 }, (_, i) => i))('case %i: no key twice, only keys the rule matches, every promised key', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 150; i++) {
      const depth = 1 + Math.floor(random() * 4);
      keys.add(Array.from({ length: depth }, () => pick(NAMES)).join('/'));
    }
    const patterns = new Set<string>();
    const count = 1 + Math.floor(random() * 3);
    while (patterns.size < count) {
      const depth = Math.floor(random() * 3);
      const pattern = [...Array.from({ length: depth }, () => pick(PARTS)), pick(FILES)].join('/');
      if (!pattern.includes('**')) { patterns.add(pattern); }
    }
    const list = [...patterns];
    const { found, requests } = walk(bucket([...keys]), list, 3);
    expect(new Set(found).size).toBe(found.length);
    for (const key of found) { expect(matchesAnyKeyPattern(list, key)).toBe(true); }
    const expected = [...keys].filter(k => list.some(p => promised(p, k)));
    for (const key of expected) { expect(found).toContain(key); }
    totals.expected += expected.length;
    totals.found += found.length;
    const allowed = listingPrefixesOf(list);
    for (const request of requests) { expect(allowed.some(p => request.Prefix.startsWith(p))).toBe(true); }
  });
});
