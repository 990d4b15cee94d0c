/**
 * What a default page downloads is the snippet's budget (issue 14), and @rrweb/record carries
 * code that the recorder never runs with the options startRecording.ts gives it. This plugin
 * patches the pinned @rrweb/record's record.js while the snippet is built, as patch-package
 * would, most patches dropping one such part (about 4.5 KB gzip in all), two making what it
 * runs on every page cheaper. A patch must match exactly once and the version must be the
 * pinned one: a new rrweb fails the build here rather than record differently, and whoever
 * upgrades it re-checks each patch. Outside the snippet's build (the `./recorder` export in a
 * site's own bundler) rrweb is unpatched and works the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/** The version PATCHES were written against (package.json pins it). */
const RRWEB_RECORD_VERSION = '2.1.6';
const RECORD_JS = /\/@rrweb\/record\/dist\/record\.js(\?.*)?$/;
/** The module our code's `@rrweb/types` imports resolve to. */
const RRWEB_TYPES = '\0rrweb-types';

/** Why both of rrweb's "please … after start recording" errors are shortened. */
const NOT_RECORDING_WHY =
  'startRecording.ts calls addCustomEvent and takeFullSnapshot only once recording started (it holds custom events until then); should one come after record() failed, a short message says why.';

/** The canvas manager of a recording without canvases: rrweb's calls on it do nothing. */
const NO_CANVAS = 'class { reset() {} freeze() {} unfreeze() {} lock() {} unlock() {} }';

/** How serializeElementNode's canvas branch starts and where it ends (the next branch). */
const CANVAS_BRANCH = '  if (tagName === "canvas" && recordCanvas) {\n';
const AFTER_CANVAS_BRANCH = '  if (tagName === "img" && inlineImages) {\n';
const SNAPSHOT_CANVAS_WHY = 'the canvas chunk takes what serializeElementNode does for a canvas from this branch';

/**
 * snapshotCanvas: the body of serializeElementNode's canvas branch in `code`, as it is, made a
 * function of the names it reads (the canvas chunk exports it, see the patches).
 */
function snapshotCanvas(code: string): string {
  const start = onlyIndex(code, CANVAS_BRANCH, SNAPSHOT_CANVAS_WHY) + CANVAS_BRANCH.length;
  const body = code.slice(start, onlyIndex(code, AFTER_CANVAS_BRANCH, SNAPSHOT_CANVAS_WHY)).replace(/\n {2}\}\n$/, '\n');
  return `function snapshotCanvas(n, attributes, doc, dataURLOptions) {\n${body.replace(/^ {2}/gm, '')}}\n`;
}

/**
 * `from` (or, with `until`, from `from` up to `until`) → `to` (or what `to` makes of the text as
 * patched so far). A function declaration is replaced
 * by a stub that does what it did with our options, the original kept under another name
 * (unused, so the bundler drops it).
 */
