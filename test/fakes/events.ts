/** Builders of the messages the ingest function receives (EventBridge S3 events in SQS records, backfill messages). */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { BACKFILL_MESSAGE_SOURCE } from '../../src/ingest/contract';

/** An S3 EventBridge event as the rule delivers it (key NOT URL-encoded, etag without quotes). */
export function s3Event(kind: 'Object Created' | 'Object Deleted', bucket: string, key: string, etag?: string): Record<string, unknown> {
  return {
    'version': '0',
    'id': `evt-${Math.random().toString(16).slice(2)}`,
    'detail-type': kind,
    'source': 'aws.s3',
    'account': '111111111111',
    'time': '2026-11-02T10:00:00Z',
    'region': 'eu-west-1',
    'resources': [`arn:aws:s3:::${bucket}`],
    'detail': {
      version: '0',
      bucket: { name: bucket },
      object: kind === 'Object Created' ? { key, size: 1234, etag: etag ?? 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0064D3901D00059242' } : { key, sequencer: '0064D3901D00059243' },
      reason: kind === 'Object Created' ? 'PutObject' : 'DeleteObject',
    },
  };
}

export function backfillMessage(bucket: string, key: string, etag?: string): Record<string, unknown> {
  return { source: BACKFILL_MESSAGE_SOURCE, bucket, key, ...(etag ? { etag } : {}) };
}

let sequence = 0;

/** An SQS record around a body (an object is JSON-encoded, a string is taken as it is). */
export function sqsRecord(body: unknown, messageId?: string): SQSRecord {
  sequence++;
  return {
    messageId: messageId ?? `msg-${sequence}`,
    receiptHandle: `rh-${sequence}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1700000000000',
      SenderId: 'AIDA',
      ApproximateFirstReceiveTimestamp: '1700000000000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:ingest',
    awsRegion: 'eu-west-1',
  };
}

export function sqsEvent(...bodies: unknown[]): SQSEvent {
  return { Records: bodies.map(body => sqsRecord(body)) };
}
