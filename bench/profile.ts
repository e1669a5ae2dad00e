/**
 * The CPU profile summary of `BENCH_PROFILE=1 npx projen bench`: self time by area (this library, the benchmark stacks,
 * aws-cdk-lib modules, node) and the inclusive time of this library's functions, from a V8 .cpuprofile file.
 */
import * as fs from 'fs';

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Prints the hot spots of a .cpuprofile: self time by area, and inclusive time of this library's functions. */
export function summarizeProfile(file: string): string[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: CpuProfileNode[]; samples: number[]; timeDeltas: number[];
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) { for (const c of n.children ?? []) { parent.set(c, n.id); } }
  const total = new Map<number, number>();
  const totalOf = (id: number): number => {
    const known = total.get(id);
    if (known !== undefined) { return known; }
    const n = byId.get(id)!;
    const t = (self.get(id) ?? 0) + (n.children ?? []).reduce((sum, c) => sum + totalOf(c), 0);
    total.set(id, t);
    return t;
  };
  const where = (n: CpuProfileNode) => {
    const url = n.callFrame.url;
    if (url.includes('/bench-results/build/src/')) { return 'this library (src/)'; }
    if (url.includes('/bench-results/build/bench/') || url.includes('/bench-results/build/test/stacks/')) { return 'bench stack code'; }
    const lib = /node_modules\/(aws-cdk-lib\/[^/]+|constructs)\//.exec(url);
    if (lib) { return lib[1]; }
    if (url === '' ) { return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native)'; }
    if (url.startsWith('node:')) { return 'node internals'; }
    return 'other';
  };
  const areas = new Map<string, number>();
  for (const n of profile.nodes) { areas.set(where(n), (areas.get(where(n)) ?? 0) + (self.get(n.id) ?? 0)); }
  const key = (n: CpuProfileNode) => `${n.callFrame.functionName || '(anonymous)'} `
    + `${n.callFrame.url.replace(/^.*bench-results\/build\//, '')}:${n.callFrame.lineNumber + 1}`;
  const inclusive = new Map<string, number>();
  for (const n of profile.nodes) {
    if (!n.callFrame.url.includes('/bench-results/build/src/')) { continue; }
    const k = key(n);
    let p = parent.get(n.id);
    let nested = false;
    while (p !== undefined) {
      if (key(byId.get(p)!) === k) { nested = true; break; }
      p = parent.get(p);
    }
    if (!nested) { inclusive.set(k, (inclusive.get(k) ?? 0) + totalOf(n.id)); }
  }
  const selfByFn = new Map<string, number>();
  for (const n of profile.nodes) { selfByFn.set(key(n), (selfByFn.get(key(n)) ?? 0) + (self.get(n.id) ?? 0)); }
  const top = (m: Map<string, number>, k: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
  return [
    '  self time by area (ms): ' + top(areas, 8).map(([a, t]) => `${a} ${Math.round(t)}`).join(', '),
    '  top self time (ms):',
    ...top(selfByFn, 8).map(([f, t]) => `    ${String(Math.round(t)).padStart(6)}  ${f}`),
    '  this library, inclusive time (ms):',
    ...top(inclusive, 10).map(([f, t]) => `    ${String(Math.round(t)).padStart(6)}  ${f}`),
  ];
}
