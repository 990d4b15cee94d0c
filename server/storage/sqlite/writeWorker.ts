import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { bind, compiler, type Step } from '../sql';
import { appendBatch, type BatchParams } from '../queries/appendBatch';
import { groupCommit } from './groupCommit';
import { walSync } from './walSync';

const file = (workerData as { file: string }).file;
const db = new Database(file);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
const compile = compiler('?');
const statements: Record<Step['kind'], Map<string, Database.Statement>> = { rows: new Map(), tuples: new Map(), changes: new Map() };
const run = ({ kind, sql, params }: Step): unknown => {
  const compiled = compile(sql);
  let statement = statements[kind].get(sql);
  if (!statement) {
    statement = db.prepare(compiled.text);
    if (kind === 'tuples') statement.raw(true);
    statements[kind].set(sql, statement);
  }
  const values = bind(compiled, params);
  return kind === 'changes' ? statement.run(...values).changes : statement.all(...values);
};
const wal = walSync(`${file}-wal`);
const transaction = groupCommit(db, run, wal.sync);
parentPort!.on('message', (items: { id: number; params: BatchParams; data: Uint8Array }[]) => {
  Promise.all(items.map(({ id, params, data }) => {
    const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return transaction(() => appendBatch(params, buffer)).then(
      (value) => ({ id, ok: true, value }),
      (error: Error) => ({ id, ok: false, name: error.name, message: error.message }),
    );
  })).then((replies) => parentPort!.postMessage(replies));
});
