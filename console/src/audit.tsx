// The audit log: filter the hash-chained events and verify the chain.
import { useState } from "preact/hooks";
import { post } from "./api";
import { Badge, ErrorNote, Field, Loading, Pager, usePaged, when } from "./ui";

export function AuditPage() {
  const [filters, setFilters] = useState({ principal: "", action: "", outcome: "" });
  const [draft, setDraft] = useState(filters);
  const paged = usePaged<any>("/v1/auditEvents", "events", 25, filters);
  const [verdict, setVerdict] = useState<any>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const verify = async () => {
    setError(undefined);
    try {
      setVerdict(await post("/v1/auditEvents:verify"));
    } catch (reason) {
      setError(reason as Error);
    }
  };
  return (
    <>
      <h1>Audit</h1>
      <p>
        <button type="button" onClick={verify}>
          Verify the chain
        </button>{" "}
        {verdict && (
          <span role="status">
            <Badge state={verdict.intact ? "VERDICT_PASSED" : "VERDICT_FAILED"} />{" "}
            {verdict.intact
              ? `intact: ${verdict.checked} events checked`
              : `broken at event ${verdict.firstBadSequence}: ${verdict.reason}`}
          </span>
        )}
      </p>
      <ErrorNote error={error} />
      <form
        class="filters"
        aria-label="Filter audit events"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        {(["principal", "action", "outcome"] as const).map((name) => (
          <Field key={name} label={name[0].toUpperCase() + name.slice(1)}>
            <input value={draft[name]} onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })} />
          </Field>
        ))}
        <button type="submit">Filter</button>
      </form>
      <ErrorNote error={paged.error} />
      {!paged.value ? (
        <Loading what="audit events" />
      ) : (
        <table>
          <caption>Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Principal</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {paged.value.items.map((e) => (
              <tr key={e.sequence}>
                <td>{e.sequence}</td>
                <td>{when(e.time)}</td>
                <td>{e.principal}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.resource}</td>
                <td>{e.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager paged={paged} label="Audit event" />
    </>
  );
}
