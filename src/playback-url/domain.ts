import { Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { IConstruct } from 'constructs';

/*
 * The domain name of playback and catalog URLs through a distribution: the one a VodDistribution chose
 * (`playbackDomainName`, by default its first alias), the first alias of a `cloudfront.Distribution` of this app, or
 * the distribution's cloudfront.net domain.
 */

/** The playback domain each VodDistribution chose (registered for it and for the distribution it wraps). */
const chosen = new WeakMap<IConstruct, string>();

/** Records the playback domain of a VodDistribution (and of its inner distribution). */
export function registerPlaybackDomain(distribution: IConstruct, domainName: string): void {
  chosen.set(distribution, domainName);
}

/** The domain name playback URLs through `distribution` use. */
export function playbackDomainOf(distribution: cloudfront.IDistribution): string {
  const registered = chosen.get(distribution);
  if (registered !== undefined) { return registered; }
  const cfn = distribution.node.defaultChild;
  if (cfn instanceof cloudfront.CfnDistribution) {
    const aliases = Stack.of(cfn).resolve(cfn.distributionConfig)?.aliases;
    if (Array.isArray(aliases) && typeof aliases[0] === 'string' && !Token.isUnresolved(aliases[0])) { return aliases[0]; }
  }
  return distribution.distributionDomainName;
}
