/**
 * A local fake of the MediaPackage VOD REST API (assets), for tests and benchmarks that drive the real
 * @aws-sdk/client-mediapackage-vod over HTTP. Written from the VOD API reference (shared/reference): the SDK's paths
 * (`/assets`, `/assets/{id}`; the reference's `/prod` stage prefix is accepted too), camelCase JSON bodies, and errors
 * as restJson1 sends them (status code, `x-amzn-ErrorType: <Name>Exception` header, body `{"message": "..."}`), so the
 * SDK throws the same exception classes it throws for the service.
 *
 * Operations: CreateAsset (POST /assets), DescribeAsset (GET /assets/{id}), DeleteAsset (DELETE /assets/{id}, 202),
 * ListAssets (GET /assets?packagingGroupId&maxResults&nextToken).
 *
 * Behaviour the ingest code relies on, each switchable:
 * - id uniqueness: CreateAsset with an id that exists answers 422 (UnprocessableEntityException), as the reference says
 *   for invalid input; ids must match `^[0-9a-zA-Z_-]{1,256}$` (422 otherwise); required members missing: 422.
 * - a DeleteAsset is accepted (202) and, like the service's asynchronous delete, the id stays taken for
 *   `deleteSettleMs` (default 0) after it: a CreateAsset with that id in that window answers 422 too.
 * - a quota of assets per packaging group (`assetQuotaPerGroup`, default 10,000): 422 when reached.
 * - packaging groups and their configurations can be registered (`groups`): CreateAsset for an unknown group then
 *   answers 422, and each asset gets one egress endpoint per configuration of its group, status QUEUED until
 *   `playableAfterMs` (default 0) after creation, PLAYABLE after. With no group registered, any group id is accepted.
 * - a request-rate limit: a token bucket (`rateLimit.requestsPerSecond`, burst `rateLimit.burst`, default one second's
 *   worth), one bucket per operation by default (AWS throttles per API action; `perOperation: false` shares one):
 *   a request without a token answers 429 (TooManyRequestsException) and costs no token.
 * - injected faults: `serverErrorRate` (0..1: that share of requests that passed the rate limit answers 500 or 503,
 *   alternately) and `failNext(...)` for exact sequences; `latencyMs` before each answer; `forbid` (403).
 * - connection faults: `stallNext(...)` (the request is read and never answered: a stalled call, ended only by the
 *   client's timeout or abort), `loseResponseNext(...)` (the operation is done, then the connection is cut before the
 *   answer: a response lost after commit), `kill()` (the server stops: connections refused) and `revive()` (it listens
 *   again on the same port, with the same state).
 * Requests are counted in `stats` and listed in `requests` (operation, id, status; -1 for a stalled or lost answer).
 */
import { createHash } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';

export type VodOperation = 'CreateAsset' | 'DescribeAsset' | 'DeleteAsset' | 'ListAssets';

export interface FakeConfiguration {
  readonly id: string;
  /** hls, dash, cmaf or mss: decides the manifest file name of the egress URL. */
  readonly format: 'hls' | 'dash' | 'cmaf' | 'mss';
  /** @default 'index' */
  readonly manifestName?: string;
}

export interface FakeGroup {
  readonly id: string;
  readonly configurations?: FakeConfiguration[];
}

export interface FakeVodApiOptions {
  readonly region?: string;
  readonly account?: string;
  readonly groups?: FakeGroup[];
  readonly rateLimit?: { readonly requestsPerSecond: number; readonly burst?: number; readonly perOperation?: boolean };
  readonly serverErrorRate?: number;
  /** A fixed latency, or [min, max] drawn uniformly, in ms. @default 0 */
  readonly latencyMs?: number | [number, number];
  readonly deleteSettleMs?: number;
  readonly playableAfterMs?: number;
  readonly assetQuotaPerGroup?: number;
  /** Answers 403 when it returns a message. */
  readonly forbid?: (operation: VodOperation, body: Record<string, unknown> | undefined) => string | undefined;
  /** Seed of the fake's own PRNG (fault injection, latency). @default 1 */
  readonly seed?: number;
  /** Log every request to stderr (debugging). */
  readonly verbose?: boolean;
}

