/** walSync: one fsync of the WAL in flight at a time, the calls made meanwhile served by the next one. */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { StorageUnavailableError } from '../../server/storage/storage';
import { walSync } from '../../server/storage/sqlite/walSync';
import { tempDataDir } from '../helpers/server';

it('serves the calls made during an fsync with one fsync begun after it', async () => {
  const file = path.join(tempDataDir(), 'replay.sqlite-wal');
  fs.writeFileSync(file, 'frames');
  const { sync, close } = walSync(file);
  const first = sync();
  const second = sync();
  const third = sync();
  expect(second).toBe(third);
  expect(second).not.toBe(first);
  await Promise.all([first, second]);
  // Nothing in flight: the next call starts an fsync of its own at once.
  const fourth = sync();
  expect(sync()).not.toBe(fourth);
  await fourth;
  close();
});

it('rejects when the WAL cannot be synced, and keeps refusing once it could not', async () => {
  const file = path.join(tempDataDir(), 'replay.sqlite-wal');
  const { sync } = walSync(file);
  await expect(sync()).rejects.toThrow(/could not be synced to disk \(ENOENT.*restart the server/);
  // The file is back, but what failed to reach the disk before is unknown: no more acknowledgements.
  fs.writeFileSync(file, 'frames');
  await expect(sync()).rejects.toBeInstanceOf(StorageUnavailableError);
  const again = walSync(file);
  await expect(again.sync()).resolves.toBeUndefined();
  again.close();
});

it.runIf(process.platform === 'linux')('syncs the file the path names now: a WAL deleted and made anew is opened again', async () => {
  const file = path.join(tempDataDir(), 'replay.sqlite-wal');
  fs.writeFileSync(file, 'frames');
  // What this process's descriptors point at, by /proc/self/fd: `<file> (deleted)` for a removed file.
  const opened = () =>
    fs
      .readdirSync('/proc/self/fd')
      .map((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          return '';
        }
      })
      .filter((target) => target.startsWith(file));
  const { sync, close } = walSync(file);
  await sync();
  expect(opened()).toEqual([file]);
  fs.rmSync(file);
  fs.writeFileSync(file, 'new frames');
  await sync();
  expect(opened()).toEqual([file]);
  close();
  expect(opened()).toEqual([]);
});
