// Synthesizers: the trained models, sampling into a new dataset, and a quick 20-row preview.
import { useState } from "preact/hooks";
import { type Role, authorizedFetch, get, post } from "./api";
import { ErrorNote, Field, JobButton, Loading, Pager, can, useLoad, usePaged, when } from "./ui";

export function SynthesizersPage() {
  const paged = usePaged<any>("/v1/synthesizers", "synthesizers", 20);
  return (
    <>
      <h1>Synthesizers</h1>
      <ErrorNote error={paged.error} />
      {!paged.value ? (
        <Loading what="synthesizers" />
      ) : (
        <table>
          <caption>Trained synthesizers, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Dataset</th>
              <th scope="col">Trained</th>
            </tr>
          </thead>
          <tbody>
            {paged.value.items.map((s) => (
              <tr key={s.id}>
                <td>
                  <a href={`#/synthesizers/${s.id}`}>{s.displayName || s.id}</a>
                </td>
                <td>{s.kind?.replace("SYNTHESIZER_KIND_", "")}</td>
                <td>
                  <a href={`#/datasets/${s.datasetId}`}>{s.datasetId}</a>
                </td>
                <td>{when(s.createTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager paged={paged} label="Synthesizer" />
    </>
  );
}

/** Splits CSV text into rows, honouring quoted fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else if (ch !== "\r") field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

/** The columns a single-table synthesizer was trained on, from its SDV metadata. */
function columnsOf(synthesizer: any): string[] {
  const tables = synthesizer.metadata?.tables ?? {};
  const first = Object.values(tables)[0] as any;
  return Object.keys(first?.columns ?? {});
}

/** A condition's value as JSON: a number where the text is one, else the text. */
function asJsonValue(text: string): string | number {
  return text.trim() !== "" && !Number.isNaN(Number(text)) ? Number(text) : text;
}

/** 20 rows streamed straight from the model, without storing a dataset. */
async function preview(synthesizerId: string, seed: number): Promise<string[][]> {
  const response = await authorizedFetch(
    `/v1/synthesizers/${synthesizerId}:stream?numRows=20&seed=${seed}`,
  );
  const text = await response.text();
  if (!response.ok) throw new Error(JSON.parse(text).detail);
  const csv = text
    .split("\n")
    .filter(Boolean)
    .map((line) => new TextDecoder().decode(Uint8Array.from(atob(JSON.parse(line).data ?? ""), (c) => c.charCodeAt(0))))
    .join("");
  return parseCsv(csv);
}

export function SynthesizerPage({ id, role }: { id: string; role: Role }) {
  const synthesizer = useLoad(() => get(`/v1/synthesizers/${id}`), [id]);
  const [rows, setRows] = useState(1000);
  const [seed, setSeed] = useState(0);
  const [conditionColumn, setConditionColumn] = useState("");
  const [conditionValue, setConditionValue] = useState("");
  const [sample, setSample] = useState<string[][] | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  if (synthesizer.error) return <ErrorNote error={synthesizer.error} />;
  const s = synthesizer.value;
  if (!s) return <Loading what="the synthesizer" />;
  const showPreview = async () => {
    setError(undefined);
    try {
      setSample(await preview(id, seed));
    } catch (reason) {
      setError(reason as Error);
    }
  };
  return (
    <>
      <h1>{s.displayName || s.id}</h1>
      <dl class="facts">
        <dt>Kind</dt>
        <dd>{s.kind?.replace("SYNTHESIZER_KIND_", "")}</dd>
        <dt>Trained on</dt>
        <dd>
          <a href={`#/datasets/${s.datasetId}`}>{s.datasetId}</a>
        </dd>
        <dt>Training time</dt>
        <dd>{(s.trainingSeconds ?? 0).toFixed(1)} s</dd>
        <dt>Warnings</dt>
        <dd>{(s.warnings ?? []).join("; ") || "none"}</dd>
      </dl>
      {can.edit(role) && (
        <section aria-labelledby="sample-heading">
          <h2 id="sample-heading">Sample</h2>
          <Field label="Rows">
            <input type="number" min={1} value={rows} onInput={(e) => setRows(Number(e.currentTarget.value))} />
          </Field>
          <Field label="Seed">
            <input type="number" min={0} value={seed} onInput={(e) => setSeed(Number(e.currentTarget.value))} />
          </Field>
          <Field label="Condition column (optional)">
            <select value={conditionColumn} onChange={(e) => setConditionColumn(e.currentTarget.value)}>
              <option value="">No condition</option>
              {columnsOf(s).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </Field>
          {conditionColumn && (
            <Field label={`Every sampled row has ${conditionColumn} equal to`}>
              <input value={conditionValue} onInput={(e) => setConditionValue(e.currentTarget.value)} />
            </Field>
          )}
          <button type="button" onClick={showPreview}>
            Preview 20 rows
          </button>
          <ErrorNote error={error} />
          {sample && sample.length > 0 && (
            <div class="scroll" tabIndex={0} role="region" aria-label="Preview of 20 sampled rows">
              <table>
                <caption>Preview: 20 rows from the model (not stored)</caption>
                <thead>
                  <tr>
                    {sample[0].map((name) => (
                      <th scope="col" key={name}>
                        {name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {sample.slice(1).map((row, i) => (
                    <tr key={i}>
                      {row.map((cell, j) => (
                        <td key={j}>{cell}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <JobButton
            label="Sample into a new dataset"
            start={() =>
              post(`/v1/synthesizers/${id}:sample`, {
                numRows: rows,
                seed,
                conditions: conditionColumn ? [{ column: conditionColumn, equals: asJsonValue(conditionValue) }] : [],
                displayName: `${s.displayName || s.id} sample`,
              })
            }
          />
        </section>
      )}
    </>
  );
}
