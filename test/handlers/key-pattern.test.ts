import * as fc from 'fast-check';
import {
  keyFilterOf,
  keyPatternProblem,
  keyPatternProblems,
  listingPrefixesOf,
  literalPrefixOf,
  matchesAnyKeyPattern,
  matchesChildPlaylists,
  matchesKeyPattern,
  s3EventDetailOf,
} from '../../src/ingest/key-pattern';

describe('keyPatternProblem', () => {
  test.each([
    'movies/*/index.m3u8',
    '*.smil',
    'films/*.smil',
    'a/b/c.m3u8',
    'literal\\*star/*.smil',
    'back\\\\slash/*.m3u8',
    '*/x/*/index.m3u8',
  ])('accepts %s', (pattern) => {
    expect(keyPatternProblem(pattern)).toBeUndefined();
  });

  test('fails on an empty pattern', () => {
    expect(keyPatternProblem('')).toMatch(/non-empty/);
  });

  test('fails on consecutive wildcards', () => {
    expect(keyPatternProblem('movies/**/index.m3u8')).toMatch(/consecutive wildcard characters '\*\*' \(at position 7\)/);
  });

  test('an escaped asterisk next to a wildcard is not consecutive', () => {
    expect(keyPatternProblem('movies/\\**/index.m3u8')).toBeUndefined();
    expect(keyPatternProblem('movies/*\\*/index.m3u8')).toBeUndefined();
  });

  test.each(['movies\\x/index.m3u8', 'movies/index.m3u8\\', 'a\\/b.smil'])('fails on the invalid escape in %s', (pattern) => {
    expect(keyPatternProblem(pattern)).toMatch(/a backslash may only escape/);
  });

  test.each(['movies/*', 'movies/*.mp4', 'movies/index.m3u8*', 'x.smil.txt'])(
    'fails on %s, which does not end in .smil or .m3u8', (pattern) => {
      expect(keyPatternProblem(pattern)).toMatch(/must end in \.smil or \.m3u8/);
    });

  test('fails on a pattern whose literal part is longer than any S3 key', () => {
    expect(keyPatternProblem(`${'a'.repeat(1020)}*.smil`)).toMatch(/1025 bytes, more than the longest S3 key \(1024\)/);
    expect(keyPatternProblem(`${'a'.repeat(1019)}*.smil`)).toBeUndefined();
    // bytes, not characters: 'é' is two bytes in UTF-8
    expect(keyPatternProblem(`${'é'.repeat(510)}*.smil`)).toMatch(/1025 bytes/);
  });
});

describe('keyPatternProblems', () => {
  test('requires at least one pattern', () => {
    expect(keyPatternProblems([])).toEqual([{ index: -1, pattern: '', message: 'give at least one key pattern (EventBridge wildcard syntax, ending in .smil or .m3u8)' }]);
    expect(keyPatternProblems(undefined)).toHaveLength(1);
  });

  test('reports each bad pattern with its index', () => {
    const problems = keyPatternProblems(['ok/*.smil', 'bad/*', 'ok/*.smil', 'x/**.m3u8']);
    expect(problems.map((p) => [p.index, p.pattern])).toEqual([[1, 'bad/*'], [2, 'ok/*.smil'], [3, 'x/**.m3u8']]);
    expect(problems[1].message).toBe('duplicate of keyPatterns[0]');
  });

  test('no problems for valid, distinct patterns', () => {
    expect(keyPatternProblems(['movies/*/index.m3u8', 'films/*.smil'])).toEqual([]);
  });
});

describe('matchesChildPlaylists', () => {
  test.each([
    ['*.m3u8', true],
    ['movies/*.m3u8', true],
    ['movies/*/index*.m3u8', true],
    ['movies/*/index.m3u8', false],
    ['index.m3u8', false],
    ['*.smil', false],
    ['movies/*/main.smil', false],
  ])('%s -> %s', (pattern, expected) => {
    expect(matchesChildPlaylists(pattern)).toBe(expected);
  });
});

describe('literalPrefixOf and listingPrefixesOf', () => {
  test.each([
    ['movies/*/index.m3u8', 'movies/'],
    ['*.smil', ''],
    ['a/b/c.m3u8', 'a/b/c.m3u8'],
    ['lit\\*eral/*.smil', 'lit*eral/'],
    ['back\\\\slash/*.smil', 'back\\slash/'],
  ])('literalPrefixOf(%s) = %s', (pattern, prefix) => {
    expect(literalPrefixOf(pattern)).toBe(prefix);
  });

  test('listing prefixes drop those another prefix covers', () => {
    expect(listingPrefixesOf(['movies/*/index.m3u8', 'movies/4k/*.smil', 'films/*.smil', 'films/*/x.m3u8'])).toEqual(['films/', 'movies/']);
    expect(listingPrefixesOf(['movies/*/index.m3u8', '*.smil'])).toEqual(['']);
  });

  test('literalPrefixOf throws on an invalid pattern', () => {
    expect(() => literalPrefixOf('a/**.smil')).toThrow(/invalid key pattern 'a\/\*\*\.smil'/);
  });
});

