/**
 * A small stand-in for Lambda's SQS event source mapping, for tests against moto: receives up to 10 messages, calls
 * the handler with them as an SQS event, deletes the messages it did not report as batch item failures. Failures stay
 * in flight until the queue's visibility timeout, as with the real mapping; SQS's redrive policy does the rest.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export async function pollOnce(
  sqs: SQSClient,
  queueUrl: string,
  queueArn: string,
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
  waitTimeSeconds = 0,
): Promise<number> {
  const received = await sqs.send(new ReceiveMessageCommand({
    QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitTimeSeconds, MessageSystemAttributeNames: ['All'],
  }));
  const messages = received.Messages ?? [];
  if (messages.length === 0) { return 0; }
  const event: SQSEvent = {
    Records: messages.map(m => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body!,
      attributes: m.Attributes as any,
      messageAttributes: {},
      md5OfBody: m.MD5OfBody!,
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'eu-west-1',
    })),
  };
  const result = await handler(event);
  const failed = new Set(result.batchItemFailures.map(f => f.itemIdentifier));
  const done = messages.filter(m => !failed.has(m.MessageId!));
  if (done.length > 0) {
    await sqs.send(new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
    }));
  }
  return messages.length;
}
