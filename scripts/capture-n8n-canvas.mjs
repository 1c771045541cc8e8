// Screenshot of an n8n workflow's canvas for the README (docs/images/n8n-etl-canvas.png), from a running
// local n8n with the workflows imported (`promptsales stack up`, `promptsales n8n import`).
//
// Not part of the product or its tests: a documentation tool, run by hand when a canvas changes.
// Needs Debian's chromium (apt-get install chromium) and playwright-core from the npm registry
// (npm install playwright-core in any folder, then NODE_PATH=that/node_modules). It logs in as the n8n owner:
// N8N_OWNER_EMAIL and N8N_OWNER_PASSWORD (never in git; the local owner's values).
//
//   NODE_PATH=/tmp/shot/node_modules N8N_URL=http://127.0.0.1:5678 N8N_OWNER_EMAIL=... N8N_OWNER_PASSWORD=... \
//     node scripts/capture-n8n-canvas.mjs psEtlPromptSales11min docs/images/n8n-etl-canvas.png
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const [workflowId = "psEtlPromptSales11min", out = "docs/images/n8n-etl-canvas.png"] = process.argv.slice(2);
const base = process.env.N8N_URL ?? "http://127.0.0.1:5678";
const { N8N_OWNER_EMAIL: email, N8N_OWNER_PASSWORD: password } = process.env;
if (!email || !password) {
  console.error("capture-n8n-canvas: set N8N_OWNER_EMAIL and N8N_OWNER_PASSWORD (the n8n owner's login)");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 2400, height: 1000 }, deviceScaleFactor: 1 });
  // n8n's own login endpoint sets the session cookie the editor then uses.
  const login = await page.request.post(`${base}/rest/login`, { data: { emailOrLdapLoginId: email, password } });
  if (!login.ok()) throw new Error(`n8n login failed: HTTP ${login.status()} ${await login.text()}`);
  await page.goto(`${base}/workflow/${workflowId}`, { waitUntil: "networkidle" });
  await page.waitForSelector(".vue-flow__node", { timeout: 30_000 });
  // "Zoom to fit" (the canvas's own shortcut), then let the view settle.
  await page.locator(".vue-flow__pane").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("1");
  await page.waitForTimeout(1500);
  // Only the workflow: the union of its nodes' boxes (sticky notes included), with a margin.
  const boxes = await page.locator(".vue-flow__node").evaluateAll((nodes) => nodes.map((node) => {
    const r = node.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  }));
  const margin = 24;
  const left = Math.max(0, Math.min(...boxes.map((b) => b[0])) - margin);
  const top = Math.max(0, Math.min(...boxes.map((b) => b[1])) - margin);
  const right = Math.max(...boxes.map((b) => b[2])) + margin;
  const bottom = Math.max(...boxes.map((b) => b[3])) + margin;
  await page.screenshot({ path: out, clip: { x: left, y: top, width: right - left, height: bottom - top } });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