describe('rendering', () => {
  test('one wildcard filter per pattern, under detail.object.key, with the bucket name', () => {
    expect(keyFilterOf(['a/*.smil', 'b/*.m3u8'])).toEqual([{ wildcard: 'a/*.smil' }, { wildcard: 'b/*.m3u8' }]);
    expect(s3EventDetailOf('my-bucket', ['a/*.smil'])).toEqual({
      bucket: { name: ['my-bucket'] },
      object: { key: [{ wildcard: 'a/*.smil' }] },
    });
  });
});

describe('matchesKeyPattern (EventBridge wildcard semantics)', () => {
  test.each([
    ['movies/*/index.m3u8', 'movies/a/index.m3u8', true],
    ['movies/*/index.m3u8', 'movies/a/b/index.m3u8', true], // '*' spans '/'
    ['movies/*/index.m3u8', 'movies//index.m3u8', true], // '*' matches zero characters
    ['movies/*/index.m3u8', 'movies/index.m3u8', false],
    ['movies/*/index.m3u8', 'Movies/a/index.m3u8', false], // case-sensitive
    ['movies/*/index.m3u8', 'movies/a/index.m3u8.bak', false],
    ['movies/*/index.m3u8', 'x/movies/a/index.m3u8', false],
    ['*.smil', 'a.smil', true],
    ['*.smil', '.smil', true],
    ['*.smil', 'a/b/c.smil', true],
    ['*.smil', 'a.smil/b', false],
    ['a/b.smil', 'a/b.smil', true],
    ['a/b.smil', 'a/b.smilx', false],
    ['a*a.smil', 'a.smil', false], // literals may not overlap
    ['a*a.smil', 'aa.smil', true],
    ['*a*b*.smil', 'xxaxxbxx.smil', true],
    ['*a*b*.smil', 'xxbxxaxx.smil', false],
    ['*ab*ab.smil', 'abab.smil', true],
    ['*ab*ab.smil', 'ab.smil', false],
    ['lit\\*/*.smil', 'lit*/x.smil', true],
    ['lit\\*/*.smil', 'litX/x.smil', false],
    ['back\\\\/*.smil', 'back\\/x.smil', true],
    ['movies/*', 'movies/any/thing', true], // matching itself takes any valid pattern
    ['*', '', true],
  ])('%s against %s -> %s', (pattern, key, expected) => {
    expect(matchesKeyPattern(pattern, key)).toBe(expected);
  });

  test('matchesAnyKeyPattern: any of the patterns', () => {
    const patterns = ['movies/*/index.m3u8', 'films/*.smil'];
    expect(matchesAnyKeyPattern(patterns, 'films/x/y.smil')).toBe(true);
    expect(matchesAnyKeyPattern(patterns, 'movies/x/index.m3u8')).toBe(true);
    expect(matchesAnyKeyPattern(patterns, 'movies/x/index_720.m3u8')).toBe(false);
    expect(matchesAnyKeyPattern([], 'films/x.smil')).toBe(false);
  });

  test('throws on an invalid pattern rather than guessing', () => {
    expect(() => matchesKeyPattern('a/**.smil', 'a/b.smil')).toThrow(/consecutive/);
  });

  // Reference: the same semantics as a regular expression built from the parsed pattern.
  function reference(pattern: string, key: string): boolean {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\') { source += pattern[++i].replace(/[\\*]/g, '\\$&'); } else if (c === '*') { source += '[\\s\\S]*'; } else {
        source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      }
    }
    return new RegExp(`^${source}$`).test(key);
  }

  test('agrees with a regular-expression reference on random patterns and keys', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '.', '*', '\\*', 'é');
    const patternArb = fc.array(alphabet, { maxLength: 8 }).map((xs) => xs.join('').replace(/\*\*+/g, '*'));
    const keyArb = fc.array(fc.constantFrom('a', 'b', '/', '.', '*', 'é'), { maxLength: 10 }).map((xs) => xs.join(''));
    fc.assert(fc.property(patternArb, keyArb, (pattern, key) => {
      // '\\*' followed by '*' may have been joined into '\\**' which the replace above turned into '\\*': still valid.
      if (keyPatternProblem(`${pattern}.smil`) !== undefined) { return true; }
      expect(matchesKeyPattern(`${pattern}.smil`, `${key}.smil`)).toBe(reference(`${pattern}.smil`, `${key}.smil`));
      return true;
    }), { numRuns: 3000 });
  });
});
