/** What every end-to-end test checks on the way: no console errors, no serious accessibility violations, a screenshot per screen. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const SCREENS_DIR = 'test-results/screens';

/** Collects console errors and uncaught exceptions from the moment it is called. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** axe on the whole page: no violation of impact serious or critical. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  expect(report, `axe on ${screen}`).toEqual([]);
}

/** The screen in both themes: a screenshot of each and an axe scan of each. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SCREENS_DIR}/${name}-${scheme}.png`, fullPage: true });
    await expectAccessible(page, `${name} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Pixels the page is wider than the window, and the elements that stick out furthest (to say what overflows). */
export async function horizontalOverflow(page: Page): Promise<{ px: number; widest: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const widest = [...document.body.querySelectorAll('*')]
      .map((e) => ({ e, right: e.getBoundingClientRect().right }))
      .filter(({ right }) => right > width + 0.5)
      .sort((a, b) => b.right - a.right)
      .slice(0, 4)
      .map(({ e, right }) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} → ${Math.round(right)} px`);
    return { px: document.documentElement.scrollWidth - width, widest };
  });
}
