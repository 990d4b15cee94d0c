/**
 * The pages the overhead benchmark records (recorderOverhead.ts) and the recorder profiler
 * (profileRecorder.ts) looks into, served by overheadSite.ts, each with the scripted user of
 * overheadWorkload.ts.
 */
import type { Page } from 'playwright-core';
import { heavyWorkload, largeWorkload, todoWorkload } from './overheadWorkload';

export interface OverheadPage {
  /** The profiler's name for the page (`npx tsx bench/profileRecorder.ts <key>`). */
  key: string;
  name: string;
  path: string;
  readySelector: string;
  workload: (page: Page, scale: number) => Promise<void>;
  /** Also recorded by the peers (Sentry replay, posthog-js): their wire bytes set the goal. */
  peers?: boolean;
}

export const OVERHEAD_PAGES: OverheadPage[] = [
  { key: 'react', name: 'TodoMVC React', path: '/todomvc/examples/react/index.html', readySelector: '#new-todo', workload: todoWorkload, peers: true },
  // The same app as a site ships it: no JSX compiled in the browser, the app rendered before the recorders start.
  { key: 'react-compiled', name: 'TodoMVC React, JSX compiled ahead', path: '/todomvc/examples/react/index.html?jsx=compiled', readySelector: '#new-todo', workload: todoWorkload, peers: true },
  { key: 'vanilla', name: 'TodoMVC VanillaJS', path: '/todomvc/examples/vanillajs/index.html', readySelector: '#new-todo', workload: todoWorkload, peers: true },
  { key: 'heavy', name: 'heavy table', path: '/pages/heavy.html', readySelector: '#rows tr:nth-child(5000)', workload: heavyWorkload },
  { key: 'large', name: 'large DOM (60 000 nodes)', path: '/pages/large.html', readySelector: '#cards .card:nth-child(5000)', workload: largeWorkload },
];
