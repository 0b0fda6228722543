// Builds the console into the gateway's package (gateway/synthstudio_gateway/static/console) and
// vendors Swagger UI beside it, so the gateway serves every asset itself: nothing from a CDN.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const staticDir = join(here, "..", "gateway", "synthstudio_gateway", "static");
const consoleDir = join(staticDir, "console");
const swaggerDir = join(staticDir, "swagger-ui");

rmSync(consoleDir, { recursive: true, force: true });
rmSync(swaggerDir, { recursive: true, force: true });
mkdirSync(swaggerDir, { recursive: true });

const result = await build({
  entryPoints: [join(here, "src", "main.tsx"), join(here, "src", "styles.css")],
  bundle: true,
  minify: true,
  format: "esm",
  // Pages behind sign-in go to their own chunk (see src/pages.tsx).
  splitting: true,
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  entryNames: "[name]-[hash]",
  outdir: consoleDir,
  metafile: true,
  legalComments: "linked",
  logLevel: "warning",
});

const outputs = Object.entries(result.metafile.outputs);
const built = (source) => outputs.find(([, out]) => out.entryPoint === `src/${source}`);
const [mainPath, main] = built("main.tsx");
// The chunks main.tsx imports statically, fetched in parallel with it rather than after it.
const preloads = main.imports
  .filter((item) => item.kind === "import-statement")
  .map((item) => `<link rel="modulepreload" href="/console/assets/${basename(item.path)}">`)
  .join("\n");
writeFileSync(
  join(consoleDir, "index.html"),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Synth Studio</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/${basename(built("styles.css")[0])}">
${preloads}
<script type="module" src="/console/assets/${basename(mainPath)}"></script>
</head>
<body>
<div id="app"></div>
</body>
</html>
`,
);

const swagger = join(here, "node_modules", "swagger-ui-dist");
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
  copyFileSync(join(swagger, file), join(swaggerDir, file));
}
// Swagger UI's own initializer points at the petstore; ours reads the gateway's document.
writeFileSync(
  join(swaggerDir, "swagger-init.js"),
  `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });\n`,
);
