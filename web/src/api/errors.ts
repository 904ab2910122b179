// The typed error every API call throws: RFC 9457 problem details (or OAuth's error format, or a
// network failure) turned into one shape that forms and alerts can show.

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** Problem type, such as `/problems/validation`; `about:blank` when the body had none. */
  readonly type: string;
  readonly title: string;
  readonly detail: string | null;
  readonly requestId: string | null;
  /** Per-field messages of a validation failure, in the order the server gave them. */
  readonly errors: FieldError[];

  constructor(init: {
    status: number;
    title: string;
    type?: string | undefined;
    detail?: string | null | undefined;
    requestId?: string | null | undefined;
    errors?: FieldError[] | undefined;
  }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.type = init.type ?? 'about:blank';
    this.title = init.title;
    this.detail = init.detail ?? null;
    this.requestId = init.requestId ?? null;
    this.errors = init.errors ?? [];
  }

  /** The field messages keyed by field name (the first message wins when a field has several). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) {
      if (!(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }

  static network(cause: unknown): ApiError {
    const detail = cause instanceof Error ? cause.message : null;
    return new ApiError({ status: 0, type: 'network', title: 'Network error', detail });
  }
}

function isFieldError(v: unknown): v is FieldError {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as FieldError).field === 'string' &&
    typeof (v as FieldError).message === 'string'
  );
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Builds the ApiError of a failed response, whatever its body holds. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: unknown = null;
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  const statusText = res.statusText || `HTTP ${res.status}`;
  if (typeof body !== 'object' || body === null) {
    return new ApiError({ status: res.status, title: statusText });
  }
  const b = body as Record<string, unknown>;
  // OAuth endpoints answer {"error", "error_description"} (RFC 6749 §5.2).
  if (typeof b.error === 'string' && b.title === undefined) {
    return new ApiError({
      status: res.status,
      type: `oauth:${b.error}`,
      title: b.error,
      detail: str(b.error_description),
    });
  }
  const errors = Array.isArray(b.errors) ? b.errors.filter(isFieldError) : [];
  return new ApiError({
    status: typeof b.status === 'number' ? b.status : res.status,
    type: str(b.type) ?? 'about:blank',
    title: str(b.title) ?? statusText,
    detail: str(b.detail),
    requestId: str(b.request_id) ?? res.headers.get('X-Request-Id'),
    errors,
  });
}
