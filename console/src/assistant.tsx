// The assistant: ask a feature about a dataset or a report; the answer is a draft for review.
import { useState } from "preact/hooks";
import { type Role, post } from "./api";
import { Field, JobButton, can } from "./ui";

// Each feature, what it is called here, and which inputs it takes.
const FEATURES: Record<string, { label: string; needs: ("datasetId" | "reportId" | "question" | "regulation")[] }> = {
  answerQuestion: { label: "Answer a question about a dataset", needs: ["datasetId", "question"] },
  suggestSynthesizer: { label: "Suggest a synthesizer", needs: ["datasetId"] },
  dataDictionary: { label: "Write a data dictionary", needs: ["datasetId"] },
  classifyColumns: { label: "Classify the columns (PII, quasi-identifiers)", needs: ["datasetId"] },
  explainEvaluation: { label: "Explain an evaluation report", needs: ["reportId"] },
  explainPrivacyRisk: { label: "Explain a report's privacy risks", needs: ["reportId"] },
  complianceReport: { label: "Draft a compliance report", needs: ["datasetId", "regulation", "reportId"] },
};
const REGULATIONS = ["REGULATION_GDPR", "REGULATION_HIPAA", "REGULATION_CCPA"];

/** `#/assistant/<feature>/<id>` opens a feature with its dataset or report filled in. */
export function AssistantPage({ role, feature: initial, id }: { role: Role; feature?: string; id?: string }) {
  const start = initial && FEATURES[initial] ? initial : "answerQuestion";
  const [feature, setFeature] = useState(start);
  const [values, setValues] = useState({
    datasetId: id && FEATURES[start].needs[0] === "datasetId" ? id : "",
    reportId: id && FEATURES[start].needs[0] === "reportId" ? id : "",
    question: "",
    regulation: REGULATIONS[0],
  });
  if (!can.edit(role)) return <h1>Assistant (editors only)</h1>;
  const needs = FEATURES[feature].needs;
  const input = Object.fromEntries(needs.map((name) => [name, values[name]]).filter(([, value]) => value !== ""));
  const set = (name: keyof typeof values) => (e: Event) =>
    setValues({ ...values, [name]: (e.currentTarget as HTMLInputElement).value });
  return (
    <>
      <h1>Assistant</h1>
      <p>The answer is stored as a draft: a reviewer other than you approves it before anyone uses it.</p>
      <Field label="Feature">
        <select value={feature} onChange={(e) => setFeature(e.currentTarget.value)}>
          {Object.entries(FEATURES).map(([value, f]) => (
            <option key={value} value={value}>
              {f.label}
            </option>
          ))}
        </select>
      </Field>
      {needs.includes("datasetId") && (
        <Field label="Dataset id">
          <input value={values.datasetId} onInput={set("datasetId")} placeholder="ds_…" />
        </Field>
      )}
      {needs.includes("reportId") && (
        <Field label={feature === "complianceReport" ? "Report id (optional)" : "Report id"}>
          <input value={values.reportId} onInput={set("reportId")} placeholder="rep_…" />
        </Field>
      )}
      {needs.includes("regulation") && (
        <Field label="Regulation">
          <select value={values.regulation} onChange={set("regulation")}>
            {REGULATIONS.map((r) => (
              <option key={r} value={r}>
                {r.replace("REGULATION_", "")}
              </option>
            ))}
          </select>
        </Field>
      )}
      {needs.includes("question") && (
        <Field label="Question">
          <textarea rows={3} value={values.question} onInput={set("question")} />
        </Field>
      )}
      <JobButton label="Ask" start={() => post("/v1/artifacts", { [feature]: input })} />
    </>
  );
}
