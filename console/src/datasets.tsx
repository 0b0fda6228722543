// Datasets: the paged list with upload, and one dataset with its columns, PII verdicts,
// privacy budget, training and evaluation.
import { useState } from "preact/hooks";
import { type Role, get, post, upload } from "./api";
import { TrainForm } from "./train";
import { ErrorNote, Field, JobButton, Loading, Pager, can, go, useDebounced, useLoad, usePaged, when } from "./ui";

const PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 300;

function Upload() {
  const [progress, setProgress] = useState<number | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [dragging, setDragging] = useState(false);
  const [name, setName] = useState("");
  const send = async (file?: File) => {
    if (!file) return;
    setError(undefined);
    setProgress(0);
    try {
      const dataset = await upload(file, name || file.name.replace(/\.(csv|parquet)$/i, ""), setProgress);
      go(`datasets/${dataset.id}`);
    } catch (reason) {
      setError(reason as Error);
      setProgress(undefined);
    }
  };
  return (
    <section
      class={`dropzone${dragging ? " dragging" : ""}`}
      aria-labelledby="upload-heading"
      onDragOver={(event) => (event.preventDefault(), setDragging(true))}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        void send(event.dataTransfer?.files[0]);
      }}
    >
      <h2 id="upload-heading">Upload</h2>
      <p>Drop a CSV or Parquet file here, or choose one. Large files stream to the service.</p>
      <Field label="Dataset name (optional)">
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <label class="field">
        <span>Upload dataset</span>
        <input
          type="file"
          accept=".csv,.parquet,text/csv"
          onChange={(e) => void send(e.currentTarget.files?.[0])}
        />
      </label>
      {progress !== undefined && (
        <p>
          <progress max={100} value={Math.round(progress * 100)} aria-label="Upload progress" />{" "}
          {Math.round(progress * 100)}% sent{progress >= 1 ? ", storing…" : ""}
        </p>
      )}
      <ErrorNote error={error} />
    </section>
  );
}

