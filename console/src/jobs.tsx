// Jobs: the list of long-running work, and one job followed live over server-sent events.
import { useState } from "preact/hooks";
import type { Role } from "./api";
import { Badge, ErrorNote, Field, JobProgress, Loading, Pager, TERMINAL, can, usePaged, when } from "./ui";

const MAX_LIVE = 3;
const STATES = ["", "JOB_STATE_QUEUED", "JOB_STATE_RUNNING", "JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED"];

export function JobsPage({ role }: { role: Role }) {
  const [state, setState] = useState("");
  const paged = usePaged<any>("/v1/jobs", "jobs", 20, state ? { state } : {});
  // Each live job holds a connection open, and a browser opens six per origin over HTTP/1.1:
  // follow the first few running jobs live and leave the rest to their own pages.
  const live = new Set(
    (paged.value?.items ?? [])
      .filter((job) => !TERMINAL.has(job.state))
      .slice(0, MAX_LIVE)
      .map((job) => job.id),
  );
  return (
    <>
      <h1>Jobs</h1>
      <Field label="State">
        <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s ? s.replace("JOB_STATE_", "").toLowerCase() : "any"}
            </option>
          ))}
        </select>
      </Field>
      <ErrorNote error={paged.error} />
      {!paged.value ? (
        <Loading what="jobs" />
      ) : (
        <table>
          <caption>Jobs, newest first; running ones update live</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Kind</th>
              <th scope="col">Resource</th>
              <th scope="col">Progress</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {paged.value.items.map((job) => (
              <tr key={job.id}>
                <td>
                  <a href={`#/jobs/${job.id}`}>{job.id}</a>
                </td>
                <td>
                  <code>{job.kind}</code>
                </td>
                <td>{job.resource}</td>
                <td>
                  {live.has(job.id) ? <JobProgress jobId={job.id} canCancel={can.edit(role)} /> : <Badge state={job.state} />}
                </td>
                <td>{when(job.createTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager paged={paged} label="Job" />
    </>
  );
}

export function JobPage({ id, role }: { id: string; role: Role }) {
  return (
    <>
      <h1>Job {id}</h1>
      <JobProgress jobId={id} canCancel={can.edit(role)} />
    </>
  );
}
