import * as path from 'path';
import {
  ConfigureLogsCommand,
  ForbiddenException,
  InternalServerErrorException,
  MediaPackageVodClient,
  NotFoundException,
  ServiceUnavailableException,
  TooManyRequestsException,
  UnprocessableEntityException,
} from '@aws-sdk/client-mediapackage-vod';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AccessLogsEvent,
  AccessLogsHandlerOptions,
  AccessLogsResourceProperties,
  handler as defaultHandler,
  isRetryable,
  makeHandler,
} from '../../src/access-logs/handler';

const mediapackage = mockClient(MediaPackageVodClient);

const COMMON = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
  ResponseURL: '...',
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Stack/guid',
  RequestId: 'request-1',
  LogicalResourceId: 'Logs',
  ResourceType: 'Custom::MediaPackageVodEgressAccessLogs',
};

function props(p: AccessLogsResourceProperties) {
  return { ServiceToken: COMMON.ServiceToken, ...p };
}

function createEvent(p: AccessLogsResourceProperties): AccessLogsEvent {
  return { ...COMMON, RequestType: 'Create', ResourceProperties: props(p) };
}

function updateEvent(physicalId: string, p: AccessLogsResourceProperties, old: AccessLogsResourceProperties): AccessLogsEvent {
  return { ...COMMON, RequestType: 'Update', PhysicalResourceId: physicalId, ResourceProperties: props(p), OldResourceProperties: props(old) };
}

function deleteEvent(physicalId: string, p: AccessLogsResourceProperties): AccessLogsEvent {
  return { ...COMMON, RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: props(p) };
}

/** The ConfigureLogs inputs sent, in order. */
function sentInputs() {
  return mediapackage.commandCalls(ConfigureLogsCommand).map(call => call.args[0].input);
}

function groupResponse(id: string, logGroupName?: string) {
  return {
    Id: id,
    Arn: `arn:aws:mediapackage-vod:eu-west-1:111111111111:packaging-groups/${id}`,
    EgressAccessLogs: logGroupName ? { LogGroupName: logGroupName } : undefined,
  };
}

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const throttled = () => new TooManyRequestsException({ ...meta(429), message: 'Too Many Requests' });
const unavailable = () => new ServiceUnavailableException({ ...meta(503), message: 'Service Unavailable' });
const internal = () => new InternalServerErrorException({ ...meta(500), message: 'Internal Server Error' });
const notFound = () => new NotFoundException({ ...meta(404), message: 'PackagingGroup gone not found' });
const unprocessable = () => new UnprocessableEntityException({
  ...meta(422),
  message: 'Log group name must start with /aws/MediaPackage/',
});

let sleeps: number[];
let logLines: string[];

function newHandler(options: AccessLogsHandlerOptions = {}) {
  return makeHandler({
    client: new MediaPackageVodClient({ region: 'eu-west-1' }),
    sleep: async (ms: number) => { sleeps.push(ms); },
    random: () => 1,
    log: (line: string) => { logLines.push(line); },
    ...options,
  });
}

beforeEach(() => {
  mediapackage.reset();
  sleeps = [];
  logLines = [];
});

describe('Create', () => {
  test('turns logging on with the given log group; the physical id is the group id', async () => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('vod', '/aws/MediaPackage/vod'));
    const result = await newHandler()(createEvent({ PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/vod' }));
    expect(sentInputs()).toEqual([{ Id: 'vod', EgressAccessLogs: { LogGroupName: '/aws/MediaPackage/vod' } }]);
    expect(result).toEqual({
      PhysicalResourceId: 'vod',
      Data: { PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/vod' },
    });
  });

  test('without a log group name, sends egressAccessLogs {} and reports the group the service chose', async () => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('vod', '/aws/MediaPackage/EgressAccessLogs'));
    const result = await newHandler()(createEvent({ PackagingGroupId: 'vod' }));
    expect(sentInputs()).toEqual([{ Id: 'vod', EgressAccessLogs: {} }]);
    expect(result.Data).toEqual({ PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/EgressAccessLogs' });
  });

  test('an empty LogGroupName counts as none', async () => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('vod'));
    const result = await newHandler()(createEvent({ PackagingGroupId: 'vod', LogGroupName: '' }));
    expect(sentInputs()).toEqual([{ Id: 'vod', EgressAccessLogs: {} }]);
    expect(result.Data).toEqual({ PackagingGroupId: 'vod', LogGroupName: '' });
  });

  test('fails without calling the service when the group id is missing or invalid', async () => {
    const h = newHandler();
    await expect(h(createEvent({} as AccessLogsResourceProperties))).rejects.toThrow(/PackagingGroupId must be .* \(got undefined\)/);
    await expect(h(createEvent({ PackagingGroupId: 'a b' }))).rejects.toThrow(/PackagingGroupId must be .* \(got "a b"\)/);
    expect(sentInputs()).toEqual([]);
  });

  test('the default handler uses a client with the Lambda environment\'s Region', async () => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('vod', '/aws/MediaPackage/vod'));
    const region = process.env.AWS_REGION;
    process.env.AWS_REGION = 'eu-west-1';
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const result = await defaultHandler(createEvent({ PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/vod' }));
      expect(result.PhysicalResourceId).toBe('vod');
      const client = mediapackage.call(0).thisValue as MediaPackageVodClient;
      expect(await client.config.region()).toBe('eu-west-1');
      // The SDK's own retries are off: the handler's policy is the only one.
      expect(await client.config.maxAttempts()).toBe(1);
    } finally {
      log.mockRestore();
      if (region === undefined) { delete process.env.AWS_REGION; } else { process.env.AWS_REGION = region; }
    }
  });
});

