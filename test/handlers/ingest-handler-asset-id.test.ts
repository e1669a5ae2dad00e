import { createHash } from 'crypto';
import * as fc from 'fast-check';
import {
  ASSET_ID_PATTERN,
  ASSET_ID_PREFIX_PATTERN,
  assetIdFor,
  assetIdHashOf,
  isAssetIdOfPrefix,
  MAX_ASSET_ID_PREFIX_LENGTH,
  readablePartOf,
} from '../../src/ingest/asset-id';

describe('assetIdFor', () => {
  test('prefix, readable part of the key, 20 hex characters of SHA-256 of bucket/key', () => {
    const id = assetIdFor('Library', 'my-bucket', 'movies/Big Buck Bunny/index.m3u8');
    expect(id).toMatch(/^Library-movies_Big_Buck_Bunny_index_m3u8-[0-9a-f]{20}$/);
    // sha256('my-bucket/movies/Big Buck Bunny/index.m3u8'), computed independently of the module
    expect(id.slice(-20)).toBe(createHash('sha256').update('my-bucket/movies/Big Buck Bunny/index.m3u8').digest('hex').slice(0, 20));
  });

  test('deterministic, and different for keys that sanitize alike, other buckets, other prefixes', () => {
    expect(assetIdFor('p', 'b', 'a b.smil')).toBe(assetIdFor('p', 'b', 'a b.smil'));
    expect(assetIdFor('p', 'b', 'a b.smil')).not.toBe(assetIdFor('p', 'b', 'a_b.smil'));
    expect(assetIdFor('p', 'b', 'x.smil')).not.toBe(assetIdFor('p', 'c', 'x.smil'));
    expect(assetIdFor('p', 'b', 'x.smil')).not.toBe(assetIdFor('q', 'b', 'x.smil'));
  });

  test('long keys keep their last 100 readable characters', () => {
    const key = `${'a'.repeat(300)}/title/index.m3u8`;
    const readable = readablePartOf(key);
    expect(readable.length).toBeLessThanOrEqual(100);
    expect(readable.endsWith('title_index_m3u8')).toBe(true);
  });

  test('a key with nothing readable gets "object"', () => {
    expect(readablePartOf('///ü.')).toBe('object');
    expect(assetIdFor('p', 'b', 'ü')).toMatch(/^p-object-[0-9a-f]{20}$/);
  });

  test('the hash is of the raw key (no URL decoding)', () => {
    expect(assetIdHashOf('b', 'a+b.smil')).not.toBe(assetIdHashOf('b', 'a b.smil'));
    expect(assetIdHashOf('b', 'a%20b.smil')).not.toBe(assetIdHashOf('b', 'a b.smil'));
  });

  test.each([
    ['', 'empty'],
    ['has-hyphen', 'hyphen'],
    ['a'.repeat(MAX_ASSET_ID_PREFIX_LENGTH + 1), 'too long'],
    ['sp ace', 'space'],
  ])('refuses prefix %j (%s)', (prefix) => {
    expect(() => assetIdFor(prefix, 'b', 'k.smil')).toThrow(/Asset id prefix must be 1 to 64 letters, digits and underscores/);
  });

  test('refuses an empty bucket or key', () => {
    expect(() => assetIdFor('p', '', 'k.smil')).toThrow(/Bucket name must be a non-empty string/);
    expect(() => assetIdFor('p', 'b', '')).toThrow(/Object key must be a non-empty string/);
  });

  test('property: any key gives a valid service id under the prefix, and only that prefix', () => {
    fc.assert(fc.property(
      fc.stringMatching(/^[0-9a-zA-Z_]{1,64}$/),
      fc.string({ minLength: 1, maxLength: 1024, unit: 'grapheme' }),
      fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
      (prefix, key, bucket) => {
        expect(ASSET_ID_PREFIX_PATTERN.test(prefix)).toBe(true);
        const id = assetIdFor(prefix, bucket, key);
        expect(id).toMatch(ASSET_ID_PATTERN);
        expect(id.length).toBeLessThanOrEqual(256);
        expect(isAssetIdOfPrefix(prefix, id)).toBe(true);
        // A longer prefix that starts with this one never claims this id (prefixes have no hyphen).
        expect(isAssetIdOfPrefix(`${prefix}x`, id)).toBe(false);
        expect(isAssetIdOfPrefix(`${prefix}_`, id)).toBe(false);
      },
    ), { numRuns: 300 });
  });
});
