import { ingestStackResources } from '../stacks/ingest-resources';

describe('BucketIngest scale', () => {
  test('stack resources grow by a constant per ingest (28: the ingest\'s 11, the backfill\'s 14, its bucket, source role and its policy)', () => {
    const counts = [1, 2, 3].map(n => ingestStackResources(n));
    expect(counts[1] - counts[0]).toBe(28);
    expect(counts[2] - counts[1]).toBe(28);
    // The group and its configuration, then 28 per ingest: nothing depends on how many objects the bucket holds. The ingest's
    // 11: queue and dead-letter queue with their policies, rule, function with its role, policy and log group, event source
    // mapping, dead-letter alarm. The backfill's
    // 14: job queue and dead-letter queue with their policies, worker and starter functions with their roles and log
    // groups, the worker's policy and event source mapping, the custom resource, the job dead-letter alarm.
    expect(counts[0]).toBe(2 + 28);
  });

  test('a catalog adds a constant 5 per ingest (table, status queue and its policy, rule, event source mapping)', () => {
    const counts = [1, 2, 3].map(n => ingestStackResources(n, true));
    expect(counts[1] - counts[0]).toBe(28 + 5);
    expect(counts[2] - counts[1]).toBe(28 + 5);
    expect(counts[0]).toBe(2 + 28 + 5);
  });
});
