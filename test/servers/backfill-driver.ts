/**
 * Drives the backfill job as Lambda's SQS event source would, against a real SQS server (moto): receive one message
 * from the job queue, invoke the worker with it and the invocation's remaining time, delete it unless the worker reports
 * it failed (then it is received again after its visibility timeout, here at once). Used by the backfill tests.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export type Worker = (event: SQSEvent, context?: { getRemainingTimeInMillis(): number }) => Promise<SQSBatchResponse>;

export interface DrainResult {
  invocations: number;
  /** Messages the worker reported as failed. */
  returned: number;
  /** The longest invocation, in ms. */
  longestMs: number;
}

/** Runs the job until its queue is empty (or `maxInvocations`); each invocation gets `timeoutMs` of time. */
export async function drainJob(sqs: SQSClient, jobQueueUrl: string, worker: Worker, timeoutMs: number,
  maxInvocations = 10_000): Promise<DrainResult> {
  const result: DrainResult = { invocations: 0, returned: 0, longestMs: 0 };
  while (result.invocations < maxInvocations) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: jobQueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 600, MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }));
    const message = Messages?.[0];
    if (!message) { return result; }
    const started = Date.now();
    const event = {
      Records: [{
        messageId: message.MessageId!,
        receiptHandle: message.ReceiptHandle!,
        body: message.Body!,
        attributes: { ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:job',
        awsRegion: 'eu-west-1',
      }],
    } as unknown as SQSEvent;
    const response = await worker(event, { getRemainingTimeInMillis: () => started + timeoutMs - Date.now() });
    result.invocations++;
    result.longestMs = Math.max(result.longestMs, Date.now() - started);
    if (response.batchItemFailures.length > 0) {
      result.returned++;
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: jobQueueUrl, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 }));
    } else {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: jobQueueUrl, ReceiptHandle: message.ReceiptHandle! }));
    }
  }
  return result;
}

/** Receives (and deletes) every message of a queue; returns the parsed bodies. */
export async function receiveAll(sqs: SQSClient, queueUrl: string): Promise<any[]> {
  const bodies: any[] = [];
  const receiver = async () => {
    for (;;) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
      const messages = out.Messages ?? [];
      if (messages.length === 0) { return; }
      bodies.push(...messages.map(m => JSON.parse(m.Body!)));
      const entries = messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    }
  };
  // One receiver: moto may hand a message to two parallel receivers, and the tests count deliveries.
  await receiver();
  return bodies;
}
