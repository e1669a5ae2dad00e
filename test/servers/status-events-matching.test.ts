/**
 * Event matching through a real EventBridge implementation: moto in server mode (its TestEventPattern is not implemented
 * in moto 5.2.5, so each rule's synthesized pattern becomes a moto rule (PutRule) with an SQS queue as its target, the
 * events are sent with PutEvents, and each queue shows which events its rule matched). No matching code of ours.
 *
 * Events (service-rules.md "Events"):
 * - the captured real VodAssetPlayable event (bcc-code/bcc-media-platform): configuration ARN spelled
 *   `packaging-configurations/DASH`, detail { event, message, packaging_configuration_id, manifest_urls };
 * - the documented forms (user guide "cloudwatch-events-example" as service-rules.md describes it): IngestStart,
 *   IngestComplete and IngestError with the asset ARN in resources and detail { event, message }; VodAssetPlayable with
 *   the configuration ARN spelled `packaging_configuration/<id>`;
 * - events that no rule or only some rules must take (another asset, a prefix that only looks like the ingest's, another
 *   detail-type).
 */
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { MOTO_CLIENT_CONFIG, useMoto } from './moto';
import { ASSET_ID, buildStatusStack, ENV, IMPORTED_ASSET_ARN } from '../stacks/status-stack';

jest.setTimeout(120_000);

const VOD_ARN = `arn:aws:mediapackage-vod:${ENV.region}:${ENV.account}`;
const assetArn = (id: string) => `${VOD_ARN}:assets/${id}`;
const LIBRARY_ASSET = 'lib-library_t1_index_m3u8-0123456789abcdef0123';
const ARCHIVE_ASSET = 'lib_archive-archive_t2_index_m3u8-0123456789abcdef0123';

interface VodEvent { readonly name: string; readonly entry: Record<string, unknown> }

function ingestEvent(name: string, event: string, arn: string, detailType = 'MediaPackage Input Notification'): VodEvent {
  return {
    name,
    entry: {
      Source: 'aws.mediapackage',
      DetailType: detailType,
      Resources: [arn],
      Detail: JSON.stringify({ event, message: `${name}: ${event} for ${arn}` }),
    },
  };
}

/** VodAssetPlayable; `spelling` picks the configuration ARN as documented or as captured. */
function playableEvent(name: string, arn: string, configurationId: string, spelling: 'captured' | 'documented'): VodEvent {
  const configurationArn = spelling === 'captured'
    ? `${VOD_ARN}:packaging-configurations/${configurationId}`
    : `${VOD_ARN}:packaging_configuration/${configurationId}`;
  const manifest = configurationId === 'DASH' ? 'index.mpd' : 'index.m3u8';
  return {
    name,
    entry: {
      Source: 'aws.mediapackage',
      DetailType: 'MediaPackage Input Notification',
      Resources: [arn, configurationArn],
      Detail: JSON.stringify({
        event: 'VodAssetPlayable',
        message: `${name}: Asset '${arn.split('/').pop()}' is now playable for PackagingConfiguration '${configurationId}'`,
        packaging_configuration_id: configurationId,
        manifest_urls: [`https://0123456789abcdef.egress.mediapackage-vod.${ENV.region}.amazonaws.com/out/v1/a1/b2/c3/${manifest}`],
      }),
    },
  };
}

const EVENTS: VodEvent[] = [
  ingestEvent('movie started', 'IngestStart', assetArn(ASSET_ID)),
  ingestEvent('movie ingested', 'IngestComplete', assetArn(ASSET_ID)),
  ingestEvent('movie failed', 'IngestError', assetArn(ASSET_ID)),
  playableEvent('movie playable DASH (captured)', assetArn(ASSET_ID), 'DASH', 'captured'),
  playableEvent('movie playable HLS (documented)', assetArn(ASSET_ID), 'HLS', 'documented'),
  ingestEvent('imported failed', 'IngestError', IMPORTED_ASSET_ARN),
  playableEvent('imported playable HLS', IMPORTED_ASSET_ARN, 'HLS', 'documented'),
  ingestEvent('library started', 'IngestStart', assetArn(LIBRARY_ASSET)),
  ingestEvent('library ingested', 'IngestComplete', assetArn(LIBRARY_ASSET)),
  ingestEvent('library failed', 'IngestError', assetArn(LIBRARY_ASSET)),
  playableEvent('library playable DASH (captured)', assetArn(LIBRARY_ASSET), 'DASH', 'captured'),
  playableEvent('archive playable HLS', assetArn(ARCHIVE_ASSET), 'HLS', 'captured'),
  playableEvent('other asset playable HLS', assetArn('someone-else'), 'HLS', 'documented'),
  ingestEvent('look-alike prefix failed', 'IngestError', assetArn('libx-title')),
  ingestEvent('movie key provider notice', 'IngestError', assetArn(ASSET_ID), 'MediaPackage Key Provider Notification'),
  playableEvent('movie playable in another Region', `arn:aws:mediapackage-vod:us-east-1:${ENV.account}:assets/${ASSET_ID}`, 'CMAF', 'captured'),
];

