// Small shared pieces: routing by hash, loading state, paging, job progress, badges.
import { type VNode, cloneElement } from "preact";
import { useCallback, useEffect, useId, useRef, useState } from "preact/hooks";
import { ApiError, type Role, get, post, watchJob } from "./api";

export function useRoute(): string[] {
  const read = () => (location.hash.replace(/^#\/?/, "") || "datasets").split("/").map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export function go(path: string): void {
  location.hash = `#/${path}`;
}

/** What a role may do in the console; the API enforces the same rules on every call. */
const EDITORS: Role[] = ["ROLE_EDITOR", "ROLE_ADMIN"];
export const can = {
  edit: (role: Role) => EDITORS.includes(role),
  review: (role: Role) => role === "ROLE_REVIEWER" || role === "ROLE_ADMIN",
  administer: (role: Role) => role === "ROLE_ADMIN",
};

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | Error | undefined>(undefined);
  // Only the latest load's reply counts: an earlier one arriving after it is stale.
  const latest = useRef(0);
  const reload = useCallback(() => {
    const call = ++latest.current;
    setError(undefined);
    load().then(
      (loaded) => call === latest.current && setValue(loaded),
      (failed) => call === latest.current && setError(failed),
    );
  }, deps);
  useEffect(reload, [reload]);
  return { value, error, reload, setValue };
}

/** `value` once it has stayed the same for `ms` milliseconds (a search box's text). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function ErrorNote({ error }: { error?: Error }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  return (
    <p class="error" role="alert">
      <strong>Error{problem?.code ? ` (${problem.code})` : ""}:</strong> {error.message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return <p aria-live="polite">Loading {what}…</p>;
}

/** Pages through a list method with page tokens: only the current page is ever loaded. */
export function usePaged<T>(path: string, field: string, pageSize: number, query: Record<string, string> = {}) {
  const [tokens, setTokens] = useState<string[]>([""]);
  const key = JSON.stringify(query);
  useEffect(() => setTokens([""]), [path, key]);
  const token = tokens[tokens.length - 1];
  const page = useLoad<{ items: T[]; next: string }>(async () => {
    const reply = await get(path, { pageSize, pageToken: token, ...query });
    return { items: reply[field] ?? [], next: reply.nextPageToken ?? "" };
  }, [path, token, key]);
  return {
    ...page,
    pageNumber: tokens.length,
    next: () => page.value?.next && setTokens([...tokens, page.value.next]),
    previous: () => tokens.length > 1 && setTokens(tokens.slice(0, -1)),
  };
}

export function Pager({ paged, label }: { paged: ReturnType<typeof usePaged<any>>; label: string }) {
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={paged.previous} disabled={paged.pageNumber === 1}>
        Previous page
      </button>
      <span aria-live="polite">Page {paged.pageNumber}</span>
      <button type="button" onClick={paged.next} disabled={!paged.value?.next}>
        Next page
      </button>
    </nav>
  );
}

const STATE_WORDS: Record<string, string> = {
  JOB_STATE_QUEUED: "Queued",
  JOB_STATE_RUNNING: "Running",
  JOB_STATE_SUCCEEDED: "Succeeded",
  JOB_STATE_FAILED: "Failed",
  JOB_STATE_CANCELLED: "Cancelled",
  ARTIFACT_STATE_DRAFT: "Draft",
  ARTIFACT_STATE_APPROVED: "Approved",
  ARTIFACT_STATE_REJECTED: "Rejected",
  ARTIFACT_STATE_CHANGES_REQUESTED: "Changes requested",
  VERDICT_PASSED: "Passed",
  VERDICT_FAILED: "Failed",
  VERDICT_NOT_RUN: "Not run",
};

/** A state as a word and a symbol: colour is never the only signal. */
export function Badge({ state }: { state?: string }) {
  const word = STATE_WORDS[state ?? ""] ?? (state || "Unknown");
  const tone = /SUCCEEDED|APPROVED|PASSED/.test(state ?? "")
    ? "good"
    : /FAILED|REJECTED|CANCELLED/.test(state ?? "")
      ? "bad"
      : "neutral";
  const symbol = tone === "good" ? "✓" : tone === "bad" ? "✗" : "●";
  return (
    <span class={`badge ${tone}`}>
      <span aria-hidden="true">{symbol} </span>
      {word}
    </span>
  );
}