export function DatasetsPage({ role }: { role: Role }) {
  const [search, setSearch] = useState("");
  // The service searches every page; a pause in typing sends the search.
  const filter = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const paged = usePaged<any>("/v1/datasets", "datasets", PAGE_SIZE, filter ? { filter } : {});
  const shown = paged.value?.items ?? [];
  return (
    <>
      <h1>Datasets</h1>
      {can.edit(role) && <Upload />}
      <Field label="Search datasets by name">
        <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
      </Field>
      <ErrorNote error={paged.error} />
      {!paged.value ? (
        <Loading what="datasets" />
      ) : (
        <table>
          <caption>
            {filter ? `Datasets named like “${filter}”` : "Datasets"}, newest first ({shown.length} shown)
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Id</th>
              <th scope="col">Rows</th>
              <th scope="col">Columns</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={`#/datasets/${d.id}`}>{d.displayName || d.id}</a>
                </td>
                <td>
                  <code>{d.id}</code>
                </td>
                <td>{Number(d.rowCount ?? 0).toLocaleString()}</td>
                <td>{d.columns?.length ?? 0}</td>
                <td>{when(d.createTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager paged={paged} label="Dataset" />
    </>
  );
}

function PiiFindings({ findings }: { findings: any[] }) {
  if (!findings.length) return <p>No column holds personal data in the sampled cells (or no scan has run yet).</p>;
  return (
    <table>
      <caption>PII verdicts with their evidence</caption>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Entity</th>
          <th scope="col">Confidence</th>
          <th scope="col">Matched cells</th>
          <th scope="col">Evidence (masked)</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f) => (
          <tr key={`${f.column}-${f.entityType}`}>
            <td>{f.column}</td>
            <td>{f.entityType}</td>
            <td>{(f.score ?? 0).toFixed(2)}</td>
            <td>
              {f.matchedCount ?? 0} of {f.sampledCount ?? 0}
            </td>
            <td>{(f.examples ?? []).join(", ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Budget({ datasetId }: { datasetId: string }) {
  const budget = useLoad(() => get(`/v1/datasets/${datasetId}/privacyBudget`), [datasetId]);
  const spends = useLoad(() => get(`/v1/datasets/${datasetId}/privacySpends`, { pageSize: 20 }), [datasetId]);
  if (budget.error) return <ErrorNote error={budget.error} />;
  if (!budget.value) return <Loading what="the privacy budget" />;
  const b = budget.value;
  const spent: any[] = spends.value?.spends ?? [];
  return (
    <>
      <p>
        Differential-privacy budget: ε {(b.epsilonSpent ?? 0).toFixed(2)} spent of {(b.epsilonTotal ?? 0).toFixed(2)},{" "}
        {(b.epsilonRemaining ?? 0).toFixed(2)} left{b.isDefault ? " (platform default)" : ""}.
      </p>
      <ErrorNote error={spends.error} />
      {spent.length > 0 && (
        <table>
          <caption>Spends, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">ε</th>
              <th scope="col">δ</th>
              <th scope="col">By</th>
              <th scope="col">Training job</th>
            </tr>
          </thead>
          <tbody>
            {spent.map((spend) => (
              <tr key={spend.spendId}>
                <td>{when(spend.createTime)}</td>
                <td>{(spend.epsilon ?? 0).toFixed(3)}</td>
                <td>{(spend.delta ?? 0).toExponential(1)}</td>
                <td>{spend.principal}</td>
                <td>
                  <a href={`#/jobs/${spend.jobId}`}>{spend.jobId}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function DatasetPage({ id, role }: { id: string; role: Role }) {
  const dataset = useLoad(() => get(`/v1/datasets/${id}`), [id]);
  const synthesizers = useLoad(() => get("/v1/synthesizers", { datasetId: id, pageSize: 20 }), [id]);
  const [target, setTarget] = useState("");
  if (dataset.error) return <ErrorNote error={dataset.error} />;
  const d = dataset.value;
  if (!d) return <Loading what="the dataset" />;
  const findings: any[] = d.piiFindings ?? [];
  const byColumn = new Map<string, string[]>();
  for (const f of findings) byColumn.set(f.column, [...(byColumn.get(f.column) ?? []), f.entityType]);
  return (
    <>
      <h1>{d.displayName || d.id}</h1>
      <dl class="facts">
        <dt>Id</dt>
        <dd>
          <code>{d.id}</code>
        </dd>
        <dt>Rows</dt>
        <dd>{Number(d.rowCount ?? 0).toLocaleString()}</dd>
        <dt>Tables</dt>
        <dd>{(d.tables ?? []).map((t: any) => t.name).join(", ")}</dd>
        <dt>Uploaded by</dt>
        <dd>
          {d.creator}, {when(d.createTime)}
        </dd>
        {d.derivedFrom && (
          <>
            <dt>Derived from</dt>
            <dd>
              <a href={`#/datasets/${d.derivedFrom}`}>{d.derivedFrom}</a>
            </dd>
          </>
        )}
      </dl>
      <section aria-labelledby="columns-heading">
        <h2 id="columns-heading">Columns</h2>
        <table>
          <caption>Columns and their types</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
              <th scope="col">Empty cells</th>
              <th scope="col">PII</th>
            </tr>
          </thead>
          <tbody>
            {(d.columns ?? []).map((c: any) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>
                  <code>{c.dataType}</code>
                </td>
                <td>{Number(c.nullCount ?? 0).toLocaleString()}</td>
                <td>{byColumn.has(c.name) ? `Personal data: ${byColumn.get(c.name)!.join(", ")}` : "None found"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="pii-heading">
        <h2 id="pii-heading">Personal data</h2>
        <PiiFindings findings={findings} />
        {can.edit(role) && (
          <JobButton label="Scan for PII" start={() => post(`/v1/datasets/${id}:scanPii`)} onDone={dataset.reload} />
        )}
      </section>
      <section aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">Privacy budget</h2>
        <Budget datasetId={id} />
      </section>
      {can.edit(role) && (
        <section aria-labelledby="train-heading">
          <h2 id="train-heading">Train a synthesizer</h2>
          <TrainForm dataset={d} onDone={synthesizers.reload} />
        </section>
      )}
      {can.edit(role) && <Treatments dataset={d} />}
      {can.edit(role) && <MetadataEditor dataset={d} onSaved={dataset.setValue} />}
      {can.edit(role) && d.derivedFrom && (
        <section aria-labelledby="evaluate-heading">
          <h2 id="evaluate-heading">Evaluate against the real data</h2>
          <JobButton
            label="Evaluate"
            start={() =>
              post("/v1/reports", {
                realDatasetId: d.derivedFrom,
                syntheticDatasetId: d.id,
                // A quick evaluation: fewer attacks and compared rows than the service's defaults.
                config: { targetColumn: target, anonymeterAttacks: 20, maxPrivacyRows: 300 },
              })
            }
          >
            <Field label="Target column for utility (optional)">
              <select value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                <option value="">None: fidelity and privacy only</option>
                {(d.columns ?? []).map((c: any) => (
                  <option key={c.name} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
            </Field>
          </JobButton>
        </section>
      )}
      <section aria-labelledby="synthesizers-heading">
        <h2 id="synthesizers-heading">Synthesizers trained on it</h2>
        <ErrorNote error={synthesizers.error} />
        <ul class="links">
          {(synthesizers.value?.synthesizers ?? []).map((s: any) => (
            <li key={s.id}>
              <a href={`#/synthesizers/${s.id}`}>{s.displayName || s.id}</a> ({s.kind?.replace("SYNTHESIZER_KIND_", "")})
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

const TREATMENTS = [
  ["keep", "Keep (the model learns it)"],
  ["drop", "Drop"],
  ["mask", "Mask"],
  ["hash", "Hash"],
  ["pseudonymize", "Pseudonymise"],
];

/** The per-column choice before synthesis: an anonymized copy of the dataset to train on. */
function Treatments({ dataset }: { dataset: any }) {
  const pii = new Set((dataset.piiFindings ?? []).map((f: any) => f.column));
  const [choices, setChoices] = useState<Record<string, string>>(() =>
    Object.fromEntries((dataset.columns ?? []).map((c: any) => [c.name, pii.has(c.name) ? "drop" : "keep"])),
  );
  const table = dataset.tables?.[0]?.name ?? "table";
  const policies = {
    [table]: {
      columns: Object.fromEntries(
        Object.entries(choices)
          .filter(([, operator]) => operator !== "keep")
          .map(([column, operator]) => [column, { operator }]),
      ),
    },
  };
  return (
    <section aria-labelledby="treatments-heading">
      <h2 id="treatments-heading">Per-column treatment</h2>
      <p>Columns with personal data start as dropped; the copy leaves the original untouched.</p>
      <JobButton
        label="Make an anonymized copy"
        start={() => post(`/v1/datasets/${dataset.id}:anonymize`, { policies, displayName: `${dataset.displayName || dataset.id} (anonymized)` })}
      >
        <div class="filters">
          {(dataset.columns ?? []).map((c: any) => (
            <Field key={c.name} label={`Treatment of ${c.name}`}>
              <select value={choices[c.name]} onChange={(e) => setChoices({ ...choices, [c.name]: e.currentTarget.value })}>
                {TREATMENTS.map(([value, text]) => (
                  <option key={value} value={value}>
                    {text}
                  </option>
                ))}
              </select>
            </Field>
          ))}
        </div>
      </JobButton>
    </section>
  );
}

/** The SDV metadata (sdtypes, keys, relationships) as JSON, edited and saved in place. */
function MetadataEditor({ dataset, onSaved }: { dataset: any; onSaved: (d: any) => void }) {
  const [text, setText] = useState(() => JSON.stringify(dataset.metadata ?? {}, null, 2));
  const [error, setError] = useState<Error | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setError(undefined);
    setSaved(false);
    try {
      onSaved(await post(`/v1/datasets/${dataset.id}:updateMetadata`, { metadata: JSON.parse(text) }));
      setSaved(true);
    } catch (reason) {
      setError(reason as Error);
    }
  };
  return (
    <section aria-labelledby="metadata-heading">
      <h2 id="metadata-heading">Metadata</h2>
      <details>
        <summary>Edit the SDV metadata (column types, keys, relationships)</summary>
        <Field label="Metadata as JSON">
          <textarea rows={12} class="code" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </Field>
        <button type="button" onClick={save}>
          Save metadata
        </button>
        {saved && <span role="status"> Saved.</span>}
        <ErrorNote error={error} />
      </details>
    </section>
  );
}
