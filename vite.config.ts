import { defineConfig } from 'vitest/config';
import { postgresBinDir } from './test/helpers/postgresBin.ts';

/** The tests of everything behind the Storage interface: run once per backend. */
const STORAGE_TESTS = [
  'test/server/{auth,ingest,replayExport,retention,sessionFilters,sessions,shares,signals,stats}.test.ts',
  'test/storage/**/*.test.ts',
];
/** Tests that need PostgreSQL itself (several server nodes sharing one database). */
const POSTGRES_ONLY_TESTS = ['test/e2e/twoNodes.test.ts', 'test/faults/postgresDown.test.ts'];

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
 * `vite build` builds the player app into dist/player; `vite build --mode recorder` builds the
 * snippet into one minified IIFE, dist/recorder/recorder.js, which the server serves;
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
      build: {
        outDir: 'dist/recorder',
        emptyOutDir: true,
        minify: true,
        sourcemap: false,
        lib: {
          entry: 'recorder/snippet.ts',
          formats: ['iife'],
          name: 'SessionReplayRecorder',
          fileName: () => 'recorder.js',
        },
      },
    };
  }
  return {
    root: 'player',
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
