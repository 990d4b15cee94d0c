/**
 * A Vite plugin that writes a brotli (`.br`) and a gzip (`.gz`) copy beside every text file
 * of a build, at the highest levels: compressed once at build, never per request. The gzip is
 * zopfli's, about 3 % smaller than zlib's level 9 and read by every gzip decoder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import type { Plugin } from 'vite';

/** Files worth compressing (images other than SVG are compressed already). */
const TEXT_FILE = /\.(js|mjs|css|html|svg|json|txt|map)$/;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : [file];
  });
}

/** zopfli's passes per file: past 15, recorder.js gains a few bytes for twice the build time. */
const ZOPFLI_ITERATIONS = 15;

/** Writes `file.br` and `file.gz` for each text file under `dir`. */
async function precompressDir(dir: string): Promise<void> {
  for (const file of filesUnder(dir).filter((f) => TEXT_FILE.test(f))) {
    const data = fs.readFileSync(file);
    fs.writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
    fs.writeFileSync(`${file}.gz`, await gzipAsync(data, { numiterations: ZOPFLI_ITERATIONS }));
  }
}

export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      return precompressDir(outDir);
    },
  };
}
