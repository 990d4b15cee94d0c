import { describe, expect, it } from 'vitest';
import { configWith, loadConfig } from '../../server/config';
import { openServer } from '../../server/openServer';
import { freePort } from '../helpers/freePort';
import { tempDataDir } from '../helpers/server';

describe('DATABASE_URL', () => {
  it('is off by default and trimmed when set', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: ' postgres://u:p@db:5432/replay ' }).databaseUrl).toBe('postgres://u:p@db:5432/replay');
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/replay' }).databaseUrl).toBe('postgresql://db/replay');
  });

  it('refuses another scheme without echoing the URL, which may hold a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@db/replay' })).toThrow(/^DATABASE_URL must start with postgres:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@db/replay' })).not.toThrow(/secret/);
  });

  it('fails the start clearly when nothing answers there', async () => {
    const url = `postgres://replay@127.0.0.1:${await freePort()}/replay`;
    await expect(openServer(configWith({ dataDir: tempDataDir(), databaseUrl: url }))).rejects.toThrow(/^cannot open the PostgreSQL database at DATABASE_URL: .*ECONNREFUSED/);
  });
});
