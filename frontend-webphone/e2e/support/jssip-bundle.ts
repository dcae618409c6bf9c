import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectDir } from './paths';

/**
 * JsSIP 3.13 ships no browser file: bundle node_modules/jssip/lib/JsSIP.js with Vite's JS API into a temp
 * dir as an IIFE that defines window.JsSIP. Independent of the library's own vite.config.ts.
 */
export async function buildJsSipBundle(): Promise<{ dir: string; file: string; remove(): void }> {
  const { build } = await import('vite');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxdesk-jssip-'));
  await build({
    configFile: false,
    root: projectDir,
    logLevel: 'warn',
    build: {
      outDir: dir,
      emptyOutDir: false,
      minify: false,
      write: true,
      copyPublicDir: false,
      lib: {
        entry: path.join(projectDir, 'node_modules', 'jssip', 'lib', 'JsSIP.js'),
        name: 'JsSIP',
        formats: ['iife'],
        fileName: () => 'jssip.js',
      },
    },
  });
  const file = path.join(dir, 'jssip.js');
  if (!fs.existsSync(file)) throw new Error(`JsSIP bundle not written to ${file}`);
  return { dir, file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
