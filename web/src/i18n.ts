// French by default, English on request; the choice is kept in localStorage.
import { createI18n } from 'vue-i18n';
import en from './locales/en.json';
import fr from './locales/fr.json';

export type Locale = 'fr' | 'en';
export const LOCALES: readonly Locale[] = ['fr', 'en'];
export const LOCALE_KEY = 'atelier.locale';

type Messages = typeof fr;

export function savedLocale(): Locale {
  try {
    const v = window.localStorage.getItem(LOCALE_KEY);
    return v === 'en' || v === 'fr' ? v : 'fr';
  } catch {
    return 'fr';
  }
}

export function makeI18n(locale: Locale = savedLocale()) {
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'fr',
    messages: { fr, en },
  });
}

export const i18n = makeI18n();

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    window.localStorage.setItem(LOCALE_KEY, locale);
  } catch {
    // not persisted: the choice lasts until the page is closed
  }
}
