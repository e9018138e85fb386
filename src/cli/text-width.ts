// How wide text is on a terminal, and how to make it fit: display width (wide CJK characters and emoji
// count 2, combining marks 0 — string-width), truncation with an ellipsis at a grapheme boundary, and
// word wrapping. Plain ASCII, nearly every cell a seller's catalogue has, takes a fast path: a table of
// 100,000 rows measures each cell once, so this is on the hot path of `listings list`.

import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();

export const ELLIPSIS = '…';

/** Columns `text` takes on a terminal (text without escape codes). */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/**
 * Text for one terminal cell: line breaks and tabs become spaces, and other control characters (an
 * escape sequence pasted into a product title would otherwise move the cursor or clear the screen)
 * become U+FFFD.
 */
export function sanitizeCell(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  return text.replace(/[\t\r\n]+/g, ' ').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '\uFFFD');
}

/** `text` cut to at most `width` columns, ending in … when anything was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (PRINTABLE_ASCII.test(text)) return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}${ELLIPSIS}`;
  if (stringWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + ELLIPSIS;
}

/**
 * Word-wrap `text` into lines of at most `width` columns. Breaks only between words; a single word
 * longer than a line (a path, a URL) is split across lines with `longWords: 'break'` (a table cell:
 * nothing is lost), or kept whole on its own line with 'keep'.
 */
export function wrap(text: string, width: number, longWords: 'break' | 'keep' = 'break'): string[] {
  if (displayWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    const w = displayWidth(word);
    if (used > 0 && used + 1 + w <= width) {
      line += ` ${word}`;
      used += 1 + w;
      continue;
    }
    if (used > 0) lines.push(line);
    if (w > width && longWords === 'break') {
      const pieces = breakWord(word, width);
      lines.push(...pieces.slice(0, -1));
      line = pieces.at(-1)!;
      used = displayWidth(line);
      continue;
    }
    line = word;
    used = Math.min(w, width);
  }
  if (used > 0 || lines.length === 0) lines.push(line);
  return lines;
}

/** A word longer than `width` in pieces of at most `width` columns (at grapheme boundaries). */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const { segment } of segmenter.segment(word)) {
    const w = displayWidth(segment);
    if (used + w > width && piece) {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += segment;
    used += w;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/** `text` padded with spaces to `width` columns, on the left for right alignment. */
export function pad(text: string, width: number, align: 'left' | 'right', textWidth = displayWidth(text)): string {
  const fill = width - textWidth;
  if (fill <= 0) return text;
  return align === 'right' ? ' '.repeat(fill) + text : text + ' '.repeat(fill);
}
