/**
 * Benchmark: this library (L2) against the same stack written by hand with L1 classes, and scale to CloudFormation's
 * limits. Run with `npx projen bench` (or `npx ts-node --project tsconfig.dev.json bench/run.ts`).
 *
 * 1. Compiles src/ and bench/ with tsc into bench-results/build, so that both variants run as plain compiled
 *    JavaScript (no ts-node in the measured processes).
 * 2. For each size (1 group x 4 configurations x N assets), runs REPS synths of each variant, alternating L1 and L2
 *    (ABBA order, to cancel drift), each in a fresh `node` process, after one discarded warm-up pair. Reports the
 *    median time from `new App()` to after `app.synth()`, the median peak RSS, and the template's counts and sizes.
 * 3. Probes the resource limit: the largest asset count that fits in 500 resources, and what CDK says one above it.
 * 4. Counts the Lambda functions of a stack that configures egress access logs on many imported groups.
 * 5. With BENCH_PROFILE=1, CPU-profiles one synth of each variant at the largest size and prints the hot spots.
 *
 * Environment: BENCH_SIZES (default 10,100,450), BENCH_REPS (default 7), BENCH_LOG_GROUPS (default 20),
 * BENCH_PROFILE (default 0). Results: stdout, bench-results/results.json and bench-results/results.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LIMITS } from './config';
import type { TemplateStats } from './stats';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'bench-results');
const BUILD = path.join(RESULTS, 'build');
const CHILD = path.join(BUILD, 'bench', 'child.js');

const SIZES = (process.env.BENCH_SIZES ?? '10,100,450').split(',').map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 7);
const LOG_GROUPS = Number(process.env.BENCH_LOG_GROUPS ?? 20);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Target of the synth time ratio L2/L1. */
const MAX_RATIO = 1.10;

type Variant = 'l1' | 'l2' | 'logs';

interface ChildResult {
  readonly ok: boolean;
  readonly variant: Variant;
  readonly size: number;
  readonly error?: string;
  /** Cold import of the variant's own modules (the other variant's are loaded after it, untimed). */
  readonly requireMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  /** CPU time (user + system, all threads) over the same span: less sensitive to other load on the machine. */
  readonly cpuMs: number;
  readonly maxRssKb: number;
  readonly templateFileBytes: number;
  readonly stats: TemplateStats;
  /** Wall time of the whole process, seen from here (startup and module loading included). */
  processMs: number;
}

function log(line = ''): void {
  process.stdout.write(line + '\n');
}

