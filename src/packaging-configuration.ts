import { IResource, Lazy, Resource, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { CfnPackagingConfiguration, IPackagingConfigurationRef, PackagingConfigurationReference } from 'aws-cdk-lib/aws-mediapackage';
import { Construct, IConstruct } from 'constructs';
import { CmafPackageProps } from './formats/cmaf';
import { DashPackageProps } from './formats/dash';
import { HlsPackageProps } from './formats/hls';
import { MssPackageProps } from './formats/mss';
import type { IPackagingGroup } from './packaging-group';
import { idFromVodArn, vodArn } from './private/arns';
import { describeValue, fail, warn } from './private/errors';
import { claimFixedId } from './private/fixed-ids';
import { FormatName } from './private/format-name';
import { groupInternals } from './private/group-registry';
import { generateId, hashOfResolved, referencedNames } from './private/ids';
import { configurationMetric, VodMetricName } from './private/metrics';
import { renderCmafPackage } from './private/render/cmaf';
import { renderDashPackage } from './private/render/dash';
import { renderHlsPackage } from './private/render/hls';
import { renderMssPackage } from './private/render/mss';
import { validateId, validateSameEnvironment } from './private/validate';
import { VodAssetEvent, vodEventRule } from './private/vod-events';

/**
 * What a package format renders to: exactly one of the four package properties.
 * @internal
 */
export interface _PackagingFormatConfig {
  /**
   * The HLS package.
   *
   * @default - not HLS
   */
  readonly hlsPackage?: CfnPackagingConfiguration.HlsPackageProperty;

  /**
   * The DASH package.
   *
   * @default - not DASH
   */
  readonly dashPackage?: CfnPackagingConfiguration.DashPackageProperty;

  /**
   * The CMAF package.
   *
   * @default - not CMAF
   */
  readonly cmafPackage?: CfnPackagingConfiguration.CmafPackageProperty;

  /**
   * The MSS package.
   *
   * @default - not MSS
   */
  readonly mssPackage?: CfnPackagingConfiguration.MssPackageProperty;
}

/**
 * The output format of a packaging configuration: exactly one of HLS, DASH, CMAF and MSS.
 */
export abstract class PackagingFormat {
  /** Apple HLS with MPEG-TS segments. */
  public static hls(props: HlsPackageProps): PackagingFormat {
    return new SinglePackagingFormat('HLS', (scope, path) => ({ hlsPackage: renderHlsPackage(scope, path, props) }));
  }

  /** MPEG-DASH. */
  public static dash(props: DashPackageProps): PackagingFormat {
    return new SinglePackagingFormat('DASH', (scope, path) => ({ dashPackage: renderDashPackage(scope, path, props) }));
  }

  /** CMAF: fragmented MP4 segments with HLS manifests. */
  public static cmaf(props: CmafPackageProps): PackagingFormat {
    return new SinglePackagingFormat('CMAF', (scope, path) => ({ cmafPackage: renderCmafPackage(scope, path, props) }));
  }

  /** Microsoft Smooth Streaming. */
  public static mss(props: MssPackageProps): PackagingFormat {
    return new SinglePackagingFormat('MSS', (scope, path) => ({ mssPackage: renderMssPackage(scope, path, props) }));
  }

  /** The format's name: HLS, DASH, CMAF or MSS. */
  public abstract readonly formatName: string;

  /**
   * Validates and renders the format.
   * @internal
   */
  public abstract _bind(scope: IConstruct, propertyPath: string): _PackagingFormatConfig;
}

class SinglePackagingFormat extends PackagingFormat {
  constructor(public readonly formatName: FormatName,
    private readonly render: (scope: IConstruct, propertyPath: string) => _PackagingFormatConfig) {
    super();
  }

  public _bind(scope: IConstruct, propertyPath: string): _PackagingFormatConfig {
    return this.render(scope, propertyPath);
  }
}

/** Status code ranges of the EgressRequestCount metric. */
export enum StatusCodeRange {
  /** 2xx responses. */
  SUCCESS_2XX = '2xx',
  /** 3xx responses. */
  REDIRECTION_3XX = '3xx',
  /** 4xx responses. */
  CLIENT_ERROR_4XX = '4xx',
  /** 5xx responses. */
  SERVER_ERROR_5XX = '5xx',
}

/**
 * A MediaPackage VOD packaging configuration, created here or imported.
 */
export interface IPackagingConfiguration extends IResource, IPackagingConfigurationRef {
  /**
   * The id of the packaging configuration.
   *
   * @attribute
   */
  readonly packagingConfigurationId: string;

  /**
   * The ARN of the packaging configuration.
   *
   * @attribute
   */
  readonly packagingConfigurationArn: string;

  /**
   * A CloudWatch metric of this configuration (dimension `PackagingConfiguration` = its id).
   *
   * @param metricName EgressRequestCount, EgressBytes or EgressResponseTime
   * @param props metric options
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * An EventBridge rule for the VodAssetPlayable events of this configuration: an asset of the group can be played
   * through it (one event per asset and configuration; `detail.manifest_urls` holds the egress URLs).
   */
  onPlayable(id: string, options?: events.OnEventOptions): events.Rule;

  /** Number of egress requests (Sum, per 5 minutes). */
  metricEgressRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Number of egress requests answered with a status code in `statusCodeRange` (Sum, per 5 minutes). */
  metricEgressRequestCountByStatusCodeRange(statusCodeRange: StatusCodeRange, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Bytes sent to clients (Sum, per 5 minutes). */
  metricEgressBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Time to serve a request, milliseconds (Average, per 5 minutes). */
  metricEgressResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

abstract class PackagingConfigurationBase extends Resource implements IPackagingConfiguration {
  public abstract readonly packagingConfigurationId: string;
  public abstract readonly packagingConfigurationArn: string;

  /** The value of the metrics' PackagingConfiguration dimension. */
  protected abstract readonly metricDimensionValue: string;

  public get packagingConfigurationRef(): PackagingConfigurationReference {
    return { packagingConfigurationId: this.packagingConfigurationId, packagingConfigurationArn: this.packagingConfigurationArn };
  }

  public onPlayable(id: string, options?: events.OnEventOptions): events.Rule {
    // The configuration's ARN in `resources` is documented as `.../packaging_configuration/<id>` but sent as
    // `.../packaging-configurations/<id>`: the id in the detail is the same in both (service-rules.md "Events").
    return vodEventRule(this, id, options, VodAssetEvent.PLAYABLE, {
      detail: { packaging_configuration_id: [this.packagingConfigurationId] },
    });
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return configurationMetric(this, metricName, this.metricDimensionValue, props);
  }

  public metricEgressRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(VodMetricName.EGRESS_REQUEST_COUNT, props);
  }

  public metricEgressRequestCountByStatusCodeRange(statusCodeRange: StatusCodeRange, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(VodMetricName.EGRESS_REQUEST_COUNT, {
      ...props,
      dimensionsMap: { ...props?.dimensionsMap, StatusCodeRange: statusCodeRange },
    });
  }

  public metricEgressBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(VodMetricName.EGRESS_BYTES, props);
  }

  public metricEgressResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(VodMetricName.EGRESS_RESPONSE_TIME, props);
  }
}

