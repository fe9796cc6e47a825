/**
 * The console as a person uses it, in Debian's Chromium: sign in, review a leg through the form, open every
 * page of the console-core part, with no script from data ever running, no CSP violation, and no serious or
 * critical axe-core finding. Screenshots of each page: test-output/screenshots/console-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { reviewHistory } from '../../src/archive/review/store';
import type { ConsoleServer } from '../../src/web/server';
import type { WorkerHealth } from '../../src/web/health-model';
import { describeBrowser, launchChromium, watchForProblems, screenshot, seriousViolations } from '../helpers/browser';
import { HEX, HOSTILE_HEX, legId, seedArchive, startTestConsole, USERS, type SeededArchive } from '../helpers/console';

const NOW = Date.now();
/** What a running worker reports: one source failing, a queue backlog, one dead letter. */
const workerHealth = (): Promise<WorkerHealth> =>
  Promise.resolve({
    startedAt: NOW - 6 * 3_600_000,
    sources: [
      { id: 'adsblol', healthy: true, lastOkAt: NOW - 20_000 },
      { id: 'opensky', healthy: false, reason: 'rate_limited: 429 until the window resets', lastOkAt: NOW - 900_000 },
    ],
    lastPollAt: NOW - 20_000,
    lastDataAt: NOW - 20_000,
    blindAfterMs: 900_000,
    queues: {
      poll: { waiting: 0, active: 1, delayed: 0, failed: 0 },
      detect: { waiting: 2, active: 0, delayed: 0, failed: 0 },
      notify: { waiting: 0, active: 0, delayed: 3, failed: 1 },
    },
    deadLetters: 1,
    archive: { enabled: true, lagMs: 4000, archived: 1200 },
  });

describeBrowser('the console in Chromium', () => {
  let seeded: SeededArchive;
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    seeded = await seedArchive();
    server = await startTestConsole(seeded, { health: workerHealth });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watchForProblems(page, problems);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await seeded?.close();
  });
  afterEach(() => expect(problems).toEqual([]));

  it('signs in through the form and returns to the page it asked for', async () => {
    await page.goto(`${server.url}/watchlist`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'console-login');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Name').fill('rita');
    await page.getByLabel('Password').fill(USERS.rita.password);
    await Promise.all([page.waitForURL(/\/watchlist$/), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(await page.locator('header').innerText()).toContain('Signed in as rita (reviewer)');
  });

  it('reviews a leg through the form: the audit log records it', async () => {
    await page.goto(`${server.url}/review`);
    await screenshot(page, 'console-review');
    expect(await seriousViolations(page)).toEqual([]);
    const leg = legId('trip-2', 0);
    const card = page.locator('article', { has: page.locator(`input[name=leg][value="${leg}"]`) });
    // The script hides the category until "correct" is chosen.
    await expect(card.locator('.category').isHidden()).resolves.toBe(true);
    await card.getByLabel('Decision').selectOption('correct');
    await expect(card.locator('.category').isVisible()).resolves.toBe(true);
    await card.getByLabel('Category (when correcting)').selectOption('other');
    await card.getByLabel('Note (required to reject or correct)').fill('positioning flight, no passengers');
    await Promise.all([page.waitForURL(/done=/), card.getByRole('button', { name: 'Save review' }).click()]);
    expect(await page.getByRole('status').innerText()).toContain('is now corrected');
    await screenshot(page, 'console-review-saved');
    const log = await reviewHistory(seeded.db, leg);
    expect(log.map((l) => [l.reviewer, JSON.parse(l.after).state])).toEqual([['rita', 'corrected']]);
  });

  for (const [name, path] of [
    ['watchlist', '/watchlist'],
    ['aircraft', `/aircraft/${HEX}`],
    ['aircraft-hostile', `/aircraft/${HOSTILE_HEX}`],
    ['health', '/health'],
  ] as const)
    it(`renders ${path} with no serious accessibility finding`, async () => {
      const r = await page.goto(`${server.url}${path}`);
      expect(r?.status()).toBe(200);
      expect(await page.locator('h1').count()).toBe(1);
      await screenshot(page, `console-${name}`);
      expect(await seriousViolations(page)).toEqual([]);
    });

  it('shows hostile strings as text: no element or script injected', async () => {
    await page.goto(`${server.url}/aircraft/${HOSTILE_HEX}`);
    expect(await page.locator('main img, main svg[onload], main script').count()).toBe(0);
    expect(await page.locator('main').innerText()).toContain('<script>alert("reg")</script>');
  });

  it('signs out with the button', async () => {
    await page.goto(`${server.url}/health`);
    await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Sign out' }).click()]);
    await page.goto(`${server.url}/health`);
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
