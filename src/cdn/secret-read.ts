import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * Reading a secret's value: the secret's own `grantRead` (GetSecretValue and DescribeSecret), and, with a customer
 * managed key, `kms:Decrypt` on the key only through Secrets Manager (`kms:ViaService`) in the grantee's policy, combined
 * into the returned grant. `grantRead` puts its kms:Decrypt in the key's policy, which an imported key does not take
 * (the statement would be dropped silently), and leaves it out of the grant it returns.
 */
export function grantSecretValueRead(secret: secretsmanager.ISecret, grantee: iam.IGrantable): iam.Grant {
  const grant = secret.grantRead(grantee);
  const key = secret.encryptionKey;
  if (!key) { return grant; }
  return grant.combine(iam.Grant.addToPrincipal({
    grantee,
    actions: ['kms:Decrypt'],
    resourceArns: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${secret.env.region}.amazonaws.com` } },
  }));
}
