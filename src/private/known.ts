import { Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnPackagingConfiguration, CfnPackagingGroup } from 'aws-cdk-lib/aws-mediapackage';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';

/**
 * The name the L1 resource behind a construct of this app was given, for names its L2 exposes as a Token
 * (`logGroup.logGroupName`, `bucket.bucketName`, ... are `Ref`s even when the user wrote the name literally).
 * Returns undefined for a construct that has no such L1 or was given no name: the name is then unknown until deploy.
 */
export function nameGivenToL1(construct: IConstruct): string | undefined {
  return nameOfL1(construct.node.defaultChild);
}

/** The literal or Token name property of an L1 resource of the types above; undefined for others. */
export function nameOfL1(cfn: IConstruct | undefined): string | undefined {
  const name = cfn instanceof logs.CfnLogGroup ? cfn.logGroupName
    : cfn instanceof s3.CfnBucket ? cfn.bucketName
      : cfn instanceof secretsmanager.CfnSecret ? cfn.name
        : cfn instanceof iam.CfnRole ? cfn.roleName
          : cfn instanceof CfnPackagingGroup ? cfn.id
            : cfn instanceof CfnPackagingConfiguration ? cfn.id
              : cfn instanceof apigateway.CfnStage ? cfn.stageName
                : undefined;
  return typeof name === 'string' ? name : undefined;
}

/**
 * `l2Value` when it is known at synth; otherwise the name the construct's L1 was given when that is a literal;
 * otherwise `l2Value` (a Token: validation skips it).
 */
export function knownName<T extends string | undefined>(construct: IConstruct, l2Value: T): T | string {
  if (l2Value === undefined || !Token.isUnresolved(l2Value)) { return l2Value; }
  const name = nameGivenToL1(construct);
  return name !== undefined && !Token.isUnresolved(name) ? name : l2Value;
}
