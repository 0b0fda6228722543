// The console's one door to the gateway. The access token lives in this module's memory only;
// the refresh token is an httpOnly cookie that page scripts cannot read (see console.py).

export type Role = "ROLE_VIEWER" | "ROLE_EDITOR" | "ROLE_REVIEWER" | "ROLE_ADMIN";

export interface Principal {
  id: string;
  name: string;
  role: Role;
}

export interface Problem {
  status: number;
  title: string;
  detail: string;
  code?: string;
  reason?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
}

const CSRF_COOKIE = "synthstudio_csrf";
let accessToken = "";
let refreshTimer: number | undefined;

function csrfToken(): string {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.slice(CSRF_COOKIE.length + 1)) : "";
}

async function problemOf(response: Response): Promise<ApiError> {
  try {
    return new ApiError(await response.json());
  } catch {
    return new ApiError({ status: response.status, title: response.statusText, detail: "" });
  }
}

function remember(token: string, expiresIn: number): void {
  accessToken = token;
  window.clearTimeout(refreshTimer);
  // Renew a little before expiry so a page left open keeps working.
  refreshTimer = window.setTimeout(() => void refresh(), Math.max(5, expiresIn - 30) * 1000);
}

export async function signIn(email: string, password: string): Promise<void> {
  const response = await fetch("/console/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw await problemOf(response);
  const body = await response.json();
  remember(body.accessToken, body.expiresIn);
}

/** Whether the browser holds a sign-in that a refresh may resume (its CSRF cookie). */
export function hasSession(): boolean {
  return csrfToken() !== "";
}

/** A fresh access token from the refresh cookie; false when there is no sign-in to resume. */
export async function refresh(): Promise<boolean> {
  const csrf = csrfToken();
  if (!csrf) return false;
  const response = await fetch("/console/session/refresh", {
    method: "POST",
    headers: { "x-csrf-token": csrf },
  });
  if (!response.ok) {
    accessToken = "";
    return false;
  }
  const body = await response.json();
  remember(body.accessToken, body.expiresIn);
  return true;
}

/** Revokes the sign-in at the identity service; the token is forgotten once that worked. */
export async function signOut(): Promise<void> {
  const response = await fetch("/console/session/signout", {
    method: "POST",
    headers: { "x-csrf-token": csrfToken() },
  });
  if (!response.ok && response.status !== 401) throw await problemOf(response);
  window.clearTimeout(refreshTimer);
  accessToken = "";
}

export function authHeaders(): Record<string, string> {
  return accessToken ? { authorization: `Bearer ${accessToken}` } : {};
}

/** fetch with the bearer token, refreshed once if it has expired. */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = () =>
    fetch(path, { ...init, headers: { ...(init.headers as object), ...authHeaders() } });
  let response = await send();
  if (response.status === 401 && (await refresh())) response = await send();
  return response;
}

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function api<T = any>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown } = {},
): Promise<T> {
  const init: RequestInit = { method };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers = { "content-type": "application/json" };
  }
  const response = await authorizedFetch(withQuery(path, options.query), init);
  if (!response.ok) throw await problemOf(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export const get = <T = any>(path: string, query?: Query) => api<T>("GET", path, { query });
export const post = <T = any>(path: string, body: unknown = {}) => api<T>("POST", path, { body });

/** Uploads a table file as it is (streamed by the gateway), reporting the bytes sent. */
export function upload(
  file: File,
  displayName: string,
  onProgress: (fraction: number) => void,
): Promise<any> {
  const format = file.name.toLowerCase().endsWith(".parquet") ? "parquet" : "csv";
  const query = new URLSearchParams({ format, displayName });
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/v1/datasets:upload?${query}`);
    for (const [name, value] of Object.entries(authHeaders())) request.setRequestHeader(name, value);
    request.setRequestHeader("content-type", format === "csv" ? "text/csv" : "application/octet-stream");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = request.responseText ? JSON.parse(request.responseText) : {};
      if (request.status >= 200 && request.status < 300) resolve(body);
      else reject(new ApiError(body));
    };
    request.onerror = () =>
      reject(new ApiError({ status: 0, title: "Network error", detail: "the upload did not reach the gateway" }));
    request.send(file);
  });
}

/** Follows a job through the gateway's server-sent events until it ends or `signal` aborts. */
export async function watchJob(
  jobId: string,
  onJob: (job: any) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await authorizedFetch(`/console/jobs/${encodeURIComponent(jobId)}/events`, {
    signal,
    headers: { accept: "text/event-stream" },
  });
  if (!response.ok || !response.body) throw await problemOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let end: number;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "{}";
      if (event === "job") onJob(JSON.parse(data));
      if (event === "error") throw new ApiError({ status: 0, title: "Watch failed", ...JSON.parse(data) });
    }
  }
}

/** Saves base64 content (an export) as a file the browser downloads. */
export function saveBase64(content: string, mediaType: string, filename: string): void {
  const bytes = Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
