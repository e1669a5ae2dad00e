import { createHash } from 'crypto';
import { Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnPackagingConfiguration } from 'aws-cdk-lib/aws-mediapackage';
import { Construct, IConstruct } from 'constructs';
import { describeValue, fail, warn } from './private/errors';
import { FormatName } from './private/format-name';
import { newMediaPackageRole } from './private/roles';
import { stackSingleton } from './private/singleton';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A DRM system, by its DASH-IF system id, that the SPEKE key server returns keys for.
 */
export class DrmSystem {
  /** Apple FairPlay (HLS SAMPLE-AES, CMAF cbcs). */
  public static readonly FAIRPLAY = new DrmSystem('94ce86fb-07ff-4f43-adb8-93d2fa968ca2', 'FairPlay');
  /** Google Widevine (DASH, CMAF). */
  public static readonly WIDEVINE = new DrmSystem('edef8ba9-79d6-4ace-a3c8-27dcd51d21ed', 'Widevine');
  /** Microsoft PlayReady (DASH, MSS, CMAF with SPEKE 2.0). */
  public static readonly PLAYREADY = new DrmSystem('9a04f079-9840-4286-ab92-e65be0885f95', 'PlayReady');
  /** Irdeto (DASH with SPEKE 2.0). */
  public static readonly IRDETO = new DrmSystem('80a6be7e-1448-4c37-9e70-d5aebe04c8d2', 'Irdeto');
  /** Clear Key AES-128 (HLS AES-128). */
  public static readonly CLEAR_KEY_AES_128 = new DrmSystem('3ea8778f-7742-4bf9-b18b-e834b2acbd47', 'ClearKey AES-128');
  /** The id AWS's SPEKE reference server uses for HLS AES-128. */
  public static readonly SPEKE_REFERENCE_AES_128 = new DrmSystem('81376844-f976-481e-a84e-cc25d39b0b33', 'SPEKE reference AES-128');

  /**
   * Any other DRM system, by its system id (a UUID; checked when the configuration is built).
   */
  public static of(systemId: string): DrmSystem {
    return KNOWN_SYSTEMS.find(k => !Token.isUnresolved(systemId) && k.systemId === systemId.toLowerCase()) ?? new DrmSystem(systemId, systemId);
  }

  /**
   * @param systemId the DASH-IF system id
   * @param name a readable name
   */
  private constructor(public readonly systemId: string, public readonly name: string) {}
}

/** The well-known DRM systems (the static members of DrmSystem). */
const KNOWN_SYSTEMS = [DrmSystem.FAIRPLAY, DrmSystem.WIDEVINE, DrmSystem.PLAYREADY, DrmSystem.IRDETO,
  DrmSystem.CLEAR_KEY_AES_128, DrmSystem.SPEKE_REFERENCE_AES_128];

/** SPEKE 2.0 audio preset: how audio tracks are encrypted. */
export enum AudioPreset {
  /** PRESET-AUDIO-1: all audio tracks share one key. */
  PRESET_AUDIO_1 = 'PRESET-AUDIO-1',
  /** PRESET-AUDIO-2: stereo and multichannel audio get different keys. */
  PRESET_AUDIO_2 = 'PRESET-AUDIO-2',
  /** PRESET-AUDIO-3: stereo, multichannel (3-6) and 7+ channel audio get different keys. */
  PRESET_AUDIO_3 = 'PRESET-AUDIO-3',
  /** SHARED: audio uses the video key (the video preset must be SHARED too). */
  SHARED = 'SHARED',
  /** UNENCRYPTED: audio is not encrypted. */
  UNENCRYPTED = 'UNENCRYPTED',
}

