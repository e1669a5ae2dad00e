import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The principal MediaPackage (live and VOD) uses to assume roles. */
export const MEDIAPACKAGE_SERVICE = 'mediapackage.amazonaws.com';

/**
 * Creates a role that only MediaPackage may assume.
 *
 * No aws:SourceAccount/aws:SourceArn condition by default: it is not confirmed that MediaPackage VOD sends them when it
 * assumes the source, SPEKE or secrets role, and a condition it does not satisfy breaks ingest and key retrieval.
 * `restrictToAccount` adds `aws:SourceAccount` = this stack's account as an opt-in.
 */
export function newMediaPackageRole(scope: Construct, id: string, options: { description: string; restrictToAccount?: boolean }): iam.Role {
  const conditions = options.restrictToAccount
    ? { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } }
    : undefined;
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal(MEDIAPACKAGE_SERVICE, { conditions }),
    description: options.description,
  });
}
