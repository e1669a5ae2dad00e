import { ingestStackResources } from '../bench/ingest-resources';

describe('BucketIngest scale', () => {
  test('stack resources grow by a constant per ingest (18: the ingest\'s 15, its bucket, the bucket\'s source role and policy)', () => {
    const counts = [1, 2, 3].map(n => ingestStackResources(n));
    expect(counts[1] - counts[0]).toBe(18);
    expect(counts[2] - counts[1]).toBe(18);
    // The group and its configuration, then 18 per ingest: nothing depends on how many objects the bucket holds.
    expect(counts[0]).toBe(2 + 18);
  });

  test('a catalog adds a constant 5 per ingest (table, status queue and its policy, rule, event source mapping)', () => {
    const counts = [1, 2, 3].map(n => ingestStackResources(n, true));
    expect(counts[1] - counts[0]).toBe(18 + 5);
    expect(counts[2] - counts[1]).toBe(18 + 5);
    expect(counts[0]).toBe(2 + 18 + 5);
  });
});
