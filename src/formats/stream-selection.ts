/** Order of the video streams in a manifest. */
export enum StreamOrder {
  /** The order of the source. */
  ORIGINAL = 'ORIGINAL',
  /** Lowest video bitrate first. */
  VIDEO_BITRATE_ASCENDING = 'VIDEO_BITRATE_ASCENDING',
  /** Highest video bitrate first. */
  VIDEO_BITRATE_DESCENDING = 'VIDEO_BITRATE_DESCENDING',
}

/**
 * Which video streams a manifest includes, and in which order.
 */
export interface StreamSelection {
  /**
   * The lowest video bitrate (bits per second) to include: an integer from 0 to 2147483647.
   *
   * @default 0
   */
  readonly minVideoBitsPerSecond?: number;

  /**
   * The highest video bitrate (bits per second) to include: an integer from 0 to 2147483647.
   *
   * @default 2147483647
   */
  readonly maxVideoBitsPerSecond?: number;

  /**
   * The order of the streams.
   *
   * @default StreamOrder.ORIGINAL
   */
  readonly streamOrder?: StreamOrder;
}
