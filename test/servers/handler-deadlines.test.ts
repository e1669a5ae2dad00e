/**
 * Custom-resource handlers against a stalled service, through the real SDK client and the local VOD fake: each call is
 * aborted at the invocation's deadline less the margin, so the handler answers CloudFormation before Lambda stops it.
 * (The access-logs handler's other tests mock the client class; this file has none.)
 */
import { MediaPackageVodClient } from '@aws-sdk/client-mediapackage-vod';
import { makeHandler } from '../../src/access-logs/handler';
import { FakeVodApi } from '../fakes/vod-api';

let fake: FakeVodApi;
let client: MediaPackageVodClient;

beforeEach(async () => {
  fake = new FakeVodApi();
  client = new MediaPackageVodClient({ endpoint: await fake.start(), region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
});
afterEach(async () => {
  client.destroy();
  await fake.stop();
});

test('access logs: a stalled ConfigureLogs is aborted at the deadline less the margin, with a clear reason', async () => {
  fake.stallNext(1);
  const started = Date.now();
  const context = { getRemainingTimeInMillis: () => 1_500 - (Date.now() - started) };
  const h = makeHandler({ client, deadlineMarginMs: 500, log: () => {} });
  await expect(h({
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
    ResponseURL: '...',
    StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Stack/guid',
    RequestId: 'r1',
    LogicalResourceId: 'Logs',
    ResourceType: 'Custom::MediaPackageVodConfigureLogs',
    ResourceProperties: { ServiceToken: 'x', PackagingGroupId: 'vod' },
  }, context)).rejects.toThrow("ConfigureLogs for packaging group 'vod' failed: stopped at the function's deadline (the call did not answer in time)");
  const elapsed = Date.now() - started;
  expect(elapsed).toBeGreaterThanOrEqual(900);
  expect(elapsed).toBeLessThan(1_400);
  expect(fake.requests).toHaveLength(1);
});
