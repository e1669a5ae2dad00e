import { Duration, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { grantSecretValueRead } from './secret-read';
import { skipCheckov } from '../private/checkov';
import { fail, validationProblem, warn } from '../private/errors';
import { BundledProvider, bundledResource, stackProvider } from '../private/providers';

/** The custom resource type in the template. */
const RESOURCE_TYPE = 'Custom::MediaPackageVodSigningKey';
/** The stack-unique id of the provider (one function and role per stack, however many keys). */
const PROVIDER_ID = 'Custom::MediaPackageVodSigningKeyProvider';
/** CloudFront quota: public keys per key group. */
const MAX_KEYS_PER_GROUP = 5;
/** A label of a generated key: part of construct ids. */
const KEY_LABEL_PATTERN = /^[A-Za-z0-9]{1,20}$/;
/** An origin a browser sends: scheme, host and optional port, nothing else. */
const ORIGIN_PATTERN = /^https?:\/\/([a-z0-9-]+(\.[a-z0-9-]+)*)(:\d{1,5})?$/;

/**
 * Properties of `ViewerSigningKeys`.
 */
export interface ViewerSigningKeysProps {
  /**
   * Public keys of yours (RSA 2048: CloudFront public keys made from your PEM-encoded public keys): the key group trusts
   * them; you keep the private keys.
   *
   * @default - none
   */
  readonly publicKeys?: cloudfront.IPublicKey[];

  /**
   * Labels (letters and digits, at most 20) of the key pairs to generate, oldest first. Each label gets its own RSA-2048
   * key pair, made at deploy by a custom resource: the private key in its own Secrets Manager secret, the public key in
   * the key group. Signers use the newest (the last label): `signingKeySecret` and `signingPublicKeyId`.
   *
   * To rotate: add a label with `signingKey` still naming the old one and deploy (the group trusts both keys, signers
   * keep the old key), wait until CloudFront has the new public key everywhere, switch `signingKey` to the new label
   * (or leave it out) and deploy, then remove the old label and deploy (its secret and public key are deleted with it).
   *
   * @default - ['1'] when no `publicKeys` are given; none otherwise
   */
  readonly generatedKeys?: string[];

  /**
   * The label of the generated key signers use: the one `signingKeySecret` and `signingPublicKeyId` name. Pin it to the
   * old label while a new key is added, so signers do not switch before CloudFront trusts the new key.
   *
   * @default - the last of `generatedKeys` (the newest)
   */
  readonly signingKey?: string;

  /**
   * The customer-managed KMS key that encrypts the generated private keys' secrets.
   *
   * @default - the account's AWS managed key for Secrets Manager (aws/secretsmanager)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The customer-managed KMS key of the signing-key function's log group. The function and its log group are one per
   * stack, shared by every generated key of the stack: every `ViewerSigningKeys` (and every `VodDistribution` with
   * generated keys) of the stack must give the same key, or none.
   *
   * @default - CloudWatch Logs encrypts the logs with its own key
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * The keys viewers' signatures are checked with: a CloudFront key group of your public keys and/or key pairs generated
 * at deploy, whose private keys stay in Secrets Manager (never in the template, the cloud assembly, outputs or logs).
 *
 * `VodDistribution` creates one for signed cookies or signed URLs without a key group of yours. Create one yourself to
 * share keys between distributions, and for behaviors added with `VodBehaviors` (which generate no keys): give its
 * `keyGroup` as the `keyGroup` option of `ViewerAccess.signedCookies` or `ViewerAccess.signedUrls`, and grant signers
 * with its `grantSign`.
 */
export class ViewerSigningKeys extends Construct {
  /** The key group every signed behavior trusts. */
  public readonly keyGroup: cloudfront.IKeyGroup;

  /** The ids of the key group's public keys (your keys first, then the generated ones, oldest first). */
  public readonly publicKeyIds: string[];

  /**
   * The secret with the private key of `signingKey`, by default the newest generated one (PKCS#8 PEM, the whole
   * secret string).
   *
   * @default - undefined when no key is generated
   */
  public readonly signingKeySecret?: secretsmanager.ISecret;

  /**
   * The id of the public key of `signingKey` (by default the newest generated one): what a signer with
   * `signingKeySecret` puts in `CloudFront-Key-Pair-Id`.
   *
   * @default - undefined when no key is generated
   */
  public readonly signingPublicKeyId?: string;

  /** The secrets of all generated private keys, oldest first. */
  public readonly signingKeySecrets: secretsmanager.ISecret[];

  constructor(scope: Construct, id: string, props: ViewerSigningKeysProps = {}) {
    super(scope, id);
    const own = props.publicKeys ?? [];
    const labels = props.generatedKeys ?? (own.length > 0 ? [] : ['1']);
    validateLabels(this, labels);
    if (own.length + labels.length === 0) {
      fail(this, 'generatedKeys', 'no key at all: a key group needs at least one public key (give publicKeys, or leave '
        + 'generatedKeys out to generate one)', labels);
    }
    if (own.length + labels.length > MAX_KEYS_PER_GROUP) {
      fail(this, 'publicKeys', `a CloudFront key group holds at most ${MAX_KEYS_PER_GROUP} public keys; `
        + `publicKeys and generatedKeys give ${own.length + labels.length}`, own.length + labels.length);
    }

    const signingAt = signingKeyIndex(this, labels, props.signingKey);
    const secrets: secretsmanager.ISecret[] = [];
    const generated: cloudfront.IPublicKey[] = [];
    for (const label of labels) {
      const key = new GeneratedSigningKey(this, `Key${label}`, props.encryptionKey, props.logEncryptionKey);
      secrets.push(key.secret);
      generated.push(key.publicKey);
    }
    const items = [...own, ...generated];
    this.keyGroup = new cloudfront.KeyGroup(this, 'KeyGroup', {
      items,
      comment: 'Viewer signatures of MediaPackage VOD playback (signed cookies / signed URLs)',
    });
    this.publicKeyIds = items.map(key => key.publicKeyId);
    this.signingKeySecrets = secrets;
    this.signingKeySecret = secrets[signingAt];
    this.signingPublicKeyId = generated[signingAt]?.publicKeyId;
  }

  /**
   * Lets `grantee` sign: read the generated private keys' secrets (`secretsmanager:GetSecretValue` and `DescribeSecret`
   * on each) and, with a customer-managed key, decrypt them (`kms:Decrypt` through Secrets Manager only). Nothing else. Fails when no key is generated (the private keys
   * are yours).
   */
  public grantSign(grantee: iam.IGrantable): iam.Grant {
    if (this.signingKeySecrets.length === 0) {
      fail(this, 'grantSign', 'no key pair is generated here: the private keys of publicKeys (or of keyGroup) are yours, '
        + 'there is no secret to grant', grantee.grantPrincipal.toString());
    }
    // Each secret's own read: GetSecretValue and DescribeSecret, and kms:Decrypt only through Secrets Manager.
    return this.signingKeySecrets.map(secret => grantSecretValueRead(secret, grantee)).reduce((all, grant) => all.combine(grant));
  }
}

/** One generated key pair: the secret, the custom resource that fills it, the public key. */
class GeneratedSigningKey extends Construct {
  public readonly secret: secretsmanager.Secret;
  public readonly publicKey: cloudfront.PublicKey;

  constructor(scope: Construct, id: string, encryptionKey?: kms.IKey, logEncryptionKey?: kms.IKey) {
    super(scope, id);
    // Created with a random placeholder, replaced at deploy by the custom resource with the private key (PKCS#8 PEM).
    this.secret = new secretsmanager.Secret(this, 'PrivateKey', {
      description: 'CloudFront viewer signing key (RSA 2048, PKCS#8 PEM), written at deploy by the signing-key custom resource',
      encryptionKey,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });
    if (!encryptionKey) {
      skipCheckov(this.secret, 'CKV_AWS_149', 'Encrypted with the AWS managed key of Secrets Manager (the default); read only by '
        + 'the signing-key function and grantSign grantees. Pass encryptionKey for a customer managed KMS key.');
    }
    const bundled = providerOf(this, logEncryptionKey);
    const provider = bundled.provider;
    // Exactly this secret: read it (an existing key is kept) and write the key pair's private key.
    provider.addToRolePolicy({
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
      Resource: this.secret.secretArn,
    });
    if (encryptionKey) {
      // PutSecretValue encrypts under the customer-managed key (GenerateDataKey); GetSecretValue decrypts.
      provider.addToRolePolicy({
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: encryptionKey.keyArn,
      });
    }
    const resource = bundledResource(this, 'Resource', bundled, {
      resourceType: RESOURCE_TYPE,
      properties: { SecretArn: this.secret.secretArn },
    });
    this.publicKey = new cloudfront.PublicKey(this, 'PublicKey', {
      encodedKey: resource.getAttString('PublicKey'),
      comment: 'Generated viewer signing key (its private key is in Secrets Manager)',
    });
  }
}

/** The index of the signers' key among the labels: `signingKey`'s, by default the last; -1 for none. */
function signingKeyIndex(scope: IConstruct, labels: string[], signingKey: string | undefined): number {
  if (signingKey === undefined) { return labels.length - 1; }
  const at = labels.indexOf(signingKey);
  if (at < 0) {
    fail(scope, 'signingKey', `must be one of generatedKeys (${labels.join(', ') || 'none'}): the label of the generated key `
      + 'signers use', signingKey);
  }
  return at;
}

function validateLabels(scope: IConstruct, labels: string[]): void {
  const seen = new Set<string>();
  labels.forEach((label, i) => {
    if (Token.isUnresolved(label) || !KEY_LABEL_PATTERN.test(label)) {
      fail(scope, `generatedKeys[${i}]`, 'must be 1 to 20 letters and digits (it names the key\'s constructs)', label);
    }
    if (seen.has(label)) {
      fail(scope, `generatedKeys[${i}]`, 'appears twice: each label is one key pair', label);
    }
    seen.add(label);
  });
}

/**
 * The stack's provider: one Lambda function and role for all generated signing keys of the stack. Its policy starts
 * empty; each key adds the statements that name its own secret (and key).
 */
function providerOf(scope: Construct, logEncryptionKey: kms.IKey | undefined): BundledProvider {
  return stackProvider(scope, PROVIDER_ID, {
    entry: 'cdn/signing-key/handler',
    description: 'Generates RSA-2048 CloudFront viewer signing keys; the private key goes into Secrets Manager only',
    timeout: Duration.minutes(2),
    logEncryptionKey,
    logEncryptionKeyPath: 'logEncryptionKey',
    unencryptedLogReason: 'Operational logs of the signing-key function (secret ARNs and the public key\'s SHA-256, never a '
      + 'private key), encrypted by CloudWatch Logs with its own key. Pass logEncryptionKey for a customer managed KMS key.',
    policyStatements: [],
  });
}

/**
 * How viewers are let in: `ViewerAccess.publicAccess()`, `ViewerAccess.signedCookies()`, `ViewerAccess.signedUrls()`.
 */
export enum ViewerAccessMode {
  /** Anyone with a playback URL plays. */
  PUBLIC = 'public',
  /** Every request needs CloudFront signed cookies (CloudFront-Policy or -Expires, -Signature, -Key-Pair-Id). */
  SIGNED_COOKIES = 'signed-cookies',
  /** Every request needs a signed URL (Policy or Expires, Signature, Key-Pair-Id query parameters). */
  SIGNED_URLS = 'signed-urls',
}

/**
 * The keys of signed viewer access: at most one of `keyGroup` or (`publicKeys` and/or `generatedKeys`, with their
 * `encryptionKey` and `logEncryptionKey`).
 */
export interface ViewerAccessKeyOptions {
  /**
   * An existing key group to trust (yours, or `ViewerSigningKeys.keyGroup`). No keys are created.
   *
   * @default - a `ViewerSigningKeys` is created from the other options (generating key pairs only in a
   * `VodDistribution`, which returns them; with `VodBehaviors` it fails)
   */
  readonly keyGroup?: cloudfront.IKeyGroup;

  /**
   * Public keys of yours for the key group the library creates (see `ViewerSigningKeysProps.publicKeys`).
   *
   * @default - none
   */
  readonly publicKeys?: cloudfront.IPublicKey[];

  /**
   * Labels of the key pairs to generate, oldest first (see `ViewerSigningKeysProps.generatedKeys`).
   *
   * @default - ['1'] when neither `publicKeys` nor `keyGroup` is given
   */
  readonly generatedKeys?: string[];

  /**
   * The label of the generated key signers use (see `ViewerSigningKeysProps.signingKey`).
   *
   * @default - the last of `generatedKeys`
   */
  readonly signingKey?: string;

  /**
   * The customer-managed KMS key of the generated private keys' secrets.
   *
   * @default - the AWS managed key aws/secretsmanager
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The customer-managed KMS key of the signing-key function's log group, one per stack (see
   * `ViewerSigningKeysProps.logEncryptionKey`).
   *
   * @default - CloudWatch Logs encrypts the logs with its own key
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * Options of `ViewerAccess.signedCookies`.
 */
export interface SignedCookiesOptions extends ViewerAccessKeyOptions {
  /**
   * The origins of the web pages whose players send the cookies cross-origin (`https://player.example.com`). The
   * behaviors then answer with a response headers policy that allows exactly these origins with
   * `Access-Control-Allow-Credentials: true`, and allow OPTIONS. `*` is refused: browsers do not send credentials to it.
   *
   * The page must be able to set cookies for the distribution's domain: give the distribution `domainNames` (and
   * `certificate`) under the same parent domain as these origins (checked at synth when both are known). The check
   * compares DNS labels only, without the public suffix list: two hosts sharing only a public suffix (`a.co.uk` and
   * `b.co.uk`, two sites under `github.io`) pass it, although browsers refuse cookies for such a domain.
   *
   * @default - no credentials allowed cross-origin: the managed SimpleCORS policy (or `responseHeadersPolicy`); players
   * on the distribution's own domain still send the cookies
   */
  readonly allowedOrigins?: string[];
}

/**
 * Options of `ViewerAccess.signedUrls`.
 */
export interface SignedUrlsOptions extends ViewerAccessKeyOptions {}

/**
 * What binding a `ViewerAccess` to a distribution gives.
 *
 * @internal
 */
export interface _ViewerAccessConfig {
  readonly mode: ViewerAccessMode;
  readonly trustedKeyGroups?: cloudfront.IKeyGroup[];
  readonly keyGroup?: cloudfront.IKeyGroup;
  readonly keys?: ViewerSigningKeys;
  readonly allowedOrigins?: string[];
  readonly responseHeadersPolicy?: cloudfront.IResponseHeadersPolicy;
}

/**
 * Who may play: anyone (`publicAccess()`, the default), or only viewers with CloudFront signed cookies
 * (`signedCookies()`, what HLS and DASH need: one cookie covers the manifest and every segment it references) or signed
 * URLs (`signedUrls()`, for a single file or a player that signs each request).
 *
 * When signed, every behavior that serves the packaging group trusts the key group: no path of the group is served
 * without a valid signature.
 */
export abstract class ViewerAccess {
  /** Anyone with a playback URL plays (no signature). */
  public static publicAccess(): ViewerAccess {
    return new PublicAccess();
  }

  /**
   * Every request of the group's behaviors needs CloudFront signed cookies (the way to protect HLS and DASH: a cookie
   * with a custom policy on `asset.playbackPathPattern(...)` covers the manifests and all their segments).
   */
  public static signedCookies(options: SignedCookiesOptions = {}): ViewerAccess {
    return new SignedAccess(ViewerAccessMode.SIGNED_COOKIES, options, options.allowedOrigins);
  }

  /**
   * Every request of the group's behaviors needs a signed URL. A signed manifest URL does not cover the segment URLs the
   * manifest references: fit for a single file, or a player that signs each request.
   */
  public static signedUrls(options: SignedUrlsOptions = {}): ViewerAccess {
    return new SignedAccess(ViewerAccessMode.SIGNED_URLS, options, undefined);
  }

  /** How viewers are let in. */
  public abstract readonly mode: ViewerAccessMode;

  /**
   * Binds to the construct that owns the distribution: the keys and the CORS policy are created there, once (the first
   * binding is shared by every later one). No scope: only an existing key group without allowedOrigins can bind.
   * `domainNames`: the distribution's when known, `[]` for none (checked against `allowedOrigins`); undefined: unknown.
   * `ownsKeys`: the scope returns generated keys to its user (a VodDistribution); elsewhere generating keys fails.
   *
   * @internal
   */
  public abstract _bind(scope: Construct | undefined, domainNames?: string[], ownsKeys?: boolean): _ViewerAccessConfig;
}

class PublicAccess extends ViewerAccess {
  public readonly mode = ViewerAccessMode.PUBLIC;
  public _bind(_scope: Construct | undefined): _ViewerAccessConfig {
    return { mode: this.mode };
  }
}

class SignedAccess extends ViewerAccess {
  /** The one binding: the keys and the CORS policy are made once, in the first scope, and shared by every behavior. */
  private bound?: _ViewerAccessConfig;

  constructor(public readonly mode: ViewerAccessMode, private readonly options: ViewerAccessKeyOptions,
    private readonly allowedOrigins: string[] | undefined) {
    super();
  }

  public _bind(scope: Construct | undefined, domainNames?: string[], ownsKeys?: boolean): _ViewerAccessConfig {
    if (scope && this.allowedOrigins) {
      validateAllowedOrigins(scope, this.allowedOrigins);
      checkCookieDomain(scope, this.allowedOrigins, domainNames);
    }
    if (this.bound) { return this.bound; }
    const options = this.options;
    if (options.keyGroup && (options.publicKeys || options.generatedKeys || options.signingKey || options.encryptionKey
      || options.logEncryptionKey)) {
      const message = 'a key group of yours takes no publicKeys, generatedKeys, signingKey, encryptionKey or logEncryptionKey: '
        + 'give the keys in one place';
      if (scope) { fail(scope, 'viewerAccess.keyGroup', message, options.keyGroup.node.path); }
      throw new Error(validationProblem('viewerAccess.keyGroup', message, options.keyGroup.node.path));
    }
    const needsResources = !options.keyGroup || this.allowedOrigins !== undefined;
    if (!scope) {
      if (needsResources) {
        throw new Error('VodBehaviors.segments(origin, { viewerAccess }): there is no scope to create the signing keys or the CORS '
          + 'policy in: give viewerAccess a keyGroup (e.g. a ViewerSigningKeys\' keyGroup) and no allowedOrigins, or bind it '
          + 'first with VodBehaviors.forOrigin / addTo (allowedOrigins, publicKeys)');
      }
      this.bound = { mode: this.mode, trustedKeyGroups: [options.keyGroup!], keyGroup: options.keyGroup };
      return this.bound;
    }
    if (!ownsKeys && generatesKeys(options)) {
      // Only a VodDistribution returns generated keys (signingKeys, grantSign); elsewhere nobody could sign with them.
      fail(scope, 'viewerAccess.keyGroup', 'outside a VodDistribution a generated key pair would be reachable by nothing '
        + '(no grantSign, no signing secret: every request answered 403) and named by call order: create the keys with '
        + 'new ViewerSigningKeys(...), give its keyGroup to signedCookies/signedUrls and grant signers with its grantSign '
        + '(or give publicKeys of your own)', options.keyGroup);
    }
    const keys = options.keyGroup ? undefined : new ViewerSigningKeys(scope, uniqueChildId(scope, 'ViewerSigningKeys'), {
      publicKeys: options.publicKeys,
      generatedKeys: options.generatedKeys,
      signingKey: options.signingKey,
      encryptionKey: options.encryptionKey,
      logEncryptionKey: options.logEncryptionKey,
    });
    const keyGroup = options.keyGroup ?? keys!.keyGroup;
    this.bound = {
      mode: this.mode,
      trustedKeyGroups: [keyGroup],
      keyGroup,
      keys,
      allowedOrigins: this.allowedOrigins,
      responseHeadersPolicy: this.allowedOrigins ? credentialsCorsPolicy(scope, this.allowedOrigins) : undefined,
    };
    return this.bound;
  }
}

/** Whether these options make key pairs (ViewerSigningKeys' default: one pair when no public key is given). */
function generatesKeys(options: ViewerAccessKeyOptions): boolean {
  if (options.keyGroup) { return false; }
  return options.generatedKeys ? options.generatedKeys.length > 0 : (options.publicKeys ?? []).length === 0;
}

function uniqueChildId(scope: IConstruct, base: string): string {
  let id = base;
  for (let i = 2; scope.node.tryFindChild(id); i++) { id = `${base}${i}`; }
  return id;
}

/** Each origin a literal `scheme://host[:port]` (Tokens skipped); never `*`. */
function validateAllowedOrigins(scope: IConstruct, origins: string[]): void {
  if (origins.length === 0) {
    fail(scope, 'viewerAccess.allowedOrigins', 'give at least one origin, or leave allowedOrigins out', origins);
  }
  origins.forEach((origin, i) => {
    if (Token.isUnresolved(origin)) { return; }
    if (origin.includes('*')) {
      fail(scope, `viewerAccess.allowedOrigins[${i}]`, 'signed cookies need Access-Control-Allow-Credentials: true, and '
        + 'browsers refuse credentials for a wildcard origin: list each player origin explicitly', origin);
    }
    if (!ORIGIN_PATTERN.test(origin)) {
      fail(scope, `viewerAccess.allowedOrigins[${i}]`, 'must be an origin as browsers send it: scheme, lower-case host and '
        + 'optional port, no path (https://player.example.com)', origin);
    }
  });
}

/**
 * Cookies reach the distribution only if the player's page can set them for its domain: each allowed origin's host and
 * one of the distribution's domain names must share a parent domain (two labels or more). Without `domainNames` the
 * distribution answers on *.cloudfront.net, where no other site can set cookies: a warning, as the page may be served
 * through the distribution itself.
 */
function checkCookieDomain(scope: IConstruct, origins: string[], domainNames: string[] | undefined): void {
  if (domainNames === undefined) { return; } // not known (a distribution of yours)
  const known = domainNames.filter(name => !Token.isUnresolved(name)).map(name => name.toLowerCase());
  if (domainNames.length === 0) {
    warn(scope, 'signedCookiesDomain', 'viewerAccess.allowedOrigins', 'the distribution has no domainNames: a page on '
      + 'another site cannot set cookies for its cloudfront.net domain. Give domainNames (and certificate) under the '
      + 'parent domain of the player\'s page');
    return;
  }
  if (known.length !== domainNames.length) { return; }
  origins.forEach((origin, i) => {
    if (Token.isUnresolved(origin)) { return; }
    const host = ORIGIN_PATTERN.exec(origin)![1];
    if (!known.some(name => sharedLabels(host, name.replace(/^\*\./, '')) >= 2)) {
      fail(scope, `viewerAccess.allowedOrigins[${i}]`, 'shares no parent domain with the distribution\'s domainNames '
        + `(${known.join(', ')}): the page cannot set cookies the browser sends to the distribution`, origin);
    }
  });
}

/** How many trailing DNS labels two host names share. */
function sharedLabels(a: string, b: string): number {
  const x = a.split('.').reverse();
  const y = b.split('.').reverse();
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) { n++; }
  return n;
}

/** CORS with credentials for exactly these origins; preflight (OPTIONS) answered. */
function credentialsCorsPolicy(scope: Construct, origins: string[]): cloudfront.IResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, uniqueChildId(scope, 'ViewerCorsPolicy'), {
    comment: 'MediaPackage VOD with signed cookies: credentials from these player origins only',
    corsBehavior: {
      accessControlAllowCredentials: true,
      accessControlAllowOrigins: origins,
      accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
      accessControlAllowHeaders: ['Range', 'Origin', 'Content-Type'],
      accessControlExposeHeaders: ['Content-Length', 'Content-Range', 'ETag'],
      accessControlMaxAge: Duration.minutes(10),
      originOverride: true,
    },
  });
}
