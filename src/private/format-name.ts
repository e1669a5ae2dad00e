/** The four package formats, for rules that depend on the format. */
export type FormatName = 'HLS' | 'DASH' | 'CMAF' | 'MSS';
