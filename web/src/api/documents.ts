// Document routes (contracts/openapi/documents.yaml): lists, search, metadata, versions, OCR,
// entities and share links. Uploads go through lib/uploads (XMLHttpRequest, for progress events);
// file bytes through fetchDocumentBlob, which sends the bearer token like the API client does.
import { ApiError, errorFromResponse } from './errors';
import { api } from './instance';
import type { Page } from './types';

export type OcrStatus = 'none' | 'queued' | 'running' | 'done' | 'failed';
export const OCR_STATUSES: readonly OcrStatus[] = ['none', 'queued', 'running', 'done', 'failed'];

export interface DocumentInfo {
  id: string;
  name: string;
  size: number;
  sha256: string;
  content_type: string;
  version: number;
  project_id: string | null;
  task_id: string | null;
  folder: string;
  tags: string[];
  ocr_status: OcrStatus;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface SearchHit extends DocumentInfo {
  /** Plain text with the matched words between <mark> and </mark>. */
  snippet: string;
}

export interface DocumentVersion {
  number: number;
  name: string;
  size: number;
  sha256: string;
  content_type: string;
  created_by: string | null;
  created_at: string;
}

export interface OcrWord {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  confidence: number;
}

export interface OcrPage {
  number: number;
  text: string;
  confidence: number;
  width: number;
  height: number;
  from_text_layer: boolean;
  words: OcrWord[];
}

export interface Ocr {
  document_id: string;
  version: number;
  status: OcrStatus;
  page_count: number;
  pages_done: number;
  error: string | null;
  updated_at: string | null;
  pages: OcrPage[];
}

export type EntityKind =
  | 'amount'
  | 'date'
  | 'siret'
  | 'siren'
  | 'vat_number'
  | 'iban'
  | 'invoice_number'
  | 'quote_number'
  | 'email'
  | 'phone';

export interface DocumentEntity {
  kind: EntityKind;
  value: string;
  text: string;
  page: number;
  offset: number;
  length: number;
  amount_minor?: number;
  currency?: string;
  qualifier?: 'HT' | 'TTC' | 'TVA' | null;
}

export interface Share {
  id: string;
  document_id: string;
  version: number | null;
  has_password: boolean;
  expires_at: string;
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface NewShare {
  expires_in: number;
  password?: string;
}

export interface CreatedShare extends Share {
  token: string;
  url: string;
}

export const documentsBase = '/api/v1/documents';
export const documentPath = (id: string) => `${documentsBase}/${encodeURIComponent(id)}`;

export interface DocumentQuery {
  projectId?: string | null;
  cursor?: string | null;
  limit?: number;
}

export function listDocuments(query: DocumentQuery) {
  return api().get<Page<DocumentInfo>>(documentsBase, {
    query: { project_id: query.projectId, cursor: query.cursor, limit: query.limit ?? 50 },
  });
}

/** Full-text search over names and OCR text (the whole organisation: the server has no project filter). */
export function searchDocuments(q: string, cursor?: string | null, limit = 50) {
  return api().get<Page<SearchHit>>(`${documentsBase}/search`, { query: { q: q.trim(), cursor, limit } });
}

export function getDocument(id: string) {
  return api().get<DocumentInfo>(documentPath(id));
}

export function listVersions(id: string) {
  return api().get<Page<DocumentVersion>>(`${documentPath(id)}/versions`);
}

export function restoreVersion(id: string, n: number) {
  return api().post<DocumentInfo>(`${documentPath(id)}/versions/${n}/restore`);
}

export function getOcr(id: string) {
  return api().get<Ocr>(`${documentPath(id)}/ocr`);
}

export function listEntities(id: string) {
  return api().get<Page<DocumentEntity>>(`${documentPath(id)}/entities`);
}

export function listShares(id: string) {
  return api().get<Page<Share>>(`${documentPath(id)}/shares`);
}

export function createShare(id: string, body: NewShare) {
  return api().post<CreatedShare>(`${documentPath(id)}/shares`, body);
}

export function revokeShare(id: string, shareId: string) {
  return api().delete(`${documentPath(id)}/shares/${encodeURIComponent(shareId)}`);
}

/** The URL the file is downloaded from: the current version, or version n. */
export function contentPath(id: string, version?: number): string {
  return version ? `${documentPath(id)}/versions/${version}/content` : `${documentPath(id)}/content`;
}

/**
 * The bytes of a document as a Blob (for an object URL: an <img> or <iframe> cannot send the bearer
 * token). An expired token is renewed once through the client's refresh, as for JSON calls.
 */
export async function fetchDocumentBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  const client = api();
  const send = async (): Promise<Response> => {
    const token = client.tokens.access;
    try {
      return await globalThis.fetch(path, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        signal: signal ?? null,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw ApiError.network(e);
    }
  };
  let res = await send();
  if (res.status === 401 && client.tokens.refresh() !== null && (await client.refreshSession())) {
    res = await send();
  }
  if (!res.ok) throw await errorFromResponse(res);
  return res.blob();
}

/** Previews the portal can show itself; anything else gets a download button. */
export function previewKind(contentType: string): 'image' | 'pdf' | 'none' {
  if (/^image\/(png|jpeg|gif|webp)$/.test(contentType)) return 'image';
  if (contentType === 'application/pdf') return 'pdf';
  return 'none';
}
