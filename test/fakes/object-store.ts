/**
 * An in-memory ObjectStore for the ingest tests that are about MediaPackage VOD and the catalog, not about S3: every key
 * exists (no ETag: the message's is used). The tests of the HeadObject checks themselves (ingest-handler-objects, the
 * fault suite) use moto's S3 through the real client instead.
 */
import type { ObjectStore } from '../../src/ingest/handler/objects';

export const EVERY_OBJECT_EXISTS: ObjectStore = {
  head: async (_bucket: string, key: string) => ({ key }),
};

/** No key exists (every object was deleted): for the tests of deletes that are about the assets, not about S3. */
export const NO_OBJECT_EXISTS: ObjectStore = {
  head: async () => undefined,
};
