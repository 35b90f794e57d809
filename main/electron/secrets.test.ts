// The session on disk: only encrypted by the OS, never under Linux's
// basic_text fallback (a key written in Chromium's source), and said so.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSafeStorageSecrets, type SafeStorageLike } from './secrets.ts';

const SESSION = JSON.stringify({ access_token: 'eyJ.access', refresh_token: 'refresh-123' });

/** An OS encryption stand-in: XOR with a key, so the file holds no readable token. */
function fakeSafeStorage(over: Partial<SafeStorageLike> & { key?: number } = {}): SafeStorageLike {
  const key = over.key ?? 0x5a;
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ key));
  return {
    isAsyncEncryptionAvailable: vi.fn(async () => true),
    getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret' as const),
    encryptStringAsync: vi.fn(async (plain: string) => Buffer.concat([Buffer.from('v11'), xor(Buffer.from(plain, 'utf8'))])),
    decryptStringAsync: vi.fn(async (data: Buffer) => {
      if (data.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { result: xor(data.subarray(3)).toString('utf8'), shouldReEncrypt: false };
    }),
    ...over,
  };
}

let dir: string;
let file: string;
const log = vi.fn();
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtd-secrets-'));
  file = join(dir, 'session.bin');
  log.mockClear();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the safeStorage session store', () => {
  it('persists the session encrypted, never as plain text, readable by the next launch', async () => {
    const safeStorage = fakeSafeStorage();
    const secrets = await openSafeStorageSecrets({ safeStorage, file, platform: 'linux', log });
    expect(secrets.persisted).toBe(true);
    expect(secrets.note).toBeNull();
    secrets.write(SESSION);
    expect(secrets.read()).toBe(SESSION);
    await secrets.flush();

    const onDisk = await readFile(file);
    expect(onDisk.toString('latin1')).not.toContain('refresh-123');
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledWith(SESSION);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);

    const nextLaunch = await openSafeStorageSecrets({ safeStorage, file, platform: 'linux', log });
    expect(nextLaunch.read()).toBe(SESSION);
  });

  it('persists on macOS and Windows without asking for a Linux backend', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const safeStorage = fakeSafeStorage({ getSelectedStorageBackend: vi.fn(() => 'basic_text' as const) });
      const secrets = await openSafeStorageSecrets({ safeStorage, file, platform, log });
      expect(secrets.persisted).toBe(true);
      expect(safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
    }
  });

  it('signing out removes the file', async () => {
    const secrets = await openSafeStorageSecrets({ safeStorage: fakeSafeStorage(), file, platform: 'linux', log });
    secrets.write(SESSION);
    await secrets.flush();
    secrets.clear();
    expect(secrets.read()).toBeNull();
    await secrets.flush();
    expect(existsSync(file)).toBe(false);
  });

  it('keeps the last of several quick writes (a token refresh right after sign-in)', async () => {
    const safeStorage = fakeSafeStorage();
    const secrets = await openSafeStorageSecrets({ safeStorage, file, platform: 'linux', log });
    secrets.write('first');
    secrets.write('second');
    secrets.write(SESSION);
    await secrets.flush();
    expect((await openSafeStorageSecrets({ safeStorage, file, platform: 'linux', log })).read()).toBe(SESSION);
  });

  it('on a Linux desktop with no keyring (basic_text) keeps the session in memory and says why', async () => {
    const safeStorage = fakeSafeStorage({ getSelectedStorageBackend: vi.fn(() => 'basic_text' as const) });
    const secrets = await openSafeStorageSecrets({ safeStorage, file, platform: 'linux', log });
    expect(secrets.persisted).toBe(false);
    expect(secrets.note).toBe(
      'This Linux desktop has no keyring (safeStorage backend basic_text), so your session is kept in memory only: sign in again after a restart.',
    );
    secrets.write(SESSION);
    expect(secrets.read()).toBe(SESSION);
    await secrets.flush();
    expect(existsSync(file)).toBe(false);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
  });

  it('removes a session file an earlier, keyring-backed launch left, rather than trust it', async () => {
    await writeFile(file, 'v11whatever');
    const safeStorage = fakeSafeStorage({ getSelectedStorageBackend: vi.fn(() => 'basic_text' as const) });
    const secrets = await openSafeStorageSecrets({ safeStorage, file, platform: 'linux', log });
    expect(secrets.read()).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('keeps the session in memory when the OS offers no encryption at all', async () => {
    const safeStorage = fakeSafeStorage({ isAsyncEncryptionAvailable: vi.fn(async () => false) });
    const secrets = await openSafeStorageSecrets({ safeStorage, file, platform: 'win32', log });
    expect(secrets.persisted).toBe(false);
    expect(secrets.note).toMatch(/no OS encryption.*in memory only: sign in again after a restart\.$/);
  });

  it('starts signed out when the saved session cannot be decrypted (the OS key changed)', async () => {
    await writeFile(file, 'garbage');
    const secrets = await openSafeStorageSecrets({ safeStorage: fakeSafeStorage(), file, platform: 'linux', log });
    expect(secrets.read()).toBeNull();
    expect(secrets.persisted).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('could not be decrypted'));
  });

  it('re-encrypts a session when the OS rotated its key', async () => {
    const safeStorage = fakeSafeStorage();
    const first = await openSafeStorageSecrets({ safeStorage, file, platform: 'linux', log });
    first.write(SESSION);
    await first.flush();
    vi.mocked(safeStorage.decryptStringAsync).mockResolvedValueOnce({ result: SESSION, shouldReEncrypt: true });
    vi.mocked(safeStorage.encryptStringAsync).mockClear();
    const second = await openSafeStorageSecrets({ safeStorage, file, platform: 'linux', log });
    await second.flush();
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledWith(SESSION);
  });

  it('falls back to memory, and says so, when encrypting fails mid-session', async () => {
    const safeStorage = fakeSafeStorage({ encryptStringAsync: vi.fn(async () => Promise.reject(new Error('keyring locked'))) });
    const secrets = await openSafeStorageSecrets({ safeStorage, file, platform: 'linux', log });
    secrets.write(SESSION);
    await secrets.flush();
    expect(secrets.read()).toBe(SESSION);
    expect(secrets.persisted).toBe(false);
    expect(secrets.note).toContain('keyring locked');
    expect(existsSync(file)).toBe(false);
  });
});
