import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../examples/app';

describe('example VOD app', () => {
  const { stack } = buildApp(path.join(os.tmpdir(), 'cdk-mediapackage-vod-example'));
  const template = Template.fromStack(stack);

  test('has a packaging group with CDN authorization and egress access logs', () => {
    template.hasResourceProperties('AWS::MediaPackage::PackagingGroup', {
      Authorization: { CdnIdentifierSecret: { Ref: Match.stringLikeRegexp('CdnIdentifier') } },
      EgressAccessLogs: { LogGroupName: { Ref: Match.stringLikeRegexp('EgressAccessLogs') } },
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
