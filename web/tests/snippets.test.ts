import { describe, expect, it } from 'vitest';
import { highlightWords, queryTerms, splitMarks } from '@/lib/snippets';

describe('search snippets', () => {
  it('splits the marked words from the plain text around them', () => {
    expect(splitMarks('Devis pour la <mark>charpente</mark> en <mark>chêne</mark>.')).toEqual([
      { text: 'Devis pour la ', mark: false },
      { text: 'charpente', mark: true },
      { text: ' en ', mark: false },
      { text: 'chêne', mark: true },
      { text: '.', mark: false },
    ]);
  });

  it('keeps any other markup as literal text', () => {
    const segments = splitMarks('<img src=x onerror=alert(1)> <mark><b>béton</b></mark> &amp;');
    expect(segments).toEqual([
      { text: '<img src=x onerror=alert(1)> ', mark: false },
      { text: '<b>béton</b>', mark: true },
      { text: ' &amp;', mark: false },
    ]);
  });

  it('marks the rest after an unclosed marker and drops a stray close', () => {
    expect(splitMarks('a</mark>b<mark>c')).toEqual([
      { text: 'ab', mark: false },
      { text: 'c', mark: true },
    ]);
    expect(splitMarks('<mark>a<mark>b</mark>')).toEqual([{ text: 'ab', mark: true }]);
    expect(splitMarks('')).toEqual([]);
  });

  it('highlights OCR text with the searched words, accents and case folded, as prefixes', () => {
    const terms = queryTerms('Chene  charp');
    expect(terms).toEqual(['chene', 'charp']);
    expect(highlightWords('La CHARPENTE en chêne, 12 480,00 €', terms)).toEqual([
      { text: 'La ', mark: false },
      { text: 'CHARPENTE', mark: true },
      { text: ' en ', mark: false },
      { text: 'chêne', mark: true },
      { text: ', 12 480,00 €', mark: false },
    ]);
    expect(highlightWords('rien', [])).toEqual([{ text: 'rien', mark: false }]);
  });
});
