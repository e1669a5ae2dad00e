/**
 * The playback URL custom resource handler through the real @aws-sdk/client-mediapackage-vod against the local fake of
 * the VOD API (test/fakes/vod-api.ts): DescribeAsset over HTTP, egressEndpoints as the fake lists them.
 */
import { CreateAssetCommand, MediaPackageVodClient } from '@aws-sdk/client-mediapackage-vod';
import { makeHandler, PlaybackUrlEvent, PlaybackUrlResourceProperties } from '../../src/playback-url/handler';
import { FakeVodApi } from '../fakes/vod-api';

const COMMON = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
  ResponseURL: '...',
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Stack/guid',
  RequestId: 'request-1',
  LogicalResourceId: 'PlaybackUrl',
  ResourceType: 'Custom::MediaPackageVodPlaybackUrl',
};

function create(props: PlaybackUrlResourceProperties): PlaybackUrlEvent {
  return { ...COMMON, RequestType: 'Create', ResourceProperties: { ServiceToken: COMMON.ServiceToken, ...props } };
}

let fake: FakeVodApi;
let vod: MediaPackageVodClient;
let logs: string[];

async function start(configurations: Array<{ id: string; format: 'hls' | 'dash' | 'cmaf' | 'mss' }>) {
  fake = new FakeVodApi({ groups: [{ id: 'group', configurations }] });
  const endpoint = await fake.start();
  vod = new MediaPackageVodClient({ endpoint, region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  await vod.send(new CreateAssetCommand({
    Id: 'movie1',
    PackagingGroupId: 'group',
    SourceArn: 'arn:aws:s3:::bucket/movies/movie1/index.smil',
    SourceRoleArn: 'arn:aws:iam::111111111111:role/source',
  }));
}

const handler = () => makeHandler({ client: vod, log: line => logs.push(line) });

beforeEach(() => { logs = []; });
afterEach(async () => {
  vod?.destroy();
  await fake?.stop();
});

test('Create: the URL of the configuration\'s egress endpoint, its host and path', async () => {
  await start([{ id: 'hls', format: 'hls' }, { id: 'dash', format: 'dash' }]);
  const result = await handler()(create({ AssetId: 'movie1', PackagingConfigurationId: 'dash' }));
  expect(result.PhysicalResourceId).toBe('movie1/dash');
  expect(result.Data!.Url).toMatch(/^https:\/\/[0-9a-f]{32}\.egress\.mediapackage-vod\.eu-west-1\.amazonaws\.com\/out\/v1\/[0-9a-f]{32}\/[0-9a-f]{32}\/[0-9a-f]{32}\/index\.mpd$/);
  expect(`https://${result.Data!.Host}${result.Data!.Path}`).toBe(result.Data!.Url);
  expect(result.Data!.Path).toMatch(/^\/out\/v1\/.*\/index\.mpd$/);
  // The HLS configuration's URL is another one.
  const hls = await handler()(create({ AssetId: 'movie1', PackagingConfigurationId: 'hls' }));
  expect(hls.Data!.Url).toMatch(/\/index\.m3u8$/);
  expect(hls.Data!.Path).not.toBe(result.Data!.Path);
  expect(fake.stats.byOperation.DescribeAsset).toBe(2);
});

test('waits while the configuration is not listed yet, then returns its URL', async () => {
  await start([{ id: 'hls', format: 'hls' }]);
  // The configuration appears on the asset 300 ms later.
  const timer = setTimeout(() => fake.addGroup({ id: 'group', configurations: [{ id: 'hls', format: 'hls' }, { id: 'cmaf', format: 'cmaf' }] }), 300);
  const result = await handler()(create({ AssetId: 'movie1', PackagingConfigurationId: 'cmaf', PollIntervalSeconds: '0.05', TimeoutSeconds: '10' }));
  clearTimeout(timer);
  expect(result.Data!.Url).toMatch(/\/index\.m3u8$/);
  // At least the call that found no endpoint (logged below) and the one that found it; more on a fast machine.
  expect(fake.stats.byOperation.DescribeAsset).toBeGreaterThanOrEqual(2);
  const waiting = logs.map(l => JSON.parse(l)).filter(l => l.message === 'waiting for the egress endpoint');
  expect(waiting.length).toBeGreaterThan(0);
  expect(waiting[0]).toMatchObject({ assetId: 'movie1', configurationId: 'cmaf', attempt: 1 });
  expect(waiting[0].reason).toContain('it lists \'hls\'');
});

test('fails with a clear reason after the bounded wait', async () => {
  await start([{ id: 'hls', format: 'hls' }]);
  const started = Date.now();
  await expect(handler()(create({ AssetId: 'movie1', PackagingConfigurationId: 'other', PollIntervalSeconds: '0.1', TimeoutSeconds: '0.5' })))
    .rejects.toThrow(/^No playback URL for asset 'movie1' and packaging configuration 'other' after 1 s and \d+ DescribeAsset calls: the asset lists no egress endpoint for the configuration yet \(it lists 'hls'\)\. Is the configuration in the asset's packaging group\?$/);
  const elapsed = Date.now() - started;
  expect(elapsed).toBeGreaterThanOrEqual(450);
  expect(elapsed).toBeLessThan(5_000);
});

test('throttling and server errors are retried within the wait; a missing asset fails at once', async () => {
  await start([{ id: 'hls', format: 'hls' }]);
  fake.failNext(429, 1, 'DescribeAsset');
  fake.failNext(503, 1, 'DescribeAsset');
  const result = await handler()(create({ AssetId: 'movie1', PackagingConfigurationId: 'hls', PollIntervalSeconds: '0.01', TimeoutSeconds: '5' }));
  expect(result.Data!.Url).toMatch(/index\.m3u8$/);
  expect(fake.requests.filter(r => r.operation === 'DescribeAsset').map(r => r.status)).toEqual([429, 503, 200]);

  const before = fake.stats.byOperation.DescribeAsset;
  await expect(handler()(create({ AssetId: 'missing', PackagingConfigurationId: 'hls', TimeoutSeconds: '5' })))
    .rejects.toThrow(/^DescribeAsset 'missing' failed: NotFoundException \(HTTP 404\)/);
  expect(fake.stats.byOperation.DescribeAsset).toBe(before + 1);
});

test('bad properties fail at once with the property and the value', async () => {
  await start([{ id: 'hls', format: 'hls' }]);
  await expect(handler()(create({ AssetId: 'bad id', PackagingConfigurationId: 'hls' })))
    .rejects.toThrow('AssetId must be 1 to 256 letters, digits, hyphens and underscores (got "bad id")');
  await expect(handler()(create({ AssetId: 'movie1', PackagingConfigurationId: 'hls', TimeoutSeconds: '-1' })))
    .rejects.toThrow('TimeoutSeconds must be a positive number of seconds (got "-1")');
  expect(fake.stats.byOperation.DescribeAsset ?? 0).toBe(0);
  // One structured line per bad request.
  expect(logs.map(l => JSON.parse(l))).toEqual([
    { message: 'bad input', requestType: 'Create', error: 'AssetId must be 1 to 256 letters, digits, hyphens and underscores (got "bad id")' },
    { message: 'bad input', requestType: 'Create', error: 'TimeoutSeconds must be a positive number of seconds (got "-1")' },
  ]);
});

test('Delete does nothing (the resource only reads)', async () => {
  await start([{ id: 'hls', format: 'hls' }]);
  const before = fake.stats.requests;
  const result = await handler()({
    ...COMMON,
    RequestType: 'Delete',
    PhysicalResourceId: 'movie1/hls',
    ResourceProperties: { ServiceToken: COMMON.ServiceToken, AssetId: 'movie1', PackagingConfigurationId: 'hls' },
  });
  expect(result).toEqual({ PhysicalResourceId: 'movie1/hls' });
  expect(fake.stats.requests).toBe(before);
});

describe('bounded in time (a stalled service never holds the deploy past the function\'s timeout)', () => {
  test('a stalled DescribeAsset is aborted at the invocation\'s deadline less the margin, with a clear reason', async () => {
    await start([{ id: 'hls', format: 'hls' }]);
    fake.stallNext(1, 'DescribeAsset');
    const started = Date.now();
    const context = { getRemainingTimeInMillis: () => 1_500 - (Date.now() - started) };
    const h = makeHandler({ client: vod, log: line => logs.push(line), deadlineMarginMs: 500 });
    await expect(h(create({ AssetId: 'movie1', PackagingConfigurationId: 'hls' }), context))
      .rejects.toThrow(/DescribeAsset 'movie1' did not answer before the function's deadline \(call 1;/);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(1_400);
  });

  test('the wait for an endpoint ends at the invocation\'s deadline when that comes before TimeoutSeconds', async () => {
    await start([{ id: 'hls', format: 'hls' }]);
    let clock = 0;
    const context = { getRemainingTimeInMillis: () => 20_000 - clock };
    const h = makeHandler({
      client: vod, log: line => logs.push(line), now: () => clock, sleep: async ms => { clock += ms; }, deadlineMarginMs: 5_000,
    });
    await expect(h(create({ AssetId: 'movie1', PackagingConfigurationId: 'dash', PollIntervalSeconds: '5' }), context))
      .rejects.toThrow(/No playback URL .* after 10 s and 3 DescribeAsset calls/);
    expect(clock).toBe(10_000); // the next call would have started with less than a poll interval left
  });
});
