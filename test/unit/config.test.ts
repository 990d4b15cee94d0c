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

describe('REPLAY_ASSET_ALLOW_PRIVATE', () => {
  it('lets the server fetch assets from private addresses only when set to 1', () => {
    expect(loadConfig({}).allowPrivateAssetFetch).toBe(false);
    expect(loadConfig({ REPLAY_ASSET_ALLOW_PRIVATE: '0' }).allowPrivateAssetFetch).toBe(false);
    expect(loadConfig({ REPLAY_ASSET_ALLOW_PRIVATE: '1' }).allowPrivateAssetFetch).toBe(true);
    expect(() => loadConfig({ REPLAY_ASSET_ALLOW_PRIVATE: 'yes' })).toThrow(/^REPLAY_ASSET_ALLOW_PRIVATE must be one of 0, 1/);
  });
});

describe('TRUST_PROXY', () => {
  it('believes no proxy by default, takes a hop count or addresses and ranges, refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/^TRUST_PROXY must be a hop count or addresses/);
    expect(() => loadConfig({ TRUST_PROXY: 'loopback,everyone' })).toThrow(/got "everyone"/);
  });
});
