// Money as the API wants it: integer minor units (cents). Amounts typed by people are parsed as
// decimal strings, digit by digit, never through a floating-point number.

export type MoneyParse =
  | { ok: true; minor: number | null }
  | { ok: false; reason: 'format' | 'decimals' | 'negative' | 'too_large' };

const GROUPED = { ',': /^\d{1,3}(,\d{3})+$/, '.': /^\d{1,3}(\.\d{3})+$/ } as const;

/**
 * Parses an amount in euros ("1 234,56", "1234.56", "1.234,56", "1,234.56", "12") into cents.
 * An empty string is "no amount" (minor null). More than two decimals is refused, and so is a
 * lone separator followed by three digits ("1,234"), which French and English read differently.
 */
export function parseMoney(input: string): MoneyParse {
  // Spaces of every kind (French groups digits with a narrow no-break space), the Swiss
  // apostrophe, and a currency sign are only decoration.
  let s = input.replace(/[\s\u00a0\u202f'’]/g, '').replace(/^€|€$|EUR$/gi, '');
  if (s === '') return { ok: true, minor: null };
  if (s.startsWith('-')) return { ok: false, reason: 'negative' };
  if (s.startsWith('+')) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return { ok: false, reason: 'format' };

  let whole = s;
  let fraction = '';
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  const last = Math.max(lastComma, lastDot);
  if (last >= 0) {
    const sep = s.charAt(last) as ',' | '.';
    const other = sep === ',' ? '.' : ',';
    const sepCount = s.split(sep).length - 1;
    if (sepCount > 1 && !s.includes(other)) {
      // "1.234.567": the separator only groups thousands.
      if (!GROUPED[sep].test(s)) return { ok: false, reason: 'format' };
      whole = s.split(sep).join('');
    } else {
      if (sepCount > 1) return { ok: false, reason: 'format' };
      whole = s.slice(0, last);
      fraction = s.slice(last + 1);
      if (whole.includes(other)) {
        if (!GROUPED[other].test(whole)) return { ok: false, reason: 'format' };
        whole = whole.split(other).join('');
      }
      if (fraction === '' || !/^\d+$/.test(fraction)) return { ok: false, reason: 'format' };
      if (fraction.length > 2) return { ok: false, reason: 'decimals' };
    }
  }
  if (whole === '') whole = '0';
  if (!/^\d+$/.test(whole)) return { ok: false, reason: 'format' };
  const minor = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'too_large' };
  return { ok: true, minor: Number(minor) };
}

function split(minor: number): { negative: boolean; whole: bigint; cents: string } {
  const m = BigInt(minor);
  const abs = m < 0n ? -m : m;
  return { negative: m < 0n, whole: abs / 100n, cents: (abs % 100n).toString().padStart(2, '0') };
}

/** "1 234,56 €" (fr) or "€1,234.56" (en), exact for any integer number of cents. */
export function formatMoney(minor: number | null | undefined, currency: string, locale: string): string {
  if (minor === null || minor === undefined) return '—';
  const { negative, whole, cents } = split(minor);
  const fmt = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2 });
  // Format the whole part as an exact BigInt, then put the real cents in the fraction's place.
  const parts = fmt.formatToParts(negative ? -whole : whole);
  return parts.map((p) => (p.type === 'fraction' ? cents : p.value)).join('');
}

/** The value to put back in an amount field: "1234,56" (fr) or "1234.56" (en). */
export function minorToInput(minor: number | null, locale: string): string {
  if (minor === null) return '';
  const { whole, cents } = split(minor);
  return `${whole}${locale.startsWith('fr') ? ',' : '.'}${cents}`;
}
