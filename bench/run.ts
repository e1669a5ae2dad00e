/**
 * Benchmark: this library (L2) against the same stack written by hand with L1 classes, and scale to CloudFormation's
 * limits. Run with `npx projen bench` (or `npx ts-node --project tsconfig.dev.json bench/run.ts`).
 *
 * 1. Compiles src/ and bench/ with tsc into bench-results/build, so that both variants run as plain compiled
 *    JavaScript (no ts-node in the measured processes).
 * 2. For each size (1 group x 4 configurations x N assets), runs REPS synths of each variant: L1 flat (hand-written,
 *    every construct at the stack's top level), L1 nested (the same L1 resources in the L2's tree shape) and L2, in
 *    rotating order (to cancel drift), each in a fresh `node` process, after one discarded warm-up round. Reports the
 *    median time from `new App()` to after `app.synth()`, the median peak RSS, and the template's counts and sizes.
 *    The target is L2 / L1 nested <= 1.10 (this library's own overhead); L2 / L1 flat is reported beside it.
 * 2b. At the largest size, times the whole `cdk synth` process a user runs (the CDK CLI of node_modules running the
 *    compiled JavaScript app bench/cli-app.ts; not ts-node, whose type-check would dominate), CLI_REPS times each for
 *    L2 and L1 flat, alternating.
 *    Every ratio is printed as one line `ratio <name> <size>: <value>` (with whether its target is met).
 * 3. Probes the resource limit: the largest asset count that fits in 500 resources, and what CDK says one above it.
 * 4. Counts the Lambda functions of a stack that configures egress access logs on many imported groups.
 * 5. With BENCH_PROFILE=1, CPU-profiles one synth of each variant at the largest size and prints the hot spots.
 *
 * Environment: BENCH_SIZES (default 10,100,450), BENCH_REPS (default 7), BENCH_CLI_REPS (default 5, 0 skips the CLI),
 * BENCH_LOG_GROUPS (default 20), BENCH_PROFILE (default 0). Results: stdout, bench-results/results.json and bench-results/results.md.
 *
 * `--smoke` (`npx projen bench --smoke`, run by CI so that a broken benchmark fails it): every variant once at 10 assets
 * (no warm-up round, one CLI synth each, 2 log groups, no resource-limit probe); the ratio lines are printed without
 * targets (one run on a loaded machine measures nothing); results in bench-results/results-smoke.{json,md}.
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
const CLI_APP = path.join(BUILD, 'bench', 'cli-app.js');

const ARGS = process.argv.slice(2);
if (ARGS.some(a => a !== '--smoke')) {
  process.stderr.write(`bench/run.ts: unknown argument(s) ${ARGS.filter(a => a !== '--smoke').join(' ')}; the only one is --smoke `
    + '(sizes and repetitions: BENCH_* environment variables)\n');
  process.exit(2);
}
const SMOKE = ARGS.includes('--smoke');
const SIZES = SMOKE ? [10] : (process.env.BENCH_SIZES ?? '10,100,450').split(',').map(Number);
const REPS = SMOKE ? 1 : Number(process.env.BENCH_REPS ?? 7);
const CLI_REPS = SMOKE ? 1 : Number(process.env.BENCH_CLI_REPS ?? 5);
const LOG_GROUPS = SMOKE ? 2 : Number(process.env.BENCH_LOG_GROUPS ?? 20);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Target of the synth time ratio L2 / L1 nested (same tree shape). */
const MAX_RATIO = 1.10;

type Variant = 'l1' | 'l1nested' | 'l2' | 'logs';

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
      // bench/ingest.ts starts moto through test/servers/moto.ts, which also holds the jest hook `useMoto` (not called here).
      types: ['node', 'jest'],
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
  readonly l1nested: ChildResult[];
  readonly l2: ChildResult[];
}

const MEASURED = ['l1', 'l1nested', 'l2'] as const;

function measure(size: number): SizeResult {
  const results: SizeResult = { size, l1: [], l1nested: [], l2: [] };
  for (let rep = 0; rep < REPS; rep++) {
    // Each variant first, second and third in turn (and reversed every other round), to cancel drift.
    const order = [...MEASURED.slice(rep % 3), ...MEASURED.slice(0, rep % 3)];
    for (const variant of (rep % 2 ? order.reverse() : order)) {
      results[variant].push(ok(runChild(variant, size)));
    }
  }
  return results;
}

