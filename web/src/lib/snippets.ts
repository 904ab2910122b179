// Highlighted text as segments, never as HTML: search snippets mark matches with <mark>…</mark>
// in plain text, and OCR pages are highlighted with the words of the search. Views render each
// segment as a text node (inside <mark> when marked), so nothing in a document can inject markup.

export interface Segment {
  text: string;
  mark: boolean;
}

const OPEN = '<mark>';
const CLOSE = '</mark>';

function push(out: Segment[], text: string, mark: boolean): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.mark === mark) last.text += text;
  else out.push({ text, mark });
}

/**
 * Splits a snippet on its <mark> and </mark> markers. Anything else (another tag, an entity) stays
 * literal text; a marker left open marks the rest, a stray close is dropped.
 */
export function splitMarks(snippet: string): Segment[] {
  const out: Segment[] = [];
  let marked = false;
  let i = 0;
  while (i < snippet.length) {
    const marker = marked ? CLOSE : OPEN;
    const stray = marked ? OPEN : CLOSE;
    const next = snippet.indexOf(marker, i);
    const strayAt = snippet.indexOf(stray, i);
    if (strayAt !== -1 && (next === -1 || strayAt < next)) {
      // A repeated open or a close without open: drop the marker, keep the state.
      push(out, snippet.slice(i, strayAt), marked);
      i = strayAt + stray.length;
      continue;
    }
    if (next === -1) {
      push(out, snippet.slice(i), marked);
      break;
    }
    push(out, snippet.slice(i, next), marked);
    i = next + marker.length;
    marked = !marked;
  }
  return out;
}

/** Lower case without accents, so that "chene" finds "chêne" as the server's search does. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a search query, folded (each one is a prefix, as in the server's search). */
export function queryTerms(q: string): string[] {
  return (fold(q).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 0);
}

/** Marks every word of the text that starts with one of the terms. */
export function highlightWords(text: string, terms: readonly string[]): Segment[] {
  const out: Segment[] = [];
  if (terms.length === 0) {
    push(out, text, false);
    return out;
  }
  let last = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = fold(m[0]);
    if (!terms.some((term) => word.startsWith(term))) continue;
    const at = m.index ?? 0;
    push(out, text.slice(last, at), false);
    push(out, m[0], true);
    last = at + m[0].length;
  }
  push(out, text.slice(last), false);
  return out;
}
