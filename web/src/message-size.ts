import { t } from './i18n';
/**
 * How much of Parley's message size limit a draft uses. Parley counts UTF-8
 * bytes, not characters: "é" is 2 bytes, "中" 3, "😀" 4, so the box counts
 * the same way and says so only when the limit is near.
 */

const encoder = new TextEncoder();

/** The share of the limit from which the box shows what is left. */
export const WARN_FROM = 0.9;

export interface TextBudget {
  readonly bytes: number;
  /** Bytes still free; negative when over the limit. */
  readonly left: number;
  /** What to tell the writer, or undefined while the limit is far. */
  readonly note?: string;
  readonly over: boolean;
}

/** UTF-8 length of `text`, as Parley measures it (a lone surrogate counts as U+FFFD, 3 bytes). */
export const utf8Length = (text: string): number => encoder.encode(text).length;


export function textBudget(text: string, limit: number): TextBudget {
  const size = utf8Length(text);
  const left = limit - size;
  if (left < 0) {
    return { bytes: size, left, over: true, note: t().messageSize.over(-left, limit) };
  }
  if (size >= limit * WARN_FROM) return { bytes: size, left, over: false, note: t().messageSize.left(left) };
  return { bytes: size, left, over: false };
}