/** Wall time of one whole `cdk synth` process (the CLI running the compiled app), in ms. */
function runCli(variant: Variant, size: number): number {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), `mpvod-bench-cli-${variant}-`)); // no cdk.json: nothing but the app
  try {
    const started = process.hrtime.bigint();
    const cli = spawnSync(process.execPath, [require.resolve('aws-cdk/bin/cdk'), 'synth', '--quiet', '--no-notices',
      '--app', `"${process.execPath}" "${CLI_APP}" ${variant} ${size}`, '--output', path.join(cwd, 'cdk.out')], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (cli.status !== 0) {
      throw new Error(`cdk synth of ${variant} ${size} failed (status ${cli.status}):\n${cli.stdout}\n${cli.stderr}`);
    }
    return wallMs;
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

interface CliResult {
  readonly size: number;
  readonly l1Ms: number[];
  readonly l2Ms: number[];
  readonly ratio: number;
}

/** `cdk synth` of L2 and L1 flat at `size`, CLI_REPS each, alternating (ABBA), after a discarded warm-up pair. */
function measureCli(size: number): CliResult {
  runCli('l1', size);
  runCli('l2', size);
  const l1Ms: number[] = [];
  const l2Ms: number[] = [];
  for (let rep = 0; rep < CLI_REPS; rep++) {
    for (const variant of (rep % 2 === 0 ? ['l1', 'l2'] : ['l2', 'l1']) as Variant[]) {
      (variant === 'l1' ? l1Ms : l2Ms).push(runCli(variant, size));
    }
  }
  return { size, l1Ms, l2Ms, ratio: median(l2Ms) / median(l1Ms) };
}

const ms = (n: number) => `${Math.round(n)}`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)}`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;

/** Medians of one variant at one size. */
interface VariantSummary {
  readonly ms: number;
  readonly cpuMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly requireMs: number;
  readonly rssKb: number;
  readonly stats: TemplateStats;
  readonly templateFileBytes: number;
}

interface Summary {
  readonly size: number;
  readonly l1: VariantSummary;
  readonly l1nested: VariantSummary;
  readonly l2: VariantSummary;
  /** L2 / L1 flat, wall and CPU. */
  readonly ratio: number;
  readonly cpuRatio: number;
  /** L2 / L1 nested (same tree shape), wall and CPU: the target. */
  readonly nestedRatio: number;
  readonly nestedCpuRatio: number;
}

function summarizeVariant(results: ChildResult[]): VariantSummary {
  const med = (f: (c: ChildResult) => number) => median(results.map(f));
  return {
    ms: med(c => c.totalMs),
    cpuMs: med(c => c.cpuMs),
    constructMs: med(c => c.constructMs),
    synthMs: med(c => c.synthMs),
    requireMs: med(c => c.requireMs),
    rssKb: med(c => c.maxRssKb),
    stats: results[0].stats,
    templateFileBytes: results[0].templateFileBytes,
  };
}

function summarize(r: SizeResult): Summary {
  const l1 = summarizeVariant(r.l1);
  const l1nested = summarizeVariant(r.l1nested);
  const l2 = summarizeVariant(r.l2);
  return {
    size: r.size,
    l1,
    l1nested,
    l2,
    ratio: l2.ms / l1.ms,
    cpuRatio: l2.cpuMs / l1.cpuMs,
    nestedRatio: l2.ms / l1nested.ms,
    nestedCpuRatio: l2.cpuMs / l1nested.cpuMs,
  };
}

function table(summaries: Summary[]): string[] {
  const rows = [
    '| assets | variant | synth ms (median) | construct + synth ms | CPU ms | import ms | peak RSS MB | resources | IAM roles | Lambda fns | largest policy B | largest role policies B | template KiB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of summaries) {
    for (const [name, v] of [['L1 flat', s.l1], ['L1 nested', s.l1nested], ['L2', s.l2]] as const) {
      const st = v.stats;
      rows.push(`| ${s.size} | ${name} | ${ms(v.ms)} | ${ms(v.constructMs)} + ${ms(v.synthMs)} | ${ms(v.cpuMs)} | ${ms(v.requireMs)} `
        + `| ${mb(v.rssKb)} | ${st.resources} | ${st.roles} | ${st.lambdas} | ${st.largestPolicyBytes} | ${st.largestRolePolicyBytes} `
        + `| ${kib(v.templateFileBytes)} |`);
    }
    for (const [name, base, ratio, cpuRatio] of [
      ['**L2 / L1 nested**', s.l1nested, s.nestedRatio, s.nestedCpuRatio],
      ['L2 / L1 flat', s.l1, s.ratio, s.cpuRatio],
    ] as const) {
      const value = name.startsWith('**') ? `**${ratio.toFixed(2)}**` : ratio.toFixed(2);
      rows.push(`| ${s.size} | ${name} | ${value} | | ${cpuRatio.toFixed(2)} | +${ms(s.l2.requireMs - base.requireMs)} `
        + `| ${(s.l2.rssKb / base.rssKb).toFixed(2)} | +${s.l2.stats.resources - base.stats.resources} | | | | `
        + `| ${(s.l2.templateFileBytes / base.templateFileBytes).toFixed(2)} |`);
    }
  }
  return rows;
}

/** The machine-readable lines: `ratio <name> <size>: <value>`, with the target when there is one. */
function ratioLines(summaries: Summary[], cli: CliResult | undefined): string[] {
  const target = (value: number) => SMOKE ? '(smoke run, no target)'
    : `(target <= ${MAX_RATIO.toFixed(2)}: ${value <= MAX_RATIO ? 'met' : 'NOT MET'})`;
  const lines: string[] = [];
  for (const s of summaries) {
    lines.push(`ratio l2/l1-nested ${s.size}: ${s.nestedRatio.toFixed(2)} ${target(s.nestedRatio)}`);
    lines.push(`ratio l2/l1-flat ${s.size}: ${s.ratio.toFixed(2)} (reported, no target)`);
  }
  // CPU time of the same span: less disturbed than wall time when other processes share the machine.
  for (const s of summaries) {
    lines.push(`ratio l2/l1-nested-cpu ${s.size}: ${s.nestedCpuRatio.toFixed(2)} ${target(s.nestedCpuRatio)}`);
    lines.push(`ratio l2/l1-flat-cpu ${s.size}: ${s.cpuRatio.toFixed(2)} (reported, no target)`);
  }
  if (cli) {
    lines.push(`ratio cdk-synth-l2/l1-flat ${cli.size}: ${cli.ratio.toFixed(2)} (whole cdk synth process, reported, no target)`);
  }
  return lines;
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
    const stats = (variant === 'l1' ? last.l1 : last.l2).stats;
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
    + `and size (L1 flat, L1 nested, L2 in rotating order), each in a fresh process (node ${process.version}, ${os.cpus().length} CPUs, `
    + `load average ${os.loadavg().map(l => l.toFixed(2)).join(' ')})`);
  compile();

  // Warm-up round (file cache, code cache): discarded.
  if (!SMOKE) { MEASURED.forEach(variant => runChild(variant, SIZES[0])); }

  const summaries: Summary[] = [];
  for (const size of SIZES) {
    const s = summarize(measure(size));
    summaries.push(s);
    log(`  ${size} assets: L1 flat ${ms(s.l1.ms)} ms, L1 nested ${ms(s.l1nested.ms)} ms, L2 ${ms(s.l2.ms)} ms; `
      + `L2 / L1 nested ${s.nestedRatio.toFixed(2)} (CPU ${s.nestedCpuRatio.toFixed(2)}), L2 / L1 flat ${s.ratio.toFixed(2)} `
      + `(CPU ${s.cpuRatio.toFixed(2)}); resources ${s.l1.stats.resources} / ${s.l1nested.stats.resources} / ${s.l2.stats.resources}`);
  }
  let cli: CliResult | undefined;
  if (CLI_REPS > 0) {
    cli = measureCli(SIZES[SIZES.length - 1]);
    log(`  cdk synth (CLI + compiled app, whole process), ${cli.size} assets: L1 flat ${ms(median(cli.l1Ms))} ms `
      + `[${cli.l1Ms.map(ms).join(', ')}], L2 ${ms(median(cli.l2Ms))} ms [${cli.l2Ms.map(ms).join(', ')}]`);
  }
  const rows = table(summaries);
  log();
  rows.forEach(r => log(r));

  log();
  log(`Resource limit (${LIMITS.resources}, CDK context @aws-cdk/core:stackResourceLimit):`);
  const probe = SMOKE ? [] : probeLimit(summaries);
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
  const extra = summaries.map(s => s.l2.stats.resources - s.l1.stats.resources);
  const checks: Array<[string, boolean, string]> = [
    [`synth time L2 / L1 nested <= ${MAX_RATIO.toFixed(2)} at every size`, summaries.every(s => s.nestedRatio <= MAX_RATIO),
      summaries.map(s => `${s.size}: ${s.nestedRatio.toFixed(2)} (CPU ${s.nestedCpuRatio.toFixed(2)}; L2 / L1 flat `
        + `${s.ratio.toFixed(2)})`).join(', ')],
    ['L1 nested = L1 flat resources', summaries.every(s => s.l1nested.stats.resources === s.l1.stats.resources),
      summaries.map(s => `${s.l1nested.stats.resources}`).join(', ')],
    ['L2 resources = L1 resources + a constant', extra.every(e => e === extra[0]), `+${extra.join(', +')}`],
    ['no per-asset role or policy', summaries.every(s => s.l2.stats.roles === first.l2.stats.roles && s.l2.stats.policies === first.l2.stats.policies),
      `L2 roles ${summaries.map(s => s.l2.stats.roles).join('/')}, policies ${summaries.map(s => s.l2.stats.policies).join('/')}`],
    ['largest policy constant in the number of assets', summaries.every(s => s.l2.stats.largestPolicyBytes === first.l2.stats.largestPolicyBytes),
      summaries.map(s => `${s.l2.stats.largestPolicyBytes} B`).join(', ')],
    [`at most 1 Lambda for ${LOG_GROUPS} groups with access logs`, logsN.stats.lambdas <= 1, `${logsN.stats.lambdas}`],
    [`largest size under ${LIMITS.resources} resources`, last.l2.stats.resources <= LIMITS.resources, `${last.l2.stats.resources}`],
    [`template under ${LIMITS.templateBytes} bytes`, last.l2.templateFileBytes < LIMITS.templateBytes,
      `${last.l2.templateFileBytes} B (${(100 * last.l2.templateFileBytes / LIMITS.templateBytes).toFixed(0)}%)`],
    [`role policies under ${LIMITS.rolePolicyBytes} bytes`, last.l2.stats.largestRolePolicyBytes < LIMITS.rolePolicyBytes,
      `${last.l2.stats.largestRolePolicyBytes} B`],
  ];
  log();
  log('Targets:');
  for (const [what, met, detail] of checks) {
    log(`  [${met ? 'met' : 'NOT MET'}] ${what}: ${detail}`);
  }
  log();
  const ratios = ratioLines(summaries, cli);
  ratios.forEach(l => log(l));

  const profiles: string[] = [];
  if (PROFILE) {
    const dir = path.join(RESULTS, 'profiles');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const variant of MEASURED) {
      const name = `${variant}-${last.size}.cpuprofile`;
      ok(runChild(variant, last.size, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name, '--cpu-prof-interval', '200']));
      profiles.push(`CPU profile of ${variant.toUpperCase()} with ${last.size} assets (bench-results/profiles/${name}, whole process):`,
        ...summarizeProfile(path.join(dir, name)));
    }
    log();
    profiles.forEach(l => log(l));
  }

  const results = SMOKE ? 'results-smoke' : 'results';
  fs.writeFileSync(path.join(RESULTS, `${results}.json`), JSON.stringify({
    date: new Date().toISOString(),
    sizes: SIZES,
    reps: REPS,
    node: process.version,
    cpus: os.cpus().length,
    summaries,
    cli,
    ratios,
    probe,
    logs: { one: logs1, many: logsN },
    checks,
  }, undefined, 2));
  fs.writeFileSync(path.join(RESULTS, `${results}.md`), [...rows, '', ...ratios, '', ...checks.map(([w, m, d]) => `- ${m ? 'met' : 'NOT MET'}: ${w} (${d})`),
    '', ...profiles].join('\n') + '\n');
  log();
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench-results/${results}.{json,md}`);
}

main();