/**
 * Options to add a packaging configuration to a group.
 */
export interface PackagingConfigurationOptions {
  /**
   * The id of the configuration: letters, digits, hyphens and underscores, unique per account and Region.
   *
   * A configuration is immutable (every change replaces it) and CloudFormation cannot replace a resource whose name
   * stays the same: with a fixed id, any later change fails the deploy. Prefer the generated id.
   *
   * @default - generated from the construct path and a hash of the configuration, so that every change deploys as a
   * clean replacement
   */
  readonly packagingConfigurationId?: string;

  /**
   * The output format: `PackagingFormat.hls()`, `.dash()`, `.cmaf()` or `.mss()`.
   */
  readonly format: PackagingFormat;
}

/**
 * Properties of a packaging configuration.
 */
export interface PackagingConfigurationProps extends PackagingConfigurationOptions {
  /** The packaging group the configuration belongs to. */
  readonly packagingGroup: IPackagingGroup;
}

/**
 * A MediaPackage VOD packaging configuration (AWS::MediaPackage::PackagingConfiguration): one output format of a
 * packaging group, optionally encrypted through SPEKE.
 *
 * @resource AWS::MediaPackage::PackagingConfiguration
 */
export class PackagingConfiguration extends PackagingConfigurationBase {
  /**
   * Import a packaging configuration by its id.
   */
  public static fromPackagingConfigurationId(scope: Construct, id: string, packagingConfigurationId: string): IPackagingConfiguration {
    validateId(scope, 'packagingConfigurationId', packagingConfigurationId);
    return new ImportedPackagingConfiguration(scope, id, packagingConfigurationId, undefined);
  }