/** Which events each rule must take (every other event must not reach it). */
const EXPECTED: Record<string, string[]> = {
  'asset.onIngestStart': ['movie started'],
  'asset.onIngestComplete': ['movie ingested'],
  'asset.onIngestError': ['movie failed'],
  'asset.onPlayable': ['movie playable DASH (captured)', 'movie playable HLS (documented)'],
  'imported.onPlayable': ['imported playable HLS'],
  'imported.onIngestError': ['imported failed'],
  'library.onIngestStart': ['library started'],
  'library.onIngestComplete': ['library ingested'],
  'library.onIngestError': ['library failed'],
  'library.onPlayable': ['library playable DASH (captured)'],
  'archive.onPlayable': ['archive playable HLS'],
  'hls.onPlayable': ['movie playable HLS (documented)', 'imported playable HLS', 'archive playable HLS', 'other asset playable HLS'],
  'dash.onPlayable': ['movie playable DASH (captured)', 'library playable DASH (captured)'],
  'library.catalog': ['library started', 'library ingested', 'library failed', 'library playable DASH (captured)'],
};

/** Evaluates the intrinsics a rule pattern holds (partition, asset Ref/GetAtt, Fn::Join) against the template. */
function evaluate(value: any, resources: Record<string, any>): any {
  if (Array.isArray(value)) { return value.map(v => evaluate(v, resources)); }
  if (value === null || typeof value !== 'object') { return value; }
  if ('Ref' in value) {
    if (value.Ref === 'AWS::Partition') { return 'aws'; }
    const id = resources[value.Ref]?.Properties?.Id;
    if (typeof id !== 'string') { throw new Error(`cannot evaluate ${JSON.stringify(value)}`); }
    return id;
  }
  if ('Fn::GetAtt' in value) {
    const [logicalId, attribute] = value['Fn::GetAtt'];
    const resource = resources[logicalId];
    if (resource?.Type !== 'AWS::MediaPackage::Asset' || attribute !== 'Arn') { throw new Error(`cannot evaluate ${JSON.stringify(value)}`); }
    return assetArn(resource.Properties.Id);
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'];
    return evaluate(parts, resources).join(separator);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, resources)]));
}

let sqs: SQSClient;
const moto = useMoto(endpoint => [sqs = new SQSClient({ ...MOTO_CLIENT_CONFIG, endpoint })]);

/** One EventBridge JSON 1.1 call to moto (the Authorization header's scope tells moto's server which service it is). */
async function eventBridge(operation: string, body: Record<string, unknown>): Promise<any> {
  const response = await fetch(moto().endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSEvents.${operation}`,
      'Authorization': `AWS4-HMAC-SHA256 Credential=testing/20261128/${MOTO_CLIENT_CONFIG.region}/events/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) { throw new Error(`${operation}: HTTP ${response.status} ${text}`); }
  return text ? JSON.parse(text) : {};
}

test('each rule takes exactly its events (moto EventBridge: PutRule, PutTargets to SQS, PutEvents)', async () => {
  const { stack, rules } = buildStatusStack();
  const template = Template.fromStack(stack).toJSON();
  const queues: Record<string, string> = {};
  let n = 0;
  for (const [name, rule] of Object.entries(rules)) {
    const logicalId = stack.getLogicalId(rule.node.defaultChild as events.CfnRule);
    const pattern = evaluate(template.Resources[logicalId].Properties.EventPattern, template.Resources);
    const ruleName = `rule${n++}`;
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: ruleName }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
    await eventBridge('PutRule', { Name: ruleName, EventPattern: JSON.stringify(pattern), State: 'ENABLED' });
    await eventBridge('PutTargets', { Rule: ruleName, Targets: [{ Id: 'queue', Arn: queueArn }] });
    queues[name] = queueUrl;
  }
  expect(Object.keys(queues).sort()).toEqual(Object.keys(EXPECTED).sort());

  for (let i = 0; i < EVENTS.length; i += 10) {
    const result = await eventBridge('PutEvents', { Entries: EVENTS.slice(i, i + 10).map(e => e.entry) });
    expect(result.FailedEntryCount).toBe(0);
  }

  const matched: Record<string, string[]> = {};
  for (const [name, queueUrl] of Object.entries(queues)) {
    matched[name] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      if (Messages.length === 0) { break; }
      for (const message of Messages) {
        const delivered = JSON.parse(message.Body!);
        matched[name].push(EVENTS.find(e => JSON.parse(e.entry.Detail as string).message === delivered.detail.message)!.name);
      }
    }
    matched[name].sort();
  }
  const expected = Object.fromEntries(Object.entries(EXPECTED).map(([name, list]) => [name, [...list].sort()]));
  expect(matched).toEqual(expected);
  // Every event of the list is meant for some rule or meant for none; each taken one reached its rules only once.
  expect(Object.values(matched).flat().length).toBe(Object.values(EXPECTED).flat().length);
});
