// Administration: users and their roles, API keys (created, listed, revoked).
import { useState } from "preact/hooks";
import { post } from "./api";
import { ErrorNote, Field, Loading, Pager, usePaged, when } from "./ui";

const ROLES = ["ROLE_VIEWER", "ROLE_EDITOR", "ROLE_REVIEWER", "ROLE_ADMIN"];
const roleName = (role?: string) => (role ?? "").replace("ROLE_", "").toLowerCase();

function RoleSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <Field label="Role">
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {roleName(r)}
          </option>
        ))}
      </select>
    </Field>
  );
}

function Users() {
  const paged = usePaged<any>("/v1/users", "users", 25);
  const [user, setUser] = useState({ email: "", password: "", role: "ROLE_VIEWER" });
  const [error, setError] = useState<Error | undefined>(undefined);
  const create = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      await post("/v1/users", user);
      setUser({ email: "", password: "", role: user.role });
      paged.reload();
    } catch (reason) {
      setError(reason as Error);
    }
  };
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <form class="filters" onSubmit={create} aria-label="Create a user">
        <Field label="New user's email">
          <input type="email" required value={user.email} onInput={(e) => setUser({ ...user, email: e.currentTarget.value })} />
        </Field>
        <Field label="New user's password (12 characters or more)">
          <input type="password" required minLength={12} value={user.password} onInput={(e) => setUser({ ...user, password: e.currentTarget.value })} />
        </Field>
        <RoleSelect value={user.role} onChange={(role) => setUser({ ...user, role })} />
        <button type="submit">Create user</button>
      </form>
      <ErrorNote error={error ?? paged.error} />
      {!paged.value ? (
        <Loading what="users" />
      ) : (
        <table>
          <caption>Users</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {paged.value.items.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>{roleName(u.role)}</td>
                <td>{when(u.createTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager paged={paged} label="User" />
    </section>
  );
}

function ApiKeys() {
  const paged = usePaged<any>("/v1/apiKeys", "apiKeys", 25);
  const [key, setKey] = useState({ name: "", role: "ROLE_VIEWER" });
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<Error | undefined>(undefined);
  const act = async (call: () => Promise<void>) => {
    setError(undefined);
    try {
      await call();
      paged.reload();
    } catch (reason) {
      setError(reason as Error);
    }
  };
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <form
        class="filters"
        aria-label="Create an API key"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => setSecret((await post("/v1/apiKeys", key)).secret));
        }}
      >
        <Field label="Key name">
          <input required value={key.name} onInput={(e) => setKey({ ...key, name: e.currentTarget.value })} />
        </Field>
        <RoleSelect value={key.role} onChange={(role) => setKey({ ...key, role })} />
        <button type="submit">Create API key</button>
      </form>
      {secret && (
        <p role="status">
          The new key (shown once, store it now): <code>{secret}</code>
        </p>
      )}
      <ErrorNote error={error ?? paged.error} />
      {!paged.value ? (
        <Loading what="API keys" />
      ) : (
        <table>
          <caption>API keys (never their secrets)</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {paged.value.items.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}</code>
                </td>
                <td>{roleName(k.role)}</td>
                <td>{when(k.createTime)}</td>
                <td>
                  {k.revokeTime ? (
                    `Revoked ${when(k.revokeTime)}`
                  ) : (
                    <button type="button" aria-label={`Revoke ${k.name}`} onClick={() => act(() => post(`/v1/apiKeys/${k.id}:revoke`))}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager paged={paged} label="API key" />
    </section>
  );
}

export function AdminPage() {
  return (
    <>
      <h1>Administration</h1>
      <Users />
      <ApiKeys />
    </>
  );
}