/** SPEKE 2.0 video preset: how video tracks are encrypted. */
export enum VideoPreset {
  /** PRESET-VIDEO-1: all video tracks share one key. */
  PRESET_VIDEO_1 = 'PRESET-VIDEO-1',
  /** PRESET-VIDEO-2: SD and HD video get different keys. */
  PRESET_VIDEO_2 = 'PRESET-VIDEO-2',
  /** PRESET-VIDEO-3: SD, HD and UHD video get different keys. */
  PRESET_VIDEO_3 = 'PRESET-VIDEO-3',
  /** PRESET-VIDEO-4: SD, HD, UHD1 and UHD2 video get different keys. */
  PRESET_VIDEO_4 = 'PRESET-VIDEO-4',
  /** PRESET-VIDEO-5: SD, HD1, HD2, UHD1 and UHD2 video get different keys. */
  PRESET_VIDEO_5 = 'PRESET-VIDEO-5',
  /** PRESET-VIDEO-6: SD, HD1, HD2 and UHD video get different keys. */
  PRESET_VIDEO_6 = 'PRESET-VIDEO-6',
  /** PRESET-VIDEO-7: SD+HD1, HD2 and UHD video get different keys. */
  PRESET_VIDEO_7 = 'PRESET-VIDEO-7',
  /** PRESET-VIDEO-8: SD+HD1, HD2, UHD1 and UHD2 video get different keys. */
  PRESET_VIDEO_8 = 'PRESET-VIDEO-8',
  /** SHARED: video and audio share one key (the audio preset must be SHARED too). */
  SHARED = 'SHARED',
  /** UNENCRYPTED: video is not encrypted. */
  UNENCRYPTED = 'UNENCRYPTED',
}

/**
 * SPEKE 2.0 encryption contract: which keys the key server returns for audio and video.
 * Supported by MediaPackage VOD for DASH and CMAF only.
 */
export interface EncryptionContract {
  /** The audio preset. */
  readonly audio: AudioPreset;
  /** The video preset. */
  readonly video: VideoPreset;
}

/**
 * Properties of a SPEKE key provider.
 */
export interface SpekeKeyProviderProps {
  /**
   * The URL of the SPEKE key server; must start with `https://`. When it is an API Gateway URL
   * (`https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/<path>`), the created role may invoke that API
   * stage and path with POST only.
   *
   * @default - derived from `restApi`, `restApiStage` and `restApiPath` (one of `url` and `restApi` is required)
   */
  readonly url?: string;

  /**
   * The API Gateway REST API of the key server. Scopes the created role's `execute-api:Invoke` to it (use this with a
   * custom-domain `url`, or instead of `url`).
   *
   * @default - parsed from `url` when it is an execute-api URL; otherwise the role gets no execute-api permission
   */
  readonly restApi?: apigateway.IRestApi;

  /**
   * The stage of `restApi` that serves the key server.
   *
   * @default - the deployment stage of `restApi`
   */
  readonly restApiStage?: string;

  /**
   * The path of the SPEKE resource on `restApi`, starting with `/`.
   *
   * @default '/copyProtection' (the path of AWS's SPEKE reference server)
   */
  readonly restApiPath?: string;

  /**
   * The account of the key server's API Gateway API, when `url` is an execute-api URL. DRM providers often host the key
   * server in their own account: the role's `execute-api:Invoke` is scoped to the API id, stage and path in this
   * account, and the provider's API resource policy must allow the role (an API in another account checks both).
   * Ignored with `restApi` (its own account is used).
   *
   * @default - any account: the grant names the API id, stage and path with `*` for the account
   */
  readonly keyServerAccount?: string;

  /**
   * The DRM systems to request keys for. HLS and MSS take exactly one, DASH up to two, CMAF up to three.
   */
  readonly systemIds: DrmSystem[];

  /**
   * SPEKE 2.0 encryption contract (audio and video presets). DASH and CMAF only.
   *
   * @default - SPEKE 1.0 (no presets)
   */
  readonly encryptionContract?: EncryptionContract;

  /**
   * The role MediaPackage assumes to call the key server. A given role is used as it is.
   *
   * @default - a role trusted by mediapackage.amazonaws.com, allowed to invoke the key server's API when it is API Gateway;
   * providers of one stack that call the same key server (same URL, or same REST API, stage and path) share it
   */
  readonly role?: iam.IRole;

