// How files are described on the documents pages: sizes in the reader's language, content types
// in words a user recognises.

const units = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** 1 234 567 → "1,2 MB" (decimal units, as file managers show them). */
export function formatSize(bytes: number, locale: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const shown = new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  const name = locale.startsWith('fr') ? (units[unit] ?? 'B').replace('B', 'o') : units[unit];
  return `${shown} ${name}`;
}

const typeNames: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/tiff': 'TIFF',
  'application/epub+zip': 'EPUB',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/zip': 'ZIP',
  'text/plain': 'Texte',
};

/** A short name of the content type ("PDF", "PNG"...), or the type itself. */
export function typeLabel(contentType: string): string {
  const base = contentType.split(';')[0]?.trim() ?? contentType;
  return typeNames[base] ?? base;
}
