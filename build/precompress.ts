/**
 * A Vite plugin that writes a brotli (`.br`) and a gzip (`.gz`) copy beside every text file
 * of a build, at the highest levels: compressed once at build, never per request.
 */
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Files worth compressing (images other than SVG are compressed already). */
const TEXT_FILE = /\.(js|mjs|css|html|svg|json|txt|map)$/;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : [file];
  });
}

/** Writes `file.br` and `file.gz` for each text file under `dir`. */
function precompressDir(dir: string): void {
  for (const file of filesUnder(dir).filter((f) => TEXT_FILE.test(f))) {
    const data = fs.readFileSync(file);
    fs.writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
    // memLevel 9 (zlib's most memory for matching) makes recorder.js about 30 B smaller than the default 8.
    fs.writeFileSync(`${file}.gz`, gzipSync(data, { level: 9, memLevel: 9 }));
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
      precompressDir(outDir);
    },
  };
}
