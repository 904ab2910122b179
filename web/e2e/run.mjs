// End-to-end check of the portal in a real Chromium (Debian's /usr/bin/chromium, headless; no
// browser is ever downloaded). Starts `atelier serve` on a free port with a throw-away data
// directory and web_root = web/dist, then walks through what a new user does: sign up and confirm
// the address, create a project with its lots, milestones and participants, find it, change its
// status, switch to English, log out, log in again, plan its tasks (board, links of every type,
// Gantt), import a 2,000-task plan and scroll it, authorise an OAuth application, create a second
// organisation and switch, upload a scanned page and find it by its recognised text, turn a short
// story into a storyboard and a narrated video (VisioBook), reset the forgotten password, and turn
// on two-step log-in (TOTP). Screenshots go to docs/screenshots/. Exits non-zero on failure,
// printing the server's log.
//
// There is no mail server: the e-mails the identity service asks for wait, as
// notifications.EmailRequested.v1 events, in the outbox table of its SQLite file (identity.db in
// the data directory) for the notifications service to come. The test reads the links there with
// Debian's sqlite3 command, read-only.
//
//   ATELIER_BIN      the server binary (default build/apps/atelier/atelier, from the repo root)
//   CHROMIUM_PATH    the browser (default /usr/bin/chromium)
//   SQLITE3_PATH     the sqlite3 command (default sqlite3, from the PATH)
//   E2E_HEADED=1     show the browser
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
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

/**
 * The link of the latest e-mail of this template ("verify_email", "reset_password") queued for
 * this address, read from the identity outbox.
 */
function mailedLink(to, template) {
  const quote = (v) => `'${v.replace(/'/g, "''")}'`;
  const sql =
    "SELECT json_extract(envelope, '$.data.params.link') FROM outbox " +
    "WHERE type = 'notifications.EmailRequested.v1' " +
    `AND json_extract(envelope, '$.data.to') = ${quote(to)} ` +
    `AND json_extract(envelope, '$.data.template') = ${quote(template)} ORDER BY seq DESC LIMIT 1`;
  let out;
  try {
    out = execFileSync(process.env.SQLITE3_PATH ?? 'sqlite3', ['-readonly', join(dataDir, 'identity.db'), sql], {
      encoding: 'utf8',
    });
  } catch (e) {
    fail(`reading the outbox with sqlite3 failed (install sqlite3, or set SQLITE3_PATH): ${e.message}`);
  }
  const link = out.trim();
  if (!link) fail(`no "${template}" e-mail queued for ${to}`);
  return link;
}

