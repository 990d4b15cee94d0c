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

describe('defaults', () => {
  it('come from one place: an empty environment and no overrides give the same config', () => {
    expect(loadConfig({})).toEqual(configWith({}));
    expect(configWith({})).toMatchObject({ port: 3000, retentionDays: 30, logLevel: 'info', metricsPublic: false, projects: ['demo'] });
    expect(configWith({ retentionDays: undefined }).retentionDays).toBe(30);
  });

  it('read LOG_LEVEL and METRICS_PUBLIC, refusing what they cannot mean', () => {
    expect(loadConfig({ LOG_LEVEL: 'warn', METRICS_PUBLIC: '1' })).toMatchObject({ logLevel: 'warn', metricsPublic: true });
    expect(loadConfig({ METRICS_PUBLIC: '0' }).metricsPublic).toBe(false);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
    expect(() => loadConfig({ METRICS_PUBLIC: 'yes' })).toThrow(/^METRICS_PUBLIC must be one of 0, 1/);
  });
});