  /**
   * Import a packaging configuration by its ARN
   * (`arn:<partition>:mediapackage-vod:<region>:<account>:packaging-configurations/<id>`).
   */
  public static fromPackagingConfigurationArn(scope: Construct, id: string, packagingConfigurationArn: string): IPackagingConfiguration {
    return new ImportedPackagingConfiguration(scope, id, idFromVodArn(scope, 'packagingConfigurationArn', packagingConfigurationArn, 'packaging-configurations'), packagingConfigurationArn);
  }

  public readonly packagingConfigurationId: string;
  public readonly packagingConfigurationArn: string;

  /** The packaging group of this configuration. */
  public readonly packagingGroup: IPackagingGroup;

  /** The output format's name: HLS, DASH, CMAF or MSS. */
  public readonly formatName: string;

  /** The underlying CloudFormation resource. */
  public readonly resource: CfnPackagingConfiguration;

  protected readonly metricDimensionValue: string;

  constructor(scope: Construct, id: string, props: PackagingConfigurationProps) {
    super(scope, id, { physicalName: props.packagingConfigurationId });
    validateId(this, 'packagingConfigurationId', props.packagingConfigurationId);
    claimFixedId(this, 'packagingConfigurationId', 'packaging configuration', props.packagingConfigurationId);
    if (!props.packagingGroup) {
      fail(this, 'packagingGroup', 'a packaging configuration belongs to a packaging group', props.packagingGroup);
    }
    if (!(props.format instanceof PackagingFormat)) {
      fail(this, 'format', 'give exactly one format: PackagingFormat.hls(), .dash(), .cmaf() or .mss()', props.format);
    }
    validateSameEnvironment(this, 'packagingGroup', props.packagingGroup, 'the configuration is created in the stack, and a '
      + 'group of another account or Region does not exist there');
    this.packagingGroup = props.packagingGroup;
    this.formatName = props.format.formatName;
    const rendered = props.format._bind(this, 'format');

    const configurationId = props.packagingConfigurationId ?? Lazy.string({
      // Immutable resource with a custom name: the id changes with the rendered configuration, so that a change
      // deploys as create-new-then-delete-old instead of failing on the fixed name.
      produce: () => {
        const properties = Stack.of(this).resolve({
          packagingGroupId: props.packagingGroup.packagingGroupId,
          ...rendered,
          tags: this.resource.tags.renderTags(),
        });
        // A referenced group or SPEKE role replaced under a new name replaces this configuration too: hash their names.
        const names = referencedNames(this, properties);
        const hashed = Object.keys(names).length === 0 ? properties : { ...properties, referencedNames: names };
        return `${generateId(this, 40)}-${hashOfResolved(this, hashed)}`;
      },
    });

    this.resource = new CfnPackagingConfiguration(this, 'Resource', {
      id: configurationId,
      packagingGroupId: props.packagingGroup.packagingGroupId,
      ...rendered,
    });

    this.packagingConfigurationId = this.getResourceNameAttribute(this.resource.ref);
    this.packagingConfigurationArn = this.getResourceArnAttribute(this.resource.attrArn, {
      service: 'mediapackage-vod', resource: 'packaging-configurations', resourceName: this.physicalName,
    });
    this.metricDimensionValue = configurationId;

    if (props.packagingConfigurationId !== undefined) {
      warn(this, 'FixedConfigurationId', 'packagingConfigurationId', 'packaging configurations are immutable: with the fixed id '
        + `${describeValue(props.packagingConfigurationId)}, any later change to this configuration fails the deploy ("already exists"). `
        + 'Omit the id to get one that changes with the configuration.');
    }

    groupInternals(props.packagingGroup)?.configurations.push({ packagingConfigurationId: configurationId, construct: this });
  }
}

class ImportedPackagingConfiguration extends PackagingConfigurationBase {
  public readonly packagingConfigurationId: string;
  public readonly packagingConfigurationArn: string;
  protected readonly metricDimensionValue: string;

  constructor(scope: Construct, id: string, packagingConfigurationId: string, arn: string | undefined) {
    super(scope, id, { environmentFromArn: arn });
    this.packagingConfigurationId = packagingConfigurationId;
    this.packagingConfigurationArn = arn ?? vodArn(this, 'packaging-configurations', packagingConfigurationId);
    this.metricDimensionValue = packagingConfigurationId;
  }
}
