/**
 * Counts and sizes of a synthesized CloudFormation template, against CloudFormation's limits. Shared by the benchmark
 * (bench/run.ts) and the guard test (test/constructs/scale.test.ts).
 */

/** What the benchmark reports of a template. */
export interface TemplateStats {
  /** Number of resources. */
  readonly resources: number;
  /** Resources per type. */
  readonly byType: Record<string, number>;
  /** AWS::IAM::Role resources. */
  readonly roles: number;
  /** AWS::IAM::Policy resources. */
  readonly policies: number;
  /** Lambda functions (AWS::Lambda::Function, AWS::Serverless::Function). */
  readonly lambdas: number;
  /** Bytes of the largest policy document (minified JSON of the rendered PolicyDocument, intrinsics included). */
  readonly largestPolicyBytes: number;
  /** Where the largest policy document is (logical id, plus the inline policy name for role policies). */
  readonly largestPolicy: string;
  /** Largest sum of the inline policies of one role (AWS::IAM::Policy attached to it and its Policies property). */
  readonly largestRolePolicyBytes: number;
  /** Bytes of the template as CDK writes it (JSON indented by one space). */
  readonly templateBytes: number;
}

/** Minified JSON size in bytes. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Computes the stats of `template` (the JSON object of a synthesized stack). */
export function templateStats(template: any): TemplateStats {
  const resources: Record<string, any> = template.Resources ?? {};
  const byType: Record<string, number> = {};
  const perRole = new Map<string, number>();
  let largestPolicyBytes = 0;
  let largestPolicy = '';
  const policy = (where: string, document: unknown): number => {
    const bytes = jsonBytes(document);
    if (bytes > largestPolicyBytes) {
      largestPolicyBytes = bytes;
      largestPolicy = where;
    }
    return bytes;
  };
  for (const [logicalId, resource] of Object.entries(resources)) {
    byType[resource.Type] = (byType[resource.Type] ?? 0) + 1;
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Policy') {
      const bytes = policy(logicalId, props.PolicyDocument);
      for (const role of props.Roles ?? []) {
        const key = typeof role === 'object' && role.Ref ? role.Ref : JSON.stringify(role);
        perRole.set(key, (perRole.get(key) ?? 0) + bytes);
      }
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of props.Policies ?? []) {
        const bytes = policy(`${logicalId}/${inline.PolicyName}`, inline.PolicyDocument);
        perRole.set(logicalId, (perRole.get(logicalId) ?? 0) + bytes);
      }
    }
  }
  return {
    resources: Object.keys(resources).length,
    byType,
    roles: byType['AWS::IAM::Role'] ?? 0,
    policies: byType['AWS::IAM::Policy'] ?? 0,
    lambdas: (byType['AWS::Lambda::Function'] ?? 0) + (byType['AWS::Serverless::Function'] ?? 0),
    largestPolicyBytes,
    largestPolicy,
    largestRolePolicyBytes: Math.max(0, ...perRole.values()),
    templateBytes: Buffer.byteLength(JSON.stringify(template, undefined, 1), 'utf8'),
  };
}