  /**
   * Add an `aws:SourceAccount` condition (this stack's account) to the created role's trust policy.
   *
   * Off by default: it is not confirmed that MediaPackage VOD sends aws:SourceAccount when it assumes the role, and a
   * condition it does not satisfy breaks key retrieval. Ignored when `role` is given.
   *
   * @default false
   */
  readonly restrictToAccount?: boolean;
}


/** DRM systems per format, SPEKE 1.0 and 2.0 (user guide, "Choosing SPEKE version"). */
const DRM_RULES: Record<FormatName, { v1: DrmSystem[]; v2: DrmSystem[]; maxSystems: number; presets: boolean }> = {
  HLS: { v1: [DrmSystem.FAIRPLAY, DrmSystem.CLEAR_KEY_AES_128, DrmSystem.SPEKE_REFERENCE_AES_128], v2: [], maxSystems: 1, presets: false },
  DASH: {
    v1: [DrmSystem.PLAYREADY, DrmSystem.WIDEVINE],
    v2: [DrmSystem.PLAYREADY, DrmSystem.WIDEVINE, DrmSystem.IRDETO],
    maxSystems: 2,
    presets: true,
  },
  CMAF: {
    v1: [DrmSystem.WIDEVINE, DrmSystem.FAIRPLAY],
    v2: [DrmSystem.PLAYREADY, DrmSystem.WIDEVINE, DrmSystem.FAIRPLAY],
    maxSystems: 3, // the user guide says two in one place and three in another: allow three
    presets: true,
  },
  MSS: { v1: [DrmSystem.PLAYREADY], v2: [], maxSystems: 1, presets: false },
};


/**
 * A SPEKE key server that MediaPackage calls for content keys, and the role it assumes to do so.
 * One provider may serve many packaging configurations; it creates at most one role, and providers of one stack that
 * call the same key server share that role (formats that need different DRM systems need different providers).
 */
export class SpekeKeyProvider extends Construct {
  /** The key server URL. */
  public readonly url: string;

  /** The role MediaPackage assumes to call the key server. */
  public readonly role: iam.IRole;

  /** The DRM systems requested. */
  public readonly systemIds: DrmSystem[];

  /**
   * The SPEKE 2.0 encryption contract.
   *
   * @default - SPEKE 1.0
   */
  public readonly encryptionContract?: EncryptionContract;

  /**
   * The execute-api ARN MediaPackage invokes (POST on the key server's path).
   *
   * @default - undefined when the key server is not a known API Gateway API
   */
  public readonly keyServerExecuteApiArn?: string;

  constructor(scope: Construct, id: string, props: SpekeKeyProviderProps) {
    super(scope, id);
    this.systemIds = props.systemIds ?? [];
    this.encryptionContract = props.encryptionContract;
    this.validateCommon(props);

    const api = this.resolveKeyServer(props);
    this.url = api.url;
    this.keyServerExecuteApiArn = api.executeApiArn;

    if (props.role) {
      // A mutable role of this app gets the grant (as the source and secrets roles do); an imported role is used as it is.
      this.role = props.role;
      this.grantInvoke(props.role);
    } else {
      this.role = this.sharedRole(props);
    }
  }

