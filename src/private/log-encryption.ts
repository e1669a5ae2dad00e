import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { skipCheckov, LOG_GROUP_KMS_REASON } from './checkov';

/**
 * The log group's encryption: with a customer managed key, lets CloudWatch Logs of the stack's Region use it for the log
 * groups of this account (the key policy statement of the CloudWatch Logs user guide, "Encrypt log data in CloudWatch
 * Logs using AWS KMS"; added to a key of this app, a no-op on an imported key, whose policy its owner sets); without one,
 * the checkov skip with its reason.
 */
export function logGroupEncryption(logGroup: IConstruct, key: kms.IKey | undefined, reason: string = LOG_GROUP_KMS_REASON): void {
  if (!key) {
    skipCheckov(logGroup, 'CKV_AWS_158', reason);
    return;
  }
  const stack = Stack.of(logGroup);
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    // In a key policy, `*` is the key itself.
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }), true);
}
