/**
 * Takes assets through a `fetch` and names each by the SHA-256 of its bytes: in the recorder,
 * what the page itself may read (same-origin with its credentials, or CORS-enabled), preferring
 * the browser's cache; on the server, what it fetched from public addresses for the recorder. A stylesheet is
 * stored with its url()s and @imports pointing at the captured copies as siblings (`<hash>`,
 * relative to the stylesheet's own /api/assets/<hash>), so it renders from the server alone.
 */
import { MAX_ASSET_BYTES, storedAssetType } from './capturedAssets';
import { cssUrls, rewriteCssUrls } from './cssUrls';

/** One captured asset: its bytes, type, and the captured assets it references. */
export interface CapturedAsset {
  url: string;
  hash: string;
  type: string;
  body: Blob;
  children: CapturedAsset[];
}

/** fetch as the capture calls it: the page's or its recorder's worker's (recorder/workerJobs.ts), or the server's bounded one. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Bounds of one page view's capture (or one server fetch request). */
export interface CaptureLimits {
  /** Most bytes one page view reads for capture. */
  pageBytes: number;
  /** Most assets one page view captures. */
  pageAssets: number;
  /** Fetches in flight at once. */
  concurrency: number;
  /** Deepest chain of @import followed. */
  importDepth: number;
  /**
   * Longest wait for what a stylesheet references: two stylesheets taken at once that import
   * each other would otherwise wait for each other forever.
   */
  referenceWaitMs: number;
}

/** 16 MiB and 300 assets a page view, 3 fetches at a time, @imports 4 deep, 10 s for references. */
export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = {
  pageBytes: 16 * 1024 * 1024,
  pageAssets: 300,
  concurrency: 3,
  importDepth: 4,
  referenceWaitMs: 10_000,
};

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

/** The absolute URL of `written` in a stylesheet at `base`, fragment split off; null for data: and the like. */
function resolve(written: string, base: string): { url: string; fragment: string } | null {
  try {
    const url = new URL(written, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const fragment = url.hash;
    url.hash = '';
    return { url: url.href, fragment };
  } catch {
    return null;
  }
}

/** Captures URLs once each per page view, within `limits`. */
export class AssetCapturer {
  /** URLs the page could not read (no CORS): the server may fetch them. */
  readonly unreadable = new Set<string>();
  private readonly byUrl = new Map<string, Promise<CapturedAsset | null>>();
  private bytes = 0;
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly fetch: Fetch,
    private readonly limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS,
  ) {}

  /**
   * The captured asset at `url` (absolute, without fragment), or null when it cannot be.
   * `importers` are the stylesheets that led here: an @import cycle stops where it closes.
   */
  capture(url: string, importers: readonly string[] = []): Promise<CapturedAsset | null> {
    if (importers.includes(url) || importers.length > this.limits.importDepth) return Promise.resolve(null);
    let captured = this.byUrl.get(url);
    if (!captured) {
      if (this.byUrl.size >= this.limits.pageAssets) return Promise.resolve(null);
      captured = this.take(url, importers).catch(() => null);
      this.byUrl.set(url, captured);
    }
    return captured;
  }

  /** The captured assets `css` (at `base`) references. */
  async captureCssReferences(css: string, base: string, importers: readonly string[] = []): Promise<CapturedAsset[]> {
    const urls = [...new Set(cssUrls(css).map((written) => resolve(written, base)?.url).filter((url): url is string => !!url))];
    const children = await Promise.all(urls.map((url) => this.within(this.capture(url, importers))));
    return children.filter((child): child is CapturedAsset => child !== null);
  }

  private async take(url: string, importers: readonly string[]): Promise<CapturedAsset | null> {
    // Without a secure context (a page on plain http) there is no SHA-256 here: the server takes it.
    if (!globalThis.crypto?.subtle) {
      this.unreadable.add(url);
      return null;
    }
    const read = await this.limited(() => this.read(url));
    if (!read) return null;
    if (read.type !== 'text/css') return { url, type: read.type, body: read.body, hash: await this.hash(read.body), children: [] };
    const text = await read.body.text();
    const children = await this.captureCssReferences(text, url, [...importers, url]);
    const byUrl = new Map(children.map((child) => [child.url, child]));
    const rewritten = rewriteCssUrls(text, (written) => {
      const target = resolve(written, url);
      if (!target) return undefined;
      const child = byUrl.get(target.url);
      return child ? child.hash + target.fragment : target.url + target.fragment;
    });
    const body = new Blob([rewritten], { type: 'text/css' });
    return { url, type: 'text/css', body, hash: await this.hash(body), children };
  }

  /** The bytes at `url` and their type, within the limits; null for what is not kept. */
  private async read(url: string): Promise<{ body: Blob; type: string } | null> {
    let response: Response;
    try {
      // force-cache: the page just loaded these, so the browser answers from its cache.
      response = await this.fetch(url, { cache: 'force-cache', credentials: 'same-origin', mode: 'cors' });
    } catch {
      this.unreadable.add(url);
      return null;
    }
    const type = storedAssetType(response.headers.get('content-type'), url);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (!response.ok || !type || declared > MAX_ASSET_BYTES || this.bytes + declared > this.limits.pageBytes) {
      void response.body?.cancel().catch(() => undefined);
      return null;
    }
    const body = await response.blob();
    if (body.size > MAX_ASSET_BYTES || this.bytes + body.size > this.limits.pageBytes) return null;
    this.bytes += body.size;
    return { body, type };
  }

  /** `captured`, or null once referenceWaitMs passed. */
  private within(captured: Promise<CapturedAsset | null>): Promise<CapturedAsset | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.limits.referenceWaitMs)));
    return Promise.race([captured, giveUp]).finally(() => clearTimeout(timer));
  }

  private async hash(body: Blob): Promise<string> {
    return hex(await crypto.subtle.digest('SHA-256', await body.arrayBuffer()));
  }

  /** Runs `task` once fewer than `concurrency` others run. */
  private async limited<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limits.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
