import { sessionAlive, sessionExpired, type TokenProvider } from '../config';

/** One invalid field of a request, as listed in a problem's `errors`. */
export interface FieldError {
  field: string;
  message: string;
}

/** A failed API request: the RFC 9457 problem's words, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly type: string | undefined;

  constructor(status: number, title: string, detail: string, errors: FieldError[] = [], type?: string) {
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
    this.type = type;
  }

  /** The message for one field, if the problem named it. */
  fieldError(field: string): string | undefined {
    return this.errors.find((error) => error.field === field)?.message;
  }
}

/** Thrown before any request when no token provider was given. */
export class NotSignedInError extends ApiError {
  constructor() {
    super(401, 'Not signed in', 'No access token is available: the page has not signed in yet.');
    this.name = 'NotSignedInError';
  }
}

/** The session is over: the token provider gave no token (signed out or expired for good). */
export class SessionExpiredError extends ApiError {
  constructor(cause: unknown) {
    super(401, 'Session expired', cause instanceof Error && cause.message ? cause.message : 'No access token is available.');
    this.name = 'SessionExpiredError';
  }
}

/** Turns an error response into an {@link ApiError}, reading a problem document when there is one. */
export function parseProblem(status: number, statusText: string, contentType: string | null, body: string): ApiError {
  let parsed: unknown;
  if (body && /json/i.test(contentType ?? '')) {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  if (parsed && typeof parsed === 'object') {
    const problem = parsed as Record<string, unknown>;
    const title = typeof problem.title === 'string' ? problem.title : statusText || `HTTP ${status}`;
    const detail = typeof problem.detail === 'string' ? problem.detail : '';
    const errors = Array.isArray(problem.errors)
      ? problem.errors
          .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
          .map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? '') }))
      : [];
    const type = typeof problem.type === 'string' ? problem.type : undefined;
    return new ApiError(status, title, detail, errors, type);
  }
  const text = body && !/html/i.test(contentType ?? '') ? body.trim().slice(0, 300) : '';
  return new ApiError(status, statusText || `HTTP ${status}`, text);
}

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  apiBase: string;
  tokenProvider?: TokenProvider | undefined;
  fetch?: typeof fetch;
}

/** A thin `fetch` wrapper: bearer token on every request, JSON in and out, problems as {@link ApiError}. */
export class ApiClient {
  readonly apiBase: string;
  private readonly tokenProvider: TokenProvider | undefined;
  private readonly fetcher: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.apiBase = options.apiBase.replace(/\/+$/, '');
    this.tokenProvider = options.tokenProvider;
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.json<T>('PUT', path, body);
  }

  delete(path: string): Promise<void> {
    return this.json<void>('DELETE', path);
  }

  /** Posts `multipart/form-data` (an upload); the browser writes the Content-Type with its boundary. */
  postForm<T>(path: string, form: FormData): Promise<T> {
    return this.json<T>('POST', path, form);
  }

  /** Fetches a binary resource (such as a recording) with the token, for use through an object URL. */
  async blob(path: string): Promise<Blob> {
    const response = await this.send('GET', path, undefined, '*/*');
    return response.blob();
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body, 'application/json, application/problem+json');
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async send(method: string, path: string, body: unknown, accept: string): Promise<Response> {
    if (!this.tokenProvider) {
      throw new NotSignedInError();
    }
    const provider = this.tokenProvider;
    let token: string;
    try {
      token = await provider();
    } catch (error) {
      sessionExpired(provider, { reason: 'token-unavailable', apiBase: this.apiBase });
      throw new SessionExpiredError(error);
    }
    sessionAlive(provider, token);
    const headers: Record<string, string> = { Accept: accept, Authorization: `Bearer ${token}` };
    const multipart = typeof FormData !== 'undefined' && body instanceof FormData;
    if (body !== undefined && !multipart) {
      headers['Content-Type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await this.fetcher(this.apiBase + path, {
        method,
        headers,
        body: body === undefined ? undefined : multipart ? (body as FormData) : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'Network error', `Voxdesk could not be reached at ${this.apiBase}.`);
    }
    if (!response.ok) {
      if (response.status === 401) {
        sessionExpired(provider, { reason: 'unauthorized', apiBase: this.apiBase }, token);
      }
      const text = await response.text().catch(() => '');
      throw parseProblem(response.status, response.statusText, response.headers.get('Content-Type'), text);
    }
    return response;
  }
}
