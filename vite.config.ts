import { defineConfig } from 'vitest/config';

/**
 * `vite build` builds the player app into dist/player; `vite build --mode recorder` builds the
 * snippet into one minified IIFE, dist/recorder/recorder.js, which the server serves.
 */
export default defineConfig(({ mode }) => {
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
      include: ['test/**/*.test.ts'],
      globalSetup: ['test/helpers/globalSetup.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  };
});
