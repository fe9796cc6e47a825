/**
 * The Now, Trips, Trip and Legs pages as a person uses them, in Debian's Chromium over a seeded archive (the
 * record fixture's three trips plus a hostile airframe): the map shows, the filter form changes the list
 * without JavaScript, a review from the Trip page lands in the record, hostile strings stay text, and axe-core
 * finds nothing serious or critical. Screenshots: test-output/screenshots/pages-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import type { ConsoleServer } from '../../src/web/server';
import { reviewHistory } from '../../src/archive/review/store';
import { describeBrowser, launchChromium, watchForProblems, screenshot, seriousViolations } from '../helpers/browser';
import {
  HEX,
  HOSTILE,
  HOSTILE_HEX,
  legId,
  seedArchive,
  startTestConsole,
  USERS,
  type SeededArchive,
} from '../helpers/console';
import { T0 } from '../integration/archive/record-fixture';

const H = 3_600_000;

describeBrowser('the Now, Trips, Trip and Legs pages in Chromium', () => {
  let seeded: SeededArchive;
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  /** The console's clock: mid-way through trip-1's removal leg (KHRL → MGGT) unless a test moves it. */
  let now = T0 + 4 * H;
  const problems: string[] = [];

  const open = async (path: string) => {
    const r = await page.goto(`${server.url}${path}`);
    expect(r?.status()).toBe(200);
    return r;
  };
  const rows = (table: string) => page.locator(`table.${table} tbody tr`);

  beforeAll(async () => {
    seeded = await seedArchive();
    server = await startTestConsole(seeded, { now: () => new Date(now) });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    watchForProblems(page, problems);
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Name').fill('rita');
    await page.getByLabel('Password').fill(USERS.rita.password);
    await Promise.all([
      page.waitForURL((u) => u.pathname !== '/login'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await seeded?.close();
  });
  afterEach(() => expect(problems).toEqual([]));

  it('Now: the aircraft in the air on a map drawn from its archived track', async () => {
    await open('/');
    const map = page.locator('main figure.map svg[role=img]');
    await expect(map.isVisible()).resolves.toBe(true);
    expect(await map.locator('title').textContent()).toContain('1 in the air');
    // The track is drawn: a red line with a real extent on screen, and the aircraft's label beside it.
    const box = await map.locator('path.track').boundingBox();
    expect(box!.width + box!.height).toBeGreaterThan(50);
    expect(await map.locator('text', { hasText: 'N123XX' }).count()).toBeGreaterThan(0);
    const row = rows('now').filter({ hasText: 'N123XX' });
    expect(await row.innerText()).toMatch(/In the air\s+since 2026-11-10 15:00 UTC from KHRL/);
    await screenshot(page, 'pages-now');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('Trips: the filter form narrows the list, and "Clear" brings it back', async () => {
    now = T0 + 200 * H;
    await open('/trips');
    expect(await rows('trips').count()).toBe(4); // trip-1, 2, 3 and the hostile airframe's trip-9
    await screenshot(page, 'pages-trips');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Destination country').fill('GT');
    await Promise.all([page.waitForURL(/country=GT/), page.getByRole('button', { name: 'Filter' }).click()]);
    expect(await rows('trips').count()).toBe(1);
    expect(await rows('trips').first().innerText()).toContain('KAEX → KHRL → MGGT → KHRL');
    await screenshot(page, 'pages-trips-filtered');

    await page.getByLabel('Destination country').fill('');
    await page.getByLabel('Category').selectOption('lateral');
    await Promise.all([page.waitForURL(/category=lateral/), page.getByRole('button', { name: 'Filter' }).click()]);
    const lateral = await rows('trips').allInnerTexts();
    expect(lateral).toHaveLength(2);
    expect(lateral.every((t) => t.includes('KAEX → KSAN'))).toBe(true);

    await Promise.all([page.waitForURL(/\/trips$/), page.getByRole('link', { name: 'Clear' }).click()]);
    expect(await rows('trips').count()).toBe(4);
  });

  it('Trips: a bad filter value is named, not an error page', async () => {
    const r = await page.goto(`${server.url}/trips?country=Guatemala&from=2026-13-01`);
    expect(r?.status()).toBe(400);
    const alert = await page.getByRole('alert').innerText();
    expect(alert).toContain('country: "GUATEMALA" is not an ISO country code');
    expect(alert).toContain('from: "2026-13-01" is not a date');
  });

  it('Trip: the map of its legs, airports with inference, timeline, evidence link and review forms', async () => {
    await open('/trips/trip-1');
    expect(await page.locator('h1').innerText()).toBe('Trip KAEX → KHRL → MGGT → KHRL');
    const map = page.locator('main figure.map svg[role=img]');
    await expect(map.isVisible()).resolves.toBe(true);
    expect(await map.locator('path.leg').count()).toBe(3);
    expect(await map.locator('path.track').count()).toBe(1); // positions exist for the removal leg only
    // Fitted to the track: the track spans a good part of the map's width or height.
    const [mapBox, trackBox] = [await map.boundingBox(), await map.locator('path.track').boundingBox()];
    expect(Math.max(trackBox!.width / mapBox!.width, trackBox!.height / mapBox!.height)).toBeGreaterThan(0.3);
    expect(await page.locator('section.leg').count()).toBe(3);
    expect(await page.locator('section.leg').nth(1).innerText()).toMatch(
      /Arrival\s+MGGT MGGT airport, GT — observed at the airport/,
    );
    expect(await page.locator('ol.timeline li').count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator('a[href="/evidence/trip-1"]').count()).toBe(1);
    expect(await page.locator('form.review').count()).toBe(3);
    await screenshot(page, 'pages-trip');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('Trip: a review from the leg form lands in the record and shows on the page', async () => {
    await open('/trips/trip-1');
    const leg = legId('trip-1', 1);
    const form = page.locator('form.review', { has: page.locator(`input[name=leg][value="${leg}"]`) });
    await form.getByLabel('Decision').selectOption('confirm');
    await Promise.all([page.waitForURL(/done=/), form.getByRole('button', { name: 'Save review' }).click()]);
    const log = await reviewHistory(seeded.db, leg);
    expect(log.map((l) => [l.reviewer, JSON.parse(l.after).state])).toEqual([['rita', 'confirmed']]);
    await open('/trips/trip-1');
    expect(await page.locator('section.leg').nth(1).innerText()).toMatch(/Review\s+confirmed by rita/);
  });

  it('Legs: the list a report number links to, with its count; the filter form narrows it', async () => {
    await open('/legs?period=2026-11&category=removal&country=GT');
    expect(await page.locator('.summary .count').innerText()).toBe('1');
    expect(await rows('legs').count()).toBe(1);
    await screenshot(page, 'pages-legs');
    expect(await seriousViolations(page)).toEqual([]);
    await open('/legs?period=2026-11');
    const all = await rows('legs').count();
    expect(all).toBeGreaterThan(3);
    await page.getByLabel('Arrival airport').fill('KSAN');
    await Promise.all([page.waitForURL(/airport=KSAN/), page.getByRole('button', { name: 'Filter' }).click()]);
    expect(await rows('legs').count()).toBe(2); // trip-2 and the hostile trip-9
    expect(await rows('legs').count()).toBeLessThan(all);
  });

  it('hostile callsign, registration and operator stay text on every page and on the map', async () => {
    now = T0 + 50 * H; // the hostile airframe is in the air (trip-9: KAEX → KSAN)
    for (const path of ['/', '/trips', '/trips/trip-9', `/legs?aircraft=${HOSTILE_HEX}`]) {
      await open(path);
      expect(await page.locator('main img, main script, main svg[onload], main [onerror]').count()).toBe(0);
      expect(await page.locator('main').innerText()).toContain(HOSTILE.registration);
    }
    await open('/');
    expect(await page.locator('main svg text', { hasText: HOSTILE.registration }).count()).toBeGreaterThan(0);
    await screenshot(page, 'pages-now-hostile');
    await open(`/aircraft/${HEX}`); // the console-core page still links back
  });
});
