import { Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { validationProblem } from '../private/errors';
import { pathPatternsOverlap } from '../private/path-patterns';

/*
 * The final behaviors of any distribution that serves a packaging group (through PackagingGroupOrigin), checked at
 * synth whatever built them (VodDistribution, forGroup/forOrigin maps in any language, addTo, addBehavior later):
 * manifest patterns before `out/*`, no duplicate pattern, nothing of another origin shadowing `/out/`.
 */

/** `out/*`, the egress path (VodBehaviors.EGRESS_PATH_PATTERN; not imported: behaviors.ts imports this file). */
const EGRESS = 'out/*';

/** The origin ids of packaging groups in each distribution (recorded when PackagingGroupOrigin binds). */
const groupOrigins = new WeakMap<cloudfront.Distribution, Set<string>>();

/** Records that `originId` in `distribution` is a packaging group; the first time, adds the final-behaviors check. */
export function recordGroupOrigin(distribution: cloudfront.Distribution, originId: string): void {
  let ids = groupOrigins.get(distribution);
  if (!ids) {
    ids = new Set();
    groupOrigins.set(distribution, ids);
    distribution.node.addValidation({ validate: () => finalBehaviorProblems(distribution) });
  }
  ids.add(originId);
}

interface RenderedBehavior {
  readonly pathPattern?: unknown;
  readonly targetOriginId?: unknown;
}

/** The distribution's cache behaviors (path pattern and origin id), in CloudFront's order. */
export function renderedBehaviors(distribution: cloudfront.Distribution): RenderedBehavior[] {
  const cfn = distribution.node.defaultChild as cloudfront.CfnDistribution;
  const config = Stack.of(distribution).resolve(cfn.distributionConfig);
  return Array.isArray(config?.cacheBehaviors) ? config.cacheBehaviors : [];
}

function normalize(pattern: string): string {
  return pattern.startsWith('/') ? pattern.slice(1) : pattern;
}

/** The problems of the distribution's final behaviors (empty when none), as `node.addValidation` reports them. */
export function finalBehaviorProblems(distribution: cloudfront.Distribution): string[] {
  const ids = groupOrigins.get(distribution) ?? new Set<string>();
  const behaviors = renderedBehaviors(distribution);
  const problems: string[] = [];
  const seen = new Set<string>();
  let egressAt: string | undefined; // the first group `out/*` behavior seen so far
  behaviors.forEach((behavior, i) => {
    const pattern = behavior.pathPattern;
    if (typeof pattern !== 'string' || Token.isUnresolved(pattern)) { return; }
    const path = `cacheBehaviors[${i}].pathPattern`;
    const ofGroup = typeof behavior.targetOriginId === 'string' && ids.has(behavior.targetOriginId);
    if (seen.has(normalize(pattern))) {
      problems.push(validationProblem(path, 'the pattern appears twice (VodBehaviors.addTo twice, or addBehavior with a '
        + 'pattern it already has): CloudFront rejects duplicate patterns', pattern));
      return;
    }
    seen.add(normalize(pattern));
    if (!mayTakeGroupPaths(pattern)) { return; } // e.g. '*.html': the group serves no such file
    const underEgress = normalize(pattern).startsWith('out/');
    if (egressAt !== undefined && !underEgress) { return; } // still matches outside /out/: not dead, shadows nothing
    if (egressAt !== undefined) {
      problems.push(validationProblem(path, `never matches: the packaging group's '${egressAt}' before it takes every path `
        + 'under /out/ (CloudFront uses the first match). Add it before the VOD behaviors (manifest patterns, then out/*), '
        + 'or outside /out/', pattern));
    } else if (!ofGroup) {
      problems.push(validationProblem(path, 'matches paths under /out/ with another origin than the packaging group: it '
        + 'would take manifests or segments from it. Serve other content outside /out/', pattern));
    }
    if (ofGroup && normalize(pattern) === EGRESS) { egressAt = pattern; }
  });
  return problems;
}

/**
 * Whether a behavior with this pattern may take a path the packaging group serves: it overlaps `out/*` and is under
 * `/out/` or names no literal file extension the group never serves (`*.html`, `img/*.png` cannot).
 */
export function mayTakeGroupPaths(pattern: string): boolean {
  return pathPatternsOverlap(pattern, EGRESS) && (normalize(pattern).startsWith('out/') || mayMatchGroupFile(pattern));
}

/**
 * File extensions of what MediaPackage VOD serves under /out/ (manifests, segments, subtitles: HLS, DASH, CMAF, MSS); MSS
 * paths end in `Manifest` or `Fragments(...)`, with no extension.
 */
const GROUP_FILE_EXTENSIONS = new Set(['m3u8', 'mpd', 'ts', 'mp4', 'm4s', 'm4a', 'm4v', 'aac', 'ac3', 'ec3', 'vtt', 'webvtt',
  'cmfv', 'cmfa', 'cmft', 'fmp4', 'ttml', 'dfxp', 'jpg', 'jpeg', 'ism', 'isml']);

/**
 * False only when the pattern names a literal file extension the group never serves (`*.html`, `img/*.png`): such a
 * behavior of another origin cannot take a manifest or a segment, wherever it stands.
 */
function mayMatchGroupFile(pattern: string): boolean {
  const last = pattern.split('/').pop() ?? '';
  const ext = /\.([A-Za-z0-9]+)$/.exec(last);
  return ext === null || GROUP_FILE_EXTENSIONS.has(ext[1].toLowerCase());
}
