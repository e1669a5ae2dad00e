import { CfnPackagingConfiguration } from 'aws-cdk-lib/aws-mediapackage';
import { IConstruct } from 'constructs';
import { MAX_SECONDS, renderSegmentDuration } from './hls';
import { renderStreamSelection } from './stream-selection';
import { DashPackageProps, PeriodTrigger, SegmentTemplateFormat } from '../../formats/dash';
import { fail } from '../errors';
import { validateManifests, wholeSeconds } from '../validate';

/**
 * Validates and renders a DASH package.
 */
export function renderDashPackage(scope: IConstruct, propertyPath: string, props: DashPackageProps): CfnPackagingConfiguration.DashPackageProperty {
  validateManifests(scope, `${propertyPath}.manifests`, props.manifests);
  const triggers = props.periodTriggers;
  const duplicate = triggers?.find((t, i) => triggers.indexOf(t) !== i);
  if (duplicate !== undefined) {
    fail(scope, `${propertyPath}.periodTriggers`, 'each period trigger may be given once', triggers);
  }
  if (props.segmentTemplateFormat === SegmentTemplateFormat.NUMBER_WITH_DURATION && triggers?.includes(PeriodTrigger.ADS)) {
    fail(scope, `${propertyPath}.segmentTemplateFormat`, 'NUMBER_WITH_DURATION is not supported with multi-period DASH '
      + '(periodTriggers ADS)', props.segmentTemplateFormat);
  }
  return {
    dashManifests: props.manifests.map((m, i) => ({
      manifestName: m.manifestName,
      profile: m.profile,
      manifestLayout: m.manifestLayout,
      minBufferTimeSeconds: wholeSeconds(scope, `${propertyPath}.manifests[${i}].minBufferTime`, m.minBufferTime, { min: 0, max: MAX_SECONDS }),
      scteMarkersSource: m.scteMarkersSource,
      streamSelection: renderStreamSelection(scope, `${propertyPath}.manifests[${i}].streamSelection`, m.streamSelection),
    })),
    segmentDurationSeconds: renderSegmentDuration(scope, `${propertyPath}.segmentDuration`, props.segmentDuration),
    segmentTemplateFormat: props.segmentTemplateFormat,
    periodTriggers: triggers,
    includeIframeOnlyStream: props.includeIframeOnlyStream,
    includeEncoderConfigurationInSegments: props.includeEncoderConfigurationInSegments,
    encryption: props.encryption?._bind(scope, `${propertyPath}.encryption`),
  };
}
