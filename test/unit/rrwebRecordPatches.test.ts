/**
 * The snippet build's patches of @rrweb/record (build/rrwebRecordPatches.ts): they apply to the
 * pinned version, and a record.js they no longer fit fails the build instead of being half patched.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TransformResult } from 'vite';
import { describe, expect, it } from 'vitest';
import { rrwebRecordPatches } from '../../build/rrwebRecordPatches';

const RECORD_JS = path.join(path.dirname(createRequire(import.meta.url).resolve('@rrweb/record')), 'record.js');
const original = fs.readFileSync(RECORD_JS, 'utf8');

function transform(code: string): string {
  const plugin = rrwebRecordPatches() as { transform: (code: string, id: string) => TransformResult | null };
  return (plugin.transform(code, RECORD_JS) as { code: string }).code;
}

describe("the snippet build's patches of @rrweb/record", () => {
  it('take canvas recording out to the class and function record() is given, and drop what our options never run', () => {
    const code = transform(original);
    expect(code).toContain('canvasManager = new (options.CanvasManager || class {');
    expect(code).toMatch(/export \{\n {2}record,\n {2}CanvasManager,\n {2}snapshotCanvas,\n {2}EventType,\n {2}IncrementalSource\n\};/);
    // A canvas's pixels in a snapshot: what recordCanvas is does it, no longer serializeElementNode itself.
    expect(code).toContain('if (tagName === "canvas" && recordCanvas) {\n    recordCanvas(n, attributes, doc, dataURLOptions);\n  }');
    expect(code.slice(code.indexOf('function serializeElementNode('), code.indexOf('function serializeNodeWithId('))).not.toContain('toDataURL');
    expect(code).toContain('function snapshotCanvas(n, attributes, doc, dataURLOptions) {\n  if (n.__context === "2d") {');
    for (const gone of ['transformCrossOriginEvent', 'DEPARTED_MIRROR_ACCESS_WARNING', 'recordInlineImage', 'n instanceof BaseRRNode', 'exceedCount', 'delete serializedNode.needBlock']) {
      expect(original).toContain(gone);
      expect(code).not.toContain(gone);
    }
  });

  it('fail the build, saying which patch, when record.js no longer fits one', () => {
    const changed = original.replace('function mergeHooks(o, hooks) {', 'function mergeHooks(o, hooks, extra) {');
    expect(() => transform(changed)).toThrow(/not there exactly once.*hooks is not given/);
    expect(() => transform(original + '\nfunction mergeHooks(o, hooks) {\n}\n')).toThrow(/not there exactly once/);
  });

  it('leave other modules alone', () => {
    const plugin = rrwebRecordPatches() as { transform: (code: string, id: string) => TransformResult | null };
    expect(plugin.transform('export const x = 1;', '/app/recorder/index.ts')).toBeNull();
  });
});