export interface FakeAsset {
  readonly id: string;
  readonly arn: string;
  readonly packagingGroupId: string;
  readonly sourceArn: string;
  readonly sourceRoleArn: string;
  readonly resourceId?: string;
  readonly tags?: Record<string, string>;
  readonly createdAt: string;
  readonly createdAtMs: number;
}

export interface FakeRequest {
  readonly operation: VodOperation | 'Unknown';
  readonly id?: string;
  readonly status: number;
}

export interface FakeStats {
  requests: number;
  throttled: number;
  serverErrors: number;
  created: number;
  deleted: number;
  byOperation: Record<string, number>;
  /** Per asset id: how many CreateAsset calls succeeded for it (more than one only after deletes). */
  createsPerId: Map<string, number>;
}

const ID_PATTERN = /^[0-9a-zA-Z_-]{1,256}$/;
const SOURCE_ARN_PATTERN = /^arn:[a-z-]+:s3:::[^/]+\/.+$/;
const ROLE_ARN_PATTERN = /^arn:[a-z-]+:iam::\d{12}:role\/.+$/;

interface Failure { readonly operation?: VodOperation; readonly status: number; readonly count: number }
/** A connection fault: `stall` (never answer) or `lose` (do the operation, cut the connection before the answer). */
interface ConnectionFault { readonly operation?: VodOperation; readonly kind: 'stall' | 'lose'; readonly count: number }

