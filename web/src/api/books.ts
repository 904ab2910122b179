// VisioBook routes (contracts/openapi/visiobook.yaml): book projects, their source, the runs of
// the pipeline, their versions and files. The source goes up through lib/uploads (XMLHttpRequest,
// for progress events); the files' bytes come down through fetchDocumentBlob, which sends the
// bearer token as the API client does (an <img> or a <video> cannot).
import { fetchDocumentBlob } from './documents';
import { api } from './instance';
import type { Page } from './types';

export type BookStyle = 'sketch' | 'comic' | 'noir';
export type BookAspect = '16:9' | '4:3' | '1:1' | '9:16';
export type BookPacing = 'slow' | 'normal' | 'fast';
export type BookLanguage = 'fr' | 'en';
export type BookStatus = 'draft' | 'idle' | 'queued' | 'running' | 'done' | 'failed';
export type Stage = 'ingestion' | 'analysis' | 'storyboard' | 'narration' | 'assembly';
export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export const STYLES: readonly BookStyle[] = ['sketch', 'comic', 'noir'];
export const ASPECTS: readonly BookAspect[] = ['16:9', '4:3', '1:1', '9:16'];
/** The locale key of each aspect (a colon would not do in a message path). */
export const ASPECT_KEYS: Record<BookAspect, string> = { '16:9': 'landscape', '4:3': 'classic', '1:1': 'square', '9:16': 'portrait' };
export const PACINGS: readonly BookPacing[] = ['slow', 'normal', 'fast'];
export const LANGUAGES: readonly BookLanguage[] = ['fr', 'en'];
/** "" is the default voice; then espeak-ng's variants. */
export const VOICES: readonly string[] = ['', 'f1', 'f2', 'f3', 'f4', 'f5', 'm1', 'm2', 'm3', 'm4', 'm5'];
/** The pipeline's stages, in the order a run goes through them. */
export const STAGES: readonly Stage[] = ['ingestion', 'analysis', 'storyboard', 'narration', 'assembly'];
export const BOOK_STATUSES: readonly BookStatus[] = ['draft', 'idle', 'queued', 'running', 'done', 'failed'];

export interface BookSettings {
  style: BookStyle;
  aspect: BookAspect;
  pacing: BookPacing;
  /** null: detected from the text at ingestion. */
  language: BookLanguage | null;
  voice: string;
  target_minutes: number;
}

export const DEFAULT_SETTINGS: BookSettings = {
  style: 'sketch',
  aspect: '16:9',
  pacing: 'normal',
  language: null,
  voice: '',
  target_minutes: 5,
};

export interface StageState {
  stage: Stage;
  status: StageStatus;
  progress: number;
  error?: string;
}

export interface BookSource {
  name: string;
  format: 'text' | 'epub' | 'pdf' | 'image';
  size: number;
  sha256: string;
}

export interface Book {
  id: string;
  title: string;
  author: string;
  settings: BookSettings;
  status: BookStatus;
  stages: StageState[];
  run_from: Stage | null;
  current_version: number;
  error: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  source: BookSource | null;
}

export interface NewBook {
  title: string;
  author?: string;
  settings?: Partial<BookSettings>;
}

export interface BookPatch {
  title?: string;
  author?: string;
  settings?: Partial<BookSettings>;
}

export interface VersionSummary {
  chapters?: number;
  paragraphs?: number;
  language?: BookLanguage;
  characters?: number;
  scenes?: number;
  words?: number;
  shots?: number;
  narration_seconds?: number;
  video_seconds?: number;
}

export interface BookVersion {
  number: number;
  settings: BookSettings;
  run_from: Stage;
  status: 'running' | 'done' | 'failed';
  summary: VersionSummary;
  created_at: string;
  finished_at: string | null;
}

export interface BookFile {
  name: string;
  stage: Stage;
  content_type: string;
  size: number;
  sha256: string;
}

export type Emotion = 'joy' | 'sadness' | 'fear' | 'anger' | 'surprise' | 'disgust' | 'trust' | 'anticipation';

export interface Character {
  id: string;
  name: string;
  aliases: string[];
  mentions: number;
  lines_spoken: number;
  gender: 'female' | 'male' | null;
}

export interface Scene {
  index: number;
  chapter: number;
  first_paragraph: number;
  last_paragraph: number;
  place: string;
  time_marker: string;
  /** Character ids, most present first. */
  cast: string[];
  summary: string[];
  tone: { emotions: Partial<Record<Emotion, number>>; valence: number; arousal: number; dominant: Emotion | null };
  flags: string[];
  break_reason: string;
  words: number;
}

/** analysis.json */
export interface Analysis {
  language: BookLanguage;
  sentences: number;
  words: number;
  characters: Character[];
  places: { name: string; mentions: number }[];
  time_markers: string[];
  scenes: Scene[];
  classification: { genre_hints: string[]; flags: string[] };
  summary: string[];
}