  /**
   * Grant `grantee` the permission MediaPackage needs to call this key server: `execute-api:Invoke` on the key
   * server's API, stage and path (POST). A no-op grant when the key server is not a known API Gateway API.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (!this.keyServerExecuteApiArn) {
      return iam.Grant.drop(grantee, 'the SPEKE key server is not an API Gateway API: nothing to grant');
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.keyServerExecuteApiArn],
    });
  }

  /**
   * Validates the provider for one package format and renders it.
   * @internal
   */
  public _bind(scope: IConstruct, propertyPath: string, format: FormatName): CfnPackagingConfiguration.SpekeKeyProviderProperty {
    const rules = DRM_RULES[format];
    const known = this.systemIds.filter(s => !Token.isUnresolved(s.systemId));
    if (!Token.isUnresolved(this.systemIds) && this.systemIds.length > rules.maxSystems) {
      fail(scope, `${propertyPath}.systemIds`, `${format} takes ${rules.maxSystems === 1 ? 'exactly one DRM system' : `at most ${rules.maxSystems} DRM systems`}`,
        this.systemIds.map(s => s.name));
    }
    const contract = this.encryptionContract;
    if (contract && !rules.presets) {
      fail(scope, `${propertyPath}.encryptionContract`, `MediaPackage VOD supports SPEKE 2.0 presets on DASH and CMAF only, not ${format}`, contract);
    }
    for (const system of known) {
      const isKnown = KNOWN_SYSTEMS.some(k => k.systemId === system.systemId);
      if (!isKnown) { continue; }
      const inV1 = rules.v1.some(k => k.systemId === system.systemId);
      const inV2 = rules.v2.some(k => k.systemId === system.systemId);
      if (!inV1 && !inV2) {
        fail(scope, `${propertyPath}.systemIds`, `${system.name} is not a DRM system MediaPackage VOD supports for ${format} `
          + `(supported: ${[...new Set([...rules.v1, ...rules.v2].map(s => s.name))].join(', ')})`, system.systemId);
      }
      if (contract && !inV2) {
        warn(scope, 'DrmNotInSpeke2', `${propertyPath}.systemIds`, `${system.name} is documented for ${format} with SPEKE 1.0 only, `
          + 'not with SPEKE 2.0 presets');
      }
      if (!contract && !inV1) {
        // User guide, "Choosing SPEKE version": not supported with SPEKE 1.0 (e.g. Irdeto on DASH, PlayReady on CMAF).
        fail(scope, `${propertyPath}.systemIds`, `${system.name} is not supported for ${format} with SPEKE 1.0: give the key `
          + 'provider an encryptionContract (SPEKE 2.0)', system.systemId);
      }
    }
    return {
      url: this.url,
      roleArn: this.role.roleArn,
      systemIds: this.systemIds.map(s => s.systemId),
      encryptionContractConfiguration: contract && {
        presetSpeke20Audio: contract.audio,
        presetSpeke20Video: contract.video,
      },
    };
  }

  private validateCommon(props: SpekeKeyProviderProps): void {
    if (props.url === undefined && props.restApi === undefined) {
      fail(this, 'url', 'give the key server url or its restApi', undefined);
    }
    if (props.url !== undefined && !Token.isUnresolved(props.url)) {
      if (!props.url.startsWith('https://')) {
        fail(this, 'url', 'the SPEKE key server URL must start with https://', props.url);
      }
      if (parseUrl(props.url)?.hostname === undefined) {
        fail(this, 'url', 'the SPEKE key server URL must be an https URL with a host name', props.url);
      }
    }
    if (!Token.isUnresolved(this.systemIds) && this.systemIds.length === 0) {
      fail(this, 'systemIds', 'give at least one DRM system', this.systemIds);
    }
    this.systemIds.forEach((system, i) => {
      if (!Token.isUnresolved(system.systemId) && !UUID.test(system.systemId)) {
        fail(this, `systemIds[${i}]`, 'a DRM system id is a UUID (8-4-4-4-12 hexadecimal digits)', system.systemId);
      }
    });
    const ids = this.systemIds.map(s => s.systemId.toLowerCase()).filter(s => !Token.isUnresolved(s));
    const duplicate = ids.find((s, i) => ids.indexOf(s) !== i);
    if (duplicate) {
      fail(this, 'systemIds', 'each DRM system may be given once', duplicate);
    }
    const contract = props.encryptionContract;
    if (contract) {
      const { audio, video } = contract;
      if ((audio === AudioPreset.SHARED) !== (video === VideoPreset.SHARED)) {
        fail(this, 'encryptionContract', 'SHARED must be used for both audio and video, or for neither', contract);
      }
      if ((audio === AudioPreset.UNENCRYPTED && (video === VideoPreset.UNENCRYPTED || video === VideoPreset.SHARED))
        || (video === VideoPreset.UNENCRYPTED && audio === AudioPreset.SHARED)) {
        fail(this, 'encryptionContract', 'UNENCRYPTED may not be combined with UNENCRYPTED or SHARED on the other track', contract);
      }
    }
  }