/** RFC 6238 TOTP (HMAC-SHA-1, 30 s steps, 6 digits) of a base32 secret, for the given step. */
function totp(secretBase32, step = Math.floor(Date.now() / 30_000)) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) fail(`not base32: ${secretBase32}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
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
    await expectVisible(page.getByText("Votre adresse e-mail n'est pas encore confirmée"), 'unconfirmed address banner');
  });

  await step('the link of the confirmation e-mail confirms the address; the banner goes', async () => {
    const link = mailedLink(user.email, 'verify_email');
    if (!link.startsWith(`${url}/verify-email?token=`)) fail(`confirmation link: ${link}`);
    await page.goto(link);
    await expectVisible(page.getByText('Votre adresse e-mail est confirmée. Merci !'), 'address confirmed');
    await page.getByRole('link', { name: 'Continuer' }).click();
    await page.waitForURL('**/projects');
    await expectVisible(page.getByRole('heading', { name: 'Projets' }), 'heading Projets');
    if ((await page.getByText("n'est pas encore confirmée").count()) !== 0) fail('the unconfirmed banner is still shown');
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

  await step('a lot, a milestone on it and a participant are added in their tabs', async () => {
    const panel = page.getByRole('tabpanel');
    await page.getByRole('tab', { name: 'Lots' }).click();
    await expectVisible(panel.getByText('Aucun lot pour ce projet.'), 'no lot yet');
    await panel.getByRole('button', { name: 'Ajouter un lot' }).click();
    await panel.getByLabel('Code').fill('go');
    await panel.getByLabel('Intitulé').fill('Gros œuvre');
    await panel.getByLabel("Corps d'état").fill('Maçonnerie');
    await panel.getByLabel('Budget (€)').fill('1 250 000,00');
    await panel.getByRole('button', { name: 'Ajouter', exact: true }).click();
    const lot = panel.getByRole('row').filter({ hasText: 'Gros œuvre' });
    await expectVisible(lot, 'the lot in its table');
    const lotText = (await lot.textContent())?.replace(/\s+/g, ' ') ?? '';
    if (!lotText.includes('GO') || !lotText.includes('Maçonnerie') || !/1 250 000,00 €/.test(lotText)) fail(`lot row: ${lotText}`);

    await page.getByRole('tab', { name: 'Jalons' }).click();
    await expectVisible(panel.getByText('Aucun jalon pour ce projet.'), 'no milestone yet');
    await panel.getByRole('button', { name: 'Ajouter un jalon' }).click();
    await panel.getByLabel('Jalon').fill("Hors d'eau, hors d'air");
    await panel.getByLabel('Échéance').fill('2027-03-31');
    await panel.getByLabel('Lot').selectOption({ label: 'GO — Gros œuvre' });
    await panel.getByRole('button', { name: 'Ajouter', exact: true }).click();
    const milestone = panel.getByRole('row').filter({ hasText: "Hors d'eau, hors d'air" });
    await expectVisible(milestone, 'the milestone in its table');
    const msText = (await milestone.textContent())?.replace(/\s+/g, ' ') ?? '';
    if (!msText.includes('31 mars 2027') || !msText.includes('GO — Gros œuvre') || !msText.includes('À venir')) fail(`milestone row: ${msText}`);

    await page.getByRole('tab', { name: 'Intervenants' }).click();
    // The project's creator takes part from the start, as its manager.
    await expectVisible(panel.getByRole('row').filter({ hasText: user.name }).getByText('Responsable'), 'the creator as manager');
    await panel.getByRole('button', { name: 'Ajouter un intervenant' }).click();
    await panel.getByLabel('Raison sociale').fill('Charpentes Martin SARL');
    await panel.getByLabel('E-mail').fill('contact@charpentes-martin.fr');
    await panel.getByLabel('Rôle').selectOption('contributor');
    await panel.getByLabel("Corps d'état").fill('Charpente');
    await panel.getByRole('button', { name: 'Ajouter', exact: true }).click();
    const participant = panel.getByRole('row').filter({ hasText: 'Charpentes Martin SARL' });
    await expectVisible(participant, 'the participant in its table');
    const ptText = (await participant.textContent())?.replace(/\s+/g, ' ') ?? '';
    if (!ptText.includes('contact@charpentes-martin.fr') || !ptText.includes('Entreprise') || !ptText.includes('Contributeur')) {
      fail(`participant row: ${ptText}`);
    }

    await page.getByRole('tab', { name: 'Lots' }).click();
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.evaluate(() => window.scrollTo(0, 0));
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
    await expectVisible(page.getByRole('main').getByText(`${user.email} (confirmée)`), 'confirmed email in profile');
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

  // Planning: the task board, its side panel, the Gantt chart.
  await page.setViewportSize({ width: 1280, height: 800 });
  const plan = [
    { name: 'Installation de chantier', days: '3' },
    { name: 'Terrassement', days: '5' },
    { name: 'Fondations', days: '10' },
    { name: 'Gros œuvre', days: '20' },
    { name: 'Charpente', days: '8' },
    { name: 'Couverture', days: '6' },
    { name: 'Clôture provisoire', days: '2' },
    { name: 'Réception des travaux', days: '0' },
  ];
  const card = (name) => page.locator('[data-task-id]').filter({ hasText: name });
  /** The API straight from the test (a session of its own), for what the portal has no page for. */
  const api = async (method, path, body, token) => {
    const r = await fetch(url + path, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) fail(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.status === 204 ? null : r.json();
  };
  const apiToken = async () =>
    (await api('POST', '/api/v1/auth/login', { email: user.email, password: user.password })).access_token;
  const waitForSchedule = async (projectId, token) => {
    for (let i = 0; ; i++) {
      const s = await api('GET', `/api/v1/projects/${projectId}/schedule`, undefined, token);
      if (!s.stale && s.version > 0) return;
      if (i > 300) fail('the schedule was never computed');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const column = (status) => page.locator(`section[data-status="${status}"]`);

  await step('planning: the board starts empty, then takes 8 tasks (one a milestone)', async () => {
    await page.getByRole('link', { name: 'Résidence Les Tilleuls' }).click();
    await page.getByRole('navigation', { name: 'Pages du projet' }).getByRole('link', { name: 'Tâches' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}\/board$/);
    await expectVisible(page.getByText("Aucune tâche pour l'instant."), 'empty board');
    for (const task of plan) {
      await page.getByLabel('Intitulé de la tâche').fill(task.name);
      await page.getByLabel('Durée (jours ouvrés)').fill(task.days);
      await page.getByRole('button', { name: 'Ajouter la tâche' }).click();
      await expectVisible(column('todo').locator('[data-task-id]').filter({ hasText: task.name }), `card ${task.name}`);
    }
    const count = await column('todo').locator('[data-task-id]').count();
    if (count !== plan.length) fail(`${count} cards in "À faire"`);
    await expectVisible(card('Réception des travaux').getByText('Jalon'), 'milestone card');
  });

  async function openPanel(name) {
    await card(name).getByRole('button', { name: new RegExp(name) }).first().click();
    const panel = page.getByTestId('task-panel');
    await expectVisible(panel.getByRole('heading', { name }), `panel of ${name}`);
    return panel;
  }
  async function addPredecessor(panel, name, type = 'FS') {
    await panel.getByLabel('Cette tâche a pour').selectOption('predecessor');
    await panel.getByLabel('Tâche liée').selectOption({ label: name });
    await panel.getByLabel('Type de lien').selectOption(type);
    await panel.getByRole('button', { name: 'Lier', exact: true }).click();
  }

  await step('planning: links in the side panel, a cycle refused with its tasks named', async () => {
    for (let i = 1; i < 6; i++) {
      const panel = await openPanel(plan[i].name);
      await addPredecessor(panel, plan[i - 1].name);
      await expectVisible(panel.getByTestId('predecessors').getByText(plan[i - 1].name), `link ${plan[i - 1].name} → ${plan[i].name}`);
      await panel.getByRole('button', { name: 'Fermer' }).click();
    }
    let panel = await openPanel('Réception des travaux');
    await addPredecessor(panel, 'Couverture');
    await expectVisible(panel.getByTestId('predecessors').getByText('Couverture'), 'link to the milestone');
    await panel.getByRole('button', { name: 'Fermer' }).click();
    panel = await openPanel('Clôture provisoire');
    await addPredecessor(panel, 'Installation de chantier', 'SS');
    await expectVisible(panel.getByTestId('predecessors').getByText('SS'), 'SS link');
    // The fence comes down with the earthworks: it cannot finish before them (finish to finish).
    await addPredecessor(panel, 'Terrassement', 'FF');
    await expectVisible(panel.getByTestId('predecessors').getByRole('listitem').filter({ hasText: 'Terrassement' }).getByText('FF'), 'FF link');
    await panel.getByLabel('Nouveau point').fill('Panneau de chantier posé');
    await panel.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await expectVisible(panel.getByRole('checkbox', { name: 'Panneau de chantier posé' }), 'checklist item');
    await panel.getByRole('checkbox', { name: 'Panneau de chantier posé' }).check();
    await panel.getByRole('button', { name: 'Fermer' }).click();
    await expectVisible(card('Clôture provisoire').getByText('☑ 1/1'), 'checklist count on the card');

    panel = await openPanel('Installation de chantier');
    await addPredecessor(panel, 'Couverture');
    const cycle = panel.getByTestId('cycle-error');
    await expectVisible(cycle, 'cycle error');
    const text = await cycle.textContent();
    if (!/Installation de chantier → .*Couverture|Couverture → Installation de chantier/.test(text ?? '')) {
      fail(`cycle message: ${text}`);
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('task-panel').waitFor({ state: 'detached' });
  });

  await step('planning: move cards by drag and drop and by keyboard, kept after a reload', async () => {
    await card('Installation de chantier').dragTo(column('in_progress').locator('ul'));
    await expectVisible(column('in_progress').locator('[data-task-id]').filter({ hasText: 'Installation de chantier' }), 'dropped card');
    const terrassement = card('Terrassement').locator('.card-open');
    await terrassement.focus();
    await page.keyboard.press('Alt+ArrowRight');
    await expectVisible(column('in_progress').locator('[data-task-id]').filter({ hasText: 'Terrassement' }), 'card moved by keyboard');
    const live = await page.getByTestId('board-live').textContent();
    if (!/« Terrassement » déplacée dans En cours, position 1 sur 2/.test(live ?? '')) fail(`announcement: ${live}`);
    // The move menu: Clôture provisoire to "Bloqué".
    await card('Clôture provisoire').getByRole('button', { name: 'Déplacer « Clôture provisoire »' }).click();
    await page.getByRole('button', { name: 'Vers « Bloqué »' }).click();
    await expectVisible(column('blocked').locator('[data-task-id]').filter({ hasText: 'Clôture provisoire' }), 'card moved by menu');
    // A task made by mistake goes away through its panel.
    await page.getByLabel('Intitulé de la tâche').fill('Tâche en double');
    await page.getByRole('button', { name: 'Ajouter la tâche' }).click();
    const panel = await openPanel('Tâche en double');
    page.once('dialog', (d) => d.accept());
    await panel.getByRole('button', { name: 'Supprimer la tâche' }).click();
    await card('Tâche en double').waitFor({ state: 'detached' });
    // Let the last move reach the server, then reload.
    await page.waitForFunction(() => document.querySelectorAll('.card-item.busy').length === 0);
    await page.reload();
    await expectVisible(column('in_progress').locator('[data-task-id]').filter({ hasText: 'Installation de chantier' }), 'moved card after reload');
    const order = await column('in_progress').locator('.card-name').allTextContents();
    if (order.map((s) => s.trim()).join(' | ') !== 'Terrassement | Installation de chantier') fail(`"En cours" reads ${order.join(' | ')}`);
    await expectVisible(column('blocked').locator('[data-task-id]').filter({ hasText: 'Clôture provisoire' }), 'blocked card after reload');
    await page.screenshot({ path: join(shotsDir, 'board.png') });
  });

  const bar = (name) => page.locator(`[data-testid="gantt-bar"][data-name="${name}"]`);
  await step('planning: the Gantt chart shows the critical path and the baseline', async () => {
    const projectId = /\/projects\/([0-9a-f-]{36})\//.exec(page.url())[1];
    const token = await apiToken();
    await waitForSchedule(projectId, token);
    await api('POST', `/api/v1/projects/${projectId}/baselines`, { name: 'Marché signé' }, token);
    await page.getByRole('navigation', { name: 'Pages du projet' }).getByRole('link', { name: 'Gantt' }).click();
    await page.waitForURL(/\/gantt$/);
    await expectVisible(bar('Fondations'), 'bar Fondations');
    await page.getByTestId('gantt-computing').waitFor({ state: 'detached' });
    for (const name of ['Fondations', 'Gros œuvre', 'Charpente', 'Couverture']) {
      const critical = await bar(name).getAttribute('data-critical');
      const cls = await bar(name).getAttribute('class');
      if (critical !== 'true' || !cls?.includes('bar-critical')) fail(`${name} is not drawn critical (${critical}, ${cls})`);
    }
    if ((await bar('Clôture provisoire').getAttribute('data-critical')) !== 'false') fail('Clôture provisoire drawn critical');
    const criticalLinks = await page.locator('path.link.critical').count();
    if (criticalLinks < 3) fail(`${criticalLinks} critical links drawn`);
    if ((await page.locator('path.link[data-type="SS"]').count()) !== 1) fail('the SS link is not drawn');
    if ((await page.locator('path.link[data-type="FF"]').count()) !== 1) fail('the FF link is not drawn');
    if ((await page.getByTestId('gantt-baseline').count()) < 5) fail('no baseline ghost bars');
    const milestone = await bar('Réception des travaux').evaluate((el) => el.tagName + ' ' + el.getAttribute('class'));
    if (!/^polygon .*milestone/.test(milestone)) fail(`the milestone is drawn as ${milestone}`);
    // The month scale narrows the bars; back to days, they have their width again.
    const dayWidth = Number(await bar('Fondations').getAttribute('width'));
    await page.getByRole('button', { name: 'Mois', exact: true }).click();
    await page.getByRole('button', { name: 'Mois', pressed: true }).waitFor();
    await page.waitForFunction(
      (w0) => Number(document.querySelector('[data-testid="gantt-bar"][data-name="Fondations"]')?.getAttribute('width')) < w0 / 4,
      dayWidth,
    );
    await page.getByRole('button', { name: 'Jours', exact: true }).click();
    await page.getByRole('button', { name: 'Jours', pressed: true }).waitFor();
    await page.waitForFunction(
      (w0) => Number(document.querySelector('[data-testid="gantt-bar"][data-name="Fondations"]')?.getAttribute('width')) === w0,
      dayWidth,
    );
    // The whole plan at the week scale for the picture, then back to days.
    await page.getByRole('button', { name: 'Semaines' }).click();
    await page.getByRole('button', { name: 'Semaines', pressed: true }).waitFor();
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.locator('[data-row="Installation de chantier"]').click();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(shotsDir, 'gantt.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Jours' }).click();
  });

  await step('planning: drag a bar later and stretch it, the schedule follows', async () => {
    const target = bar('Couverture');
    // Its name in the grid brings the bar into view.
    await page.locator('[data-row="Couverture"]').click();
    const before = Number(await target.getAttribute('x'));
    // Its successor, the milestone (a diamond): where its left corner is.
    const successorX = () => bar('Réception des travaux').evaluate((el) => el.getBBox().x);
    const successorBefore = await successorX();
    const box = await target.boundingBox();
    if (!box) fail('no box for the Couverture bar');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width / 2 + i * 28, box.y + box.height / 2);
    await page.mouse.up();
    await page.waitForFunction(
      (x0) => Number(document.querySelector('[data-testid="gantt-bar"][data-name="Couverture"]')?.getAttribute('x')) > x0,
      before,
    );
    await page.getByTestId('gantt-computing').waitFor({ state: 'detached' });
    const after = Number(await target.getAttribute('x'));
    if (!(after > before)) fail(`Couverture did not move (${before} → ${after})`);
    // The schedule was computed again: the milestone after Couverture moved with it.
    await page.waitForFunction(
      (x0) => document.querySelector('[data-testid="gantt-bar"][data-name="Réception des travaux"]')?.getBBox().x > x0,
      successorBefore,
    );
    console.log(`  # drag: Couverture moved ${after - before} px, its successor ${(await successorX()) - successorBefore} px`);

    // Its right edge: three more days.
    const width = Number(await target.getAttribute('width'));
    const edge = await target.boundingBox();
    await page.mouse.move(edge.x + edge.width - 2, edge.y + edge.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(edge.x + edge.width - 2 + i * 14, edge.y + edge.height / 2);
    await page.mouse.up();
    await page.waitForFunction(
      (w0) => Number(document.querySelector('[data-testid="gantt-bar"][data-name="Couverture"]')?.getAttribute('width')) > w0,
      width,
    );
  });

  await step('planning on a phone: the Gantt scrolls sideways, the board stacks its columns', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const scroller = page.getByTestId('gantt-scroll');
    await expectVisible(bar('Fondations'), 'bar on a phone');
    const sideways = await scroller.evaluate((el) => el.scrollWidth > el.clientWidth && el.clientWidth <= 390);
    if (!sideways) fail('the Gantt does not scroll sideways on a phone');
    await page.screenshot({ path: join(shotsDir, 'gantt-phone.png') });
    await page.getByRole('navigation', { name: 'Pages du projet' }).getByRole('link', { name: 'Tâches' }).click();
    const todo = await column('todo').boundingBox();
    const doing = await column('in_progress').boundingBox();
    if (!todo || !doing || Math.abs(todo.x - doing.x) > 1 || doing.y <= todo.y) fail('the columns do not stack on a phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await step('planning: a click on a bar opens its task on the board', async () => {
    await page.getByRole('navigation', { name: 'Pages du projet' }).getByRole('link', { name: 'Gantt' }).click();
    await page.locator('[data-row="Fondations"]').click();
    await bar('Fondations').click();
    await page.waitForURL(/\/board\?task=/);
    await expectVisible(page.getByTestId('task-panel').getByRole('heading', { name: 'Fondations' }), 'panel from the Gantt');
  });

  await step('planning: a 2,000-task plan draws and scrolls (measured, not asserted)', async () => {
    const count = Number(process.env.E2E_GANTT_TASKS ?? 2000);
    const started = Date.now();
    const token = await apiToken();
    // The plan starts eight weeks before today, so that the today line falls inside it.
    const now = new Date();
    const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 56 * 86_400_000;
    const day = (n) => new Date(start + n * 86_400_000).toISOString().slice(0, 10);
    const project = await api('POST', '/api/v1/projects', { code: 'GRAND-ENSEMBLE', name: 'Grand ensemble', start_date: day(0) }, token);
    for (let i = 0; ; i++) {
      const r = await fetch(`${url}/api/v1/projects/${project.id}/board`, { headers: { Authorization: `Bearer ${token}` } });
      if (r.ok) break;
      if (i > 100) fail('the tasks service never learnt the project');
      await new Promise((r2) => setTimeout(r2, 100));
    }
    // Groups of 8 tasks joined by 5 finish-to-start links, each group starting two days after the
    // previous one (a "start no earlier than" constraint on its first task).
    const name = (i) => `Tâche ${String(i + 1).padStart(4, '0')}`;
    const duration = (i) => 1 + ((i * 7) % 9);
    const pairs = [];
    for (let i = 0; i < count; i++) if (i % 8 !== 0 && i % 2 === 1) pairs.push([i - 1, i]);
    for (let i = 0; i + 2 < count; i += 8) pairs.push([i + 1, i + 2]);

    // One MS Project file through POST /plan/import.
    const predecessors = new Map(pairs.map(([from, to]) => [to, from]));
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="http://schemas.microsoft.com/project">' +
      `<StartDate>${day(0)}T08:00:00</StartDate><Tasks>` +
      Array.from({ length: count }, (_, i) => {
        const constraint = i % 8 === 0 ? `<ConstraintType>4</ConstraintType><ConstraintDate>${day(Math.floor(i / 8) * 2)}T08:00:00</ConstraintDate>` : '';
        const link = predecessors.has(i)
          ? `<PredecessorLink><PredecessorUID>${predecessors.get(i) + 1}</PredecessorUID><Type>1</Type><LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>`
          : '';
        return `<Task><UID>${i + 1}</UID><Name>${name(i)}</Name><OutlineLevel>1</OutlineLevel><Duration>PT${duration(i) * 8}H0M0S</Duration>${constraint}${link}</Task>`;
      }).join('\n') +
      '</Tasks></Project>\n';
    const imported = await fetch(`${url}/api/v1/projects/${project.id}/plan/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.ms-project.mspdi+xml', Authorization: `Bearer ${token}` },
      body: xml,
    });
    if (imported.status !== 201) fail(`plan import: ${imported.status} ${await imported.text()}`);
    const report = await imported.json();
    if (report.tasks_created !== count || report.links_created !== pairs.length) fail(`import: ${JSON.stringify(report)}`);
    const how = 'one MSPDI import';
    await waitForSchedule(project.id, token);
    await api('POST', `/api/v1/projects/${project.id}/baselines`, { name: 'Référence' }, token);
    console.log(`  # ${count} tasks and ${pairs.length} links created by ${how} in ${Date.now() - started} ms`);

    await page.goto(`${url}/projects/${project.id}/gantt`);
    await bar('Tâche 0001').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForFunction(() => performance.getEntriesByName('gantt:first-render').length > 0);
    const marks = await page.evaluate(() => ({
      data: performance.getEntriesByName('gantt:data')[0]?.startTime ?? null,
      render: performance.getEntriesByName('gantt:first-render')[0]?.startTime ?? null,
      rows: document.querySelectorAll('.grid-row').length,
      bars: document.querySelectorAll('[data-testid="gantt-bar"]').length,
    }));
    // The today line crosses the plan, right of its first bar (the plan began eight weeks ago).
    const today = page.getByTestId('gantt-today');
    if ((await today.count()) !== 1) fail('no today line');
    const todayX = Number(await today.getAttribute('x1'));
    const firstX = Number(await bar('Tâche 0001').getAttribute('x'));
    const timelineWidth = Number(await page.getByTestId('gantt-timeline').getAttribute('width'));
    if (!(todayX > firstX && todayX < timelineWidth)) fail(`today line at x ${todayX} (first bar at ${firstX}, timeline ${timelineWidth} px)`);

    const frames = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid="gantt-scroll"]');
      const times = [];
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      await frame();
      let last = performance.now();
      for (let i = 0; i < 150; i++) {
        el.scrollTop += 140; // five rows a frame, down the plan
        if (i % 3 === 0) el.scrollLeft += 40;
        await frame();
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      const sorted = [...times].sort((a, b) => a - b);
      const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
      return {
        frames: times.length,
        mean: times.reduce((a, b) => a + b, 0) / times.length,
        p50: pct(0.5),
        p95: pct(0.95),
        max: sorted[sorted.length - 1],
        over33: times.filter((t) => t > 33.4).length,
        rowsAfter: document.querySelectorAll('.grid-row').length,
      };
    });
    const ms = (v) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);
    console.log(
      `  # gantt ${count} tasks: data at ${ms(marks.data)}, first render at ${ms(marks.render)} after navigation; ` +
        `${marks.rows} grid rows and ${marks.bars} bars in the DOM`,
    );
    console.log(
      `  # gantt scroll, ${frames.frames} frames: mean ${ms(frames.mean)}, p50 ${ms(frames.p50)}, p95 ${ms(frames.p95)}, ` +
        `max ${ms(frames.max)}, ${frames.over33} frames over 33 ms; ${frames.rowsAfter} rows in the DOM after; ` +
        `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    if (marks.rows > 200) fail(`${marks.rows} rows rendered: the grid is not virtualised`);
  });

  await step('OAuth: the consent page names the application and its scopes, sends the code back; signed out, log-in first', async () => {
    const redirectUri = `${url}/oauth-callback`;
    const client = await api(
      'POST',
      '/api/v1/oauth-clients',
      { name: 'ERP Bâtiment', type: 'public', redirect_uris: [redirectUri], grant_types: ['authorization_code'] },
      await apiToken(),
    );
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id ?? client.id,
      redirect_uri: redirectUri,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      scope: 'openid profile email',
      state: 'xyz-42',
    });
    await page.goto(`${url}/oauth2/authorize?${query}`);
    await page.waitForURL('**/authorize?**');
    await expectVisible(page.getByText('L\'application « ERP Bâtiment » demande à accéder à votre compte Atelier.'), 'consent text');
    await expectVisible(page.getByText('lire votre adresse e-mail'), 'email scope in words');
    await page.getByRole('button', { name: 'Autoriser' }).click();
    await page.waitForURL((u) => u.pathname === '/oauth-callback');
    // The landing page renews the portal's session as it loads: let it finish before leaving.
    await page.waitForLoadState('networkidle');
    const back = new URL(page.url());
    if (!back.searchParams.get('code') || back.searchParams.get('state') !== 'xyz-42') fail(`redirect: ${page.url()}`);

    // Signed out (another browser): log in first, come back to the consent page, refuse.
    const other = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
    try {
      const visitor = await other.newPage();
      await visitor.goto(`${url}/oauth2/authorize?${query}`);
      await visitor.waitForURL('**/login?redirect=**');
      await visitor.getByLabel('Adresse e-mail').fill(user.email);
      await visitor.getByLabel('Mot de passe').fill(user.password);
      await visitor.getByRole('button', { name: 'Se connecter' }).click();
      await visitor.waitForURL('**/authorize?**');
      await visitor.getByRole('button', { name: 'Refuser' }).click();
      await visitor.waitForURL((u) => u.pathname === '/oauth-callback');
      const refused = new URL(visitor.url());
      if (refused.searchParams.get('error') !== 'access_denied' || refused.searchParams.get('state') !== 'xyz-42') {
        fail(`refusal: ${visitor.url()}`);
      }
    } finally {
      await other.close();
    }
  });

  await step('organisations: create one, switch to it and back', async () => {
    await page.goto(`${url}/projects`);
    await expectVisible(page.getByRole('heading', { name: 'Projets' }), 'projects');
    const switcher = page.getByRole('button', { name: /Changer d'organisation/ });
    await expectVisible(switcher, 'the organisation switcher');
    await switcher.click();
    await page.getByRole('button', { name: 'Créer une organisation' }).click();
    await page.getByLabel('Nom de la nouvelle organisation').fill('Durand Rénovation');
    await page.getByRole('button', { name: 'Créer et y passer' }).click();
    await page.locator('#org-menu').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.querySelector('[data-testid="org-name"]')?.textContent?.trim() === 'Durand Rénovation');
    await expectVisible(page.getByText("Aucun projet pour l'instant."), 'the new organisation has no project');
    if ((await page.getByRole('link', { name: 'Résidence Les Tilleuls' }).count()) !== 0) fail("the first organisation's project shows in the new one");
    await expectVisible(page.getByRole('button', { name: /Durand Rénovation\. Changer d'organisation/ }), 'switcher names the new organisation');

    await switcher.click();
    await page.getByRole('button', { name: `Passer à ${user.org}` }).click();
    await page.waitForFunction((org) => document.querySelector('[data-testid="org-name"]')?.textContent?.trim() === org, user.org);
    await expectVisible(page.getByRole('link', { name: 'Résidence Les Tilleuls' }), 'back in the first organisation');
    await switcher.click();
    await expectVisible(page.getByRole('button', { name: /^Passer à Durand Rénovation/ }), 'the new organisation offered in the menu');
    await page.keyboard.press('Escape');
    await page.locator('#org-menu').waitFor({ state: 'hidden' });
  });


  // Documents: a "scanned page" drawn in the browser, uploaded, read by the OCR, found by search.
  await step('documents: upload a scanned quote, its text is read, found by search, its amount extracted; a share link, revoked', async () => {
    await page.goto(`${url}/projects`);
    await page.getByRole('link', { name: 'Résidence Les Tilleuls' }).click();
    await page.getByRole('navigation', { name: 'Pages du projet' }).getByRole('link', { name: 'Documents' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}\/documents$/);
    await expectVisible(page.getByText("Aucun document pour l'instant."), 'empty documents page');

    // The page, drawn large and clean as a 300-dpi scan would be, then exported as a PNG.
    const png = await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 2000;
      canvas.height = 560;
      const g = canvas.getContext('2d');
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = '#000000';
      g.font = '56px "DejaVu Sans", "Liberation Sans", Arial, sans-serif';
      g.fillText('Devis numéro 2026-118 pour la charpente', 80, 160);
      g.fillText('en chêne, montant 12 480,00 €', 80, 280);
      g.fillText('Durand Bâtiment, Lyon', 80, 400);
      const blob = await new Promise((ok) => canvas.toBlob(ok, 'image/png'));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let bin = '';
      for (const b of bytes) bin += String.fromCharCode(b);
      return btoa(bin);
    });
    await page.getByTestId('file-input').setInputFiles({
      name: 'devis-2026-118.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png, 'base64'),
    });
    await expectVisible(page.locator('.uploads li[data-state="done"]'), 'upload finished');
    const row = page.locator('tr[data-document-id]').filter({ hasText: 'devis-2026-118.png' });
    await expectVisible(row, 'the uploaded document in the list');

    // The OCR runs in the background: reload the list until its chip says the text is read.
    const started = Date.now();
    for (;;) {
      const state = await row.locator('[data-ocr]').getAttribute('data-ocr');
      if (state === 'done') break;
      if (state === 'failed') fail('the OCR failed');
      if (Date.now() - started > 60_000) fail(`the OCR was still "${state}" after 60 s`);
      await page.waitForTimeout(1000);
      await page.reload();
      await row.waitFor();
    }
    console.log(`  # OCR of the scanned page done ${Date.now() - started} ms after the upload`);

    await page.getByLabel('Rechercher dans les documents').fill('charpente');
    const mark = row.locator('[data-testid="snippet"] mark');
    await expectVisible(mark, 'highlighted word in the snippet');
    const marked = (await mark.first().textContent())?.toLowerCase();
    if (marked !== 'charpente') fail(`highlighted: ${marked}`);
    await page.screenshot({ path: join(shotsDir, 'documents.png') });

    await row.getByRole('link', { name: 'devis-2026-118.png' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}\?q=charpente$/);
    await expectVisible(page.getByRole('heading', { name: 'devis-2026-118.png' }), 'document page');
    await expectVisible(page.locator('.ocr-text mark').filter({ hasText: /charpente/i }), 'searched word highlighted in the text');
    const amount = page.locator('[data-testid="entities"] tr[data-kind="amount"]');
    await expectVisible(amount, 'an amount in the entities table');
    const amountText = (await amount.first().textContent())?.replace(/\s+/g, ' ');
    if (!amountText?.includes('12 480,00')) fail(`amount row: ${amountText}`);
    await expectVisible(page.locator('img.preview-img'), 'image preview');
    await page.screenshot({ path: join(shotsDir, 'document.png'), fullPage: true });

    // A share link opens the file without an account, until it is revoked.
    await page.getByRole('button', { name: 'Créer un lien' }).click();
    await expectVisible(page.getByText('Lien de partage créé'), 'share link created');
    const shared = await page.locator('#share-url').inputValue();
    const before = await fetch(shared);
    if (before.status !== 200 || before.headers.get('content-type') !== 'image/png') fail(`share link: ${before.status}`);
    await page.getByRole('button', { name: 'Révoquer' }).click();
    await expectVisible(page.getByText('révoqué', { exact: true }), 'revoked link');
    const after = await fetch(shared);
    if (after.status === 200) fail('a revoked link still opens the file');
  });

  // VisioBook: a short French story becomes characters, a storyboard and a narrated video.
  const story = [
    "Marie poussa la porte de la boulangerie au petit matin. Le village dormait encore sous la brume, et l'odeur du pain chaud emplissait la rue.",
    "« Bonjour », dit Marie en souriant. Paul leva la tête de son pétrin, les mains blanches de farine. « Tu es bien matinale aujourd'hui », répondit Paul.",
    "Ils parlèrent longtemps de la fête du village. Marie avait peur de l'orage annoncé pour le soir, mais Paul riait : « Nous danserons sous la pluie, voilà tout ! » dit Paul. Le soir venu, la place s'illumina de lanternes et Marie oublia sa peur.",
  ].join('\n\n');
  const bookTitle = 'La fête du village';
  /** Waits until the run shown on the book's page has ended, and says how it ended. */
  const waitForRun = async () => {
    const started = Date.now();
    // The answer to the click shows the run queued (the page reads it again a second later).
    await page.locator('[data-testid="run-progress"]:is([data-status="queued"], [data-status="running"])').waitFor();
    await page.waitForFunction(
      () => ['done', 'failed'].includes(document.querySelector('[data-testid="run-progress"]')?.getAttribute('data-status') ?? ''),
      undefined,
      { timeout: 120_000, polling: 250 },
    );
    const status = await page.getByTestId('run-progress').getAttribute('data-status');
    if (status !== 'done') fail(`the run ended "${status}": ${await page.getByTestId('run-error').textContent().catch(() => '')}`);
    return Date.now() - started;
  };

  /** Scrolls the result's tabs up under the top bar, for the pictures. */
  const scrollToResult = () =>
    page.evaluate(() => {
      const tabs = document.querySelector('[role="tablist"]');
      window.scrollTo(0, tabs.getBoundingClientRect().top + window.scrollY - 80);
    });

  await step('visiobook: the books page starts empty; a new book with its settings, a wrong length refused', async () => {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Livres' }).click();
    await page.waitForURL('**/books');
    await expectVisible(page.getByRole('heading', { name: 'Livres' }), 'books heading');
    await expectVisible(page.getByText("Aucun livre pour l'instant."), 'empty books page');
    await page.getByRole('link', { name: 'Nouveau livre' }).first().click();
    await page.waitForURL('**/books/new');
    await page.getByLabel('Titre').fill(bookTitle);
    await page.getByLabel('Auteur').fill('Claire Martin');
    await page.getByLabel('Style des images').selectOption('comic');
    await page.getByLabel('Rythme de la narration').selectOption('fast');
    await page.getByLabel('Voix').selectOption('f2');
    await page.getByLabel('Durée visée (minutes)').fill('0');
    await page.getByRole('button', { name: 'Créer le livre' }).click();
    await expectVisible(page.getByText('Un nombre entier de minutes, entre 1 et 120.'), 'target length error');
    await page.getByLabel('Durée visée (minutes)').fill('1');
    await page.getByRole('button', { name: 'Créer le livre' }).click();
    await page.waitForURL(/\/books\/[0-9a-f-]{36}$/);
    await expectVisible(page.getByRole('heading', { name: bookTitle }), 'book heading');
    const settings = (await page.getByTestId('settings').textContent()) ?? '';
    if (!settings.includes('Bande dessinée') || !settings.includes('Rapide') || !settings.includes('Voix féminine 2')) fail(`settings shown: ${settings}`);
  });

  await step('visiobook: upload the text, generate, the five stages run to the end', async () => {
    await page.getByTestId('source-input').setInputFiles({
      name: 'la-fete-du-village.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(story, 'utf8'),
    });
    await expectVisible(page.getByText('Texte déposé : la-fete-du-village.txt.'), 'upload done');
    await expectVisible(page.getByTestId('source').getByText('la-fete-du-village.txt'), 'source named');
    await page.getByTestId('generate').click();
    const ms = await waitForRun();
    console.log(`  # VisioBook run (5 stages) done ${ms} ms after "Générer"`);
    for (const stage of ['ingestion', 'analysis', 'storyboard', 'narration', 'assembly']) {
      const s = await page.locator(`[data-stage="${stage}"]`).getAttribute('data-status');
      if (s !== 'done') fail(`stage ${stage} is "${s}"`);
    }
    await page.getByRole('tab', { name: 'Personnages' }).click();
    const characters = page.getByTestId('characters');
    await expectVisible(characters.getByRole('rowheader', { name: 'Marie' }), 'Marie among the characters');
    await expectVisible(characters.getByRole('rowheader', { name: 'Paul' }), 'Paul among the characters');
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shotsDir, 'visiobook-book.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('tab', { name: 'Scènes' }).click();
    await expectVisible(page.getByTestId('scenes').getByText('Marie, Paul'), 'the cast of a scene');
  });

  await step('visiobook: the storyboard shows its panels, the video plays with its subtitles', async () => {
    await page.getByRole('tab', { name: 'Storyboard' }).click();
    const panel = page.getByTestId('panel').first();
    await expectVisible(panel, 'a panel image');
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="panel"]');
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    await scrollToResult();
    await page.screenshot({ path: join(shotsDir, 'visiobook-storyboard.png') });

    await page.getByRole('tab', { name: 'Vidéo' }).click();
    const video = page.getByTestId('video');
    await expectVisible(video, 'the video element');
    const media = await video.evaluate(
      (v) =>
        new Promise((ok) => {
          const done = () => ok({ src: v.currentSrc, ready: v.readyState, duration: v.duration, error: v.error?.code ?? null, tracks: v.textTracks.length });
          if (v.readyState >= 1 || v.error) done();
          else {
            v.addEventListener('loadedmetadata', done, { once: true });
            v.addEventListener('error', done, { once: true });
            setTimeout(done, 10_000);
          }
        }),
    );
    // Streamed from a signed link, not downloaded first; the metadata is there, so it played.
    if (!new URL(media.src).pathname.startsWith('/api/v1/books/media/')) fail(`video source: ${media.src}`);
    if (media.error !== null || !(media.duration > 0)) fail(`the video does not play: ${JSON.stringify(media)}`);
    if (media.tracks !== 1) fail(`${media.tracks} subtitle tracks`);
    console.log(`  # video: readyState ${media.ready}, duration ${media.duration} s, error ${media.error}`);
    for (const name of ['video.mp4', 'storyboard.pdf', 'analysis.json']) {
      await expectVisible(page.locator(`button[data-file="${name}"]`), `download of ${name}`);
    }
    const download = page.waitForEvent('download');
    await page.locator('button[data-file="storyboard.pdf"]').click();
    const pdf = await download;
    if (!pdf.suggestedFilename().endsWith('.pdf')) fail(`downloaded ${pdf.suggestedFilename()}`);
    await scrollToResult();
    await page.screenshot({ path: join(shotsDir, 'visiobook-video.png') });
  });

  await step('visiobook: a slower pace, saved with If-Match, redone from the narration; two versions', async () => {
    await page.getByRole('button', { name: 'Modifier' }).click();
    await page.getByLabel('Rythme de la narration').selectOption('slow');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expectVisible(page.getByText('Réglages enregistrés.', { exact: false }), 'settings saved');
    await expectVisible(page.getByText('refaites à partir de « Narration »', { exact: false }), 'narration suggested');
    if ((await page.getByLabel('Refaire à partir de').inputValue()) !== 'narration') fail('the redo does not start from the narration');
    await page.getByRole('button', { name: 'Refaire', exact: true }).click();
    await waitForRun();
    if ((await page.locator('[data-stage="ingestion"]').getAttribute('data-status')) === 'running') fail('the ingestion ran again');
    await page.getByRole('tab', { name: 'Historique' }).click();
    const versions = page.getByTestId('versions').locator('[data-version]');
    await expectVisible(versions.first(), 'versions');
    if ((await versions.count()) !== 2) fail(`${await versions.count()} versions listed`);
    await expectVisible(versions.first().getByText('à partir de « Narration »'), 'version 2 from the narration');
    await versions.nth(1).getByRole('button', { name: 'Voir les fichiers' }).click();
    await expectVisible(page.locator('[data-file="video.mp4"]'), 'files of version 1');
  });

  await step('visiobook: the list shows the book done; the book page on a phone', async () => {
    await page.getByRole('link', { name: 'Tous les livres' }).click();
    await page.waitForURL('**/books');
    const row = page.locator('tr[data-book-id]').filter({ hasText: bookTitle });
    await expectVisible(row.getByText('Terminé'), 'done in the list');
    await page.screenshot({ path: join(shotsDir, 'visiobook-list.png') });
    await row.getByRole('link', { name: bookTitle }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await expectVisible(page.getByTestId('run-progress'), 'progress on a phone');
    const wide = await page.evaluate(() => {
      if (document.documentElement.scrollWidth <= window.innerWidth + 1) return null;
      const over = [...document.querySelectorAll('main *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1);
      return over.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)} px)`).join(', ');
    });
    if (wide) fail(`the book page scrolls sideways on a phone: ${wide}`);
    await page.screenshot({ path: join(shotsDir, 'visiobook-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  const logOut = async () => {
    await page.getByRole('button', { name: `Menu de ${user.name}` }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL('**/login');
    await expectVisible(page.getByRole('heading', { name: 'Connexion' }), 'heading Connexion');
  };
  const fillLogIn = async (password) => {
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
  };

  await step('forgotten password: the e-mailed link sets a new one; the old one is refused', async () => {
    await logOut();
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.waitForURL('**/forgot-password');
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByRole('button', { name: 'Envoyer le lien' }).click();
    await expectVisible(page.getByText('Si un compte existe pour cette adresse, un lien vient de lui être envoyé.'), 'link sent');
    const link = mailedLink(user.email, 'reset_password');
    if (!link.startsWith(`${url}/reset-password?token=`)) fail(`reset link: ${link}`);
    await page.goto(link);
    await expectVisible(page.getByRole('heading', { name: 'Nouveau mot de passe' }), 'reset page');
    const fresh = 'Ardoise-Zinc-Tuile-2026';
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(fresh);
    await page.getByLabel('Confirmez le mot de passe').fill(fresh);
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
    await page.waitForURL('**/login?reset=1');
    await expectVisible(page.getByText('Mot de passe changé : connectez-vous avec le nouveau.'), 'password changed notice');
    await fillLogIn(user.password);
    await expectVisible(page.getByRole('alert'), 'the old password refused');
    if (!page.url().includes('/login')) fail(`the old password let in: ${page.url()}`);
    user.password = fresh;
    await fillLogIn(user.password);
    await page.waitForURL('**/projects');
    await expectVisible(page.getByRole('link', { name: 'Résidence Les Tilleuls' }), 'projects with the new password');
  });

  await step('two-step log-in: an authenticator is added in Settings, then its code is asked at log-in', async () => {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Paramètres' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Paramètres' }), 'settings heading');
    await page.getByRole('button', { name: 'Ajouter un authentificateur' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    if (!/^[A-Z2-7]{16,}=*$/.test(secret)) fail(`TOTP secret shown: ${secret}`);
    const uri = await page.getByRole('link', { name: 'otpauth://' }).getAttribute('href');
    if (!uri?.startsWith('otpauth://totp/') || new URL(uri).searchParams.get('secret') !== secret) fail(`otpauth link: ${uri}`);
    const confirmStep = Math.floor(Date.now() / 30_000);
    await page.locator('#mfa-code').fill(totp(secret, confirmStep));
    await page.getByRole('button', { name: 'Activer', exact: true }).click();
    await expectVisible(page.getByText('Double authentification activée.'), 'TOTP enabled');
    await expectVisible(page.getByText('Codes de secours, à noter maintenant'), 'recovery codes');
    if ((await page.locator('ul.recovery li').count()) < 5) fail('too few recovery codes');

    await logOut();
    await fillLogIn(user.password);
    await expectVisible(page.getByRole('heading', { name: 'Code de vérification' }), 'the code is asked');
    // A code counts once: the app shows the next one when the 30-second step turns.
    while (Math.floor(Date.now() / 30_000) <= confirmStep) await new Promise((r) => setTimeout(r, 250));
    await page.getByLabel('Code', { exact: true }).fill(totp(secret));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.waitForURL('**/projects');
    await expectVisible(page.getByRole('link', { name: 'Résidence Les Tilleuls' }), 'projects after the two-step log-in');
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
