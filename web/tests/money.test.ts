import { describe, expect, it } from 'vitest';
import { formatMoney, minorToInput, parseMoney } from '@/lib/money';

describe('parseMoney', () => {
  it.each([
    ['1 234,56', 123456],
    ['1234.56', 123456],
    ['1234,56', 123456],
    ['1\u202f234,56', 123456],
    ['1\u00a0234,5', 123450],
    ['1.234,56', 123456],
    ['1,234.56', 123456],
    ['1.234.567', 123456700],
    ['12', 1200],
    ['0,07', 7],
    [',5', 50],
    ['4 850 000,00 €', 485000000],
    ['  99  ', 9900],
    ['90071992547409,91', 9007199254740991],
  ])('reads %j as %d cents', (text, cents) => {
    expect(parseMoney(text)).toEqual({ ok: true, minor: cents });
  });

  it('reads an empty field as no amount', () => {
    expect(parseMoney('')).toEqual({ ok: true, minor: null });
    expect(parseMoney('   ')).toEqual({ ok: true, minor: null });
  });

  it('refuses three decimals', () => {
    expect(parseMoney('1234,567')).toEqual({ ok: false, reason: 'decimals' });
    expect(parseMoney('12.345')).toEqual({ ok: false, reason: 'decimals' });
    expect(parseMoney('1 234,567')).toEqual({ ok: false, reason: 'decimals' });
  });

  it.each(['abc', '12,3,4', '1.2.3', '12,', '1,23.45,6', '1 2a', '.', '12.34.56,7'])('refuses %j', (text) => {
    expect(parseMoney(text)).toMatchObject({ ok: false, reason: 'format' });
  });

  it('refuses negative and too large amounts', () => {
    expect(parseMoney('-5')).toEqual({ ok: false, reason: 'negative' });
    expect(parseMoney('90071992547409,92')).toEqual({ ok: false, reason: 'too_large' });
  });

  it('never goes through a float (0.1 + 0.2 style errors)', () => {
    expect(parseMoney('0,29')).toEqual({ ok: true, minor: 29 });
    expect(parseMoney('1.15')).toEqual({ ok: true, minor: 115 });
    expect(parseMoney('4.35')).toEqual({ ok: true, minor: 435 });
  });
});

describe('formatMoney', () => {
  it('writes cents exactly in each language', () => {
    expect(formatMoney(123456, 'EUR', 'fr')).toMatch(/^1\s234,56\s€$/);
    expect(formatMoney(123456, 'EUR', 'en')).toBe('€1,234.56');
    expect(formatMoney(9007199254740991, 'EUR', 'en')).toBe('€90,071,992,547,409.91');
    expect(formatMoney(5, 'EUR', 'en')).toBe('€0.05');
    expect(formatMoney(null, 'EUR', 'fr')).toBe('—');
  });

  it('gives back an amount field its text', () => {
    expect(minorToInput(123456, 'fr')).toBe('1234,56');
    expect(minorToInput(5, 'en')).toBe('0.05');
    expect(minorToInput(null, 'en')).toBe('');
    const back = parseMoney(minorToInput(485000000, 'fr'));
    expect(back).toEqual({ ok: true, minor: 485000000 });
  });
});