describe('Update', () => {
  test('a new log group on the same group: same physical id, ConfigureLogs with the new name', async () => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('vod', '/aws/MediaPackage/new'));
    const result = await newHandler()(updateEvent('vod',
      { PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/new' },
      { PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/old' }));
    expect(sentInputs()).toEqual([{ Id: 'vod', EgressAccessLogs: { LogGroupName: '/aws/MediaPackage/new' } }]);
    expect(result).toEqual({ PhysicalResourceId: 'vod', Data: { PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/new' } });
  });

  test('from a named log group to the service default sends egressAccessLogs {}', async () => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('vod', '/aws/MediaPackage/EgressAccessLogs'));
    await newHandler()(updateEvent('vod', { PackagingGroupId: 'vod' }, { PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/old' }));
    expect(sentInputs()).toEqual([{ Id: 'vod', EgressAccessLogs: {} }]);
  });

  test('a changed group id returns a new physical id; the Delete CloudFormation then sends turns the old group off', async () => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('new-group', '/aws/MediaPackage/vod'));
    const h = newHandler();
    const result = await h(updateEvent('old-group',
      { PackagingGroupId: 'new-group', LogGroupName: '/aws/MediaPackage/vod' },
      { PackagingGroupId: 'old-group', LogGroupName: '/aws/MediaPackage/vod' }));
    expect(result.PhysicalResourceId).toBe('new-group');
    // The update itself touches only the new group.
    expect(sentInputs()).toEqual([{ Id: 'new-group', EgressAccessLogs: { LogGroupName: '/aws/MediaPackage/vod' } }]);

    // CloudFormation sees a new physical id (a replacement) and, in its cleanup phase, deletes the old one.
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('old-group'));
    const deleted = await h(deleteEvent('old-group', { PackagingGroupId: 'old-group', LogGroupName: '/aws/MediaPackage/vod' }));
    expect(deleted).toEqual({ PhysicalResourceId: 'old-group' });
    expect(sentInputs()[1]).toEqual({ Id: 'old-group' });
  });
});

describe('Delete', () => {
  test('turns logging off: ConfigureLogs without EgressAccessLogs, and keeps the physical id', async () => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('vod'));
    const result = await newHandler()(deleteEvent('vod', { PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/vod' }));
    expect(sentInputs()).toEqual([{ Id: 'vod' }]);
    expect(sentInputs()[0]).not.toHaveProperty('EgressAccessLogs');
    expect(result).toEqual({ PhysicalResourceId: 'vod' });
  });

  test('only ConfigureLogs is called: the log group is never deleted', async () => {
    mediapackage.onAnyCommand().rejects(new Error('unexpected command'));
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('vod'));
    await newHandler()(deleteEvent('vod', { PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/vod' }));
    expect(mediapackage.calls().map(c => c.args[0].constructor.name)).toEqual(['ConfigureLogsCommand']);
  });

  test('succeeds when the group no longer exists (404)', async () => {
    mediapackage.on(ConfigureLogsCommand).rejects(notFound());
    const result = await newHandler()(deleteEvent('gone', { PackagingGroupId: 'gone' }));
    expect(result).toEqual({ PhysicalResourceId: 'gone' });
    expect(sentInputs()).toHaveLength(1);
    expect(logLines.join('\n')).toMatch(/no longer exists/);
  });

  test('a physical id that is not a group id (e.g. a failed create\'s placeholder) is not sent to the service', async () => {
    const result = await newHandler()(deleteEvent('AWSCDK::CustomResourceProviderFramework::CREATE_FAILED', { PackagingGroupId: 'vod' }));
    expect(result).toEqual({ PhysicalResourceId: 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED' });
    expect(sentInputs()).toEqual([]);
  });

  test('a 403 on Delete fails with the service\'s message', async () => {
    mediapackage.on(ConfigureLogsCommand).rejects(new ForbiddenException({ ...meta(403), message: 'User is not authorized' }));
    await expect(newHandler()(deleteEvent('vod', { PackagingGroupId: 'vod' })))
      .rejects.toThrow("ConfigureLogs for packaging group 'vod' failed: ForbiddenException (HTTP 403): User is not authorized");
  });
});

describe('retries', () => {
  test('throttling (429) then success: retried with exponential backoff', async () => {
    mediapackage.on(ConfigureLogsCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves(groupResponse('vod', '/aws/MediaPackage/vod'));
    const result = await newHandler()(createEvent({ PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/vod' }));
    expect(result.PhysicalResourceId).toBe('vod');
    expect(sentInputs()).toHaveLength(3);
    // base 500 ms, doubled each retry (random() = 1: the full backoff)
    expect(sleeps).toEqual([500, 1000]);
    expect(logLines.join('\n')).toMatch(/attempt 1 of 8 failed \(TooManyRequestsException \(HTTP 429\): Too Many Requests\)/);
  });

  test.each([
    ['503 ServiceUnavailable', unavailable],
    ['500 InternalServerError', internal],
  ])('%s then success', async (_name, error) => {
    mediapackage.on(ConfigureLogsCommand).rejectsOnce(error()).resolves(groupResponse('vod'));
    const result = await newHandler()(deleteEvent('vod', { PackagingGroupId: 'vod' }));
    expect(result).toEqual({ PhysicalResourceId: 'vod' });
    expect(sentInputs()).toHaveLength(2);
    expect(sleeps).toEqual([500]);
  });

  test('backoff has jitter and a cap', async () => {
    mediapackage.on(ConfigureLogsCommand).rejects(throttled());
    const h = newHandler({ random: () => 0, maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 8000 });
    await expect(h(createEvent({ PackagingGroupId: 'vod' }))).rejects.toThrow(/gave up after 8 attempts/);
    // random() = 0: half of each backoff; backoffs 1, 2, 4, 8, 8, 8, 8 s
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 4000, 4000, 4000]);
  });

  test('retries exhausted: fails after the bounded number of attempts with the last service message', async () => {
    mediapackage.on(ConfigureLogsCommand).rejects(unavailable());
    await expect(newHandler({ maxAttempts: 4 })(createEvent({ PackagingGroupId: 'vod' }))).rejects.toThrow(
      "ConfigureLogs for packaging group 'vod' failed: gave up after 4 attempts, last error ServiceUnavailableException (HTTP 503): Service Unavailable");
    expect(sentInputs()).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
  });

  test('a 404 on Delete after a throttled attempt still counts as done', async () => {
    mediapackage.on(ConfigureLogsCommand).rejectsOnce(throttled()).rejects(notFound());
    expect(await newHandler()(deleteEvent('gone', { PackagingGroupId: 'gone' }))).toEqual({ PhysicalResourceId: 'gone' });
    expect(sentInputs()).toHaveLength(2);
  });

  test('a 422 fails at once with the service\'s message as the reason', async () => {
    mediapackage.on(ConfigureLogsCommand).rejects(unprocessable());
    await expect(newHandler()(createEvent({ PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/x' }))).rejects.toThrow(
      "ConfigureLogs for packaging group 'vod' failed: UnprocessableEntityException (HTTP 422): Log group name must start with /aws/MediaPackage/");
    expect(sentInputs()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('a 404 on Create fails at once (the group must exist)', async () => {
    mediapackage.on(ConfigureLogsCommand).rejects(notFound());
    await expect(newHandler()(createEvent({ PackagingGroupId: 'gone' })))
      .rejects.toThrow(/failed: NotFoundException \(HTTP 404\): PackagingGroup gone not found/);
    expect(sentInputs()).toHaveLength(1);
  });

  test.each([
    ['429 by status only: retried', Object.assign(new Error('slow down'), meta(429)), true],
    ['502 by status only: retried', Object.assign(new Error('bad gateway'), meta(502)), true],
    ['a network reset: retried', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ['an SDK timeout: retried', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), true],
    ['a 400: not retried', Object.assign(new Error('bad'), meta(400)), false],
    ['a 403: not retried', new ForbiddenException({ ...meta(403), message: 'denied' }), false],
    ['a plain error: not retried', new Error('boom'), false],
    ['a refused connection the SDK wrapped (code only in the text): retried',
      new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9'), true],
    ['a wrapped error without a network code: not retried', new Error('AWS SDK error wrapper for Error: EBADTHING'), false],
    ['DynamoDB throttling (HTTP 400): retried', Object.assign(new Error('rate'), { name: 'ProvisionedThroughputExceededException' }, meta(400)), true],
  ])('isRetryable: %s', (_name, error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});

describe('idempotency: repeating an event gives the same result and the same call', () => {
  const cases: Array<[string, AccessLogsEvent]> = [
    ['Create', createEvent({ PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/vod' })],
    ['Create (default group)', createEvent({ PackagingGroupId: 'vod' })],
    ['Update', updateEvent('vod', { PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/new' }, { PackagingGroupId: 'vod' })],
    ['Update (new group)', updateEvent('old', { PackagingGroupId: 'vod' }, { PackagingGroupId: 'old' })],
    ['Delete', deleteEvent('vod', { PackagingGroupId: 'vod' })],
  ];

  test.each(cases)('%s', async (_name, event) => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('vod', '/aws/MediaPackage/vod'));
    const h = newHandler();
    const first = await h(event);
    const second = await h(event);
    expect(second).toEqual(first);
    const [a, b] = sentInputs();
    expect(b).toEqual(a);
  });

  test('Delete repeated after the group is gone', async () => {
    mediapackage.on(ConfigureLogsCommand).resolvesOnce(groupResponse('vod')).rejects(notFound());
    const h = newHandler();
    const event = deleteEvent('vod', { PackagingGroupId: 'vod' });
    expect(await h(event)).toEqual({ PhysicalResourceId: 'vod' });
    expect(await h(event)).toEqual({ PhysicalResourceId: 'vod' });
  });
});

describe('with the CustomResourceProvider framework (aws-cdk-lib\'s nodejs entrypoint)', () => {
  // The framework CustomResourceProvider wraps the handler with: it calls `handler(event)` and PUTs the response.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entrypoint = require(path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')),
    'custom-resource-handlers', 'dist', 'core', 'nodejs-entrypoint-handler', 'index.js'));
  let responses: any[];
  let region: string | undefined;

  beforeEach(() => {
    responses = [];
    entrypoint.external.sendHttpRequest = async (_options: unknown, body: string) => { responses.push(JSON.parse(body)); };
    entrypoint.external.log = () => undefined;
    // The module the bundle is built from, loaded by the entrypoint like the bundled index.js; its default handler.
    entrypoint.external.userHandlerIndex = require.resolve('../../src/access-logs/handler');
    region = process.env.AWS_REGION;
    process.env.AWS_REGION = 'eu-west-1';
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    if (region === undefined) { delete process.env.AWS_REGION; } else { process.env.AWS_REGION = region; }
  });

  const withUrl = (event: AccessLogsEvent) => ({ ...event, ResponseURL: 'https://cloudformation-custom-resource-response.example/x?y' });

  test('success: SUCCESS with the group id as physical id and the data', async () => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('vod', '/aws/MediaPackage/vod'));
    await entrypoint.handler(withUrl(createEvent({ PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/vod' })), {});
    expect(responses).toEqual([expect.objectContaining({
      Status: 'SUCCESS',
      PhysicalResourceId: 'vod',
      Data: { PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/vod' },
    })]);
  });

  test('a 422: FAILED with the service\'s message in the reason', async () => {
    mediapackage.on(ConfigureLogsCommand).rejects(unprocessable());
    await entrypoint.handler(withUrl(createEvent({ PackagingGroupId: 'vod', LogGroupName: '/aws/MediaPackage/x' })), {});
    expect(responses).toHaveLength(1);
    expect(responses[0].Status).toBe('FAILED');
    expect(responses[0].Reason).toMatch(/^Error: ConfigureLogs for packaging group 'vod' failed: UnprocessableEntityException \(HTTP 422\): Log group name must start with \/aws\/MediaPackage\//);
  });

  test('an update to another group: SUCCESS with the new physical id (a replacement)', async () => {
    mediapackage.on(ConfigureLogsCommand).resolves(groupResponse('new-group'));
    await entrypoint.handler(withUrl(updateEvent('old-group', { PackagingGroupId: 'new-group' }, { PackagingGroupId: 'old-group' })), {});
    expect(responses[0]).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'new-group' }));
  });

  test('delete: SUCCESS with the same physical id (the framework rejects a changed one)', async () => {
    mediapackage.on(ConfigureLogsCommand).rejects(notFound());
    await entrypoint.handler(withUrl(deleteEvent('vod', { PackagingGroupId: 'vod' })), {});
    expect(responses[0]).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'vod' }));
  });
});

describe('bounded in time', () => {
  test('no retry is started when its backoff would end past the deadline', async () => {
    mediapackage.on(ConfigureLogsCommand).rejects(throttled());
    const h = newHandler({ deadlineMarginMs: 1_000, baseDelayMs: 500 });
    await expect(h(createEvent({ PackagingGroupId: 'vod' }), { getRemainingTimeInMillis: () => 1_800 }))
      .rejects.toThrow(/gave up after 2 attempts, last error TooManyRequestsException/);
    expect(sleeps).toEqual([500]);
  });
});