  /**
   * The role of this provider's key server: providers of one stack that call the same key server (same literal URL, or
   * same REST API, stage and path) and name no role share one, created by the first of them. A key server often serves
   * several formats that need different DRM systems, hence several providers; the permission is the same.
   */
  private sharedRole(props: SpekeKeyProviderProps): iam.IRole {
    const path = props.restApiPath ?? '/copyProtection';
    const server = props.restApi
      ? (props.restApiStage !== undefined && !Token.isUnresolved(props.restApiStage) && !Token.isUnresolved(path)
        ? `api:${props.restApi.node.path}/${props.restApiStage}${path}` : undefined)
      // The account as CloudFormation sees it: Token strings are numbered per app, and the id must be stable.
      : (Token.isUnresolved(this.url) ? undefined : `url:${this.url}|${JSON.stringify(Stack.of(this).resolve(props.keyServerAccount ?? '*'))}`);
    const create = (scope: Construct, id: string) => {
      const role = newMediaPackageRole(scope, id, {
        description: 'Lets MediaPackage VOD request content keys from the SPEKE key server',
        restrictToAccount: props.restrictToAccount,
      });
      this.grantInvoke(role);
      return role;
    };
    if (server === undefined) {
      // A key server known only at deploy time: a role of this provider alone.
      return create(this, 'Role');
    }
    // One role per stack and key server, at a stack-level path that depends only on the key server (and trust), so that
    // removing the provider that came first neither moves nor replaces it.
    const key = `${server}|${props.restrictToAccount ?? false}`;
    const id = `MediaPackageSpekeRole${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
    return stackSingleton(this, id, create);
  }

  private resolveKeyServer(props: SpekeKeyProviderProps): { url: string; executeApiArn?: string } {
    const stack = Stack.of(this);
    if (props.restApi) {
      const apiRegion = props.restApi.env.region;
      if (!Token.isUnresolved(apiRegion) && !Token.isUnresolved(stack.region) && apiRegion !== stack.region) {
        fail(this, 'restApi', `the key server's API must be in the stack's Region (${stack.region})`, apiRegion);
      }
      const path = props.restApiPath ?? '/copyProtection';
      if (!Token.isUnresolved(path) && !path.startsWith('/')) {
        fail(this, 'restApiPath', 'must start with /', path);
      }
      let stage = props.restApiStage;
      if (stage === undefined) {
        try {
          stage = props.restApi.deploymentStage.stageName;
        } catch {
          fail(this, 'restApiStage', 'the REST API has no deployment stage here: give restApiStage', undefined);
        }
      }
      const url = props.url ?? `https://${props.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${stage}${path}`;
      return { url, executeApiArn: props.restApi.arnForExecuteApi('POST', path, stage) };
    }
    const url = props.url!;
    if (Token.isUnresolved(url)) { return { url }; }
    const api = parseExecuteApiUrl(url);
    if (api === undefined) {
      if (/execute-api/i.test(url)) {
        warn(this, 'SpekeUrlNotParsed', 'url', 'looks like an API Gateway URL but is not https://<api-id>.execute-api.<region>'
          + '.amazonaws.com/<stage>/<path>: the role gets no execute-api permission. Give restApi, or grant it yourself '
          + `(got ${describeValue(url)})`);
      }
      return { url };
    }
    if (!Token.isUnresolved(stack.region) && api.region !== stack.region) {
      fail(this, 'url', `the key server's API must be in the stack's Region (${stack.region})`, url);
    }
    const executeApiArn = stack.formatArn({
      service: 'execute-api',
      region: api.region,
      account: props.keyServerAccount ?? '*',
      resource: api.apiId,
      resourceName: `${api.stage}/POST${api.path}`,
    });
    return { url, executeApiArn };
  }
}

