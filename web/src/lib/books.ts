// What the VisioBook pages share: the settings as a form edits them (the target length typed as
// text, the detected language as ""), durations in words, and saving a fetched file.
import type { BookLanguage, BookSettings } from '@/api/books';

export interface SettingsForm {
  style: BookSettings['style'];
  aspect: BookSettings['aspect'];
  pacing: BookSettings['pacing'];
  /** "" for "detected from the text". */
  language: BookLanguage | '';
  voice: string;
  /** Typed text (a number input may also hand a number over). */
  target: string | number;
}

export function settingsForm(s: BookSettings): SettingsForm {
  return {
    style: s.style,
    aspect: s.aspect,
    pacing: s.pacing,
    language: s.language ?? '',
    voice: s.voice,
    target: String(s.target_minutes),
  };
}

/** The settings of a form, or null when the target length is not a whole number from 1 to 120. */
export function settingsOf(form: SettingsForm): BookSettings | null {
  const text = String(form.target).trim();
  if (!/^\d{1,3}$/.test(text)) return null;
  const minutes = Number(text);
  if (minutes < 1 || minutes > 120) return null;
  return {
    style: form.style,
    aspect: form.aspect,
    pacing: form.pacing,
    language: form.language === '' ? null : form.language,
    voice: form.voice,
    target_minutes: minutes,
  };
}

/** The members of `after` that differ from `before` (a merge patch of the settings). */
export function settingsPatch(before: BookSettings, after: BookSettings): Partial<BookSettings> {
  const out: Partial<BookSettings> = {};
  for (const k of Object.keys(after) as (keyof BookSettings)[]) {
    if (before[k] !== after[k]) (out as Record<string, unknown>)[k] = after[k];
  }
  return out;
}

/** 83.4 → "1:23"; 3725 → "1:02:05". */
export function formatDuration(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Hands a fetched file to the browser as a download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
