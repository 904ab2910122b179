// Lighthouse scores of the portal, measured the way a user meets it: `atelier serve` on a free port
// with a throw-away data directory serving web/dist, Debian's Chromium (CHROME_PATH, default
// /usr/bin/chromium; never a downloaded browser), the log-in page as a visitor, then the projects
// list and a project's Gantt chart signed in (the log-in goes through the form, so the session is
// the portal's own). Prints a Markdown table for docs/performance.md and writes the reports to
// LIGHTHOUSE_OUT (default a temporary folder).
//
//   ATELIER_BIN   the server binary (default build/apps/atelier/atelier, from the repo root)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(webDir, '..');
const distDir = join(webDir, 'dist');
const bin = resolve(repoRoot, process.env.ATELIER_BIN ?? 'build/apps/atelier/atelier');
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const outDir = process.env.LIGHTHOUSE_OUT ?? mkdtempSync(join(tmpdir(), 'atelier-lighthouse-'));
const categories = ['performance', 'accessibility', 'best-practices'];

function freePort() {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.unref();
    s.on('error', ko);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function startServer(dataDir) {
  if (!existsSync(bin)) throw new Error(`no server binary at ${bin} (build it, or set ATELIER_BIN)`);
  if (!existsSync(join(distDir, 'index.html'))) throw new Error('no web/dist: run npm run build first');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The server refuses unknown ATELIER_* variables (ATELIER_BIN is one): pass only its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ATELIER_')));
  const server = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`], {
    env: { ...env, ATELIER_DATA_DIR: dataDir, ATELIER_WEB_ROOT: distDir, ATELIER_PUBLIC_URL: url, ATELIER_ACCESS_LOG: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { server, url };
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  server.kill('SIGTERM');
  throw new Error('the server did not become ready');
}

async function api(url, path, body, token) {
  const r = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const dataDir = mkdtempSync(join(tmpdir(), 'atelier-lighthouse-data-'));
const { server, url } = await startServer(dataDir);
let chrome;
try {
  // A user with a project of twenty linked tasks, so the signed-in pages show real content.
  const user = { email: 'mesure@atelier.example', password: 'Granit-Ouest-Vague-27', name: 'Alex Mesure' };
  await api(url, '/api/v1/auth/register', { ...user, org_name: 'Mesures' });
  const { access_token: token } = await api(url, '/api/v1/auth/login', { email: user.email, password: user.password });
  const project = await api(
    url,
    '/api/v1/projects',
    { code: 'PHARE', name: 'Résidence du Phare', start_date: '2027-03-01', currency: 'EUR' },
    token,
  );
  let previous = null;
  for (let i = 1; i <= 20; i++) {
    const task = await api(url, `/api/v1/projects/${project.id}/tasks`, { name: `Tâche ${i}`, duration_days: 3 + (i % 5) }, token);
    if (previous) await api(url, `/api/v1/projects/${project.id}/links`, { from: previous, to: task.id, type: 'FS', lag_days: 0 }, token);
    previous = task.id;
  }

  chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
  const page = await browser.newPage();
  mkdirSync(outDir, { recursive: true });

  const results = [];
  // Each page twice: Lighthouse's default (a mid-range phone on a slow 4G link, simulated), and a
  // desktop without throttling (what a site office on a wired network sees).
  const modes = {
    mobile: { output: 'html', onlyCategories: categories, disableStorageReset: true },
    desktop: {
      output: 'html',
      onlyCategories: categories,
      disableStorageReset: true,
      formFactor: 'desktop',
      screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false },
      throttlingMethod: 'provided',
    },
  };
  const measure = async (name, target) => {
    for (const [mode, flags] of Object.entries(modes)) {
      const run = await lighthouse(target, flags, undefined, page);
      writeFileSync(join(outDir, `${name}-${mode}.html`), run.report);
      const lhr = run.lhr;
      const landed = new URL(lhr.finalDisplayedUrl).pathname;
      if (landed !== new URL(target).pathname) throw new Error(`${target} ended at ${landed}`);
      results.push({
        name: `${name} (${mode})`,
        scores: categories.map((c) => Math.round(lhr.categories[c].score * 100)),
        fcp: lhr.audits['first-contentful-paint'].numericValue,
        lcp: lhr.audits['largest-contentful-paint'].numericValue,
      });
    }
  };

  await measure('login', `${url}/login`);
  // Sign in through the form, as a person would; the portal keeps the session.
  await page.goto(`${url}/login`);
  await page.type('#login-email', user.email);
  await page.type('#login-password', user.password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  await measure('projects', `${url}/projects`);
  await measure('gantt', `${url}/projects/${project.id}/gantt`);
  await browser.disconnect();

  console.log(`| page | performance | accessibility | best practices | first contentful paint | largest contentful paint |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const r of results) {
    console.log(`| ${r.name} | ${r.scores[0]} | ${r.scores[1]} | ${r.scores[2]} | ${Math.round(r.fcp)} ms | ${Math.round(r.lcp)} ms |`);
  }
  console.log(`\nreports: ${outDir}`);
} finally {
  if (chrome) await chrome.kill();
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
