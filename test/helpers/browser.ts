/**
 * A real browser for the console's tests: Debian's Chromium (`which chromium`) driven by playwright-core,
 * headless with the flags the issue names. Screenshots go to test-output/screenshots (git-ignored), kept
 * after the run for people to look at. `describeBrowser` skips, saying why, when Chromium is not installed —
 * except under CI=true, where that fails (.ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = resolve(__dirname, '../../test-output/screenshots');

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export function chromiumPath(): string | undefined {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function describeBrowser(what: string, fn: () => void): void {
  if (chromiumPath()) return describe(what, fn);
  if (process.env.CI === 'true')
    return describe(what, () => {
      it('has Chromium installed', () => {
        throw new Error('chromium is not on the PATH (apt-get install -y chromium)');
      });
    });
  console.warn(`skipping "${what}": chromium is not on the PATH (apt-get install -y chromium)`);
  describe.skip(what, fn);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
}

/**
 * Collects what must never happen on a console page into `problems`: a dialog (a hostile string ran as
 * script), a CSP report (the page broke its own policy), an uncaught page error.
 */
export function watchForProblems(page: Page, problems: string[]): void {
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's serious and critical violations on the page. The engine is evaluated through the DevTools
 * protocol, so the page's CSP (no inline script) stays in force for the page itself.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const r = await axe.run({ resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
