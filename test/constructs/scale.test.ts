/**
 * Scale guard: counts and sizes (not times) of the benchmark stacks (bench/), so that a change that adds a per-asset
 * resource, grows a policy with the number of assets, or adds a Lambda per group fails here. `npx projen bench` measures
 * the times.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LIMITS } from '../stacks/config';
import { buildL1Stack } from '../stacks/l1-stack';
import { buildAccessLogsStack, buildL2Stack } from '../stacks/l2-stack';
import { jsonBytes, templateStats, TemplateStats } from '../stacks/stats';

/** Resources besides the assets: secret, log group, group, 4 configurations, 3 roles (secrets, SPEKE, source) + 3 policies. */
const FIXED_RESOURCES = 13;
/** Resources the L2 stack has beyond the hand-written L1 stack. */
const L2_EXTRA_RESOURCES = 0;
/** The largest number of assets that fits in one stack of this shape. */
const MAX_ASSETS = LIMITS.resources - FIXED_RESOURCES - L2_EXTRA_RESOURCES;

const SMALL = 10;
const LARGE = 450;

function synth(build: (app: App) => Stack): any {
  return Template.fromStack(build(new App())).toJSON();
}

/** Sizes of every policy document, by the role it is attached to (role descriptions are stable across sizes). */
function policySizes(template: any): Record<string, number> {
  const resources: Record<string, any> = template.Resources;
  const sizes: Record<string, number> = {};
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') { continue; }
    for (const role of resource.Properties.Roles) {
      sizes[resources[role.Ref].Properties.Description] = jsonBytes(resource.Properties.PolicyDocument);
    }
  }
  return sizes;
}

describe('scale: one group, 4 configurations, N assets from one bucket', () => {
  const templates: Record<string, any> = {};
  const stats: Record<string, TemplateStats> = {};

  beforeAll(() => {
    for (const assets of [SMALL, LARGE]) {
      templates[`l1-${assets}`] = synth(app => buildL1Stack(app, 'L1', { assets }));
      templates[`l2-${assets}`] = synth(app => buildL2Stack(app, 'L2', { assets }));
    }
    for (const [k, t] of Object.entries(templates)) { stats[k] = templateStats(t); }
  }, 120_000);

  test.each([SMALL, LARGE])('%i assets: L2 resources = L1 resources + a constant, no per-asset resource', (assets) => {
    expect(stats[`l1-${assets}`].resources).toBe(FIXED_RESOURCES + assets);
    expect(stats[`l2-${assets}`].resources).toBe(stats[`l1-${assets}`].resources + L2_EXTRA_RESOURCES);
    expect(stats[`l2-${assets}`].byType).toEqual(stats[`l1-${assets}`].byType);
    expect(stats[`l2-${assets}`].byType['AWS::MediaPackage::Asset']).toBe(assets);
  });

  test.each([SMALL, LARGE])('%i assets: one source role for the bucket, 3 roles and 3 policies in all', (assets) => {
    const template = templates[`l2-${assets}`];
    const assetResources = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::MediaPackage::Asset');
    const sourceRoles = new Set(assetResources.map(r => JSON.stringify(r.Properties.SourceRoleArn)));
    expect(sourceRoles.size).toBe(1);
    expect(stats[`l2-${assets}`].roles).toBe(3);
    expect(stats[`l2-${assets}`].policies).toBe(3);
    expect(stats[`l2-${assets}`].lambdas).toBe(0);
  });

  test('IAM policy sizes do not grow with the number of assets', () => {
    const small = policySizes(templates[`l2-${SMALL}`]);
    expect(Object.keys(small)).toHaveLength(3);
    expect(policySizes(templates[`l2-${LARGE}`])).toEqual(small);
    expect(stats[`l2-${LARGE}`].largestPolicyBytes).toBe(stats[`l2-${SMALL}`].largestPolicyBytes);
    expect(stats[`l2-${LARGE}`].largestRolePolicyBytes).toBeLessThan(LIMITS.rolePolicyBytes);
    // Same policies as the hand-written stack, but for the logical ids they reference: the L2's secrets role sits under
    // the group ('GroupCdnSecretsRole…' against 'CdnSecretsRole…', in its iam:PassRole statement on itself).
    expect(stats[`l2-${LARGE}`].largestPolicyBytes).toBe(stats[`l1-${LARGE}`].largestPolicyBytes + 'Group'.length);
  });

  test(`templates stay below CloudFormation's limits at ${LARGE} assets`, () => {
    expect(stats[`l2-${LARGE}`].templateBytes).toBeLessThan(LIMITS.templateBytes);
    expect(stats[`l2-${LARGE}`].resources).toBeLessThanOrEqual(LIMITS.resources);
    // Per asset, the L2 template is at most ~1 KiB (generated ids and longer logical ids): 500 resources stay far below 1 MB.
    const perAsset = (stats[`l2-${LARGE}`].templateBytes - stats[`l2-${SMALL}`].templateBytes) / (LARGE - SMALL);
    expect(perAsset).toBeLessThan(1024);
  });

  test('the nested L1 baseline has the L2\'s tree shape: the same logical ids and dependencies', () => {
    // Both stacks are named alike, so that the shared source role's construct id (derived from the stack) is the same.
    const nested = synth(app => buildL1Stack(app, 'Bench', { assets: SMALL, nested: true }));
    const l2 = synth(app => buildL2Stack(app, 'Bench', { assets: SMALL }));
    const shape = (t: any) => Object.fromEntries(Object.entries<any>(t.Resources).map(([id, r]) => [id, [r.Type, r.DependsOn ?? []]]));
    // The shared source role sits under a construct whose id carries a hash of the bucket's path in the L2.
    const normalize = (t: any) => JSON.parse(JSON.stringify(shape(t))
      .replace(/MediaPackageSourceRoleBenchSources[0-9A-F]+Role(DefaultPolicy)?[0-9A-F]{8}/g, 'SourceRole$1'));
    expect(Object.keys(normalize(l2))).toContain('SourceRoleDefaultPolicy');
    expect(normalize(nested)).toEqual(normalize(l2));
  });

  test(`${MAX_ASSETS} assets fit in ${LIMITS.resources} resources; one more fails at synth`, () => {
    const template = synth(app => buildL2Stack(app, 'L2', { assets: MAX_ASSETS }));
    expect(templateStats(template).resources).toBe(LIMITS.resources);
    const app = new App();
    buildL2Stack(app, 'L2', { assets: MAX_ASSETS + 1 });
    expect(() => app.synth()).toThrow(/Number of resources in stack 'L2': 501 is greater than allowed maximum of 500/);
  }, 60_000);
});

describe('scale: egress access logs on imported groups', () => {
  test.each([1, 20])('%i groups share one provider: 1 Lambda, 1 role, one custom resource per group', (groups) => {
    const template = synth(app => buildAccessLogsStack(app, 'Logs', { groups }));
    const s = templateStats(template);
    expect(s.lambdas).toBe(1);
    expect(s.roles).toBe(1);
    // Function, its role and its log group, plus one custom resource per group.
    expect(s.resources).toBe(3 + groups);
    expect(s.byType['Custom::MediaPackageVodEgressAccessLogs']).toBe(groups);
  });

  test('the provider policy does not grow with the number of groups', () => {
    const one = templateStats(synth(app => buildAccessLogsStack(app, 'Logs', { groups: 1 })));
    const many = templateStats(synth(app => buildAccessLogsStack(app, 'Logs', { groups: 20 })));
    expect(many.largestPolicyBytes).toBe(one.largestPolicyBytes);
  });
});
