import type { Plugin } from 'vite';
import { precompress } from './build/precompress.ts';
import { rrwebRecordPatches } from './build/rrwebRecordPatches.ts';
import { defineConfig } from 'vitest/config';
import { postgresBinDir } from './test/helpers/postgresBin.ts';

/** The tests of everything behind the Storage interface: run once per backend. */
const STORAGE_TESTS = [
  'test/server/{auth,capturedAssets,ingest,relativeIds,replayExport,retention,sessionFilters,sessions,shares,signals,stats}.test.ts',
  'test/storage/**/*.test.ts',
];
/** Tests that need PostgreSQL itself (several server nodes sharing one database). */
const POSTGRES_ONLY_TESTS = [
  'test/e2e/twoNodes.test.ts',
  'test/faults/postgresDown.test.ts',
  'test/storage/appendBatchesPostgres.test.ts',
  'test/storage/gapsLocksPostgres.test.ts',
  'test/storage/sessionLockPostgres.test.ts',
  'test/storage/serialPlanPostgres.test.ts',
];

/**
 * The PostgreSQL project runs when Debian's postgresql package (or POSTGRES_BIN) provides the
 * binaries; .ci/run installs them, so in CI their absence is an error, not a skip.
 */
function postgresProjects() {
  if (postgresBinDir()) {
    const test = { name: 'postgres', include: [...STORAGE_TESTS, ...POSTGRES_ONLY_TESTS], globalSetup: ['test/helpers/postgresSetup.ts'] };
    return [{ extends: true as const, test }];
  }
  const reason = 'no PostgreSQL binaries (apt-get install postgresql, or set POSTGRES_BIN)';
  if (process.env.CI) throw new Error(`CI must run the storage tests on PostgreSQL too, but found ${reason}`);
  console.warn(`[test] storage tests on PostgreSQL skipped: ${reason}`);
  return [];
}

/**
 * recorder.js is a classic script (the snippet tag has no type="module"), yet it loads its
 * optional parts as content-hashed chunks with import(), which a classic script may call. So
 * the entry is built as an ES chunk with no static import, then wrapped in a function so that
 * none of its top-level names lands in the host page's global scope. A cross-origin classic
 * script without CORS resolves relative specifiers against about:blank, so each chunk's URL
 * is made absolute, from the script's own URL, read while it first runs.
 */
const classicEntry: Plugin = {
  name: 'recorder-classic-entry',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
      // Any quote: minified output uses backticks, an unminified build (bench/profileRecorder.ts) double quotes.
      const code = chunk.code.replace(/import\([`'"]\.\/(chunks\/[\w-]+\.js)[`'"]\)/g, 'import(new URL(`$1`,$$srBase).href)');
      if (chunk.imports.length > 0 || /\bimport\.meta\b|\bimport\(\s*[`'"]\./.test(code)) {
        throw new Error(`${chunk.fileName} must not import statically nor by a relative path: it runs as a classic script`);
      }
      const base = `(document.currentScript||document.querySelector('script[src*="recorder.js"]')||{}).src||location.href`;
      chunk.code = `(()=>{const $srBase=${base};${code}})();\n`;
    }
  },
};

/** The chunks that take their own copy of every module they import, however much of it the entry has. */
const OWN_COPY_CHUNKS = ['/recorder/canvasManager.ts'];
const OWN_COPY = '?own-copy';

/**
 * A chunk may share no module with the entry (a classic script exports none), yet the canvas
 * chunk's code is in rrweb's record.js, which the entry uses too. So each module the chunks of
 * OWN_COPY_CHUNKS import is resolved under another id, which the bundler treats as another
 * module: the chunk carries a copy of it, of which it keeps what it uses.
 */
const ownCopies: Plugin = {
  name: 'recorder-own-copies',
  enforce: 'pre',
  async resolveId(source, importer) {
    if (!importer || !(importer.endsWith(OWN_COPY) || OWN_COPY_CHUNKS.some((chunk) => importer.endsWith(chunk)))) return null;
    const resolved = await this.resolve(source, importer.replace(OWN_COPY, ''), { skipSelf: true });
    return resolved && !resolved.external ? { ...resolved, id: resolved.id + OWN_COPY } : resolved;
  },
};

/**
 * `vite build` builds the player app into dist/player; `vite build --mode recorder` builds the
 * snippet, dist/recorder/recorder.js, and the chunks it loads on demand, which the server serves;
 * `vite build --mode export` the player that exported files carry inline (dist/export).
 */
export default defineConfig(({ mode }) => {
  if (mode === 'export') {
    // The player for exported files: one script and one stylesheet the server inlines into each.
    return {
      root: 'player',
      publicDir: false,
      build: {
        outDir: '../dist/export',
        emptyOutDir: true,
        minify: true,
        sourcemap: false,
        lib: {
          entry: 'src/export/exportMain.ts',
          formats: ['iife'],
          name: 'SessionReplayExport',
          fileName: () => 'export.js',
          cssFileName: 'export',
        },
      },
    };
  }
  if (mode === 'recorder') {
    return {
      base: './',
      publicDir: false,
      plugins: [rrwebRecordPatches(), ownCopies, classicEntry, precompress()],
      build: {
        outDir: 'dist/recorder',
        emptyOutDir: true,
        // terser after the bundler's own minifier: ~750 B gzip less on recorder.js (issue 14).
        // Without reduce_funcs it pastes each function called once where it is called: rrweb's
        // serializeNode and serializeElementNode became closures made anew for every node
        // serialised, and the large overhead page's snapshot cost ~30 % more (bench/README).
        minify: 'terser',
        terserOptions: { compress: { passes: 3, reduce_funcs: false }, format: { comments: false } },
        sourcemap: false,
        lib: { entry: 'recorder/snippet.ts', formats: ['es'], fileName: () => 'recorder.js' },
        rollupOptions: {
          output: {
            // fflate's module is named "browser": the chunk is named after the package instead.
            chunkFileNames: (chunk) => `chunks/${chunk.moduleIds.some((id) => id.includes('/fflate/')) ? 'fflate' : '[name]'}-[hash].js`,
            minify: true,
            // Pure annotations are hints for a later minifier; the snippet has none after it (~100 B gzip).
            comments: { legal: true, annotation: false, jsdoc: false },
          },
        },
      },
    };
  }
  return {
    root: 'player',
    plugins: [precompress()],
    build: { outDir: '../dist/player', emptyOutDir: true },
    server: { proxy: {} },
    test: {
      root: '.',
      testTimeout: 60_000,
      hookTimeout: 120_000,
      projects: [
        {
          extends: true,
          test: {
            name: 'sqlite',
            include: ['test/**/*.test.ts'],
            exclude: POSTGRES_ONLY_TESTS,
            globalSetup: ['test/helpers/globalSetup.ts'],
          },
        },
        ...(mode === 'test' ? postgresProjects() : []),
      ],
    },
  };
});
