import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshotsDir } from './paths';

/** Saves frontend-webphone/test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
