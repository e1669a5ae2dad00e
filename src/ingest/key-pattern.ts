/**
 * Key patterns of `BucketIngest`: EventBridge wildcard syntax, checked, rendered and matched in one place.
 *
 * The same module serves the construct (validation at synth, the rule's event pattern, the listing prefixes the
 * backfill may read) and the Lambda code (the backfill filters listed keys with `matchesAnyKeyPattern`), so events and
 * backfill match exactly the same keys. Pure: no SDK, no aws-cdk-lib.
 *
 * EventBridge wildcard rules (EventBridge user guide, "Wildcard matching"; aws/event-ruler, the matcher behind it):
 * - `*` matches zero or more characters, any character including `/`;
 * - consecutive wildcard characters (`**`) are not allowed;
 * - `\*` is a literal asterisk, `\\` a literal backslash; a backslash before any other character is not allowed;
 * - everything else is literal and case-sensitive.
 *
 * One case rule for keys, shared with `AssetSource.fromBucket`: the file ending (`.smil`, `.m3u8`) is recognised in any
 * case (`INDEX.M3U8`), everything else of a key is case-sensitive, as S3 keys are.
 */

/** File name endings MediaPackage VOD ingests: a SMIL manifest (MP4 sources) or an HLS parent playlist. */
export const KEY_PATTERN_SUFFIXES: readonly string[] = ['.smil', '.m3u8'];

/** True when `text` ends in one of KEY_PATTERN_SUFFIXES, in any case (the one case rule for keys and patterns). */
export function hasSourceSuffix(text: string): boolean {
  const lower = text.toLowerCase();
  return KEY_PATTERN_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/**
 * What is wrong with the shape of an object key or key pattern, shared with `AssetSource.fromBucket`: a URL
 * (`s3://bucket/...`) or a leading '/'. Undefined when neither.
 */
export function keyShapeProblem(text: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return 'is the object key in the bucket (e.g. movies/movie1/index.smil), not a URL';
  }
  if (text.startsWith('/')) {
    return 'is an S3 object key and must not start with \'/\'';
  }
  return undefined;
}

/** Longest S3 object key, in UTF-8 bytes (S3 user guide, "Naming Amazon S3 objects"). */
export const MAX_S3_KEY_BYTES = 1024;

/**
 * The default EventBridge quota on the size of a rule's event pattern, in characters (adjustable up to 4096).
 */
export const DEFAULT_EVENT_PATTERN_QUOTA = 2048;

/** One part of a parsed pattern: a literal run, or a wildcard. */
type Part = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'wildcard' };

/** A problem found in a key pattern; `index` is the position of the pattern in the list. */
export interface KeyPatternProblem {
  readonly index: number;
  readonly pattern: string;
  readonly message: string;
}

/**
 * Parses a pattern into literal runs and wildcards; returns an error message instead when the syntax is invalid.
 */
function parse(pattern: string): Part[] | string {
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') {
        return `a backslash may only escape '*' or '\\' in an EventBridge wildcard (invalid escape at position ${i})`;
      }
      literal += next;
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        return `EventBridge does not allow consecutive wildcard characters '**' (at position ${i})`;
      }
      if (literal) { parts.push({ kind: 'literal', text: literal }); literal = ''; }
      parts.push({ kind: 'wildcard' });
    } else {
      literal += c;
    }
  }
  if (literal) { parts.push({ kind: 'literal', text: literal }); }
  return parts;
}

function parseOrThrow(pattern: string): Part[] {
  const parts = parse(pattern);
  if (typeof parts === 'string') {
    throw new Error(`invalid key pattern '${pattern}': ${parts}`);
  }
  return parts;
}

/**
 * Checks one key pattern. Returns the problem as a sentence, or undefined when the pattern is valid.
 */
export function keyPatternProblem(pattern: string): string | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    return 'a key pattern must be a non-empty string';
  }
  const shape = keyShapeProblem(pattern);
  if (shape) { return shape; }
  const parts = parse(pattern);
  if (typeof parts === 'string') { return parts; }
  const last = parts[parts.length - 1];
  if (last.kind !== 'literal' || !hasSourceSuffix(last.text)) {
    return `must end in ${KEY_PATTERN_SUFFIXES.join(' or ')} (any case): MediaPackage VOD ingests a SMIL manifest or an HLS `
      + 'parent playlist';
  }
  const literalBytes = parts.reduce((n, p) => n + (p.kind === 'literal' ? Buffer.byteLength(p.text, 'utf8') : 0), 0);
  if (literalBytes > MAX_S3_KEY_BYTES) {
    return `its literal characters take ${literalBytes} bytes, more than the longest S3 key (${MAX_S3_KEY_BYTES}): it can never match`;
  }
  return undefined;
}

/**
 * Checks a list of key patterns: required, non-empty, each valid, no duplicates. Returns every problem found, in order.
 * `skip`: patterns not checked (the construct's unresolved Tokens).
 */
export function keyPatternProblems(patterns: readonly string[] | undefined, skip: (pattern: string) => boolean = () => false): KeyPatternProblem[] {
  if (patterns === undefined || patterns.length === 0) {
    return [{ index: -1, pattern: '', message: 'give at least one key pattern (EventBridge wildcard syntax, ending in .smil or .m3u8)' }];
  }
  const problems: KeyPatternProblem[] = [];
  const seen = new Map<string, number>();
  patterns.forEach((pattern, index) => {
    if (skip(pattern)) { return; }
    const message = keyPatternProblem(pattern);
    if (message) {
      problems.push({ index, pattern, message });
    } else if (seen.has(pattern)) {
      problems.push({ index, pattern, message: `duplicate of keyPatterns[${seen.get(pattern)}]` });
    }
    seen.set(pattern, seen.get(pattern) ?? index);
  });
  return problems;
}

