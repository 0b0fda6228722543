// Reports: evaluations of synthetic data against the real data it imitates, with plots drawn
// here from the report's JSON and the figures the evaluation service rendered.
import { useState } from "preact/hooks";
import { type Role, get, saveBase64 } from "./api";
import { Badge, ErrorNote, Loading, Pager, can, useLoad, usePaged, when } from "./ui";

const pct = (value?: number) => (value === undefined || value === null ? "—" : `${(value * 100).toFixed(1)}%`);
// proto3 JSON leaves zeros out: non-optional figures read as 0 when absent, optional ones as "—".
const num = (value?: number) => (value === undefined || value === null ? "—" : value.toFixed(3));

export function ReportsPage() {
  const paged = usePaged<any>("/v1/reports", "reports", 20);
  return (
    <>
      <h1>Reports</h1>
      <ErrorNote error={paged.error} />
      {!paged.value ? (
        <Loading what="reports" />
      ) : (
        <table>
          <caption>Evaluation reports, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Synthesizer</th>
              <th scope="col">Real dataset</th>
              <th scope="col">Fidelity</th>
              <th scope="col">Verdict</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {paged.value.items.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`#/reports/${r.id}`}>{r.synthesizerName || r.id}</a>
                </td>
                <td>{r.datasetName || r.realDatasetId}</td>
                <td>{pct(r.qualityScore)}</td>
                <td>
                  <Badge state={r.overallVerdict} />
                </td>
                <td>{when(r.createTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager paged={paged} label="Report" />
    </>
  );
}

/** One horizontal bar per column: how closely each synthetic column's distribution matches. */
function ColumnShapes({ shapes }: { shapes: any[] }) {
  const scored = shapes.filter((s) => typeof s.score === "number");
  const rowHeight = 22;
  const width = 560;
  const labelWidth = 160;
  return (
    <figure>
      <svg
        role="img"
        aria-labelledby="shapes-caption"
        viewBox={`0 0 ${width} ${scored.length * rowHeight + 10}`}
        width={width}
        height={scored.length * rowHeight + 10}
        class="chart"
      >
        {scored.map((s, i) => (
          <g key={s.column} transform={`translate(0 ${i * rowHeight + 5})`}>
            <text x={labelWidth - 6} y={14} text-anchor="end">
              {s.column}
            </text>
            <rect x={labelWidth} y={2} width={(width - labelWidth - 60) * s.score} height={rowHeight - 6} class="bar">
              <title>
                {s.column}: {s.metric} {num(s.score)}, holdout {num(s.holdoutScore)}
              </title>
            </rect>
            {typeof s.holdoutScore === "number" && (
              <line
                class="ceiling"
                x1={labelWidth + (width - labelWidth - 60) * s.holdoutScore}
                x2={labelWidth + (width - labelWidth - 60) * s.holdoutScore}
                y1={0}
                y2={rowHeight - 2}
              />
            )}
            <text x={labelWidth + (width - labelWidth - 60) * s.score + 4} y={14}>
              {num(s.score)}
            </text>
          </g>
        ))}
      </svg>
      <figcaption id="shapes-caption">
        Column shapes: per-column distribution similarity (KS / TV complement, 1 = identical) for {scored.length} columns; the
        dark tick is the holdout's own score, the real-vs-real ceiling
      </figcaption>
    </figure>
  );
}

/** A heatmap of pair trends: each cell's shade and printed value is the pair's score. */
function PairHeatmap({ pairs }: { pairs: any[] }) {
  const scored = pairs.filter((p) => typeof p.score === "number");
  const columns = [...new Set(scored.flatMap((p) => [p.column1, p.column2]))];
  const cell = Math.max(26, Math.min(48, Math.floor(480 / Math.max(1, columns.length))));
  const label = 130;
  const size = label + cell * columns.length;
  const score = new Map<string, number>();
  for (const p of scored) {
    score.set(`${p.column1}|${p.column2}`, p.score);
    score.set(`${p.column2}|${p.column1}`, p.score);
  }
  return (
    <figure>
      <svg role="img" aria-labelledby="pairs-caption" viewBox={`0 0 ${size} ${size}`} width={size} height={size} class="chart">
        {columns.map((name, i) => (
          <g key={name}>
            <text x={label - 4} y={label + i * cell + cell / 2 + 4} text-anchor="end">
              {name}
            </text>
            <text transform={`translate(${label + i * cell + cell / 2 + 4} ${label - 4}) rotate(-60)`}>{name}</text>
          </g>
        ))}
        {columns.flatMap((row, i) =>
          columns.map((col, j) => {
            const value = i === j ? 1 : score.get(`${row}|${col}`);
            return (
              <g key={`${row}|${col}`} transform={`translate(${label + j * cell} ${label + i * cell})`}>
                <rect width={cell - 1} height={cell - 1} class="cell" fill-opacity={value === undefined ? 0.05 : 0.15 + 0.85 * value}>
                  <title>
                    {row} × {col}: {value === undefined ? "not computed" : num(value)}
                  </title>
                </rect>
                {cell >= 30 && value !== undefined && i !== j && (
                  <text x={cell / 2} y={cell / 2 + 4} text-anchor="middle" class={value > 0.6 ? "on-dark" : ""}>
                    {value.toFixed(2)}
                  </text>
                )}
              </g>
            );
          }),
        )}
      </svg>
      <figcaption id="pairs-caption">
        Column pair trends: how well {scored.length} pairwise correlations and associations are kept (darker = closer, value printed in
        each cell)
      </figcaption>
    </figure>
  );
}

function Privacy({ report }: { report: any }) {
  const details = report.privacy ?? {};
  return (
    <section aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">Privacy</h2>
      <p>
        Verdict: <Badge state={report.privacyVerdict} />
      </p>
      <dl class="facts">
        <dt>Closer to training than holdout (DCR share, 50% ideal)</dt>
        <dd>{pct(report.dcrShare)}</dd>
        <dt>Exact copies of training rows</dt>
        <dd>{pct(report.exactCopyRate)}</dd>
        <dt>Membership inference AUC (0.5 = guessing)</dt>
        <dd>{num(report.membershipInferenceAuc)}</dd>
      </dl>
      {(details.checks ?? []).length > 0 && (
        <table>
          <caption>Privacy checks</caption>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Value</th>
              <th scope="col">Limit</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {details.checks.map((c: any) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{num(c.value ?? 0)}</td>
                <td>{num(c.limit ?? 0)}</td>
                <td>
                  <Badge state={c.passed ? "VERDICT_PASSED" : "VERDICT_FAILED"} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(report.anonymeterRisks ?? []).length > 0 && (
        <table>
          <caption>Attacks (anonymeter), risk with its confidence interval</caption>
          <thead>
            <tr>
              <th scope="col">Attack</th>
              <th scope="col">Risk</th>
              <th scope="col">Interval</th>
              <th scope="col">Attacks run</th>
            </tr>
          </thead>
          <tbody>
            {report.anonymeterRisks.map((r: any) => (
              <tr key={r.attack}>
                <td>{r.attack}</td>
                <td>{num(r.risk ?? 0)}</td>
                <td>
                  {num(r.ciLow ?? 0)} – {num(r.ciHigh ?? 0)}
                </td>
                <td>{r.nAttacks ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Utility({ utility }: { utility: any }) {
  return (
    <section aria-labelledby="utility-heading">
      <h2 id="utility-heading">Utility</h2>
      <p>
        Predicting <code>{utility.targetColumn}</code> ({(utility.task ?? "").replace("TASK_", "").toLowerCase()}, {utility.primaryMetric}):
        trained on real {num(utility.trainRealTestReal ?? 0)}, trained on synthetic {num(utility.trainSyntheticTestReal ?? 0)}, ratio{" "}
        {num(utility.ratio)}.
      </p>
      <table>
        <caption>Models trained on real and on synthetic rows, tested on the real holdout</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Synthetic / real</th>
          </tr>
        </thead>
        <tbody>
          {(utility.models ?? []).map((m: any) => (
            <tr key={m.model}>
              <td>{m.model}</td>
              <td>{num(m.ratio)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Figures({ id }: { id: string }) {
  const figures = useLoad(async () => {
    const exported = await get(`/v1/reports/${id}:export`, { format: "EXPORT_FORMAT_JSON" });
    const document = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(exported.content), (c) => c.charCodeAt(0))));
    return (document.plots ?? []).filter((p: any) => p.png_base64);
  }, [id]);
  if (figures.error) return <ErrorNote error={figures.error} />;
  if (!figures.value) return <Loading what="the figures" />;
  return (
    <section aria-labelledby="figures-heading">
      <h2 id="figures-heading">Figures</h2>
      {figures.value.length === 0 && <p>This report was computed without figures.</p>}
      {figures.value.map((plot: any) => (
        <figure key={plot.key}>
          <img src={`data:image/png;base64,${plot.png_base64}`} alt={plot.title} class="plot" />
          <figcaption>{plot.title}</figcaption>
        </figure>
      ))}
    </section>
  );
}

function Download({ id }: { id: string }) {
  const [error, setError] = useState<Error | undefined>(undefined);
  const fetchAndSave = async (format: string) => {
    setError(undefined);
    try {
      const file = await get(`/v1/reports/${id}:export`, { format });
      saveBase64(file.content, file.mediaType, file.filename);
    } catch (reason) {
      setError(reason as Error);
    }
  };
  return (
    <p>
      <button type="button" onClick={() => fetchAndSave("EXPORT_FORMAT_HTML")}>
        Download HTML
      </button>{" "}
      <button type="button" onClick={() => fetchAndSave("EXPORT_FORMAT_PDF")}>
        Download PDF
      </button>
      <ErrorNote error={error} />
    </p>
  );
}

export function ReportPage({ id, role }: { id: string; role: Role }) {
  const report = useLoad(() => get(`/v1/reports/${id}`), [id]);
  if (report.error) return <ErrorNote error={report.error} />;
  const r = report.value;
  if (!r) return <Loading what="the report" />;
  const fidelity = r.fidelity ?? {};
  const ceiling = fidelity.holdoutCeiling ?? {};
  return (
    <>
      <h1>Report</h1>
      <p class="subtitle">
        {r.synthesizerName} on {r.datasetName || r.realDatasetId} · <code>{r.id}</code> · {when(r.createTime)}
      </p>
      <Download id={id} />
      {can.edit(role) && (
        <p>
          <a href={`#/assistant/explainEvaluation/${id}`}>Ask the assistant to explain this report</a>
        </p>
      )}
      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <dl class="facts">
          <dt>Fidelity score</dt>
          <dd data-testid="fidelity-score">{pct(r.qualityScore)}</dd>
          <dt>Holdout ceiling (real vs real)</dt>
          <dd>
            {pct(ceiling.qualityScore)}
            {ceiling.rows ? ` — the synthetic data scores ${pct(ceiling.syntheticQualityScore)} on as many rows (${ceiling.rows})` : ""}
            {ceiling.aboveCeiling ? " — above the ceiling: it may copy training rows" : ""}
          </dd>
          <dt>Diagnostic score</dt>
          <dd>{pct(r.diagnosticScore)}</dd>
          <dt>Utility (TSTR / TRTR)</dt>
          <dd>{r.utilityRatio === undefined ? "not measured (no target column)" : num(r.utilityRatio)}</dd>
          <dt>Overall verdict</dt>
          <dd>
            <Badge state={r.overallVerdict} />
          </dd>
        </dl>
        {(r.verdictReasons ?? []).length > 0 && (
          <ul>
            {r.verdictReasons.map((reason: string) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="fidelity-heading">
        <h2 id="fidelity-heading">Fidelity</h2>
        <ColumnShapes shapes={fidelity.columnShapes ?? []} />
        <PairHeatmap pairs={fidelity.columnPairTrends ?? []} />
      </section>
      {r.utility && <Utility utility={r.utility} />}
      <Privacy report={r} />
      <Figures id={id} />
    </>
  );
}
