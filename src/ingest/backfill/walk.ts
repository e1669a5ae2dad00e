/**
 * The backfill's walk of a bucket, folder by folder: which S3 calls find the keys the key patterns name without reading
 * every object under their literal prefixes. Pure (no SDK): the worker (worker/index.ts) runs the calls this module plans.
 *
 * A pattern is read as folders: its text split at each `/` (a `/` is never escaped, so each part is a pattern itself).
 * Walking folder D (`''` or ending in `/`) at depth d, a pattern is live when it has more than d parts and its first d
 * parts match D's folder names, a `*` there matching within one name (no `/`). Its part d says what to look for in D:
 * - a literal folder name (`movies` in `movies/*\/index.m3u8`): go into `D<name>/` without a call;
 * - a literal file name (`index.m3u8`): one ListObjectsV2 with Prefix = that key and MaxKeys 1 (a key sorts before every
 *   longer key it starts), so a title folder costs one call and one key, whatever number of segments it holds;
 * - a folder part with a wildcard (`*`, `ti*`): a listing of D with Delimiter `/` from the part's literal start; the
 *   common prefixes whose name matches are walked, the files are not read further (S3 folds each subfolder into one
 *   common prefix, so segments in rendition folders are never returned);
 * - a file part with a wildcard (`*.smil`): a flat listing (no delimiter) under D plus the part's literal start, every
 *   key kept that matches a pattern with EventBridge's semantics (`*` spans `/` there, as for the rule).
 *
 * So a `*` followed by `/` stands for exactly one folder name: `movies/*\/index.m3u8` finds `movies/<title>/index.m3u8`
 * but not `movies/a/b/index.m3u8`, which the event rule also matches (add `movies/*\/*\/index.m3u8` for such layouts).
 * Every key the walk keeps matches a pattern as the rule matches it (checked again), and no key is found by two calls:
 * ranges a flat listing covers are not walked or probed, and folders a delimited listing returns are not entered twice.
 * Every listing Prefix starts with a pattern's literal prefix (what the functions' `s3:prefix` condition allows).
 */
import { coveringPrefixes, literalPrefixOf, matchesAnyKeyPattern, matchesKeyPattern } from '../key-pattern';

/** A unit of work: a folder to plan, a page of a listing, or one key to look for. Small JSON (carried on the job queue). */
export type WalkTask =
  | { readonly t: 'dir'; readonly p: string; readonly d: number; readonly a?: number }
  | { readonly t: 'list'; readonly p: string; readonly d: number; readonly s: string; readonly flat: boolean; readonly k?: string; readonly a?: number }
  | { readonly t: 'probe'; readonly p: string; readonly a?: number };

/** The patterns split into folder parts, once per run. */
export interface CompiledPatterns {
  readonly patterns: readonly string[];
  readonly parts: readonly (readonly string[])[];
}

export function compilePatterns(patterns: readonly string[]): CompiledPatterns {
  return { patterns, parts: patterns.map(p => p.split('/')) };
}

/** `\*` and `\\` resolved: the text a part without wildcard stands for. */
function unescape(part: string): string {
  return part.replace(/\\([*\\])/g, '$1');
}

/** Whether a part has a wildcard (its literal start is shorter than its text). */
function isWild(part: string): boolean {
  return literalPrefixOf(part) !== unescape(part);
}

/** The folder names of D (`a/b/` → `['a', 'b']`). */
function namesOf(dir: string): string[] {
  return dir === '' ? [] : dir.slice(0, -1).split('/');
}

/** Starts none of which begins with another (each listing covers a disjoint range): the one implementation, key-pattern.ts. */
export { coveringPrefixes as coveringStarts };

/** What to do in folder `dir` at depth `depth`. */
export interface FolderPlan {
  /** Parts of live patterns that name a file here, with a wildcard: flat listings from their starts. */
  readonly flatStarts: string[];
  /** Parts with a wildcard that name a folder: delimited listings from these starts (those a flat listing covers dropped). */
  readonly folderStarts: string[];
  /** Folder parts with a wildcard: a common prefix whose name matches one is walked. */
  readonly wildFolders: string[];
  /** Literal folder names: walked, directly when no delimited listing returns them. */
  readonly literalFolders: string[];
  /** Literal file names not covered by a flat listing: probed. */
  readonly literalFiles: string[];
}

