/**
 * One benchmark synth, run in a fresh process by bench/run.ts:
 *
 *   node child.js <l1|l1nested|l2|logs> <size> <outdir>
 *
 * Times the import of the variant's modules, then (with both variants' modules loaded) from before `new App()` to after
 * `app.synth()` (construction and synthesis separately, and the CPU time of the process over the same span); records the peak RSS of the process, and prints one line of JSON: the timings and the stats of the template (test/stacks/stats.ts).
 */
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import { templateStats } from '../test/stacks/stats';

type Builder = (app: App, id: string, size: number) => Stack;

/**
 * Loads the variant's modules (timed: the cold import cost a `cdk synth` pays), then the other variant's, so that both
 * variants enter the timed synth with the same modules loaded: the synth time compares the constructs, not imports.
 */
function load(variant: string): { build: Builder; requireMs: number } {
  const t0 = performance.now();
  const build = builder(variant);
  const requireMs = performance.now() - t0;
  builder(variant.startsWith('l1') ? 'l2' : 'l1');
  return { build, requireMs };
}

/* eslint-disable @typescript-eslint/no-require-imports -- a synchronous, timed load of one variant's modules */
export function builder(variant: string): Builder {
  switch (variant) {
    case 'l1': {
      const { buildL1Stack } = require('../test/stacks/l1-stack') as typeof import('../test/stacks/l1-stack');
      return (app, id, size) => buildL1Stack(app, id, { assets: size });
    }
    case 'l1nested': {
      const { buildL1Stack } = require('../test/stacks/l1-stack') as typeof import('../test/stacks/l1-stack');
      return (app, id, size) => buildL1Stack(app, id, { assets: size, nested: true });
    }
    case 'l2': {
      const { buildL2Stack } = require('../test/stacks/l2-stack') as typeof import('../test/stacks/l2-stack');
      return (app, id, size) => buildL2Stack(app, id, { assets: size });
    }
    case 'logs': {
      const { buildAccessLogsStack } = require('../test/stacks/l2-stack') as typeof import('../test/stacks/l2-stack');
      return (app, id, size) => buildAccessLogsStack(app, id, { groups: size });
    }
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}
/* eslint-enable @typescript-eslint/no-require-imports */

function main(): void {
  const [variant, sizeArg, outdir] = process.argv.slice(2);
  const size = Number(sizeArg);
  const { build, requireMs } = load(variant);
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const app = new App({ outdir });
    const stack = build(app, `Bench${variant.toUpperCase()}`, size);
    const t1 = performance.now();
    const assembly = app.synth();
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const maxRssKb = process.resourceUsage().maxRSS;
    const artifact = assembly.getStackByName(stack.stackName);
    const stats = templateStats(artifact.template);
    const templateFileBytes = fs.statSync(artifact.templateFullPath).size;
    process.stdout.write(JSON.stringify({
      ok: true,
      variant,
      size,
      requireMs,
      constructMs: t1 - t0,
      synthMs: t2 - t1,
      totalMs: t2 - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssKb,
      templateFileBytes,
      stats,
    }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, variant, size, error: (e as Error).message }) + '\n');
  }
}

if (require.main === module) {
  main();
}
