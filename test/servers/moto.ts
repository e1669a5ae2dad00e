/**
 * moto in server mode for jest files that need real S3 / SQS / DynamoDB / EventBridge semantics (listing pages, redrive
 * to a dead-letter queue, conditional writes, event patterns).
 *
 * `useMoto(clients)` at the top of a test file: one server for the file, its SDK clients made once it runs, both gone
 * after the file. `startMoto()` (what it calls; the benchmark calls it directly) starts
 * `moto_server -H 127.0.0.1 -p <free port>`, waits until it answers, and returns its endpoint. The binary is found through the MOTO_SERVER
 * environment variable, the venv scripts/ci/moto.sh makes, or PATH; when none exists the test FAILS with how to
 * install it (tests that need moto never skip).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Stops the server (and waits for it to exit). */
  stop(): Promise<void>;
  /** Forgets all state (moto's /moto-api/reset). */
  reset(): Promise<void>;
}

/** Credentials and Region for SDK clients pointed at moto. */
export const MOTO_CLIENT_CONFIG = {
  region: 'eu-west-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
};

function cacheVenvBinary(): string {
  const cache = process.env.CDK_MPV_CI_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'cdk-mediapackage-vod-ci');
  return path.join(cache, 'venv-moto', 'bin', 'moto_server');
}

/** The moto_server binary to run; throws with instructions when there is none. */
export function motoServerBinary(): string {
  const candidates = [process.env.MOTO_SERVER, cacheVenvBinary()].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) { return candidate; }
  }
  const which = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) { return which.stdout.trim(); }
  throw new Error('moto_server not found (looked at $MOTO_SERVER, ' + cacheVenvBinary() + ' and PATH). '
    + 'Install it with `bash scripts/ci/moto.sh` (pip install "moto[server]" into a venv).');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function answers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    return response.status < 500;
  } catch {
    return false;
  }
}

/** Starts moto_server on a free loopback port and waits (up to `timeoutMs`) until it answers. */
export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  const binary = motoServerBinary();
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', chunk => { stderr = (stderr + chunk.toString()).slice(-4000); });
  let exited = false;
  child.once('exit', () => { exited = true; });
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(port))) {
    if (exited) { throw new Error(`moto_server exited before answering: ${stderr}`); }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on port ${port} within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      if (exited) { return; }
      const gone = new Promise<void>(resolve => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** An SDK client the helper below destroys after the file's tests. */
export interface Destroyable {
  destroy(): void;
}

/**
 * One moto server for the test file: starts it in `beforeAll` (then `clients(endpoint)` makes the file's SDK clients,
 * which the file keeps in its own variables) and, in `afterAll`, destroys those clients and stops the server. Returns
 * the running server (valid inside tests).
 */
export function useMoto(clients: (endpoint: string) => Destroyable[] = () => []): () => MotoServer {
  let server: MotoServer | undefined;
  let made: Destroyable[] = [];
  beforeAll(async () => {
    server = await startMoto();
    made = clients(server.endpoint);
  });
  afterAll(async () => {
    made.forEach(client => client.destroy());
    await server?.stop();
  });
  return () => {
    if (!server) { throw new Error('moto is not running: call useMoto() at the top of the test file'); }
    return server;
  };
}