export function planFolder(compiled: CompiledPatterns, dir: string, depth: number): FolderPlan {
  const names = namesOf(dir);
  const flat: string[] = [];
  const wildFolders: string[] = [];
  const literalFolders = new Set<string>();
  const literalFiles = new Set<string>();
  for (const parts of compiled.parts) {
    if (parts.length <= depth) { continue; }
    let live = true;
    for (let i = 0; i < depth && live; i++) { live = matchesKeyPattern(parts[i], names[i]); }
    if (!live) { continue; }
    const part = parts[depth];
    const last = depth === parts.length - 1;
    if (isWild(part)) {
      (last ? flat : wildFolders).push(part);
    } else {
      (last ? literalFiles : literalFolders).add(unescape(part));
    }
  }
  const flatStarts = coveringPrefixes(flat.map(literalPrefixOf));
  const underFlat = (name: string) => flatStarts.some(s => name.startsWith(s));
  const folderStarts = coveringPrefixes(wildFolders.map(literalPrefixOf)).filter(s => !underFlat(s));
  return {
    flatStarts,
    folderStarts,
    wildFolders,
    // `name/` is what a flat listing or a delimited listing would cover.
    literalFolders: [...literalFolders].filter(n => !underFlat(`${n}/`)).sort(),
    literalFiles: [...literalFiles].filter(n => !underFlat(n)).sort(),
  };
}

/** The tasks a folder starts with: its listings, probes and literal subfolders (no call made). */
export function tasksOfFolder(compiled: CompiledPatterns, dir: string, depth: number): WalkTask[] {
  const plan = planFolder(compiled, dir, depth);
  const tasks: WalkTask[] = [];
  for (const s of plan.flatStarts) { tasks.push({ t: 'list', p: dir, d: depth, s, flat: true }); }
  for (const s of plan.folderStarts) { tasks.push({ t: 'list', p: dir, d: depth, s, flat: false }); }
  for (const name of plan.literalFolders) {
    // A delimited listing that covers the name returns it as a common prefix: walked from there, not twice.
    if (!plan.folderStarts.some(s => name.startsWith(s))) { tasks.push({ t: 'dir', p: `${dir}${name}/`, d: depth + 1 }); }
  }
  for (const name of plan.literalFiles) { tasks.push({ t: 'probe', p: `${dir}${name}` }); }
  return tasks;
}

/** One listed object (what a page's Contents gives). */
export interface ListedObject {
  readonly key: string;
  readonly etag?: string;
}

/** A ListObjectsV2 page, as far as the walk reads it. */
export interface ListedPage {
  readonly objects: readonly ListedObject[];
  readonly folders: readonly string[];
  readonly nextToken?: string;
}

/** What one page of a listing task gives: the keys to enqueue and the tasks to run next (the page's own next included). */
export interface PageResult {
  readonly matched: ListedObject[];
  readonly tasks: WalkTask[];
}

/** The ListObjectsV2 request of a listing or probe task. */
export function requestOf(task: WalkTask, pageSize: number): { Prefix: string; Delimiter?: string; MaxKeys: number; ContinuationToken?: string } {
  switch (task.t) {
    case 'probe': return { Prefix: task.p, MaxKeys: 1 };
    case 'list': return {
      Prefix: `${task.p}${task.s}`,
      ...(task.flat ? {} : { Delimiter: '/' }),
      MaxKeys: pageSize,
      ...(task.k ? { ContinuationToken: task.k } : {}),
    };
    default: throw new Error(`a ${task.t} task makes no call`);
  }
}

/** Reads the answer to a probe or a listing page. */
export function resultOf(compiled: CompiledPatterns, task: WalkTask, page: ListedPage): PageResult {
  const keep = (objects: readonly ListedObject[]) => objects.filter(o => matchesAnyKeyPattern(compiled.patterns, o.key));
  if (task.t === 'probe') {
    return { matched: keep(page.objects.filter(o => o.key === task.p)), tasks: [] };
  }
  if (task.t !== 'list') { throw new Error(`a ${task.t} task makes no call`); }
  const next: WalkTask[] = page.nextToken ? [{ t: 'list', p: task.p, d: task.d, s: task.s, flat: task.flat, k: page.nextToken }] : [];
  if (task.flat) { return { matched: keep(page.objects), tasks: next }; }
  // A delimited listing looks for folders only: files at this level are probed or flat-listed by their own tasks.
  const plan = planFolder(compiled, task.p, task.d);
  const tasks: WalkTask[] = [...next];
  for (const folder of page.folders) {
    const name = folder.slice(task.p.length, -1);
    if (name.includes('/')) { continue; }
    if (plan.flatStarts.some(s => name.startsWith(s))) { continue; }
    if (plan.literalFolders.includes(name) || plan.wildFolders.some(part => matchesKeyPattern(part, name))) {
      tasks.push({ t: 'dir', p: folder, d: task.d + 1 });
    }
  }
  return { matched: [], tasks };
}
