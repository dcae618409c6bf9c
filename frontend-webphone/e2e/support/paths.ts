import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** frontend-webphone/ */
export const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const e2eDir = path.join(projectDir, 'e2e');
/** the library build under test; VOXDESK_E2E_DIST points the rig at another build (e.g. a temp dir) */
export const distDir = path.resolve(process.env.VOXDESK_E2E_DIST ?? path.join(projectDir, 'dist'));
export const resultsDir = path.join(projectDir, 'test-results');
export const screenshotsDir = path.join(resultsDir, 'screenshots');