const PATCHES: { why: string; from: string; until?: string; to: string | ((code: string) => string) }[] = [
  {
    why: 'Canvas recording (a worker, 2D and WebGL observers, their serialisers: ~2.1 KB) is opt-in: record() builds the CanvasManager class given as its `CanvasManager` option (recorder/canvasManager.ts, a chunk of its own, hands it over), else one that records nothing.',
    from: '  canvasManager = new CanvasManager({\n',
    to: `  canvasManager = new (options.CanvasManager || ${NO_CANVAS})({\n`,
  },
  {
    why: 'The canvas chunk takes rrweb’s CanvasManager and snapshotCanvas from here (an own copy of record.js, see vite.config.ts), and our code its event enums (see the plugin).',
    from: 'export {\n  record\n};',
    to: 'export {\n  record,\n  CanvasManager,\n  snapshotCanvas,\n  EventType,\n  IncrementalSource\n};',
  },
  {
    why: 'slimDOMOptions is not given, so every one of its tests is off and no node is left out.',
    from: 'function slimDOMExcluded(sn, slimDOMOptions) {\n',
    to: 'function slimDOMExcluded() {\n  return false;\n}\nfunction unpatchedSlimDOMExcluded(sn, slimDOMOptions) {\n',
  },
  {
    why: 'hooks is not given, so no callback needs wrapping.',
    from: 'function mergeHooks(o, hooks) {\n',
    to: 'function mergeHooks() {\n}\nfunction unpatchedMergeHooks(o, hooks) {\n',
  },
  {
    why: 'collectFonts is not given; record() calls this only with it.',
    from: 'function initFontObserver({ fontCb, doc }) {\n',
    to: 'function initFontObserver() {\n  return () => {\n  };\n}\nfunction unpatchedInitFontObserver({ fontCb, doc }) {\n',
  },
  {
    why: 'recordCrossOriginIframes is not given: the methods that take in a cross-origin frame’s events (from handleMessage to patchRootIdOnNode, the end of IframeManager) are called only with it.',
    from: '  handleMessage(message) {\n',
    until: '}\nclass ShadowDomManager {\n',
    to: '}\nclass ShadowDomManager {\n',
  },
  {
    why: 'recordCrossOriginIframes is not given, nor a plugin with getMirror: nothing reads the ids a cross-origin frame’s mirror would map, so IframeManager gets an empty one.',
    from: 'class CrossOriginIframeMirror {\n',
    to: 'class CrossOriginIframeMirror {\n}\nclass UnpatchedCrossOriginIframeMirror {\n',
  },
  {
    why: 'snapshotCanvas, what serializeElementNode does in place for a canvas, defined beside is2DCanvasBlank, which it calls (before the next patch takes the branch out).',
    from: 'function is2DCanvasBlank(canvas) {\n',
    to: (code) => `${snapshotCanvas(code)}function is2DCanvasBlank(canvas) {\n`,
  },
  {
    why: 'A canvas’s pixels in a snapshot (~200 B gzip with is2DCanvasBlank) are opt-in as well: serializeElementNode calls what recordCanvas is, snapshotCanvas from the canvas chunk (startRecording.ts gives it; a function is true wherever else rrweb tests the option), instead of running it in place.',
    from: CANVAS_BRANCH,
    until: AFTER_CANVAS_BRANCH,
    to: `${CANVAS_BRANCH}    recordCanvas(n, attributes, doc, dataURLOptions);\n  }\n${AFTER_CANVAS_BRANCH}`,
  },
  {
    why: 'inlineImages is not given: images are not copied into the snapshot (the asset capture stores them).',
    from: '  if (tagName === "img" && inlineImages) {\n',
    until: '  if (["audio", "video"].includes(tagName)) {\n',
    to: '  if (["audio", "video"].includes(tagName)) {\n',
  },
  {
    why: 'A node’s shadow root as rrdom (the replayer’s virtual DOM) keeps it: a recorded page has no rrdom nodes.',
    from: '  if (n instanceof BaseRRNode && "shadowRoot" in n) {\n    return Boolean(n.shadowRoot);\n  }\n',
    to: '',
  },
  {
    why: 'rrweb takes a DOM class’s prototype from a fresh hidden iframe when the page patched one of its accessors or methods, but lists Element’s methods querySelector and querySelectorAll among its accessors: they have no getter, so every page looked patched and paid for an iframe (7–11 ms of main thread in Chromium) at the recorder’s start. Listed as methods, a page that did patch them (or Element’s shadowRoot getter) still gets the iframe.',
    from: '  Element: ["shadowRoot", "querySelector", "querySelectorAll"],\n  MutationObserver: []\n};\nconst testableMethods = {\n  Node: ["contains", "getRootNode"],\n  ShadowRoot: ["getSelection"],\n  Element: [],\n',
    to: '  Element: ["shadowRoot"],\n  MutationObserver: []\n};\nconst testableMethods = {\n  Node: ["contains", "getRootNode"],\n  ShadowRoot: ["getSelection"],\n  Element: ["querySelector", "querySelectorAll"],\n',
  },
  {
    why: NOT_RECORDING_WHY,
    from: '    throw new Error("please add custom event after start recording");\n',
    to: '    throw new Error("not recording");\n',
  },
  {
    why: NOT_RECORDING_WHY,
    from: '    throw new Error("please take full snapshot after start recording");\n',
    to: '    throw new Error("not recording");\n',
  },
  {
    why: 'NodeList and DOMTokenList have forEach in every browser that can run the snippet at all (it is ES2020: optional chaining, class fields), so there is nothing to polyfill.',
    from: 'function polyfill(win = window) {\n',
    until: '}\nfunction isSerializedIframe(',
    to: 'function polyfill() {\n}\nfunction isSerializedIframe(',
  },
  {
    why: 'recordCrossOriginIframes, checkoutEveryNth and checkoutEveryNms are not given: every event goes to our emit, none to a parent frame, and what rrweb counts after it for a checkout snapshot is never read.',
    from: '    if (inEmittingFrame) {\n      emit == null ? void 0 : emit(eventProcessor(e), isCheckout);\n    } else if (passEmitsToParent) {\n',
    until: '      if (exceedCount || exceedTime) {\n        takeFullSnapshot(true);\n      }\n    }\n  };\n',
    to: '    emit(eventProcessor(e), isCheckout);\n  };\n',
  },
  {
    why: 'rrweb deletes each element node’s needBlock once it read it, and a delete leaves the object in V8’s dictionary mode, where JSON.stringify (ours, of every snapshot and added node, at idle time) takes its slow path: a 50 000-node snapshot took 45 ms to stringify, 22 ms with this patch (Chromium; 47 → 16 ms for a 5 000-row table). Set to undefined, needBlock is left out of the JSON just the same.',
    from: '    delete serializedNode.needBlock;\n',
    to: '    serializedNode.needBlock = undefined;\n',
  },
  {
    why: 'A deprecated `mirror` export’s warning proxy: built at load, never exported from this module.',
    from: 'const DEPARTED_MIRROR_ACCESS_WARNING = ',
    until: 'function throttle(func, wait, options = {}) {\n',
    to: 'function throttle(func, wait, options = {}) {\n',
  },
];