/** `new URL(url)`, or undefined when it is not a URL (or has no host). */
function parseUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.hostname ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `<api-id>.execute-api.<region>.amazonaws.com[.cn]`, as `new URL` gives it (lower case). */
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * The API id, Region, stage and path of an execute-api URL (`https://<api-id>.execute-api.<region>.amazonaws.com
 * [:443]/<stage>[/<path>][?query]`, host in any case), or undefined when `url` is not one.
 */
function parseExecuteApiUrl(url: string): { apiId: string; region: string; stage: string; path: string } | undefined {
  const parsed = parseUrl(url);
  // URL drops the default port: an explicit :443 reads as ''; any other port is not API Gateway.
  const host = parsed && parsed.port === '' ? EXECUTE_API_HOST.exec(parsed.hostname) : null;
  if (!parsed || !host) { return undefined; }
  const [, stage, ...rest] = parsed.pathname.split('/');
  if (!stage) { return undefined; }
  return { apiId: host[1], region: host[2], stage, path: `/${rest.join('/')}` };
}

/**
 * HLS encryption method.
 */
export enum HlsEncryptionMethod {
  /** AES-128 (whole segment), for AES-128 keys. */
  AES_128 = 'AES_128',
  /** SAMPLE-AES, for Apple FairPlay. */
  SAMPLE_AES = 'SAMPLE_AES',
}

/**
 * Options of HLS SPEKE encryption.
 */
export interface HlsSpekeEncryptionOptions {
  /** The SPEKE key provider. */
  readonly keyProvider: SpekeKeyProvider;

  /**
   * The encryption method: SAMPLE_AES for FairPlay, AES_128 for AES-128 keys.
   *
   * @default - not set: the service's default
   */
  readonly method?: HlsEncryptionMethod;

  /**
   * A constant initialization vector: 32 hexadecimal characters (128 bits).
   *
   * @default - MediaPackage generates the IV
   */
  readonly constantInitializationVector?: string;
}

/**
 * Options of DASH, CMAF and MSS SPEKE encryption.
 */
export interface SpekeEncryptionOptions {
  /** The SPEKE key provider. */
  readonly keyProvider: SpekeKeyProvider;
}

const IV = /^[0-9a-fA-F]{32}$/;

/**
 * Encryption of an HLS package.
 */
export abstract class HlsEncryption {
  /** Encrypt with keys from a SPEKE key server. */
  public static speke(options: HlsSpekeEncryptionOptions): HlsEncryption {
    return new HlsSpekeEncryption(options);
  }

  /**
   * Validates and renders.
   * @internal
   */
  public abstract _bind(scope: IConstruct, propertyPath: string): CfnPackagingConfiguration.HlsEncryptionProperty;
}

class HlsSpekeEncryption extends HlsEncryption {
  constructor(private readonly options: HlsSpekeEncryptionOptions) { super(); }

  public _bind(scope: IConstruct, propertyPath: string): CfnPackagingConfiguration.HlsEncryptionProperty {
    const { keyProvider, method, constantInitializationVector: iv } = this.options;
    requireKeyProvider(scope, propertyPath, keyProvider);
    if (iv !== undefined && !Token.isUnresolved(iv) && !IV.test(iv)) {
      fail(scope, `${propertyPath}.constantInitializationVector`, 'must be exactly 32 hexadecimal characters (128 bits)', iv);
    }
    const spekeKeyProvider = keyProvider._bind(scope, `${propertyPath}.keyProvider`, 'HLS');
    const fairPlay = keyProvider.systemIds.some(s => s.systemId === DrmSystem.FAIRPLAY.systemId);
    if (method === HlsEncryptionMethod.AES_128 && fairPlay) {
      // User guide: FairPlay is SAMPLE-AES only; AES-128 with FairPlay is not supported.
      fail(scope, `${propertyPath}.method`, 'FairPlay is not supported with AES_128: use SAMPLE_AES (AES_128 is for AES-128 keys)', method);
    }
    if (method === HlsEncryptionMethod.SAMPLE_AES && !fairPlay && keyProvider.systemIds.some(s => KNOWN_SYSTEMS.includes(s))) {
      warn(scope, 'HlsMethodDrm', `${propertyPath}.method`, 'SAMPLE_AES is for FairPlay; AES-128 keys use AES_128');
    }
    return { spekeKeyProvider, encryptionMethod: method, constantInitializationVector: iv };
  }
}

