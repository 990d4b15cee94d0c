/** Recorder options: what init() takes, the snippet's data-* attributes, defaults and clamping. */
import { MAX_SESSION_MS, SESSION_TIMEOUT_MS } from '../shared/constants';

/** What `init()` accepts; only `project` is required. */
export interface InitOptions {
  project: string;
  /** The replay server's base URL (default: the page's origin; the snippet uses its own). */
  endpoint?: string;
  sessionTimeoutMs?: number;
  maxSessionMs?: number;
  console?: boolean;
  network?: boolean;
  /** Mask every input's value (default true); password fields are masked regardless. */
  maskInputs?: boolean;
  /** Elements matching this selector are never recorded. */
  blockSelector?: string;
  /** Text inside elements matching this selector is recorded as asterisks. */
  maskTextSelector?: string;
  /** With `network`, also record request and response bodies (secret-looking fields redacted). */
  networkBodies?: boolean;
  /** Longest body recorded, in characters (default 4096, at most 65536). */
  networkBodyMaxChars?: number;
  /** Share of sessions recorded, 0..1 (default 1). */
  sampleRate?: number;
  /** Stylesheets and what they use (`styles`, default), also images (`all`), or nothing (`none`). */
  captureAssets?: CaptureAssets;
  /** Record canvases as sampled frames (off by default: they may draw user data). */
  recordCanvas?: boolean;
  /** Canvas frames per second with `recordCanvas` (default 2). */
  canvasFps?: number;
}

/** Which assets are captured so replays outlive the site. */
export type CaptureAssets = 'styles' | 'all' | 'none';

export interface RecorderOptions {
  project: string;
  ingestUrl: string;
  sessionTimeoutMs: number;
  maxSessionMs: number;
  console: boolean;
  network: boolean;
  maskInputs: boolean;
  blockSelector: string | undefined;
  maskTextSelector: string | undefined;
  networkBodies: boolean;
  networkBodyMaxChars: number;
  sampleRate: number;
  captureAssets: CaptureAssets;
  recordCanvas: boolean;
  canvasFps: number;
}

const MIN_TIMEOUT_MS = 1_000;
const NETWORK_BODY_MAX_CHARS = 4_096;
const NETWORK_BODY_LIMIT_CHARS = 65_536;
const CANVAS_FPS = 2;
const MAX_CANVAS_FPS = 30;
const CAPTURE_MODES: readonly CaptureAssets[] = ['styles', 'all', 'none'];

function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.min(max, Math.max(min, value));
}

/** The ingest URL for a server base URL; a URL already ending in /api/ingest is kept. */
export function ingestUrlFor(endpoint: string, base: string): string {
  const url = new URL(endpoint, base);
  if (!url.pathname.endsWith('/api/ingest')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/ingest`;
  return url.href;
}

/** Applies defaults and clamps numbers into safe ranges. */
export function resolveOptions(input: InitOptions, pageUrl: string): RecorderOptions {
  if (typeof input.project !== 'string' || input.project === '') throw new Error('a project is required');
  const maxSessionMs = clamp(input.maxSessionMs, MIN_TIMEOUT_MS, MAX_SESSION_MS, MAX_SESSION_MS);
  return {
    project: input.project,
    ingestUrl: ingestUrlFor(input.endpoint ?? new URL(pageUrl).origin, pageUrl),
    sessionTimeoutMs: clamp(input.sessionTimeoutMs, MIN_TIMEOUT_MS, maxSessionMs, Math.min(SESSION_TIMEOUT_MS, maxSessionMs)),
    maxSessionMs,
    console: input.console === true,
    network: input.network === true,
    maskInputs: input.maskInputs !== false,
    blockSelector: input.blockSelector || undefined,
    maskTextSelector: input.maskTextSelector || undefined,
    networkBodies: input.network === true && input.networkBodies === true,
    networkBodyMaxChars: Math.round(clamp(input.networkBodyMaxChars, 0, NETWORK_BODY_LIMIT_CHARS, NETWORK_BODY_MAX_CHARS)),
    sampleRate: clamp(input.sampleRate, 0, 1, 1),
    captureAssets: CAPTURE_MODES.includes(input.captureAssets as CaptureAssets) ? (input.captureAssets as CaptureAssets) : 'styles',
    recordCanvas: input.recordCanvas === true,
    canvasFps: clamp(input.canvasFps, 0.1, MAX_CANVAS_FPS, CANVAS_FPS),
  };
}

function numberAttribute(value: string | undefined): number | undefined {
  return value === undefined || value.trim() === '' ? undefined : Number(value);
}

/** Reads the snippet tag's data-* attributes; the endpoint defaults to the script's origin. */
export function optionsFromScript(script: HTMLScriptElement): InitOptions {
  const data = script.dataset;
  return {
    project: data.project ?? '',
    endpoint: data.endpoint ?? new URL(script.src, location.href).origin,
    sessionTimeoutMs: numberAttribute(data.sessionTimeoutMs),
    maxSessionMs: numberAttribute(data.maxSessionMs),
    console: data.console === 'true',
    network: data.network === 'true',
    maskInputs: data.maskInputs !== 'false',
    blockSelector: data.blockSelector,
    maskTextSelector: data.maskTextSelector,
    networkBodies: data.networkBodies === 'true',
    networkBodyMaxChars: numberAttribute(data.networkBodyMaxChars),
    sampleRate: numberAttribute(data.sampleRate),
    captureAssets: data.captureAssets as CaptureAssets | undefined,
    recordCanvas: data.recordCanvas === 'true',
    canvasFps: numberAttribute(data.canvasFps),
  };
}