/** Where `anchor` is in `text`; throws, saying which patch and why it was made, unless it is there exactly once. */
function onlyIndex(text: string, anchor: string, why: string): number {
  const at = text.indexOf(anchor);
  if (at < 0 || text.indexOf(anchor, at + 1) >= 0) {
    throw new Error(`@rrweb/record's record.js changed: ${JSON.stringify(anchor)} is not there exactly once, for the patch of build/rrwebRecordPatches.ts made because: ${why}`);
  }
  return at;
}

/** Applies PATCHES to `code`. */
function patched(code: string): string {
  return PATCHES.reduce((text, { why, from, until, to }) => {
    const start = onlyIndex(text, from, why);
    const end = until === undefined ? start + from.length : onlyIndex(text, until, why) + until.length;
    if (end < start + from.length) throw new Error(`@rrweb/record's record.js changed: ${JSON.stringify(until)} comes before ${JSON.stringify(from)} (build/rrwebRecordPatches.ts: ${why})`);
    return text.slice(0, start) + (typeof to === 'string' ? to : to(text)) + text.slice(end);
  }, code);
}

/** The build plugin. */
export function rrwebRecordPatches(): Plugin {
  return {
    name: 'rrweb-record-patches',
    enforce: 'pre',
    // Our code's @rrweb/types enums are record.js's own copies (exported by a patch): the bundle
    // carries them once. A value other than these two fails the build as a missing export.
    resolveId(source, importer) {
      return source === '@rrweb/types' && importer && !importer.includes('/node_modules/') ? RRWEB_TYPES : null;
    },
    load(id) {
      return id === RRWEB_TYPES ? "export { EventType, IncrementalSource } from '@rrweb/record';" : null;
    },
    transform(code, id) {
      if (!RECORD_JS.test(id)) return null;
      const file = id.replace(/\?.*$/, '');
      const { version } = JSON.parse(fs.readFileSync(path.join(path.dirname(file), '../package.json'), 'utf8')) as { version: string };
      if (version !== RRWEB_RECORD_VERSION) throw new Error(`build/rrwebRecordPatches.ts was written for @rrweb/record ${RRWEB_RECORD_VERSION}, not ${version}: check each patch`);
      return { code: patched(code), map: null };
    },
  };
}