export const TERMINAL = new Set(["JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED"]);

/** A job followed live over server-sent events, with a cancel button while it runs. */
export function JobProgress({ jobId, canCancel, onDone }: { jobId: string; canCancel: boolean; onDone?: (job: any) => void }) {
  const [job, setJob] = useState<any>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  useEffect(() => {
    const abort = new AbortController();
    watchJob(
      jobId,
      (update) => {
        setJob(update);
        if (TERMINAL.has(update.state)) onDone?.(update);
      },
      abort.signal,
    ).catch((reason) => {
      if (!abort.signal.aborted) setError(reason);
    });
    return () => abort.abort();
  }, [jobId]);
  const cancel = async () => {
    try {
      setJob(await post(`/v1/jobs/${jobId}:cancel`));
    } catch (reason) {
      setError(reason as Error);
    }
  };
  if (!job) return error ? <ErrorNote error={error} /> : <Loading what="the job" />;
  const percent = Math.round((job.progress ?? 0) * 100);
  return (
    <section class="job" aria-label={`Job ${job.id}`}>
      <p>
        <code>{job.kind}</code> <Badge state={job.state} /> {job.message && <span>— {job.message}</span>}
      </p>
      <progress max={100} value={percent} aria-label="Job progress">
        {percent}%
      </progress>{" "}
      <span data-testid="job-percent">{percent}%</span>
      {canCancel && !TERMINAL.has(job.state) && (
        <button type="button" onClick={cancel} disabled={job.cancelRequested}>
          {job.cancelRequested ? "Cancelling…" : "Cancel job"}
        </button>
      )}
      {job.state === "JOB_STATE_FAILED" && <p class="error" role="alert">Failed: {job.error?.message}</p>}
      {job.state === "JOB_STATE_SUCCEEDED" && <JobResult kind={job.kind} result={job.result ?? {}} />}
      <ErrorNote error={error} />
    </section>
  );
}

const RESULT_LINKS: Record<string, [string, string]> = {
  synthesizer_id: ["synthesizers", "Open synthesizer"],
  dataset_id: ["datasets", "Open dataset"],
  report_id: ["reports", "Open report"],
  artifact_id: ["reviews", "Open draft"],
};

function JobResult({ kind, result }: { kind: string; result: Record<string, unknown> }) {
  // Differentially private synthesizers live in the privacy service: no page of their own yet.
  const links = Object.entries(RESULT_LINKS).filter(
    ([key]) => typeof result[key] === "string" && !(kind.startsWith("privacy.") && key === "synthesizer_id"),
  );
  if (kind.startsWith("privacy.") && typeof result.synthesizer_id === "string") {
    return (
      <p>
        Trained differentially private synthesizer {result.synthesizer_id}: sample it into a dataset with{" "}
        <code>synthstudio sample {result.synthesizer_id} --rows 1000</code>, then evaluate and release it.
      </p>
    );
  }
  return (
    <ul class="links">
      {links.map(([key, [page, text]]) => (
        <li key={key}>
          <a href={`#/${page}/${result[key]}`}>
            {text} {String(result[key])}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function when(timestamp?: string): string {
  return timestamp ? new Date(timestamp).toLocaleString() : "";
}

/** A labelled control. The label names the control by id rather than wrapping it, so a select's
 * accessible name is its label alone, not the label plus the chosen option. */
export function Field({ label, children }: { label: string; children: VNode<any> }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {cloneElement(children, { id })}
    </div>
  );
}

/** Starts a job on click and follows it live; `onDone` runs when it ends. */
export function JobButton({ label, start, onDone, children }: { label: string; start: () => Promise<any>; onDone?: (job: any) => void; children?: any }) {
  const [jobId, setJobId] = useState("");
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const click = async () => {
    setError(undefined);
    setBusy(true);
    try {
      setJobId((await start()).id);
    } catch (reason) {
      setError(reason as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="action">
      {children}
      <button type="button" onClick={click} disabled={busy}>
        {label}
      </button>
      <ErrorNote error={error} />
      {jobId && <JobProgress key={jobId} jobId={jobId} canCancel onDone={onDone} />}
    </div>
  );
}
