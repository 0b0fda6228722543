// The Synth Studio console: one page application on the gateway's origin, routed by the hash.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { AdminPage } from "./admin";
import { type Principal, get, refresh, signIn, signOut } from "./api";
import { AssistantPage } from "./assistant";
import { AuditPage } from "./audit";
import { DatasetPage, DatasetsPage } from "./datasets";
import { JobPage, JobsPage } from "./jobs";
import { ReportPage, ReportsPage } from "./reports";
import { ArtifactPage, ReviewsPage } from "./reviews";
import { SynthesizerPage, SynthesizersPage } from "./synthesizers";
import { ErrorNote, can, useRoute } from "./ui";

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    try {
      await signIn(String(form.get("email")), String(form.get("password")));
      onSignedIn();
    } catch (reason) {
      setError(reason as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <h1>Synth Studio</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label class="field">
          <span>Email</span>
          <input name="email" type="email" autocomplete="username" required autofocus />
        </label>
        <label class="field">
          <span>Password</span>
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <ErrorNote error={error} />
      </form>
    </main>
  );
}

function Page({ route, principal }: { route: string[]; principal: Principal }) {
  const [section, id] = route;
  const role = principal.role;
  switch (section) {
    case "datasets":
      return id ? <DatasetPage id={id} role={role} /> : <DatasetsPage role={role} />;
    case "jobs":
      return id ? <JobPage id={id} role={role} /> : <JobsPage role={role} />;
    case "synthesizers":
      return id ? <SynthesizerPage id={id} role={role} /> : <SynthesizersPage />;
    case "reports":
      return id ? <ReportPage id={id} /> : <ReportsPage />;
    case "reviews":
      return id ? <ArtifactPage id={id} principal={principal} /> : <ReviewsPage />;
    case "assistant":
      return <AssistantPage role={role} />;
    case "audit":
      return <AuditPage />;
    case "admin":
      return <AdminPage />;
    default:
      return <h1>Not found</h1>;
  }
}

const NAVIGATION: [string, string, (role: Principal["role"]) => boolean][] = [
  ["datasets", "Datasets", () => true],
  ["jobs", "Jobs", () => true],
  ["synthesizers", "Synthesizers", () => true],
  ["reports", "Reports", () => true],
  ["reviews", "Reviews", () => true],
  ["assistant", "Assistant", can.edit],
  ["audit", "Audit", can.administer],
  ["admin", "Administration", can.administer],
];

function Shell({ principal, onSignedOut }: { principal: Principal; onSignedOut: () => void }) {
  const route = useRoute();
  const leave = async () => {
    await signOut();
    onSignedOut();
  };
  useEffect(() => {
    // Move focus to the new page so screen readers and keyboards follow navigation.
    document.getElementById("content")?.focus();
  }, [route.join("/")]);
  return (
    <>
      <a class="skip" href="#content" onClick={(e) => (e.preventDefault(), document.getElementById("content")?.focus())}>
        Skip to content
      </a>
      <header>
        <span class="brand">Synth Studio</span>
        <nav aria-label="Main">
          <ul>
            {NAVIGATION.filter(([, , allowed]) => allowed(principal.role)).map(([path, label]) => (
              <li key={path}>
                <a href={`#/${path}`} aria-current={route[0] === path ? "page" : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          {principal.name} ({principal.role.replace("ROLE_", "").toLowerCase()})
        </span>
        <button type="button" onClick={leave}>
          Sign out
        </button>
      </header>
      <main id="content" tabIndex={-1}>
        <Page route={route} principal={principal} />
      </main>
    </>
  );
}

function App() {
  const [principal, setPrincipal] = useState<Principal | null | undefined>(undefined);
  const load = async () => setPrincipal(await get<Principal>("/v1/auth/me"));
  useEffect(() => {
    // A reload resumes the sign-in from the refresh cookie; no token was kept in storage.
    refresh().then((resumed) => (resumed ? load() : setPrincipal(null)), () => setPrincipal(null));
  }, []);
  if (principal === undefined) return <p aria-live="polite">Loading…</p>;
  if (principal === null) return <SignIn onSignedIn={load} />;
  return <Shell principal={principal} onSignedOut={() => setPrincipal(null)} />;
}

render(<App />, document.getElementById("app")!);
