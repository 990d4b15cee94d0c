/**
 * The facts an rrweb event carries beyond the DOM — a page view, identify() and track() calls,
 * a frustration signal, a console line, network requests — decoded in one place, so the server's summaries and the
 * player's timeline read the recorder's events alike. Pure: no DOM, no node:*.
 */
import { EventType } from '@rrweb/types';
import { CONSOLE_PLUGIN, CUSTOM_EVENT, NETWORK_PLUGIN } from './constants';
import { isSignalKind, type SignalKind } from './signalKinds';
import type { WireEvent } from './wire';

/** One request the network plugin saw. */
export interface NetworkRequest {
  method: string;
  url: string;
  /** null while unknown (a resource timing without a response status). */
  status: number | null;
  durationMs: number | null;
}

/** What one event says, by kind; most events (DOM snapshots and changes) say none of this. */
export type EventFact =
  /** A page load (rrweb's Meta event) or an SPA navigation (`$pageview`). */
  | { kind: 'pageView'; url: string }
  /** `identify(userId, traits)`; userId is null when it was not a string. */
  | { kind: 'identify'; userId: string | null; traits: unknown }
  /** `track(name, props)`; name is null when it was not a string. */
  | { kind: 'track'; name: string | null }
  /** A rage, dead or error click (`$signal`); `at` is its click's time, null when not a number. */
  | { kind: 'signal'; signal: SignalKind; at: number | null; selector: string; label: string; message: string | null }
  /** A console call; `args` are the plugin's JSON-encoded arguments (see consoleText). */
  | { kind: 'console'; level: string; args: unknown[]; trace: string[] }
  | { kind: 'network'; requests: NetworkRequest[] };

interface CustomData {
  tag?: unknown;
  payload?: null | {
    href?: unknown;
    name?: unknown;
    userId?: unknown;
    traits?: unknown;
    kind?: unknown;
    at?: unknown;
    selector?: unknown;
    label?: unknown;
    message?: unknown;
  };
}

interface PluginData {
  plugin?: unknown;
  payload?: null | { level?: unknown; payload?: unknown; trace?: unknown; requests?: unknown };
}

interface RawRequest {
  name?: unknown;
  method?: unknown;
  status?: unknown;
  startTime?: unknown;
  endTime?: unknown;
  duration?: unknown;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The fact an event carries, or null for the events that carry none. */
export function eventFact(event: WireEvent): EventFact | null {
  const data = event.data;
  if (typeof data !== 'object' || data === null) return null;
  switch (event.type) {
    case EventType.Meta: {
      const url = text((data as { href?: unknown }).href);
      return url === null ? null : { kind: 'pageView', url };
    }
    case EventType.Custom:
      return customFact(data as CustomData);
    case EventType.Plugin:
      return pluginFact(data as PluginData);
    default:
      return null;
  }
}

function customFact(data: CustomData): EventFact | null {
  const payload = data.payload ?? {};
  switch (data.tag) {
    case CUSTOM_EVENT.pageview: {
      const url = text(payload.href);
      return url === null ? null : { kind: 'pageView', url };
    }
    case CUSTOM_EVENT.identify:
      return { kind: 'identify', userId: text(payload.userId), traits: payload.traits };
    case CUSTOM_EVENT.track:
      return { kind: 'track', name: text(payload.name) };
    case CUSTOM_EVENT.signal:
      if (!isSignalKind(payload.kind)) return null;
      return {
        kind: 'signal',
        signal: payload.kind,
        at: num(payload.at),
        selector: text(payload.selector) ?? '',
        label: text(payload.label) ?? '',
        message: text(payload.message),
      };
    default:
      return null;
  }
}

function pluginFact(data: PluginData): EventFact | null {
  const payload = data.payload ?? {};
  if (data.plugin === CONSOLE_PLUGIN) {
    return {
      kind: 'console',
      level: text(payload.level) ?? 'log',
      args: Array.isArray(payload.payload) ? payload.payload : [],
      trace: Array.isArray(payload.trace) ? payload.trace.filter((t): t is string => typeof t === 'string') : [],
    };
  }
  if (data.plugin === NETWORK_PLUGIN) {
    const requests = Array.isArray(payload.requests) ? (payload.requests as (RawRequest | null)[]) : [];
    return { kind: 'network', requests: requests.map((request) => networkRequest(request ?? {})) };
  }
  return null;
}

function networkRequest(request: RawRequest): NetworkRequest {
  return {
    method: text(request.method)?.toUpperCase() ?? 'GET',
    url: text(request.name) ?? '',
    status: num(request.status),
    durationMs: requestDuration(request),
  };
}

function requestDuration(request: RawRequest): number | null {
  const duration = num(request.duration);
  if (duration !== null) return duration;
  const start = num(request.startTime);
  const end = num(request.endTime);
  return start !== null && end !== null ? end - start : null;
}

/** A console line as text: the plugin JSON-encodes each argument, and strings read better without their quotes. */
export function consoleText(args: readonly unknown[]): string {
  return args
    .map((part) => {
      if (typeof part !== 'string') return String(part);
      try {
        const value: unknown = JSON.parse(part);
        return typeof value === 'string' ? value : part;
      } catch {
        return part;
      }
    })
    .join(' ');
}
