/** Moved to ./runtime (the handler kit); kept until the backfill handler imports from there. */
export * from './runtime/errors';
