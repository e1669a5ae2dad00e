/** The fake VOD API, through the real SDK client: the behaviours the ingest handler (and its tests) rely on. */
import {
  CreateAssetCommand,
  DeleteAssetCommand,
  DescribeAssetCommand,
  ForbiddenException,
  InternalServerErrorException,
  ListAssetsCommand,
  MediaPackageVodClient,
  NotFoundException,
  ServiceUnavailableException,
  TooManyRequestsException,
  UnprocessableEntityException,
} from '@aws-sdk/client-mediapackage-vod';
import { isRetryable } from '../../src/private/runtime';
import { FakeVodApi, FakeVodApiOptions } from '../fakes/vod-api';

const ROLE = 'arn:aws:iam::111111111111:role/source';
const input = (id: string, key = `${id}.smil`) => ({
  Id: id, PackagingGroupId: 'group', SourceArn: `arn:aws:s3:::bucket/${key}`, SourceRoleArn: ROLE, ResourceId: id,
});

let fake: FakeVodApi;
let client: MediaPackageVodClient;

async function start(options: FakeVodApiOptions = {}) {
  fake = new FakeVodApi(options);
  const endpoint = await fake.start();
  client = new MediaPackageVodClient({
    endpoint, region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
}

afterEach(async () => {
  client?.destroy();
  await fake?.stop();
});

test('CreateAsset, DescribeAsset, ListAssets, DeleteAsset with the service JSON shapes', async () => {
  await start({ groups: [{ id: 'group', configurations: [{ id: 'hls', format: 'hls' }, { id: 'dash', format: 'dash', manifestName: 'main' }] }] });
  const created = await client.send(new CreateAssetCommand({ ...input('a1'), Tags: { k: 'v' } }));
  expect(created).toMatchObject({
    Id: 'a1',
    Arn: 'arn:aws:mediapackage-vod:eu-west-1:111111111111:assets/a1',
    PackagingGroupId: 'group',
    SourceArn: 'arn:aws:s3:::bucket/a1.smil',
    SourceRoleArn: ROLE,
    ResourceId: 'a1',
    Tags: { k: 'v' },
  });
  expect(created.EgressEndpoints).toHaveLength(2);
  expect(created.EgressEndpoints![0].Url).toMatch(/^https:\/\/[0-9a-f]{32}\.egress\.mediapackage-vod\.eu-west-1\.amazonaws\.com\/out\/v1\/[0-9a-f]{32}\/[0-9a-f]{32}\/[0-9a-f]{32}\/index\.m3u8$/);
  expect(created.EgressEndpoints![1].Url).toMatch(/\/main\.mpd$/);
  const described = await client.send(new DescribeAssetCommand({ Id: 'a1' }));
  expect(described.EgressEndpoints!.map(e => e.Url)).toEqual(created.EgressEndpoints!.map(e => e.Url));
  expect(described.EgressEndpoints![0].Status).toBe('PLAYABLE');
  const listed = await client.send(new ListAssetsCommand({ PackagingGroupId: 'group' }));
  expect(listed.Assets!.map(a => a.Id)).toEqual(['a1']);
  await client.send(new DeleteAssetCommand({ Id: 'a1' }));
  await expect(client.send(new DescribeAssetCommand({ Id: 'a1' }))).rejects.toBeInstanceOf(NotFoundException);
  await expect(client.send(new DeleteAssetCommand({ Id: 'a1' }))).rejects.toBeInstanceOf(NotFoundException);
});

test('a duplicate id answers 422 UnprocessableEntityException with the message', async () => {
  await start();
  await client.send(new CreateAssetCommand(input('dup')));
  const error = await client.send(new CreateAssetCommand(input('dup'))).catch(e => e);
  expect(error).toBeInstanceOf(UnprocessableEntityException);
  expect(error.$metadata.httpStatusCode).toBe(422);
  expect(error.message).toBe('Asset \'dup\' already exists');
  expect(fake.assets.size).toBe(1);
});

test('invalid input, unknown group and the quota answer 422', async () => {
  await start({ groups: [{ id: 'group' }], assetQuotaPerGroup: 1 });
  await expect(client.send(new CreateAssetCommand({ ...input('bad id!') }))).rejects.toThrow(/must match/);
  await expect(client.send(new CreateAssetCommand({ ...input('x'), SourceArn: 'not-an-arn' }))).rejects.toThrow(/Invalid sourceArn/);
  await expect(client.send(new CreateAssetCommand({ ...input('x'), PackagingGroupId: 'other' }))).rejects.toThrow(/PackagingGroup 'other' does not exist/);
  await client.send(new CreateAssetCommand(input('first')));
  const error = await client.send(new CreateAssetCommand(input('second'))).catch(e => e);
  expect(error).toBeInstanceOf(UnprocessableEntityException);
  expect(error.message).toMatch(/reached its quota of 1 assets/);
});

test('a deleted id stays taken for deleteSettleMs', async () => {
  await start({ deleteSettleMs: 300 });
  await client.send(new CreateAssetCommand(input('settle')));
  await client.send(new DeleteAssetCommand({ Id: 'settle' }));
  await expect(client.send(new CreateAssetCommand(input('settle')))).rejects.toBeInstanceOf(UnprocessableEntityException);
  await expect(client.send(new DescribeAssetCommand({ Id: 'settle' }))).rejects.toBeInstanceOf(NotFoundException);
  await new Promise(resolve => setTimeout(resolve, 350));
  await client.send(new CreateAssetCommand(input('settle')));
  expect(fake.stats.createsPerId.get('settle')).toBe(2);
});

test('the token bucket answers 429 TooManyRequestsException above the rate, per operation', async () => {
  // A slow refill (1 token per second): the burst decides, however long a loaded machine takes to send the 10 requests.
  await start({ rateLimit: { requestsPerSecond: 1, burst: 5 } });
  const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => client.send(new CreateAssetCommand(input(`r${i}`)))));
  const throttled = results.filter(r => r.status === 'rejected');
  expect(results.filter(r => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(5);
  expect(results.filter(r => r.status === 'fulfilled').length).toBeLessThan(8);
  expect(throttled.length).toBeGreaterThan(0);
  for (const r of throttled) { expect((r as PromiseRejectedResult).reason).toBeInstanceOf(TooManyRequestsException); }
  // Another operation has its own bucket.
  await client.send(new DescribeAssetCommand({ Id: 'r0' }));
  // The bucket refills at the rate: after 1.1 s, one more token.
  await new Promise(resolve => setTimeout(resolve, 1100));
  await client.send(new CreateAssetCommand(input('later')));
  expect(fake.stats.throttled).toBe(throttled.length);
});

test('injected server errors: failNext and a rate, as 500/503 exceptions', async () => {
  await start({ serverErrorRate: 0.5, seed: 7 });
  fake.setServerErrorRate(0);
  fake.failNext(503, 1, 'CreateAsset');
  fake.failNext(500);
  await expect(client.send(new CreateAssetCommand(input('s')))).rejects.toBeInstanceOf(ServiceUnavailableException);
  await expect(client.send(new DescribeAssetCommand({ Id: 's' }))).rejects.toBeInstanceOf(InternalServerErrorException);
  await client.send(new CreateAssetCommand(input('s')));
  fake.setServerErrorRate(0.5);
  const results = await Promise.allSettled(Array.from({ length: 200 }, () => client.send(new DescribeAssetCommand({ Id: 's' }))));
  const failed = results.filter(r => r.status === 'rejected').length;
  expect(failed).toBeGreaterThan(60);
  expect(failed).toBeLessThan(140);
  expect(fake.stats.serverErrors).toBe(failed + 2);
});

test('forbid answers 403 ForbiddenException; latency delays answers', async () => {
  await start({ latencyMs: 50, forbid: (op, body) => op === 'CreateAsset' && body?.sourceRoleArn === ROLE ? 'not allowed to pass the role' : undefined });
  const t0 = Date.now();
  const error = await client.send(new CreateAssetCommand(input('f'))).catch(e => e);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
  expect(error).toBeInstanceOf(ForbiddenException);
  expect(error.message).toBe('not allowed to pass the role');
});

test('egress endpoints are QUEUED until playableAfterMs', async () => {
  await start({ playableAfterMs: 10_000, groups: [{ id: 'group', configurations: [{ id: 'mss', format: 'mss' }] }] });
  const created = await client.send(new CreateAssetCommand(input('q')));
  expect(created.EgressEndpoints).toEqual([expect.objectContaining({ PackagingConfigurationId: 'mss', Status: 'QUEUED' })]);
  expect(created.EgressEndpoints![0].Url).toMatch(/\/index\.ism\/Manifest$/);
});

describe('connection faults', () => {
  const timedClient = (endpoint: string) => new MediaPackageVodClient({
    endpoint,
    region: 'eu-west-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    requestHandler: { requestTimeout: 300, connectionTimeout: 300 },
  });

  test('stallNext: the request is never answered (the client times out) and nothing is done', async () => {
    await start();
    const timed = timedClient(fake.endpoint);
    fake.stallNext(1, 'CreateAsset');
    await expect(timed.send(new CreateAssetCommand(input('s1')))).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(fake.assets.size).toBe(0);
    expect(fake.requests).toEqual([{ operation: 'CreateAsset', id: undefined, status: -1 }]);
    await timed.send(new CreateAssetCommand(input('s1'))); // the next one is answered
    expect(fake.assets.has('s1')).toBe(true);
    timed.destroy();
  });

  test('an abort signal ends a stalled call', async () => {
    await start();
    fake.stallNext(1);
    const started = Date.now();
    await expect(client.send(new DescribeAssetCommand({ Id: 'x' }), { abortSignal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('loseResponseNext: the operation is done but the answer is lost (the client sees a network error)', async () => {
    await start();
    fake.loseResponseNext(1, 'CreateAsset');
    const error = await client.send(new CreateAssetCommand(input('l1'))).catch(e => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect(fake.assets.has('l1')).toBe(true);
    await expect(client.send(new CreateAssetCommand(input('l1')))).rejects.toBeInstanceOf(UnprocessableEntityException);
  });

  test('kill refuses connections; revive answers on the same port with the same assets', async () => {
    await start();
    await client.send(new CreateAssetCommand(input('k1')));
    const endpoint = fake.endpoint;
    await fake.kill();
    // A kept-alive connection is cut (socket hang up); a new one is refused. Both are network errors the handlers retry.
    const errors = [];
    for (let i = 0; i < 2; i++) { errors.push(await client.send(new DescribeAssetCommand({ Id: 'k1' })).catch(e => e)); }
    expect(errors.every(e => isRetryable(e))).toBe(true);
    expect(String(errors[1].code ?? errors[1].message)).toMatch(/ECONNREFUSED/);
    await fake.revive();
    expect(fake.endpoint).toBe(endpoint);
    expect((await client.send(new DescribeAssetCommand({ Id: 'k1' }))).Id).toBe('k1');
  });
});
