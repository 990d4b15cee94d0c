/**
 * The recorder as an ES module for a site's own bundler (`import { init } from '<package>/recorder'`,
 * product §1): it bundles with rrweb as published, without the snippet build's patches
 * (build/rrwebRecordPatches.ts), and its canvas chunk then leaves record() its own canvas manager.
 */
import { fileURLToPath } from 'node:url';
import { build, type Rollup } from 'vite';
import { describe, expect, it } from 'vitest';

describe('the ./recorder export', () => {
  it('bundles with an unpatched @rrweb/record, its canvas chunk handing record() no class', async () => {
    const output = (await build({
      configFile: false,
      logLevel: 'silent',
      build: { write: false, minify: false, lib: { entry: fileURLToPath(new URL('../../recorder/index.ts', import.meta.url)), formats: ['es'] } },
    })) as Rollup.RollupOutput[];
    const chunks = output.flatMap((o) => o.output).filter((file): file is Rollup.OutputChunk => file.type === 'chunk');
    expect(chunks.find((chunk) => chunk.isEntry)?.exports).toContain('init');
    const canvas = chunks.find((chunk) => chunk.name === 'canvasManager');
    expect(canvas?.code).toMatch(/CanvasManager = void 0/);
  });
});
