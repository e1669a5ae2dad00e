/**
 * The benchmark's results and targets: what one synth process reports, the medians per variant and size, the Markdown
 * table, and the `ratio <name> <size>: <value>` lines with their targets (bench/run.ts measures, this file judges).
 */
import type { TemplateStats } from '../test/stacks/stats';

/** Target of the synth time ratio L2 / L1 nested (same tree shape): this library's own overhead. */
export const MAX_RATIO = 1.10;

export type Variant = 'l1' | 'l1nested' | 'l2' | 'logs';

export interface ChildResult {
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

export interface SizeResult {
  readonly size: number;
  readonly l1: ChildResult[];
  readonly l1nested: ChildResult[];
  readonly l2: ChildResult[];
}

export interface CliResult {
  readonly size: number;
  readonly l1Ms: number[];
  readonly l2Ms: number[];
  readonly ratio: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const ms = (n: number) => `${Math.round(n)}`;
export const mb = (kb: number) => `${(kb / 1024).toFixed(0)}`;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;

/** Medians of one variant at one size. */
export interface VariantSummary {
  readonly ms: number;
  readonly cpuMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly requireMs: number;
  readonly rssKb: number;
  readonly stats: TemplateStats;
  readonly templateFileBytes: number;
}

export interface Summary {
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

export function summarizeVariant(results: ChildResult[]): VariantSummary {
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

export function summarize(r: SizeResult): Summary {
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

export function table(summaries: Summary[]): string[] {
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
export function ratioLines(summaries: Summary[], cli: CliResult | undefined, smoke: boolean): string[] {
  const target = (value: number) => smoke ? '(smoke run, no target)'
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
