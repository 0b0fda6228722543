// The assistant: ask a feature about a dataset; the answer is a draft for review.
import { useState } from "preact/hooks";
import { type Role, post } from "./api";
import { Field, JobButton, can } from "./ui";

const FEATURES: [string, string][] = [
  ["answerQuestion", "Answer a question about a dataset"],
  ["suggestSynthesizer", "Suggest a synthesizer"],
  ["dataDictionary", "Write a data dictionary"],
  ["classifyColumns", "Classify the columns (PII, quasi-identifiers)"],
];

export function AssistantPage({ role }: { role: Role }) {
  const [feature, setFeature] = useState(FEATURES[0][0]);
  const [datasetId, setDatasetId] = useState("");
  const [question, setQuestion] = useState("");
  if (!can.edit(role)) return <h1>Assistant (editors only)</h1>;
  const input = feature === "answerQuestion" ? { datasetId, question } : { datasetId };
  return (
    <>
      <h1>Assistant</h1>
      <p>The answer is stored as a draft: a reviewer other than you approves it before anyone uses it.</p>
      <Field label="Feature">
        <select value={feature} onChange={(e) => setFeature(e.currentTarget.value)}>
          {FEATURES.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Dataset id">
        <input value={datasetId} onInput={(e) => setDatasetId(e.currentTarget.value.trim())} placeholder="ds_…" />
      </Field>
      {feature === "answerQuestion" && (
        <Field label="Question">
          <textarea rows={3} value={question} onInput={(e) => setQuestion(e.currentTarget.value)} />
        </Field>
      )}
      <JobButton label="Ask" start={() => post("/v1/artifacts", { [feature]: input })} />
    </>
  );
}