/** Compiles src/ and bench/ into bench-results/build with the project's TypeScript. */
function compile(): void {
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.rmSync(BUILD, { recursive: true, force: true });
  const tsconfig = path.join(RESULTS, 'tsconfig.bench.json');
  fs.writeFileSync(tsconfig, JSON.stringify({
    extends: '../tsconfig.json',
    compilerOptions: {
      rootDir: '..',
      outDir: 'build',
      declaration: false,
      inlineSourceMap: false,
      inlineSources: false,
      sourceMap: false,
      noUnusedLocals: false,
      types: ['node'],
    },
    include: ['../src/**/*.ts', '../bench/**/*.ts'],
    exclude: ['../src/access-logs/handler/**'],
  }, undefined, 2));
  const started = Date.now();
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) {
    throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  }
  // The access-logs construct finds its bundled handler at <lib>/../assets (built by `npx projen bundle`).
  const assets = path.join(BUILD, 'assets');
  if (!fs.existsSync(assets)) {
    fs.symlinkSync(path.join(ROOT, 'assets'), assets, 'dir');
  }
  if (!fs.existsSync(path.join(ROOT, 'assets', 'access-logs', 'handler', 'index'))) {
    throw new Error('assets/access-logs/handler/index is missing: run `npx projen bundle` first (the access-logs scenario needs it)');
  }
  log(`compiled src/ and bench/ into ${path.relative(ROOT, BUILD)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** One synth in a fresh process. */
function runChild(variant: Variant, size: number, nodeArgs: string[] = []): ChildResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `mpvod-bench-${variant}-`));
  try {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [...nodeArgs, CHILD, variant, String(size), outdir], {
      cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    });
    const processMs = Number(process.hrtime.bigint() - started) / 1e6;
    const line = child.stdout.trim().split('\n').pop() ?? '';
    let result: ChildResult;
    try {
      result = JSON.parse(line);
    } catch {
      throw new Error(`child ${variant} ${size} failed (status ${child.status}):\n${child.stdout}\n${child.stderr}`);
    }
    result.processMs = processMs;
    return result;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function ok(result: ChildResult): ChildResult {
  if (!result.ok) {
    throw new Error(`${result.variant} with ${result.size} failed: ${result.error}`);
  }
  return result;
}

interface SizeResult {
  readonly size: number;
  readonly l1: ChildResult[];
  readonly l2: ChildResult[];
}

function measure(size: number): SizeResult {
  const l1: ChildResult[] = [];
  const l2: ChildResult[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    // ABBA: L1 first on even repetitions, L2 first on odd ones.
    const order: Variant[] = rep % 2 === 0 ? ['l1', 'l2'] : ['l2', 'l1'];
    for (const variant of order) {
      const result = ok(runChild(variant, size));
      (variant === 'l1' ? l1 : l2).push(result);
    }
  }
  return { size, l1, l2 };
}

const ms = (n: number) => `${Math.round(n)}`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)}`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;

interface Summary {
  readonly size: number;
  readonly l1Ms: number;
  readonly l2Ms: number;
  readonly ratio: number;
  readonly l1CpuMs: number;
  readonly l2CpuMs: number;
  readonly cpuRatio: number;
  readonly l1ConstructMs: number;
  readonly l2ConstructMs: number;
  readonly l1SynthMs: number;
  readonly l2SynthMs: number;
  readonly l1RequireMs: number;
  readonly l2RequireMs: number;
  readonly l1RssKb: number;
  readonly l2RssKb: number;
  readonly l1: TemplateStats;
  readonly l2: TemplateStats;
  readonly l1TemplateFileBytes: number;
  readonly l2TemplateFileBytes: number;
}

function summarize(r: SizeResult): Summary {
  const med = (results: ChildResult[], f: (c: ChildResult) => number) => median(results.map(f));
  const l1Ms = med(r.l1, c => c.totalMs);
  const l2Ms = med(r.l2, c => c.totalMs);
  const l1CpuMs = med(r.l1, c => c.cpuMs);
  const l2CpuMs = med(r.l2, c => c.cpuMs);
  return {
    size: r.size,
    l1Ms,
    l2Ms,
    ratio: l2Ms / l1Ms,
    l1CpuMs,
    l2CpuMs,
    cpuRatio: l2CpuMs / l1CpuMs,
    l1ConstructMs: med(r.l1, c => c.constructMs),
    l2ConstructMs: med(r.l2, c => c.constructMs),
    l1SynthMs: med(r.l1, c => c.synthMs),
    l2SynthMs: med(r.l2, c => c.synthMs),
    l1RequireMs: med(r.l1, c => c.requireMs),
    l2RequireMs: med(r.l2, c => c.requireMs),
    l1RssKb: med(r.l1, c => c.maxRssKb),
    l2RssKb: med(r.l2, c => c.maxRssKb),
    l1: r.l1[0].stats,
    l2: r.l2[0].stats,
    l1TemplateFileBytes: r.l1[0].templateFileBytes,
    l2TemplateFileBytes: r.l2[0].templateFileBytes,
  };
}

function table(summaries: Summary[]): string[] {
  const rows = [
    '| assets | variant | synth ms (median) | construct + synth ms | CPU ms | import ms | peak RSS MB | resources | IAM roles | Lambda fns | largest policy B | largest role policies B | template KiB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of summaries) {
    for (const [name, t, c, sy, cpu, p, rss, st, file] of [
      ['L1', s.l1Ms, s.l1ConstructMs, s.l1SynthMs, s.l1CpuMs, s.l1RequireMs, s.l1RssKb, s.l1, s.l1TemplateFileBytes],
      ['L2', s.l2Ms, s.l2ConstructMs, s.l2SynthMs, s.l2CpuMs, s.l2RequireMs, s.l2RssKb, s.l2, s.l2TemplateFileBytes],
    ] as const) {
      rows.push(`| ${s.size} | ${name} | ${ms(t)} | ${ms(c)} + ${ms(sy)} | ${ms(cpu)} | ${ms(p)} | ${mb(rss)} | ${st.resources} | ${st.roles} `
        + `| ${st.lambdas} | ${st.largestPolicyBytes} | ${st.largestRolePolicyBytes} | ${kib(file)} |`);
    }
    rows.push(`| ${s.size} | **L2/L1** | **${s.ratio.toFixed(2)}** | | ${s.cpuRatio.toFixed(2)} | +${ms(s.l2RequireMs - s.l1RequireMs)} `
      + `| ${(s.l2RssKb / s.l1RssKb).toFixed(2)} | +${s.l2.resources - s.l1.resources} | | | | | ${(s.l2TemplateFileBytes / s.l1TemplateFileBytes).toFixed(2)} |`);
  }
  return rows;
}

interface ProbeResult {
  readonly variant: Variant;
  readonly size: number;
  readonly ok: boolean;
  readonly resources?: number;
  readonly templateBytes?: number;
  readonly error?: string;
}

/** The largest asset count that fits in the resource limit, and what happens one above it. */
function probeLimit(summaries: Summary[]): ProbeResult[] {
  const last = summaries[summaries.length - 1];
  const results: ProbeResult[] = [];
  for (const variant of ['l1', 'l2'] as const) {
    const stats = variant === 'l1' ? last.l1 : last.l2;
    const fixed = stats.resources - last.size;
    const fits = LIMITS.resources - fixed;
    for (const size of [fits, fits + 1]) {
      const r = runChild(variant, size);
      results.push({ variant, size, ok: r.ok, resources: r.stats?.resources, templateBytes: r.templateFileBytes, error: r.error });
    }
  }
  return results;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Prints the hot spots of a .cpuprofile: self time by area, and inclusive time of this library's functions. */
function summarizeProfile(file: string): string[] {
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
    if (url.includes('/bench-results/build/bench/')) { return 'bench stack code'; }
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

function main(): void {
  const started = Date.now();
  log(`cdk-mediapackage-vod benchmark: 1 group x 4 configurations x {${SIZES.join(', ')}} assets, ${REPS} synths per variant `
    + `and size, alternating L1/L2, each in a fresh process (node ${process.version}, ${os.cpus().length} CPUs, `
    + `load average ${os.loadavg().map(l => l.toFixed(2)).join(' ')})`);
  compile();

  // Warm-up pair (file cache, code cache): discarded.
  runChild('l1', SIZES[0]);
  runChild('l2', SIZES[0]);

  const summaries: Summary[] = [];
  for (const size of SIZES) {
    const s = summarize(measure(size));
    summaries.push(s);
    log(`  ${size} assets: L1 ${ms(s.l1Ms)} ms, L2 ${ms(s.l2Ms)} ms, L2/L1 ${s.ratio.toFixed(2)} (CPU ${s.cpuRatio.toFixed(2)}); `
      + `resources ${s.l1.resources} / ${s.l2.resources}`);
  }
  const rows = table(summaries);
  log();
  rows.forEach(r => log(r));

  log();
  log(`Resource limit (${LIMITS.resources}, CDK context @aws-cdk/core:stackResourceLimit):`);
  const probe = probeLimit(summaries);
  for (const p of probe) {
    log(`  ${p.variant.toUpperCase()} with ${p.size} assets: ${p.ok
      ? `synthesizes, ${p.resources} resources, template ${kib(p.templateBytes ?? 0)} KiB`
      : `fails: ${p.error}`}`);
  }

  log();
  const logs1 = ok(runChild('logs', 1));
  const logsN = ok(runChild('logs', LOG_GROUPS));
  log(`Egress access logs on imported groups (configureEgressAccessLogs): 1 group -> ${logs1.stats.resources} resources, `
    + `${logs1.stats.lambdas} Lambda, ${logs1.stats.roles} role; ${LOG_GROUPS} groups -> ${logsN.stats.resources} resources, `
    + `${logsN.stats.lambdas} Lambda, ${logsN.stats.roles} role, largest policy ${logsN.stats.largestPolicyBytes} B (1 group: `
    + `${logs1.stats.largestPolicyBytes} B)`);

  // Targets.
  const first = summaries[0];
  const last = summaries[summaries.length - 1];
  const extra = summaries.map(s => s.l2.resources - s.l1.resources);
  const checks: Array<[string, boolean, string]> = [
    [`synth time L2/L1 <= ${MAX_RATIO.toFixed(2)} at every size`, summaries.every(s => s.ratio <= MAX_RATIO),
      summaries.map(s => `${s.size}: ${s.ratio.toFixed(2)} (CPU ${s.cpuRatio.toFixed(2)})`).join(', ')],
    ['L2 resources = L1 resources + a constant', extra.every(e => e === extra[0]), `+${extra.join(', +')}`],
    ['no per-asset role or policy', summaries.every(s => s.l2.roles === first.l2.roles && s.l2.policies === first.l2.policies),
      `L2 roles ${summaries.map(s => s.l2.roles).join('/')}, policies ${summaries.map(s => s.l2.policies).join('/')}`],
    ['largest policy constant in the number of assets', summaries.every(s => s.l2.largestPolicyBytes === first.l2.largestPolicyBytes),
      summaries.map(s => `${s.l2.largestPolicyBytes} B`).join(', ')],
    [`at most 1 Lambda for ${LOG_GROUPS} groups with access logs`, logsN.stats.lambdas <= 1, `${logsN.stats.lambdas}`],
    [`largest size under ${LIMITS.resources} resources`, last.l2.resources <= LIMITS.resources, `${last.l2.resources}`],
    [`template under ${LIMITS.templateBytes} bytes`, last.l2TemplateFileBytes < LIMITS.templateBytes,
      `${last.l2TemplateFileBytes} B (${(100 * last.l2TemplateFileBytes / LIMITS.templateBytes).toFixed(0)}%)`],
    [`role policies under ${LIMITS.rolePolicyBytes} bytes`, last.l2.largestRolePolicyBytes < LIMITS.rolePolicyBytes,
      `${last.l2.largestRolePolicyBytes} B`],
  ];
  log();
  log('Targets:');
  for (const [what, met, detail] of checks) {
    log(`  [${met ? 'met' : 'NOT MET'}] ${what}: ${detail}`);
  }

  const profiles: string[] = [];
  if (PROFILE) {
    const dir = path.join(RESULTS, 'profiles');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const variant of ['l1', 'l2'] as const) {
      const name = `${variant}-${last.size}.cpuprofile`;
      ok(runChild(variant, last.size, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name, '--cpu-prof-interval', '200']));
      profiles.push(`CPU profile of ${variant.toUpperCase()} with ${last.size} assets (bench-results/profiles/${name}, whole process):`,
        ...summarizeProfile(path.join(dir, name)));
    }
    log();
    profiles.forEach(l => log(l));
  }

  fs.writeFileSync(path.join(RESULTS, 'results.json'), JSON.stringify({
    date: new Date().toISOString(),
    sizes: SIZES,
    reps: REPS,
    node: process.version,
    cpus: os.cpus().length,
    summaries,
    probe,
    logs: { one: logs1, many: logsN },
    checks,
  }, undefined, 2));
  fs.writeFileSync(path.join(RESULTS, 'results.md'), [...rows, '', ...checks.map(([w, m, d]) => `- ${m ? 'met' : 'NOT MET'}: ${w} (${d})`),
    '', ...profiles].join('\n') + '\n');
  log();
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench-results/results.{json,md}`);
}

main();
