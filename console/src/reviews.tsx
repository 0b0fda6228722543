// The review queue for AI artifacts: read a draft, compare it with its earlier reviews, and
// approve or reject it with a comment. The API refuses a creator's approval of their own draft.
import { useState } from "preact/hooks";
import { type Principal, get, post } from "./api";
import { Badge, ErrorNote, Field, Loading, Pager, can, useLoad, usePaged, when } from "./ui";

const STATES = ["ARTIFACT_STATE_DRAFT", "ARTIFACT_STATE_CHANGES_REQUESTED", "ARTIFACT_STATE_APPROVED", "ARTIFACT_STATE_REJECTED", ""];
const DECISION_STATES: Record<string, string> = {
  REVIEW_DECISION_APPROVE: "ARTIFACT_STATE_APPROVED",
  REVIEW_DECISION_REJECT: "ARTIFACT_STATE_REJECTED",
  REVIEW_DECISION_REQUEST_CHANGES: "ARTIFACT_STATE_CHANGES_REQUESTED",
};
const feature = (value?: string) => (value ?? "").replace("FEATURE_", "").replaceAll("_", " ").toLowerCase();

export function ReviewsPage() {
  const [state, setState] = useState(STATES[0]);
  const paged = usePaged<any>("/v1/artifacts", "artifacts", 20, state ? { state } : {});
  return (
    <>
      <h1>Reviews</h1>
      <Field label="State">
        <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s ? s.replace("ARTIFACT_STATE_", "").replace("_", " ").toLowerCase() : "any"}
            </option>
          ))}
        </select>
      </Field>
      <ErrorNote error={paged.error} />
      {!paged.value ? (
        <Loading what="artifacts" />
      ) : (
        <table>
          <caption>AI artifacts awaiting or past review</caption>
          <thead>
            <tr>
              <th scope="col">Artifact</th>
              <th scope="col">Feature</th>
              <th scope="col">State</th>
              <th scope="col">Created by</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {paged.value.items.map((a) => (
              <tr key={a.id}>
                <td>
                  <a href={`#/reviews/${a.id}`}>{a.id}</a>
                </td>
                <td>{feature(a.feature)}</td>
                <td>
                  <Badge state={a.state} />
                </td>
                <td>{a.creator}</td>
                <td>{when(a.createTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager paged={paged} label="Artifact" />
    </>
  );
}

function ReviewForm({ artifact, onReviewed }: { artifact: any; onReviewed: (a: any) => void }) {
  const [comment, setComment] = useState("");
  const [error, setError] = useState<Error | undefined>(undefined);
  const decide = async (decision: string) => {
    setError(undefined);
    try {
      onReviewed(await post(`/v1/artifacts/${artifact.id}:review`, { decision, comment }));
    } catch (reason) {
      setError(reason as Error);
    }
  };
  return (
    <section aria-labelledby="review-heading">
      <h2 id="review-heading">Your review of revision {artifact.revision}</h2>
      <Field label="Comment">
        <textarea rows={3} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </Field>
      <button type="button" onClick={() => decide("REVIEW_DECISION_APPROVE")}>
        Approve
      </button>{" "}
      <button type="button" onClick={() => decide("REVIEW_DECISION_REQUEST_CHANGES")}>
        Request changes
      </button>{" "}
      <button type="button" onClick={() => decide("REVIEW_DECISION_REJECT")}>
        Reject
      </button>
      <ErrorNote error={error} />
    </section>
  );
}

export function ArtifactPage({ id, principal }: { id: string; principal: Principal }) {
  const artifact = useLoad(() => get(`/v1/artifacts/${id}`), [id]);
  const reviews = useLoad(() => get(`/v1/artifacts/${id}/reviews`), [id]);
  if (artifact.error) return <ErrorNote error={artifact.error} />;
  const a = artifact.value;
  if (!a) return <Loading what="the artifact" />;
  const reviewed = (updated: any) => {
    artifact.setValue(updated);
    reviews.reload();
  };
  return (
    <>
      <h1>Draft {a.id}</h1>
      <dl class="facts">
        <dt>Feature</dt>
        <dd>{feature(a.feature)}</dd>
        <dt>State</dt>
        <dd>
          <Badge state={a.state} />
        </dd>
        <dt>Revision</dt>
        <dd>{a.revision}</dd>
        <dt>Created by</dt>
        <dd>
          {a.creator}, {when(a.createTime)}
        </dd>
        <dt>Model</dt>
        <dd>
          {a.provider} {a.model}
        </dd>
        <dt>About</dt>
        <dd>{(a.inputIds ?? []).join(", ")}</dd>
      </dl>
      {(a.warnings ?? []).length > 0 && <p>Notes: {a.warnings.join("; ")}</p>}
      <section aria-labelledby="output-heading">
        <h2 id="output-heading">The draft</h2>
        <pre class="output" tabIndex={0} aria-label="Draft output">
          {JSON.stringify(a.output ?? {}, null, 2)}
        </pre>
        <details>
          <summary>The prompt as sent (redacted, aggregates only)</summary>
          <pre class="output">{a.prompt}</pre>
        </details>
      </section>
      {can.review(principal.role) && a.state === "ARTIFACT_STATE_DRAFT" && <ReviewForm artifact={a} onReviewed={reviewed} />}
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Reviews</h2>
        <ErrorNote error={reviews.error} />
        <ol>
          {(reviews.value?.reviews ?? []).map((r: any) => (
            <li key={`${r.revision}-${r.createTime}`}>
              Revision {r.revision}: <Badge state={DECISION_STATES[r.decision]} /> by {r.reviewer} ({when(r.createTime)})
              {r.comment && <>: “{r.comment}”</>}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
