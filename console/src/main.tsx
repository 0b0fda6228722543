// The Synth Studio console: one page application on the gateway's origin, routed by the hash.
import { render } from "preact";
import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import { type Principal, get, hasSession, refresh, signIn, signOut } from "./api";
import { ErrorNote, can, useRoute } from "./ui";

type Pages = typeof import("./pages");
// Fetched as soon as the app starts, in parallel with sign-in; the first page does not wait.
const pagesLoading: Promise<Pages> = import("./pages");

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  // The form is in the document and takes input from here: bench/console_first_load.py reads
  // this mark (a layout effect runs as the form is committed, not a frame later).
  useLayoutEffect(() => void performance.mark("synthstudio:interactive"), []);
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

function Page({ route, principal, pages }: { route: string[]; principal: Principal; pages: Pages }) {
  const { AdminPage, ArtifactPage, AssistantPage, AuditPage, DatasetPage, DatasetsPage, JobPage, JobsPage } = pages;
  const { ReportPage, ReportsPage, ReviewsPage, SynthesizerPage, SynthesizersPage } = pages;
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
      return id ? <ReportPage id={id} role={role} /> : <ReportsPage />;
    case "reviews":
      return id ? <ArtifactPage id={id} principal={principal} /> : <ReviewsPage />;
    case "assistant":
      return <AssistantPage role={role} feature={id} id={route[2]} />;
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
  const [pages, setPages] = useState<Pages | undefined>(undefined);
  useEffect(() => void pagesLoading.then(setPages), []);
  const [error, setError] = useState<Error | undefined>(undefined);
  const leave = async () => {
    try {
      await signOut();
      onSignedOut();
    } catch (reason) {
      // Not revoked (the identity service is down, say): stay, and say so.
      setError(reason as Error);
    }
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
        <ErrorNote error={error} />
        {pages ? <Page route={route} principal={principal} pages={pages} /> : <p aria-live="polite">Loading…</p>}
      </main>
    </>
  );
}

function App() {
  // Without a sign-in to resume, the form shows at once; with one, after the refresh.
  const [principal, setPrincipal] = useState<Principal | null | undefined>(hasSession() ? undefined : null);
  const load = async () => setPrincipal(await get<Principal>("/v1/auth/me"));
  useEffect(() => {
    // A reload resumes the sign-in from the refresh cookie; no token was kept in storage.
    if (principal === undefined) refresh().then((resumed) => (resumed ? load() : setPrincipal(null)), () => setPrincipal(null));
  }, []);
  if (principal === undefined) return <p aria-live="polite">Loading…</p>;
  if (principal === null) return <SignIn onSignedIn={load} />;
  return <Shell principal={principal} onSignedOut={() => setPrincipal(null)} />;
}

render(<App />, document.getElementById("app")!);
