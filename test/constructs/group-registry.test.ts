import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { newStack } from './util';
import { PackagingConfiguration, PackagingFormat, PackagingGroup, PackagingGroupOrigin, VodDistribution } from '../../src';
import { configurationGroupOf, distributionGroupOf, distributionMissesGroup, groupsDiffer } from '../../src/private/group-registry';

describe('group identity (src/private/group-registry.ts)', () => {
  test('groupsDiffer: provably two groups only when both are created here, or both ids are different literals', () => {
    const stack = newStack();
    const a = new PackagingGroup(stack, 'A');
    const b = new PackagingGroup(stack, 'B');
    const g1 = PackagingGroup.fromPackagingGroupId(stack, 'G1', 'g1');
    const g1Again = PackagingGroup.fromPackagingGroupId(stack, 'G1Again', 'g1');
    const g2 = PackagingGroup.fromPackagingGroupId(stack, 'G2', 'g2');
    expect(groupsDiffer(a, a)).toBe(false);
    expect(groupsDiffer(a, b)).toBe(true);
    expect(groupsDiffer(g1, g1Again)).toBe(false);
    expect(groupsDiffer(g1, g2)).toBe(true);
    // A Ref and a literal cannot be told apart at synth; an unknown group is not another group.
    expect(groupsDiffer(a, g1)).toBe(false);
    expect(groupsDiffer(a, undefined)).toBe(false);
    expect(groupsDiffer(undefined, b)).toBe(false);
  });

  test('configurationGroupOf and distributionGroupOf: known for constructs of this library only', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    const format = PackagingFormat.hls({ manifests: [{}] });
    const created = group.addPackagingConfiguration('Hls', { format });
    const imported = PackagingConfiguration.fromPackagingConfigurationId(stack, 'Old', 'old-hls');
    expect(configurationGroupOf(created)).toBe(group);
    expect(configurationGroupOf(imported)).toBeUndefined();
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    const own = new cloudfront.Distribution(stack, 'Own', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') } });
    expect(distributionGroupOf(cdn.distribution)).toBe(group);
    expect(distributionGroupOf(own)).toBeUndefined();
  });

  test('distributionMissesGroup: a distribution of this app needs an origin on the group\'s egress domain', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    const other = new PackagingGroup(stack, 'Other');
    const serving = new cloudfront.Distribution(stack, 'Serving', { defaultBehavior: { origin: new PackagingGroupOrigin(group) } });
    const site = new cloudfront.Distribution(stack, 'Site', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') } });
    expect(distributionMissesGroup(serving, group)).toBeUndefined();
    expect(distributionMissesGroup(serving, other)).toMatch(/^none of its origins is the group's egress domain/);
    expect(distributionMissesGroup(site, group)).toMatch(/^none of its origins is the group's egress domain/);
    // Imported: its origins are unknown here. A group without a known egress domain: nothing to compare.
    const imported = cloudfront.Distribution.fromDistributionAttributes(stack, 'Imported', { distributionId: 'E1', domainName: 'd.net' });
    expect(distributionMissesGroup(imported, group)).toBeUndefined();
    expect(distributionMissesGroup(site, PackagingGroup.fromPackagingGroupId(stack, 'NoDomain', 'g1'))).toBeUndefined();
  });

  test('distributionMissesGroup: a VodDistribution (no CloudFormation resource of its own) must front the group', () => {
    const stack = newStack();
    const group = new PackagingGroup(stack, 'Group');
    const other = new PackagingGroup(stack, 'Other');
    const cdn = new VodDistribution(stack, 'Cdn', { packagingGroup: group });
    expect(distributionMissesGroup(cdn, group)).toBeUndefined();
    expect(distributionMissesGroup(cdn, other)).toBe('it is a VodDistribution of another packaging group (Stack/Group)');
    // A group that cannot be told apart from the VodDistribution's (a Ref and a literal): not taken as another.
    expect(distributionMissesGroup(cdn, PackagingGroup.fromPackagingGroupId(stack, 'Imported', 'g1'))).toBeUndefined();
  });
});
