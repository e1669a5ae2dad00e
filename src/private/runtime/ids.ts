/** The id rule of MediaPackage VOD resources (assets, packaging groups, packaging configurations). */
export const RESOURCE_ID_PATTERN = /^[0-9a-zA-Z_-]{1,256}$/;

/** Whether `value` is a MediaPackage VOD resource id (1 to 256 letters, digits, hyphens and underscores). */
export function isResourceId(value: unknown): value is string {
  return typeof value === 'string' && RESOURCE_ID_PATTERN.test(value);
}