/**
 * True when a valid `.m3u8` pattern has a wildcard in its file name (after its last literal '/'), e.g. `*.m3u8` or
 * `movies/*.m3u8`: it also matches the HLS child (rendition) playlists next to the parent, and each would become an
 * asset (or fail ingest). Patterns such as `movies/* /index.m3u8` (without the space) name the file and do not.
 */
export function matchesChildPlaylists(pattern: string): boolean {
  const parts = parse(pattern);
  if (typeof parts === 'string' || !pattern.toLowerCase().endsWith('.m3u8')) { return false; }
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i];
    if (part.kind === 'wildcard') { return true; }
    if (part.text.includes('/')) { return false; }
  }
  return false;
}

/**
 * The literal text before the first wildcard, escapes resolved (`movies/` for `movies/*.smil`). The whole
 * pattern when it has no wildcard. What a listing of the bucket must cover to find every key the pattern matches.
 */
export function literalPrefixOf(pattern: string): string {
  const parts = parseOrThrow(pattern);
  const first = parts[0];
  return first !== undefined && first.kind === 'literal' ? first.text : '';
}

/**
 * The smallest set of listing prefixes that covers every pattern: the literal prefixes, without those another one
 * already covers, sorted. `['']` (the whole bucket) when a pattern starts with a wildcard.
 */
export function listingPrefixesOf(patterns: readonly string[]): string[] {
  return coveringPrefixes(patterns.map(literalPrefixOf));
}

/**
 * The prefixes without those another one starts with ('' covers all), unique and sorted: listings from them cover
 * disjoint ranges, so no key is listed twice.
 */
export function coveringPrefixes(prefixes: Iterable<string>): string[] {
  const unique = [...new Set(prefixes)].sort();
  return unique.filter((p) => !unique.some((q) => q !== p && p.startsWith(q)));
}

/**
 * The `detail.object.key` filter of the rule's event pattern: one EventBridge wildcard per pattern (any may match).
 */
export function keyFilterOf(patterns: readonly string[]): { wildcard: string }[] {
  return patterns.map((pattern) => ({ wildcard: pattern }));
}

/**
 * The `detail` part of the EventBridge event pattern for S3 object events of one bucket whose key matches any pattern:
 * `{ bucket: { name: [bucketName] }, object: { key: [{ wildcard: p }, ...] } }`.
 */
export function s3EventDetailOf(bucketName: string, patterns: readonly string[]): Record<string, unknown> {
  return { bucket: { name: [bucketName] }, object: { key: keyFilterOf(patterns) } };
}

/**
 * True when `key` matches `pattern` with EventBridge wildcard semantics (`*`: any run of characters, '/' included;
 * everything else literal and case-sensitive). Throws on an invalid pattern.
 */
export function matchesKeyPattern(pattern: string, key: string): boolean {
  const parts = parseOrThrow(pattern);
  let position = 0;
  let anchored = true; // no wildcard seen yet: the next literal must start exactly at `position`
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.kind === 'wildcard') {
      anchored = false;
      continue;
    }
    const isLast = i === parts.length - 1;
    if (anchored) {
      if (!key.startsWith(part.text, position)) { return false; }
      position += part.text.length;
    } else if (isLast) {
      // The last literal after a wildcard must end the key (and must not overlap what earlier literals consumed).
      if (key.length - part.text.length < position || !key.endsWith(part.text)) { return false; }
      position = key.length;
    } else {
      // A literal between wildcards: its leftmost occurrence is always the best choice.
      const found = key.indexOf(part.text, position);
      if (found < 0) { return false; }
      position = found + part.text.length;
    }
    anchored = false;
    if (isLast) { return position === key.length; }
  }
  // Only reached when the pattern ends with a wildcard, which matches the rest of the key (or is empty).
  return parts.length > 0 || key.length === 0;
}

/**
 * True when `key` matches at least one of `patterns` (EventBridge wildcard semantics, as the ingest rule matches
 * events). The backfill uses this on listed keys, so it enqueues exactly what the rule would have sent.
 */
export function matchesAnyKeyPattern(patterns: readonly string[], key: string): boolean {
  return patterns.some((pattern) => matchesKeyPattern(pattern, key));
}

/**
 * True when some object key matches both patterns (EventBridge wildcard semantics). Invalid patterns never overlap.
 * Walks both patterns character by character: a wildcard on either side may take any run of the other's characters.
 */
export function keyPatternsOverlap(a: string, b: string): boolean {
  const pa = parse(a);
  const pb = parse(b);
  if (typeof pa === 'string' || typeof pb === 'string') { return false; }
  // One symbol per character, `null` for a wildcard.
  const symbols = (parts: Part[]) => parts.flatMap(p => p.kind === 'wildcard' ? [null] : [...p.text]);
  const x = symbols(pa);
  const y = symbols(pb);
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const state = i * (y.length + 1) + j;
    if (seen.has(state)) { continue; }
    seen.add(state);
    if (i === x.length && j === y.length) { return true; }
    const cx = i < x.length ? x[i] : undefined;
    const cy = j < y.length ? y[j] : undefined;
    if (cx === null) { stack.push([i + 1, j]); if (cy !== undefined) { stack.push([i, j + 1]); } }
    if (cy === null) { stack.push([i, j + 1]); if (cx !== undefined) { stack.push([i + 1, j]); } }
    if (cx !== undefined && cx !== null && cy !== undefined && cy !== null && cx === cy) { stack.push([i + 1, j + 1]); }
  }
  return false;
}
