import { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { IConstruct } from 'constructs';
import { warn } from '../private/errors';

/** The header MediaPackage checks when a packaging group has CDN authorization (as in origin.ts). */
const CDN_IDENTIFIER_HEADER = 'x-mediapackage-cdnidentifier';

/**
 * For a group created with CDN authorization: at synth, warns on every origin of a distribution of the group's stack
 * whose domain is the group's egress domain and that sends no X-MediaPackage-CDNIdentifier (a plain `HttpOrigin` on
 * `group.egressDomain`): MediaPackage answers its requests with 403. Origins in other stacks are not seen.
 */
export function warnOnOriginsWithoutCdnIdentifier(group: IConstruct & { readonly egressDomain: string }): void {
  group.node.addValidation({
    validate: () => {
      if (typeof group.egressDomain !== 'string') { return []; }
      const stack = Stack.of(group);
      const wanted = JSON.stringify(stack.resolve(group.egressDomain));
      for (const cfn of group.node.root.node.findAll()) {
        if (!(cfn instanceof cloudfront.CfnDistribution) || Stack.of(cfn) !== stack) { continue; }
        const origins: any[] = stack.resolve(cfn.distributionConfig)?.origins ?? [];
        origins.forEach((origin, i) => {
          if (JSON.stringify(origin?.domainName) !== wanted) { return; }
          const headers: any[] = origin.originCustomHeaders ?? [];
          if (headers.some(h => typeof h?.headerName === 'string' && h.headerName.toLowerCase() === CDN_IDENTIFIER_HEADER)) { return; }
          warn(cfn.node.scope ?? cfn, 'originWithoutCdnIdentifier', `origins[${i}]`, 'is the egress domain of packaging group '
            + `${group.node.path}, which has CDN authorization, but sends no X-MediaPackage-CDNIdentifier header: MediaPackage `
            + 'answers every request with 403. Use PackagingGroupOrigin (it sends the header from the group\'s secret)');
        });
      }
      return [];
    },
  });
}
