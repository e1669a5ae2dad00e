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
import { summarizeProfile } from './profile';
import { ChildResult, CliResult, kib, MAX_RATIO, median, ms, ratioLines, SizeResult, summarize, Summary, table, Variant } from './targets';
import { LIMITS } from '../test/stacks/config';

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


function ok(result: ChildResult): ChildResult {
  if (!result.ok) {
    throw new Error(`${result.variant} with ${result.size} failed: ${result.error}`);
  }
  return result;
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
  const ratios = ratioLines(summaries, cli, SMOKE);
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
