/**
 * One simulated Lambda execution environment for bench/ingest.ts: loads the shipped ingest bundle (configured from the
 * environment, as in Lambda) and runs it on each batch the parent sends over IPC; answers with the batch item
 * failures and the batch's metric values (read from the function's embedded-metric-format line).
 */
// The bundle path is only known at run time (a plain require of the shipped CommonJS file).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require(process.env.INGEST_HANDLER_BUNDLE!);
let metrics: Record<string, number> = {};
const handler = bundle.makeHandler({
  log: (line: string) => {
    if (line.startsWith('{"_aws"')) {
      const parsed = JSON.parse(line);
      for (const m of parsed._aws.CloudWatchMetrics[0].Metrics) { metrics[m.Name] = (metrics[m.Name] ?? 0) + parsed[m.Name]; }
    }
  },
});

process.on('message', async (message: { records: { messageId: string; body: string }[]; timeoutMs: number }) => {
  metrics = {};
  const deadline = Date.now() + message.timeoutMs;
  const result = await handler({ Records: message.records }, { getRemainingTimeInMillis: () => deadline - Date.now() });
  process.send!({ failed: result.batchItemFailures.map((f: { itemIdentifier: string }) => f.itemIdentifier), metrics });
});
process.send!({ ready: true });