/** Park-Miller minimal standard generator: a small seeded PRNG (exact in doubles), so runs with a seed repeat. */
function prng(seed: number): () => number {
  let state = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(private readonly rate: number, private readonly capacity: number) {
    this.tokens = capacity;
    this.last = performance.now();
  }
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

const ERROR_NAMES: Record<number, string> = {
  400: 'BadRequestException',
  403: 'ForbiddenException',
  404: 'NotFoundException',
  422: 'UnprocessableEntityException',
  429: 'TooManyRequestsException',
  500: 'InternalServerErrorException',
  503: 'ServiceUnavailableException',
};

class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class FakeVodApi {
  readonly assets = new Map<string, FakeAsset>();
  readonly requests: FakeRequest[] = [];
  readonly stats: FakeStats = { requests: 0, throttled: 0, serverErrors: 0, created: 0, deleted: 0, byOperation: {}, createsPerId: new Map() };
  private readonly region: string;
  private readonly account: string;
  private readonly groups = new Map<string, FakeGroup>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly random: () => number;
  private readonly deletedAt = new Map<string, number>();
  private readonly failures: Failure[] = [];
  private readonly connectionFaults: ConnectionFault[] = [];
  private port = 0;
  private serverErrorRate: number;
  private serverErrorToggle = false;
  private server?: http.Server;
  private readonly sockets = new Set<import('net').Socket>();

  constructor(private readonly options: FakeVodApiOptions = {}) {
    this.region = options.region ?? 'eu-west-1';
    this.account = options.account ?? '111111111111';
    for (const group of options.groups ?? []) { this.groups.set(group.id, group); }
    this.random = prng(options.seed ?? 1);
    this.serverErrorRate = options.serverErrorRate ?? 0;
  }

  /** Starts on 127.0.0.1, a free port; returns the endpoint URL for the SDK client. */
  async start(): Promise<string> {
    await this.listen(0);
    return this.endpoint;
  }

  /** Stops answering: open connections are cut, new ones refused (the state is kept for `revive`). */
  async kill(): Promise<void> {
    await this.stop();
  }

  /** Listens again on the port of the last start, with the same assets. */
  async revive(): Promise<void> {
    if (this.server) { return; }
    await this.listen(this.port);
  }

  /** The next `count` requests (of `operation`, or any) are read and never answered. */
  stallNext(count = 1, operation?: VodOperation): void {
    this.connectionFaults.push({ kind: 'stall', count, operation });
  }

  /** The next `count` requests (of `operation`, or any) are carried out, then the connection is cut before the answer. */
  loseResponseNext(count = 1, operation?: VodOperation): void {
    this.connectionFaults.push({ kind: 'lose', count, operation });
  }

  private takeConnectionFault(operation: VodOperation | 'Unknown'): 'stall' | 'lose' | undefined {
    const index = this.connectionFaults.findIndex(f => f.operation === undefined || f.operation === operation);
    if (index < 0) { return undefined; } // a fault without an operation applies to any request, routed or not
    const fault = this.connectionFaults[index];
    if (fault.count <= 1) { this.connectionFaults.splice(index, 1); } else { this.connectionFaults[index] = { ...fault, count: fault.count - 1 }; }
    return fault.kind;
  }

  private async listen(port: number): Promise<void> {
    this.server = http.createServer((req, res) => { void this.handle(req, res); });
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  get endpoint(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) { throw new Error('FakeVodApi is not started'); }
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) { return; }
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) { socket.destroy(); }
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  /** Registers a packaging group (and its configurations). */
  addGroup(group: FakeGroup): void {
    this.groups.set(group.id, group);
  }

  /** The next `count` requests (of `operation`, or any) answer `status` (after the rate limit). */
  failNext(status: number, count = 1, operation?: VodOperation): void {
    this.failures.push({ status, count, operation });
  }

  setServerErrorRate(rate: number): void {
    this.serverErrorRate = rate;
  }

  /** The asset ARN the fake gives an id. */
  assetArn(id: string): string {
    return `arn:aws:mediapackage-vod:${this.region}:${this.account}:assets/${id}`;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) { chunks.push(chunk as Buffer); }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/^\/prod(?=\/)/, '');
    let operation: VodOperation | 'Unknown' = 'Unknown';
    let id: string | undefined;
    const assetPath = /^\/assets\/([^/]+)$/.exec(path);
    if (path === '/assets' && req.method === 'POST') { operation = 'CreateAsset'; }
    if (path === '/assets' && req.method === 'GET') { operation = 'ListAssets'; }
    if (assetPath && req.method === 'GET') { operation = 'DescribeAsset'; id = decodeURIComponent(assetPath[1]); }
    if (assetPath && req.method === 'DELETE') { operation = 'DeleteAsset'; id = decodeURIComponent(assetPath[1]); }

    const fault = this.takeConnectionFault(operation);
    if (fault === 'stall') {
      this.requests.push({ operation, id, status: -1 });
      return; // never answered: the socket stays open until the client gives up or the fake stops
    }
    await this.delay();
    let status = 200;
    let body: unknown;
    let errorName: string | undefined;
    try {
      if (operation === 'Unknown') { throw new ApiError(404, `No route for ${req.method} ${path}`); }
      this.stats.requests++;
      this.stats.byOperation[operation] = (this.stats.byOperation[operation] ?? 0) + 1;
      this.checkRate(operation);
      this.checkFaults(operation);
      let input: Record<string, unknown> | undefined;
      if (operation === 'CreateAsset') {
        try {
          input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        } catch {
          throw new ApiError(422, 'The request body is not valid JSON');
        }
        id = typeof input?.id === 'string' ? input.id : undefined;
      }
      const refusal = this.options.forbid?.(operation, input);
      if (refusal) { throw new ApiError(403, refusal); }
      switch (operation) {
        case 'CreateAsset': body = this.createAsset(input ?? {}); break;
        case 'DescribeAsset': body = this.describeAsset(id!); break;
        case 'DeleteAsset': this.deleteAsset(id!); status = 202; break;
        case 'ListAssets': body = this.listAssets(url.searchParams); break;
      }
    } catch (error) {
      if (!(error instanceof ApiError)) { throw error; }
      status = error.status;
      errorName = ERROR_NAMES[status] ?? 'InternalServerErrorException';
      body = { message: error.message };
    }
    if (fault === 'lose') {
      this.requests.push({ operation, id, status: -1 });
      req.socket.destroy(); // done, but the answer never arrives
      return;
    }
    this.requests.push({ operation, id, status });
    if (this.options.verbose) { process.stderr.write(`fake-vod ${operation} ${id ?? ''} -> ${status}\n`); }
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': createHash('md5').update(String(this.requests.length)).digest('hex') };
    if (errorName) { headers['x-amzn-errortype'] = errorName; }
    const text = body === undefined ? '' : JSON.stringify(body);
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(status, headers);
    res.end(text);
  }

  private async delay(): Promise<void> {
    const latency = this.options.latencyMs;
    if (latency === undefined || latency === 0) { return; }
    const ms = typeof latency === 'number' ? latency : latency[0] + this.random() * (latency[1] - latency[0]);
    await new Promise(resolve => setTimeout(resolve, ms));
  }

  private checkRate(operation: VodOperation): void {
    const limit = this.options.rateLimit;
    if (!limit) { return; }
    const key = limit.perOperation === false ? '*' : operation;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit.requestsPerSecond, limit.burst ?? limit.requestsPerSecond);
      this.buckets.set(key, bucket);
    }
    if (!bucket.take()) {
      this.stats.throttled++;
      throw new ApiError(429, 'Too Many Requests');
    }
  }

  private checkFaults(operation: VodOperation): void {
    const index = this.failures.findIndex(f => f.operation === undefined || f.operation === operation);
    if (index >= 0) {
      const failure = this.failures[index];
      if (failure.count <= 1) { this.failures.splice(index, 1); } else { this.failures[index] = { ...failure, count: failure.count - 1 }; }
      if (failure.status >= 500) { this.stats.serverErrors++; }
      if (failure.status === 429) { this.stats.throttled++; }
      throw new ApiError(failure.status, `Injected ${failure.status}`);
    }
    if (this.serverErrorRate > 0 && this.random() < this.serverErrorRate) {
      this.stats.serverErrors++;
      this.serverErrorToggle = !this.serverErrorToggle;
      throw this.serverErrorToggle
        ? new ApiError(500, 'An unexpected condition prevented AWS Elemental MediaPackage from fulfilling the request.')
        : new ApiError(503, 'AWS Elemental MediaPackage can\'t currently complete the request.');
    }
  }

  private createAsset(input: Record<string, unknown>): unknown {
    for (const member of ['id', 'packagingGroupId', 'sourceArn', 'sourceRoleArn']) {
      if (typeof input[member] !== 'string' || input[member] === '') {
        throw new ApiError(422, `${member} is required`);
      }
    }
    const id = input.id as string;
    const groupId = input.packagingGroupId as string;
    if (!ID_PATTERN.test(id)) { throw new ApiError(422, `Asset id '${id}' must match ${ID_PATTERN.source}`); }
    if (!SOURCE_ARN_PATTERN.test(input.sourceArn as string)) { throw new ApiError(422, `Invalid sourceArn '${input.sourceArn}'`); }
    if (!ROLE_ARN_PATTERN.test(input.sourceRoleArn as string)) { throw new ApiError(422, `Invalid sourceRoleArn '${input.sourceRoleArn}'`); }
    if (this.groups.size > 0 && !this.groups.has(groupId)) {
      throw new ApiError(422, `PackagingGroup '${groupId}' does not exist`);
    }
    const settle = this.options.deleteSettleMs ?? 0;
    const deletedAt = this.deletedAt.get(id);
    if (this.assets.has(id) || (deletedAt !== undefined && Date.now() - deletedAt < settle)) {
      throw new ApiError(422, `Asset '${id}' already exists`);
    }
    const quota = this.options.assetQuotaPerGroup ?? 10_000;
    let inGroup = 0;
    for (const asset of this.assets.values()) { if (asset.packagingGroupId === groupId) { inGroup++; } }
    if (inGroup >= quota) {
      throw new ApiError(422, `The packaging group '${groupId}' has reached its quota of ${quota} assets`);
    }
    const now = Date.now();
    const asset: FakeAsset = {
      id,
      arn: this.assetArn(id),
      packagingGroupId: groupId,
      sourceArn: input.sourceArn as string,
      sourceRoleArn: input.sourceRoleArn as string,
      resourceId: typeof input.resourceId === 'string' ? input.resourceId : undefined,
      tags: input.tags && typeof input.tags === 'object' ? { ...(input.tags as Record<string, string>) } : undefined,
      createdAt: new Date(now).toISOString(),
      createdAtMs: now,
    };
    this.assets.set(id, asset);
    this.deletedAt.delete(id);
    this.stats.created++;
    this.stats.createsPerId.set(id, (this.stats.createsPerId.get(id) ?? 0) + 1);
    return this.render(asset, true);
  }

  private describeAsset(id: string): unknown {
    const asset = this.assets.get(id);
    if (!asset) { throw new ApiError(404, `Asset '${id}' not found`); }
    return this.render(asset, true);
  }

  private deleteAsset(id: string): void {
    if (!this.assets.has(id)) { throw new ApiError(404, `Asset '${id}' not found`); }
    this.assets.delete(id);
    this.deletedAt.set(id, Date.now());
    this.stats.deleted++;
  }

  private listAssets(params: URLSearchParams): unknown {
    const groupId = params.get('packagingGroupId') ?? undefined;
    const max = Math.min(1000, Number(params.get('maxResults') ?? 50) || 50);
    const start = Number(params.get('nextToken') ?? 0) || 0;
    const all = [...this.assets.values()].filter(a => groupId === undefined || a.packagingGroupId === groupId);
    const page = all.slice(start, start + max).map(a => this.render(a, false));
    return { assets: page, nextToken: start + max < all.length ? String(start + max) : undefined };
  }

  private render(asset: FakeAsset, withEndpoints: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {
      arn: asset.arn,
      createdAt: asset.createdAt,
      id: asset.id,
      packagingGroupId: asset.packagingGroupId,
      sourceArn: asset.sourceArn,
      sourceRoleArn: asset.sourceRoleArn,
    };
    if (asset.resourceId !== undefined) { out.resourceId = asset.resourceId; }
    if (asset.tags) { out.tags = asset.tags; }
    if (withEndpoints) { out.egressEndpoints = this.endpointsOf(asset); }
    return out;
  }

  /**
   * The EventBridge events MediaPackage sends for an asset of this fake (service-rules.md "Events"; the captured real
   * event's shape: the asset ARN and `.../packaging-configurations/<id>` in resources): IngestStart, IngestComplete, then
   * one VodAssetPlayable per configuration of its group with the egress URL DescribeAsset returns. `times[i]` is the
   * i-th event's time (ISO 8601); an IngestError instead of the completion with `failWith`.
   */
  statusEvents(id: string, times: string[], failWith?: string): Array<Record<string, any>> {
    const asset = this.assets.get(id);
    if (!asset) { throw new Error(`no asset ${id}`); }
    const arn = this.assetArn(id);
    const event = (time: string, resources: string[], detail: Record<string, unknown>) => ({
      'version': '0',
      'id': `evt-${hex(`${id}/${time}/${JSON.stringify(detail)}`, 12)}`,
      'detail-type': 'MediaPackage Input Notification',
      'source': 'aws.mediapackage',
      'account': this.account,
      'time': time,
      'region': this.region,
      resources,
      detail,
    });
    const out = [event(times[0], [arn], { event: 'IngestStart', message: `Ingest started for asset '${id}'` })];
    if (failWith) {
      out.push(event(times[1], [arn], { event: 'IngestError', message: failWith }));
      return out;
    }
    out.push(event(times[1], [arn], { event: 'IngestComplete', message: `Asset '${id}' was successfully ingested` }));
    (this.endpointsOf(asset) as { packagingConfigurationId: string; url: string }[]).forEach((endpoint, i) => {
      const configurationArn = `arn:aws:mediapackage-vod:${this.region}:${this.account}:packaging-configurations/${endpoint.packagingConfigurationId}`;
      out.push(event(times[2 + i], [arn, configurationArn], {
        event: 'VodAssetPlayable',
        message: `Asset '${id}' is now playable for PackagingConfiguration '${endpoint.packagingConfigurationId}'`,
        packaging_configuration_id: endpoint.packagingConfigurationId,
        manifest_urls: [endpoint.url],
      }));
    });
    return out;
  }

  private endpointsOf(asset: FakeAsset): unknown[] {
    const group = this.groups.get(asset.packagingGroupId);
    const playable = Date.now() - asset.createdAtMs >= (this.options.playableAfterMs ?? 0);
    const host = `${hex(`group/${asset.packagingGroupId}`, 32)}.egress.mediapackage-vod.${this.region}.amazonaws.com`;
    return (group?.configurations ?? []).map(configuration => {
      const name = configuration.manifestName ?? 'index';
      const file = configuration.format === 'mss' ? `${name}.ism/Manifest` : configuration.format === 'dash' ? `${name}.mpd` : `${name}.m3u8`;
      const path = [asset.id, configuration.id, asset.createdAt].map(part => hex(part, 32)).join('/');
      return {
        packagingConfigurationId: configuration.id,
        url: `https://${host}/out/v1/${path}/${file}`,
        status: playable ? 'PLAYABLE' : 'QUEUED',
      };
    });
  }
}

function hex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