export interface Shot {
  scene: number;
  chapter: number;
  title: string;
  caption: string;
  narration: string;
  setting: string;
  time: string;
  figures: { character_id: string; name: string; colour: number[]; speaking: boolean }[];
  notes: string;
  narration_words: number;
}

/** storyboard.json */
export interface Storyboard {
  shots: Shot[];
  chapters: { title: string; first_shot: number }[];
  narration_words: number;
}

export const booksBase = '/api/v1/books';
export const bookPath = (id: string) => `${booksBase}/${encodeURIComponent(id)}`;

export function listBooks(cursor?: string | null, limit = 50) {
  return api().get<Page<Book>>(booksBase, { query: { cursor, limit } });
}

export function getBook(id: string) {
  return api().get<Book>(bookPath(id));
}

export function createBook(body: NewBook) {
  return api().post<Book>(booksBase, body);
}

/** A merge patch with If-Match: the ETag of the last read of this book (412 when it changed). */
export function updateBook(id: string, patch: BookPatch, ifMatch?: string) {
  return api().patch<Book>(bookPath(id), patch, ifMatch ? { ifMatch } : {});
}

/** Where the source goes (PUT, the raw file as the body); lib/uploads sends it. */
export function sourceUrl(id: string, fileName: string): string {
  return `${bookPath(id)}/source?${new URLSearchParams({ name: fileName })}`;
}

/** Queues a run from `from` (ingestion by default); 409 with the reason when it cannot start. */
export function startRun(id: string, from?: Stage) {
  return api().post<Book>(`${bookPath(id)}/runs`, from ? { from } : {});
}

export function listBookVersions(id: string) {
  return api().get<{ items: BookVersion[] }>(`${bookPath(id)}/versions`);
}

export function listBookFiles(id: string, version?: number) {
  return api().get<{ items: BookFile[] }>(`${bookPath(id)}/files`, { query: { version } });
}

/** The URL of one file of a version (the current one when left out); the name may hold a slash. */
export function bookFilePath(id: string, name: string, version?: number, download = false): string {
  const q = new URLSearchParams();
  if (version) q.set('version', String(version));
  if (download) q.set('download', '');
  const s = q.toString();
  const file = name.split('/').map(encodeURIComponent).join('/');
  return `${bookPath(id)}/files/${file}${s ? `?${s}` : ''}`;
}

/** A JSON file of the pipeline (analysis.json, storyboard.json), parsed. */
export function getBookJson<T>(id: string, name: string, version?: number) {
  return api().get<T>(`${bookPath(id)}/files/${name}`, { query: { version } });
}

/** The bytes of a file, for an object URL (a panel, the video, the subtitles) or a download. */
export function fetchBookFile(id: string, name: string, version?: number, signal?: AbortSignal): Promise<Blob> {
  return fetchDocumentBlob(bookFilePath(id, name, version), signal);
}

/**
 * A short-lived signed URL for one file (the video, its subtitles): a <video> or <track> element
 * cannot send the token, and streams from this URL with byte ranges instead of downloading first.
 */
export function mediaLink(id: string, file: string, version?: number) {
  return api().post<{ url: string; expires_at: string }>(`${bookPath(id)}/links`, version ? { file, version } : { file });
}

/** The panel drawn for the shot at this index: panels/0001.png for the first. */
export function panelName(shotIndex: number): string {
  return `panels/${String(shotIndex + 1).padStart(4, '0')}.png`;
}

/** A run is waiting for a worker or going through its stages: the page follows it. */
export function isActive(status: BookStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** The whole run's progress, 0..100: each of the five stages counts for a fifth. */
export function overallProgress(stages: readonly StageState[]): number {
  if (stages.length === 0) return 0;
  const sum = stages.reduce((acc, s) => acc + (s.status === 'done' || s.status === 'skipped' ? 100 : s.progress), 0);
  return Math.round(sum / stages.length);
}

/**
 * The stages a run may start from: ingestion, and any later stage all of whose earlier stages are
 * done (the server answers 409 otherwise).
 */
export function redoableStages(stages: readonly StageState[]): Stage[] {
  const out: Stage[] = [];
  for (const stage of STAGES) {
    out.push(stage);
    const state = stages.find((s) => s.stage === stage);
    if (!state || state.status !== 'done') break;
  }
  return out;
}

/** The earliest stage that a change of these settings has to redo, or null when none changed. */
export function stageForSettings(before: BookSettings, after: BookSettings): Stage | null {
  const changed = (k: keyof BookSettings) => before[k] !== after[k];
  if (changed('language')) return 'ingestion';
  if (changed('style') || changed('aspect') || changed('target_minutes')) return 'storyboard';
  if (changed('pacing') || changed('voice')) return 'narration';
  return null;
}
