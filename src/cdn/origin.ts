import { SecretValue, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { recordGroupOrigin } from './final-behaviors';
import { IPackagingGroup, PackagingGroup } from '../packaging-group';
import { fail } from '../private/errors';

/** The header MediaPackage checks when a packaging group has CDN authorization. */
const CDN_IDENTIFIER_HEADER = 'X-MediaPackage-CDNIdentifier';
/** The JSON key of the CDN identifier in its secret. */
const CDN_IDENTIFIER_JSON_KEY = 'MediaPackageCDNIdentifier';

/**
 * Properties of a `PackagingGroupOrigin`.
 */
export interface PackagingGroupOriginProps extends cloudfront.OriginOptions {
  /**
   * The secret that holds the group's CDN identifier (JSON key `MediaPackageCDNIdentifier`), for a group with CDN
   * authorization that is imported: the origin sends its value in header X-MediaPackage-CDNIdentifier, as a
   * CloudFormation dynamic reference. For a group created here, the group's own secret is used; giving another one fails.
   *
   * @default - the group's secret when it was created here with CDN authorization; otherwise no header
   */
  readonly cdnIdentifierSecret?: secretsmanager.ISecret;

  /**
   * Send the CDN identifier header. `false` for a group with CDN authorization fails at synth: MediaPackage would answer
   * every request with 403. `true` without a secret to read it from fails too.
   *
   * @default - true when the secret is known (the group's, or `cdnIdentifierSecret`)
   */
  readonly sendCdnIdentifier?: boolean;

  /**
   * The version of the CDN identifier secret to send (its VersionId, 32 to 64 characters), written into the dynamic
   * reference. CloudFormation resolves a dynamic reference again only when the resource that holds it changes: after
   * rotating the identifier (a new secret version), set this to the new version's id and deploy, and the distribution
   * is updated with the new value. Without it, the reference reads AWSCURRENT at the distribution's last update only.
   *
   * @default - the secret's current version when the distribution is created or otherwise updated
   */
  readonly cdnIdentifierVersionId?: string;
}

/**
 * A CloudFront origin for a MediaPackage VOD packaging group: its egress domain (`group.egressDomain`), no origin path,
 * HTTPS only with TLS 1.2, and, when the group has CDN authorization, header X-MediaPackage-CDNIdentifier with the
 * value of the secret's `MediaPackageCDNIdentifier` key as a CloudFormation dynamic reference
 * (`{{resolve:secretsmanager:...}}`): CloudFormation passes it to CloudFront at deploy, the value is never in the
 * template or the cloud assembly.
 *
 * Use it in any `cloudfront.Distribution`; `VodDistribution` and `VodBehaviors` add the behaviors VOD needs.
 */
export class PackagingGroupOrigin extends cloudfront.OriginBase {
  /**
   * The secret whose `MediaPackageCDNIdentifier` value this origin sends.
   *
   * @default - undefined when the origin sends no CDN identifier
   */
  public readonly cdnIdentifierSecret?: secretsmanager.ISecret;

  constructor(packagingGroup: IPackagingGroup, props: PackagingGroupOriginProps = {}) {
    const secret = cdnIdentifierSecretOf(packagingGroup, props);
    const customHeaders: Record<string, string> = { ...props.customHeaders };
    if (secret) {
      customHeaders[CDN_IDENTIFIER_HEADER] = cdnIdentifierReference(packagingGroup, secret, props.cdnIdentifierVersionId);
    }
    super(packagingGroup.egressDomain, {
      ...props,
      customHeaders: Object.keys(customHeaders).length > 0 ? customHeaders : undefined,
    });
    this.cdnIdentifierSecret = secret;
  }

  /**
   * Fails, with the distribution's path, when the CDN identifier secret is in another Region than the distribution's
   * stack: the `{{resolve:secretsmanager:...}}` reference in the origin header is resolved by CloudFormation in the
   * stack's own Region, where the secret does not exist (and a secret created in another stack cannot be referenced).
   */
  public bind(scope: Construct, options: cloudfront.OriginBindOptions): cloudfront.OriginBindConfig {
    const secret = this.cdnIdentifierSecret;
    const region = Stack.of(scope).region;
    if (secret && !Token.isUnresolved(secret.env.region) && !Token.isUnresolved(region) && secret.env.region !== region) {
      fail(scope, 'origin.cdnIdentifierSecret', `is in ${secret.env.region}, the distribution's stack in ${region}: CloudFormation `
        + 'resolves the CDN identifier reference in the stack\'s own Region. Put the distribution in a stack of the group\'s '
        + `Region (${secret.env.region}; CloudFront is global)`, secret.env.region);
    }
    const config = super.bind(scope, options);
    // The origin binds in a scope under the distribution (`<distribution>/Origin<n>`): the final behaviors are checked there.
    const distribution = scope.node.scope;
    if (distribution instanceof cloudfront.Distribution) {
      recordGroupOrigin(distribution, config.originProperty?.id ?? options.originId);
    }
    return config;
  }

  protected renderCustomOriginConfig(): cloudfront.CfnDistribution.CustomOriginConfigProperty | undefined {
    return {
      originProtocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    };
  }
}

/**
 * The dynamic reference to the CDN identifier (`{{resolve:secretsmanager:<arn>:SecretString:MediaPackageCDNIdentifier::
 * <version id>}}`): with a version id, a rotation changes the template, so CloudFormation resolves it again.
 */
function cdnIdentifierReference(group: IPackagingGroup, secret: secretsmanager.ISecret, versionId: string | undefined): string {
  if (versionId === undefined) {
    return secret.secretValueFromJson(CDN_IDENTIFIER_JSON_KEY).unsafeUnwrap();
  }
  // Secrets Manager version ids: 32 to 64 characters; a ':' or '}' would end the reference's field.
  if (!Token.isUnresolved(versionId) && (versionId.length < 32 || versionId.length > 64 || /[:{}\s]/.test(versionId))) {
    fail(group, 'PackagingGroupOrigin.cdnIdentifierVersionId', 'a Secrets Manager version id has 32 to 64 characters and no '
      + '\':\', braces or whitespace (the VersionId of the secret version to send)', versionId);
  }
  return SecretValue.secretsManager(secret.secretArn, { jsonField: CDN_IDENTIFIER_JSON_KEY, versionId }).unsafeUnwrap();
}

/**
 * The secret the origin reads the CDN identifier from, after checking the props against what the group says.
 * Errors name the group (the origin is not a construct).
 */
function cdnIdentifierSecretOf(group: IPackagingGroup, props: PackagingGroupOriginProps): secretsmanager.ISecret | undefined {
  for (const name of Object.keys(props.customHeaders ?? {})) {
    if (name.toLowerCase() === CDN_IDENTIFIER_HEADER.toLowerCase()) {
      fail(group, `PackagingGroupOrigin.customHeaders.${name}`, 'the origin sets this header itself from the CDN identifier '
        + 'secret (a value here would be plain text in the template): give the secret as cdnIdentifierSecret', name);
    }
  }
  const groupSecret = group instanceof PackagingGroup ? group.cdnIdentifierSecret : undefined;
  // Only provably another secret: the same secret imported another way has another Token (or a literal ARN).
  if (groupSecret && props.cdnIdentifierSecret && props.cdnIdentifierSecret !== groupSecret
    && Token.compareStrings(props.cdnIdentifierSecret.secretArn, groupSecret.secretArn) === TokenComparison.DIFFERENT) {
    fail(group, 'PackagingGroupOrigin.cdnIdentifierSecret', 'the group was created with CDN authorization from another '
      + 'secret; MediaPackage would answer every request with 403: leave cdnIdentifierSecret out', props.cdnIdentifierSecret.secretArn);
  }
  const secret = groupSecret ?? props.cdnIdentifierSecret;
  if (props.sendCdnIdentifier === false) {
    if (groupSecret) {
      fail(group, 'PackagingGroupOrigin.sendCdnIdentifier', 'the group has CDN authorization: without header '
        + `${CDN_IDENTIFIER_HEADER} MediaPackage answers every request with 403`, false);
    }
    return undefined;
  }
  if (props.sendCdnIdentifier === true && !secret) {
    fail(group, 'PackagingGroupOrigin.cdnIdentifierSecret', 'sendCdnIdentifier is true but there is no secret to read the '
      + 'CDN identifier from: the group was not created here with CDN authorization; give the group\'s secret', undefined);
  }
  return secret;
}
