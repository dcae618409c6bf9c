/**
 * Helpers of the voice-campaign test (issue 17 point 15): what `<voxdesk-campaign-monitor>` shows, the text of a PDF
 * (its Flate streams inflated), and screenshots of one element.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Locator, Page } from 'playwright-core';
import { screenshotsDir } from '../../support/paths';

/** The figures `<voxdesk-campaign-monitor>` shows, read from its shadow DOM in one go (one rendering of one report). */
export interface MonitorFigures {
  name: string;
  /** `monitor-state`'s data-state, and its words */
  state: string | null;
  stateText: string;
  inProgress: number | null;
  attempts: number | null;
  answered: number | null;
  /** `monitor-progress`: aria-valuenow (contacts done) of aria-valuemax (contacts) */
  done: number | null;
  contacts: number | null;
  progressText: string;
  talk: string;
}

/** What the page's monitor shows now; `null` while it shows no report (not on the page yet, or loading). */
export async function monitorFigures(page: Page): Promise<MonitorFigures | null> {
  return page.evaluate(() => {
    const root = document.querySelector('voxdesk-campaign-monitor')?.shadowRoot;
    const state = root?.querySelector('[data-testid="monitor-state"]');
    if (!root || !state) return null;
    const text = (testId: string) => root.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? '';
    // whole numbers as the monitor writes them (Intl, en or pt-BR: no grouping below 1000)
    const count = (value: string | null | undefined) => (value && /^\d+$/.test(value.trim()) ? Number(value.trim()) : null);
    const progress = root.querySelector('[data-testid="monitor-progress"]');
    return {
      name: text('monitor-name'),
      state: state.getAttribute('data-state'),
      stateText: state.textContent?.trim() ?? '',
      inProgress: count(text('monitor-in-progress')),
      attempts: count(text('monitor-attempts')),
      answered: count(root.querySelector('[data-testid="monitor-outcome-answered"] [data-testid="monitor-outcome-count"]')?.textContent),
      done: count(progress?.getAttribute('aria-valuenow')),
      contacts: count(progress?.getAttribute('aria-valuemax')),
      progressText: text('monitor-progress-text'),
      talk: text('monitor-talk'),
    };
  });
}

/**
 * The bytes of a PDF with every stream that inflates (FlateDecode: content streams, object streams) replaced by its
 * inflated bytes, as latin1 text: what a search for the words drawn with a standard font (literal strings in the
 * content stream) or the document's title needs, without a PDF library.
 */
export function pdfText(pdf: Buffer): string {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const start = pdf.indexOf('stream', from, 'latin1');
    if (start < 0) break;
    // "stream" then CRLF or LF; skip "endstream"
    if (pdf.subarray(start - 3, start).toString('latin1') === 'end') {
      from = start + 6;
      continue;
    }
    let bodyStart = start + 6;
    if (pdf[bodyStart] === 0x0d) bodyStart++;
    if (pdf[bodyStart] === 0x0a) bodyStart++;
    const end = pdf.indexOf('endstream', bodyStart, 'latin1');
    if (end < 0) break;
    parts.push(pdf.subarray(from, start).toString('latin1'));
    const body = pdf.subarray(bodyStart, end);
    try {
      parts.push(zlib.inflateSync(body).toString('latin1'));
    } catch {
      // not Flate (an image, or a stream with another filter): left out
    }
    from = end + 'endstream'.length;
  }
  parts.push(pdf.subarray(from).toString('latin1'));
  return parts.join('\n');
}

/**
 * Whether the PDF holds `text` as a string: a literal one (its parentheses and backslashes escaped, as PDFBox writes
 * ASCII text) or a hex one, in the file itself or in one of its inflated streams.
 */
export function pdfHasText(pdf: Buffer, text: string): boolean {
  const all = pdfText(pdf);
  const literal = text.replace(/[()\\]/g, (c) => `\\${c}`);
  const hex = Buffer.from(text, 'latin1').toString('hex');
  return all.includes(literal) || all.toLowerCase().includes(hex);
}

/** Saves frontend-webphone/test-results/screenshots/<name>.png of one element (scrolled into view) and returns its path. */
export async function elementScreenshot(locator: Locator, name: string): Promise<string> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await locator.screenshot({ path: file });
  return file;
}
