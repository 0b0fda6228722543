// Every page behind sign-in, in one chunk loaded while the sign-in form is on screen, so the
// first page needs only the small main bundle.
export { AdminPage } from "./admin";
export { AssistantPage } from "./assistant";
export { AuditPage } from "./audit";
export { DatasetPage, DatasetsPage } from "./datasets";
export { JobPage, JobsPage } from "./jobs";
export { ReportPage, ReportsPage } from "./reports";
export { ArtifactPage, ReviewsPage } from "./reviews";
export { SynthesizerPage, SynthesizersPage } from "./synthesizers";
