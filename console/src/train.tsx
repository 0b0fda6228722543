// Training from a dataset's page: the recommended kind preselected, presets, advanced
// hyperparameters behind a disclosure, and differentially private training within the budget.
import { useState } from "preact/hooks";
import { ApiError, get, post } from "./api";
import { Field, JobButton } from "./ui";

const RECOMMENDED: Record<string, string> = {
  DATASET_KIND_MULTI_TABLE: "SYNTHESIZER_KIND_HMA",
  DATASET_KIND_SEQUENTIAL: "SYNTHESIZER_KIND_PAR",
};
const DP_KINDS = new Set(["DP_SYNTHESIZER_KIND_DP_TVAE", "DP_SYNTHESIZER_KIND_DP_CTGAN", "DP_SYNTHESIZER_KIND_DP_MST"]);
const KIND_NAMES: Record<string, string> = {
  SYNTHESIZER_KIND_GAUSSIAN_COPULA: "Gaussian copula",
  SYNTHESIZER_KIND_CTGAN: "CTGAN",
  SYNTHESIZER_KIND_TVAE: "TVAE",
  SYNTHESIZER_KIND_COPULAGAN: "CopulaGAN",
  SYNTHESIZER_KIND_HMA: "HMA (linked tables)",
  SYNTHESIZER_KIND_PAR: "PAR (sequences)",
  DP_SYNTHESIZER_KIND_DP_MST: "DP MST (differentially private marginals)",
  DP_SYNTHESIZER_KIND_DP_TVAE: "DP TVAE (differentially private)",
  DP_SYNTHESIZER_KIND_DP_CTGAN: "DP CTGAN (differentially private)",
};
// Presets for single tables: a kind and the epochs its deep models run.
const PRESETS: Record<string, { label: string; kind: string; epochs?: number }> = {
  fast: { label: "Fast (statistical, seconds)", kind: "SYNTHESIZER_KIND_GAUSSIAN_COPULA" },
  balanced: { label: "Balanced (TVAE, 100 epochs)", kind: "SYNTHESIZER_KIND_TVAE", epochs: 100 },
  fidelity: { label: "Best fidelity (CTGAN, 300 epochs)", kind: "SYNTHESIZER_KIND_CTGAN", epochs: 300 },
  private: { label: "Differentially private (MST)", kind: "DP_SYNTHESIZER_KIND_DP_MST" },
};
const DEEP = new Set(["SYNTHESIZER_KIND_CTGAN", "SYNTHESIZER_KIND_TVAE", "SYNTHESIZER_KIND_COPULAGAN", "DP_SYNTHESIZER_KIND_DP_TVAE", "DP_SYNTHESIZER_KIND_DP_CTGAN"]);

/** The evaluation needs the real dataset's holdout split; draw it the first time. */
async function ensureHoldoutSplit(datasetId: string): Promise<void> {
  try {
    await get(`/v1/datasets/${datasetId}/holdoutSplit`);
  } catch (reason) {
    if (!(reason instanceof ApiError) || reason.problem.status !== 404) throw reason;
    await post(`/v1/datasets/${datasetId}/holdoutSplit`, { holdoutFraction: 0.2 });
  }
}

interface Advanced {
  epochs: string;
  batchSize: string;
  enforceMinMax: boolean;
}

function hyperparameters(kind: string, advanced: Advanced): Record<string, unknown> {
  const common = { enforceMinMaxValues: advanced.enforceMinMax };
  const deep = {
    ...common,
    ...(advanced.epochs ? { epochs: Number(advanced.epochs) } : {}),
    ...(advanced.batchSize ? { batchSize: Number(advanced.batchSize) } : {}),
  };
  switch (kind) {
    case "SYNTHESIZER_KIND_GAUSSIAN_COPULA":
      return { gaussianCopula: common };
    case "SYNTHESIZER_KIND_CTGAN":
      return { ctgan: deep };
    case "SYNTHESIZER_KIND_TVAE":
      return { tvae: deep };
    case "SYNTHESIZER_KIND_COPULAGAN":
      return { copulagan: { ctgan: deep } };
    case "SYNTHESIZER_KIND_HMA":
      return { hma: common };
    default:
      return { par: { ...common, ...(advanced.epochs ? { epochs: Number(advanced.epochs) } : {}) } };
  }
}

export function TrainForm({ dataset, onDone }: { dataset: any; onDone: () => void }) {
  const special = RECOMMENDED[dataset.kind];
  const [preset, setPreset] = useState("fast");
  const [kind, setKind] = useState(special ?? PRESETS.fast.kind);
  const [advanced, setAdvanced] = useState<Advanced>({ epochs: "", batchSize: "", enforceMinMax: true });
  const [epsilon, setEpsilon] = useState("1");
  const choosePreset = (name: string) => {
    setPreset(name);
    setKind(PRESETS[name].kind);
    setAdvanced({ ...advanced, epochs: PRESETS[name].epochs ? String(PRESETS[name].epochs) : "" });
  };
  const kinds = special ? [special] : Object.keys(KIND_NAMES).filter((k) => !Object.values(RECOMMENDED).includes(k));
  const dp = DP_KINDS.has(kind);
  const start = async () => {
    if (dp) {
      // Delta below 1/n, as the privacy service requires, with a wide margin.
      const delta = Math.min(1e-5, 0.1 / Math.max(1, Number(dataset.rowCount ?? 1)));
      return post(`/v1/datasets/${dataset.id}/dpSynthesizers`, {
        kind,
        epsilon: Number(epsilon),
        delta,
        ...(advanced.epochs && DEEP.has(kind) ? { epochs: Number(advanced.epochs) } : {}),
      });
    }
    await ensureHoldoutSplit(dataset.id);
    return post(`/v1/datasets/${dataset.id}/synthesizers`, { kind, ...hyperparameters(kind, advanced) });
  };
  return (
    <JobButton label="Train" start={start} onDone={onDone}>
      {!special && (
        <Field label="Preset">
          <select value={preset} onChange={(e) => choosePreset(e.currentTarget.value)}>
            {Object.entries(PRESETS).map(([name, p]) => (
              <option key={name} value={name}>
                {p.label}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label="Synthesizer kind">
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
          {kinds.map((value) => (
            <option key={value} value={value}>
              {KIND_NAMES[value]}
              {value === (special ?? PRESETS.fast.kind) ? " (recommended)" : ""}
            </option>
          ))}
        </select>
      </Field>
      {dp && (
        <Field label="Privacy budget to spend (epsilon)">
          <input type="number" min={0.01} max={50} step={0.1} value={epsilon} onInput={(e) => setEpsilon(e.currentTarget.value)} />
        </Field>
      )}
      <details>
        <summary>Advanced hyperparameters</summary>
        {DEEP.has(kind) || kind === "SYNTHESIZER_KIND_PAR" ? (
          <Field label="Epochs (empty: the default)">
            <input type="number" min={1} value={advanced.epochs} onInput={(e) => setAdvanced({ ...advanced, epochs: e.currentTarget.value })} />
          </Field>
        ) : null}
        {DEEP.has(kind) && !dp ? (
          <Field label="Batch size (empty: the default)">
            <input type="number" min={2} value={advanced.batchSize} onInput={(e) => setAdvanced({ ...advanced, batchSize: e.currentTarget.value })} />
          </Field>
        ) : null}
        {!dp && (
          <label class="check">
            <input type="checkbox" checked={advanced.enforceMinMax} onChange={(e) => setAdvanced({ ...advanced, enforceMinMax: e.currentTarget.checked })} /> Keep
            numbers within the real data's range
          </label>
        )}
      </details>
    </JobButton>
  );
}
