/**
 * recorder.js size, minified and as the server sends it gzip (the zopfli copy made at build;
 * builds it first so the figure is of the current source). It is all a default page downloads.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { DEFAULT_CONFIG } from '../server/config';
import type { Row } from './stats';

export async function benchBundleSize(): Promise<Row[]> {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), mode: 'recorder', logLevel: 'silent' });
  const code = fs.readFileSync(DEFAULT_CONFIG.assets.recorderFile);
  const gzipBytes = fs.statSync(`${DEFAULT_CONFIG.assets.recorderFile}.gz`).size;
  return [
    {
      figure: 'recorder.js size (all a default page downloads)',
      goal: '≤ 30 KB gzip',
      median: `${(gzipBytes / 1024).toFixed(1)} KB gzip`,
      range: '',
      detail: `${(code.length / 1024).toFixed(1)} KB minified`,
    },
  ];
}