/**
 * Encryption of a DASH package.
 */
export abstract class DashEncryption {
  /** Encrypt with keys from a SPEKE key server (SPEKE 1.0, or 2.0 with an encryption contract). */
  public static speke(options: SpekeEncryptionOptions): DashEncryption {
    return new DashSpekeEncryption(options);
  }

  /**
   * Validates and renders.
   * @internal
   */
  public abstract _bind(scope: IConstruct, propertyPath: string): CfnPackagingConfiguration.DashEncryptionProperty;
}

/**
 * Encryption of a CMAF package. No constant initialization vector: CloudFormation's CmafEncryption cannot carry one.
 */
export abstract class CmafEncryption {
  /** Encrypt with keys from a SPEKE key server (SPEKE 1.0, or 2.0 with an encryption contract). */
  public static speke(options: SpekeEncryptionOptions): CmafEncryption {
    return new CmafSpekeEncryption(options);
  }

  /**
   * Validates and renders.
   * @internal
   */
  public abstract _bind(scope: IConstruct, propertyPath: string): CfnPackagingConfiguration.CmafEncryptionProperty;
}

/**
 * Encryption of an MSS package.
 */
export abstract class MssEncryption {
  /** Encrypt with keys from a SPEKE key server (SPEKE 1.0). */
  public static speke(options: SpekeEncryptionOptions): MssEncryption {
    return new MssSpekeEncryption(options);
  }

  /**
   * Validates and renders.
   * @internal
   */
  public abstract _bind(scope: IConstruct, propertyPath: string): CfnPackagingConfiguration.MssEncryptionProperty;
}

class DashSpekeEncryption extends DashEncryption {
  constructor(private readonly options: SpekeEncryptionOptions) { super(); }
  public _bind(scope: IConstruct, propertyPath: string): CfnPackagingConfiguration.DashEncryptionProperty {
    return renderSpekeOnly(scope, propertyPath, this.options, 'DASH');
  }
}

class CmafSpekeEncryption extends CmafEncryption {
  constructor(private readonly options: SpekeEncryptionOptions) { super(); }
  public _bind(scope: IConstruct, propertyPath: string): CfnPackagingConfiguration.CmafEncryptionProperty {
    return renderSpekeOnly(scope, propertyPath, this.options, 'CMAF');
  }
}

class MssSpekeEncryption extends MssEncryption {
  constructor(private readonly options: SpekeEncryptionOptions) { super(); }
  public _bind(scope: IConstruct, propertyPath: string): CfnPackagingConfiguration.MssEncryptionProperty {
    return renderSpekeOnly(scope, propertyPath, this.options, 'MSS');
  }
}

/** DASH, CMAF and MSS encryption: a SPEKE key provider and nothing else. */
function renderSpekeOnly(scope: IConstruct, propertyPath: string, options: SpekeEncryptionOptions, format: FormatName)
  : { spekeKeyProvider: CfnPackagingConfiguration.SpekeKeyProviderProperty } {
  requireKeyProvider(scope, propertyPath, options.keyProvider);
  return { spekeKeyProvider: options.keyProvider._bind(scope, `${propertyPath}.keyProvider`, format) };
}

function requireKeyProvider(scope: IConstruct, propertyPath: string, keyProvider: SpekeKeyProvider | undefined): void {
  if (!keyProvider) {
    fail(scope, `${propertyPath}.keyProvider`, 'encryption needs a SPEKE key provider', keyProvider);
  }
}
