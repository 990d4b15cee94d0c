/** recorder.js size, minified and gzipped (builds it first so the figure is of the current source). */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { DEFAULT_CONFIG } from '../server/config';
import type { Row } from './stats';

export async function benchBundleSize(): Promise<Row[]> {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), mode: 'recorder', logLevel: 'silent' });
  const code = fs.readFileSync(DEFAULT_CONFIG.assets.recorderFile);
  return [
    {
      figure: 'recorder.js size',
      goal: '≤ 30 KB gzip',
      median: `${(gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KB gzip`,
      range: '',
      detail: `${(code.length / 1024).toFixed(1)} KB minified`,
    },
  ];
}
