/**
 * The ingest function with real SQS semantics (moto server): a message that keeps failing reaches the dead-letter
 * queue through the queue's redrive policy (maxReceiveCount), and a permanent refusal is sent to the dead-letter queue
 * directly. MediaPackage VOD is the local fake, both through the real SDK clients.
 */
import { MediaPackageVodClient } from '@aws-sdk/client-mediapackage-vod';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { MOTO_CLIENT_CONFIG, useMoto } from './moto';
import { pollOnce } from './sqs-poller';
import { IngestConfig, makeHandler } from '../../src/ingest/handler';
import { backfillMessage, s3Event } from '../fakes/events';
import { EVERY_OBJECT_EXISTS } from '../fakes/object-store';
import { FakeVodApi } from '../fakes/vod-api';

jest.setTimeout(60_000);

let sqs: SQSClient;
let fake: FakeVodApi;
let vod: MediaPackageVodClient;

useMoto(endpoint => [sqs = new SQSClient({ ...MOTO_CLIENT_CONFIG, endpoint })]);
beforeEach(async () => {
  fake = new FakeVodApi();
  vod = new MediaPackageVodClient({ ...MOTO_CLIENT_CONFIG, endpoint: await fake.start(), maxAttempts: 1 });
});
afterEach(async () => {
  vod.destroy();
  await fake.stop();
});

async function queues(name: string, maxReceiveCount: number) {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const queue = await sqs.send(new CreateQueueCommand({
    QueueName: name,
    Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) },
  }));
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { queueUrl: queue.QueueUrl!, queueArn, dlqUrl: dlq.QueueUrl! };
}

function config(dlqUrl: string | undefined): IngestConfig {
  return {
    packagingGroupId: 'group',
    sourceRoleArn: 'arn:aws:iam::111111111111:role/source',
    assetIdPrefix: 'Lib',
    keyPatterns: ['*.smil'],
    onReupload: 'KEEP',
    deleteAssetsWithObjects: false,
    maxAttempts: 2,
    deadLetterQueueUrl: dlqUrl,
  };
}

async function drain(queueUrl: string) {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }));
  return out.Messages ?? [];
}

test('a message that keeps failing (503) is received maxReceiveCount times, then SQS moves it to the dead-letter queue', async () => {
  const { queueUrl, queueArn, dlqUrl } = await queues('poison', 3);
  fake.setServerErrorRate(1);
  const handler = makeHandler({ config: config(dlqUrl), vod, sqs, objects: EVERY_OBJECT_EXISTS, sleep: async () => {}, log: () => {} });
  const body = JSON.stringify(s3Event('Object Created', 'bucket', 'a.smil'));
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  let receives = 0;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    receives += await pollOnce(sqs, queueUrl, queueArn, handler, 1);
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    if (attrs.Attributes!.ApproximateNumberOfMessages === '1') { break; }
  }
  expect(receives).toBe(3);
  const dead = await drain(dlqUrl);
  expect(dead.map(m => m.Body)).toEqual([body]);
  expect(await drain(queueUrl)).toEqual([]);
  // 3 receives x 2 attempts each.
  expect(fake.stats.byOperation.CreateAsset).toBe(6);
  expect(fake.assets.size).toBe(0);
});

test('a permanent refusal goes straight to the dead-letter queue (one receive), with the reason as message attributes', async () => {
  const { queueUrl, queueArn, dlqUrl } = await queues('refused', 5);
  const handler = makeHandler({ config: config(dlqUrl), vod, sqs, objects: EVERY_OBJECT_EXISTS, sleep: async () => {}, log: () => {} });
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"not":"an event"}' }));
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(backfillMessage('bucket', 'ok.smil')) }));
  let received = 0;
  while (received < 2) { received += await pollOnce(sqs, queueUrl, queueArn, handler, 1); }
  const dead = await drain(dlqUrl);
  expect(dead).toHaveLength(1);
  expect(dead[0].Body).toBe('{"not":"an event"}');
  expect(dead[0].MessageAttributes?.error?.StringValue).toBe('MalformedMessage');
  expect(dead[0].MessageAttributes?.message?.StringValue).toMatch(/unexpected source/);
  expect(await drain(queueUrl)).toEqual([]);
  expect(fake.assets.size).toBe(1);
});

test('duplicate deliveries through SQS give one asset', async () => {
  const { queueUrl, queueArn } = await queues('dups', 5);
  const handler = makeHandler({ config: config(undefined), vod, sqs, objects: EVERY_OBJECT_EXISTS, sleep: async () => {}, log: () => {} });
  const body = JSON.stringify(s3Event('Object Created', 'bucket', 'dup.smil', 'e'));
  for (let i = 0; i < 25; i++) { await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body })); }
  let received = 0;
  while (received < 25) { received += await pollOnce(sqs, queueUrl, queueArn, handler, 1); }
  expect(fake.stats.created).toBe(1);
  expect(fake.assets.size).toBe(1);
});
