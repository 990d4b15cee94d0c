/**
 * Global setup of the `postgres` test project: one PostgreSQL server for the run, each test
 * server then gets a database of its own on it (see server.ts).
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';
import { postgresBinDir } from './postgresBin';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL server; absent in the SQLite project. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error('no PostgreSQL binaries: the postgres project should not have been configured');
  const server = await startPostgres(binDir);
  project.provide('postgresUrl', server.url);
  return server.stop;
}
