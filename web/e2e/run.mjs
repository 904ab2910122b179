// End-to-end check of the portal in a real Chromium (Debian's /usr/bin/chromium, headless; no
// browser is ever downloaded). Starts `atelier serve` on a free port with a throw-away data
// directory and web_root = web/dist, then walks through what a new user does: sign up, create a
// project, find it, change its status, switch to English, log out, log in again. Screenshots go
// to docs/screenshots/. Exits non-zero on failure, printing the server's log.
//
//   ATELIER_BIN      the server binary (default build/apps/atelier/atelier, from the repo root)
//   CHROMIUM_PATH    the browser (default /usr/bin/chromium)
//   E2E_HEADED=1     show the browser
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(webDir, '..');
const distDir = join(webDir, 'dist');
const shotsDir = join(repoRoot, 'docs', 'screenshots');
const bin = resolve(repoRoot, process.env.ATELIER_BIN ?? 'build/apps/atelier/atelier');
const browserPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const timeoutMs = 15_000;

const serverLog = [];
let server;
let browser;
let dataDir;

function fail(message) {
  throw new Error(message);
}

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

async function startServer() {
  if (!existsSync(bin)) fail(`no server binary at ${bin} (build it, or set ATELIER_BIN)`);
  if (!existsSync(join(distDir, 'index.html'))) fail(`no ${distDir}/index.html: run npm run build first`);
  dataDir = mkdtempSync(join(tmpdir(), 'atelier-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The server refuses unknown ATELIER_* variables (ATELIER_BIN is one): pass only its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ATELIER_')));
  server = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`], {
    env: {
      ...env,
      ATELIER_DATA_DIR: dataDir,
      ATELIER_WEB_ROOT: distDir,
      ATELIER_PUBLIC_URL: url,
      ATELIER_DATABASE: 'sqlite',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [server.stdout, server.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => serverLog.push(chunk));
  }
  let exited = null;
  server.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  for (let i = 0; i < 200; i++) {
    if (exited) fail(`the server stopped at start-up (${JSON.stringify(exited)})`);
    try {
      const r = await fetch(`${url}/health/ready`);
      if (r.ok) return url;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  fail('the server was not ready after 20 s');
}

let stepNo = 0;
async function step(name, fn) {
  stepNo += 1;
  const started = Date.now();
  await fn();
  console.log(`  ok ${stepNo} - ${name} (${Date.now() - started} ms)`);
}

async function expectVisible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    fail(`not visible: ${what}`);
  }
}

async function main() {
  const url = await startServer();
  console.log(`e2e: server at ${url}, browser ${browserPath}`);
  mkdirSync(shotsDir, { recursive: true });

  const args = ['--disable-dev-shm-usage'];
  // Chromium's sandbox cannot start as root (CI containers); it is a test browser on loopback.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  browser = await chromium.launch({
    executablePath: browserPath,
    headless: process.env.E2E_HEADED !== '1',
    args,
  });
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(timeoutMs);
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  const user = {
    name: 'Marie Durand',
    org: 'Durand Bâtiment',
    email: `marie.${Date.now()}@example.fr`,
    password: 'Charpente-Chene-2025',
  };

  await step('the log-in page shows in French', async () => {
    await page.goto(`${url}/projects`);
    await page.waitForURL('**/login');
    await expectVisible(page.getByRole('heading', { name: 'Connexion' }), 'heading Connexion');
    await page.screenshot({ path: join(shotsDir, 'login.png') });
  });

  await step('sign up lands on the projects page', async () => {
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await page.getByLabel('Votre nom').fill(user.name);
    await page.getByLabel("Nom de l'entreprise").fill(user.org);
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.waitForURL('**/projects');
    await expectVisible(page.getByRole('heading', { name: 'Projets' }), 'heading Projets');
    await expectVisible(page.getByText('Aucun projet pour l\'instant.'), 'empty state');
    const org = await page.getByTestId('org-name').textContent();
    if (org?.trim() !== user.org) fail(`organisation shown: ${org}`);
  });

  async function createProject(p) {
    await page.getByRole('link', { name: 'Nouveau projet' }).first().click();
    await page.getByLabel('Code').fill(p.code);
    await page.getByLabel('Nom', { exact: true }).fill(p.name);
    await page.getByLabel("Maître d'ouvrage").fill(p.client);
    await page.getByLabel('Début').fill(p.start);
    await page.getByLabel('Budget (€)').fill(p.budget);
    await page.getByRole('button', { name: 'Créer le projet' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await expectVisible(page.getByRole('heading', { name: p.name }), `heading ${p.name}`);
  }

  await step('a budget with three decimals is refused next to its field', async () => {
    await page.getByRole('link', { name: 'Nouveau projet' }).first().click();
    await page.getByLabel('Budget (€)').fill('12,345');
    await page.getByRole('button', { name: 'Créer le projet' }).click();
    await expectVisible(page.getByText('Deux décimales au plus.'), 'money error');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page.waitForURL('**/projects');
  });

  await step('create a project (budget 4 850 000,00 €)', async () => {
    await createProject({
      code: 'RES-TILLEULS',
      name: 'Résidence Les Tilleuls',
      client: 'SCI Les Tilleuls',
      start: '2026-09-01',
      budget: '4 850 000,00',
    });
    await expectVisible(page.getByText(/4\s850\s000,00\s€/), 'budget in euros');
  });

  await step('the server names a duplicate code next to the field', async () => {
    await page.getByRole('link', { name: 'Tous les projets' }).click();
    await page.getByRole('link', { name: 'Nouveau projet' }).first().click();
    await page.getByLabel('Code').fill('RES-TILLEULS');
    await page.getByLabel('Nom', { exact: true }).fill('Doublon');
    await page.getByLabel('Début').fill('2026-09-01');
    await page.getByRole('button', { name: 'Créer le projet' }).click();
    await expectVisible(page.getByRole('alert'), 'problem alert');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page.waitForURL('**/projects');
  });

  await step('a second project, then both are listed', async () => {
    await createProject({
      code: 'ECOLE-JAURES',
      name: 'Rénovation école Jean Jaurès',
      client: 'Ville de Villeurbanne',
      start: '2027-01-11',
      budget: '1260000',
    });
    await page.getByRole('link', { name: 'Tous les projets' }).click();
    await expectVisible(page.getByRole('link', { name: 'Résidence Les Tilleuls' }), 'first project in list');
    await expectVisible(page.getByRole('link', { name: 'Rénovation école Jean Jaurès' }), 'second project in list');
    await page.screenshot({ path: join(shotsDir, 'projects.png') });
  });

  await step('search narrows the list', async () => {
    await page.getByLabel('Rechercher un projet').fill('tilleuls');
    await page.getByRole('link', { name: 'Rénovation école Jean Jaurès' }).waitFor({ state: 'detached' });
    await expectVisible(page.getByRole('link', { name: 'Résidence Les Tilleuls' }), 'match stays');
  });

  await step('open the project and move it to "Planifié"', async () => {
    await page.getByRole('link', { name: 'Résidence Les Tilleuls' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Passer en « Planifié »' }).click();
    await expectVisible(page.getByText('Statut changé : Planifié.'), 'status notice');
    const badge = await page.getByTestId('project-status').textContent();
    if (badge?.trim() !== 'Planifié') fail(`status badge: ${badge}`);
    await expectVisible(page.getByRole('button', { name: 'Passer en « En cours »' }), 'next move offered');
  });

  await step('the lots, milestones and participants tabs answer', async () => {
    for (const name of ['Lots', 'Jalons', 'Intervenants']) {
      await page.getByRole('tab', { name }).click();
      const panel = page.getByRole('tabpanel');
      // Before the API of these parts lands the tab says so; afterwards it lists or is empty.
      await expectVisible(
        panel.getByText(/pas encore disponible|Aucun|Ajouter/),
        `${name} tab content`,
      );
    }
    await page.getByRole('tab', { name: 'Lots' }).click();
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.screenshot({ path: join(shotsDir, 'project.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await step('members: the owner is listed, an invitation goes pending', async () => {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Membres' }).click();
    await expectVisible(page.getByRole('cell', { name: user.email }), 'owner row');
    await page.getByLabel('E-mail', { exact: true }).fill('paul@example.fr');
    await page.getByLabel('Rôle', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Inviter', exact: true }).click();
    await expectVisible(page.getByText('/accept-invitation?token='), 'invitation link');
    await expectVisible(page.getByRole('cell', { name: 'paul@example.fr' }), 'pending invitation');
  });

  await step('settings show the profile', async () => {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Paramètres' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Paramètres' }), 'settings heading');
    await expectVisible(page.getByRole('main').getByText(user.email), 'email in profile');
    await page.goBack();
    await page.goBack();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  });

  await step('switch to English, kept after a reload', async () => {
    await page.getByLabel('Langue').selectOption('en');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await expectVisible(nav.getByRole('link', { name: 'Projects' }), 'English nav');
    await expectVisible(page.getByRole('link', { name: 'All projects' }), 'English back link');
    await page.reload();
    // The access token lived in memory: the session comes back through the refresh token.
    await expectVisible(page.getByRole('button', { name: 'Move to “In progress”' }), 'English, signed in');
  });

  await step('log out', async () => {
    await page.getByRole('button', { name: `Menu of ${user.name}` }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await expectVisible(page.getByRole('heading', { name: 'Log in' }), 'heading Log in');
  });

  await step('log in again and find the project', async () => {
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/projects');
    await expectVisible(page.getByRole('link', { name: 'Résidence Les Tilleuls' }), 'project after log-in');
  });

  await step('the phone layout shows the list', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('Language').selectOption('fr');
    await expectVisible(page.getByRole('link', { name: 'Résidence Les Tilleuls' }), 'project on a phone');
    await page.screenshot({ path: join(shotsDir, 'projects-phone.png') });
  });

  if (pageErrors.length > 0) fail(`errors in the page:\n${pageErrors.join('\n')}`);
  console.log(`e2e: ${stepNo} steps passed; screenshots in ${shotsDir}`);
}

async function stop() {
  await browser?.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

try {
  await main();
  await stop();
} catch (e) {
  console.error(`e2e: FAILED at step ${stepNo}: ${e instanceof Error ? e.message : e}`);
  try {
    const pages = browser?.contexts().flatMap((c) => c.pages()) ?? [];
    const shot = join(tmpdir(), 'atelier-e2e-failure.png');
    if (pages[0]) {
      console.error(`e2e: page at ${pages[0].url()}; screenshot in ${shot}`);
      await pages[0].screenshot({ path: shot, fullPage: true });
    }
  } catch {
    // no screenshot
  }
  await stop();
  console.error('---- server log ----');
  console.error(serverLog.join('').split('\n').slice(-80).join('\n'));
  process.exit(1);
}
