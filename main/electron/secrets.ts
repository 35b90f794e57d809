// The operator's session between launches, encrypted by the OS through
// Electron's safeStorage (Keychain, DPAPI, or the Linux desktop's keyring).
// Policy: the session touches disk only encrypted with a key the OS guards.
// Where there is no such key (encryption unavailable, or a Linux desktop
// without a keyring, where safeStorage falls back to a key written in the
// source: basic_text) the session stays in memory and the note tells the
// operator why they sign in again after a restart.
//
// Uses safeStorage's asynchronous API: the synchronous one is deprecated in
// Electron 45 and removed in 46. SecretStore is synchronous, so the file is
// decrypted once when the store opens, reads come from memory, and writes are
// queued behind each other; flush() waits for them (before quitting).
import { rename, rm, readFile, writeFile } from 'node:fs/promises';
import type { SafeStorage } from 'electron';
import { memorySecretStore, type SecretStore } from '../console/session.ts';

export type SafeStorageLike = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'>;

export interface FileOps {
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: Buffer, opts: { mode: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, opts: { force: boolean }): Promise<void>;
}
const nodeFiles: FileOps = { readFile, writeFile, rename, rm };

export interface SafeStorageSecretsOptions {
  safeStorage: SafeStorageLike;
  /** The encrypted file, in userData. */
  file: string;
  platform?: NodeJS.Platform;
  files?: FileOps;
  log?: (line: string) => void;
}

export type FlushableSecretStore = SecretStore & { flush(): Promise<void> };

const IN_MEMORY = 'so your session is kept in memory only: sign in again after a restart.';

/** Why the session cannot be persisted here, or null when it can. */
export async function whyNotPersisted(safeStorage: SafeStorageLike, platform: NodeJS.Platform): Promise<string | null> {
  const available = await safeStorage.isAsyncEncryptionAvailable().catch(() => false);
  if (!available) return `This computer offers the console no OS encryption (Electron safeStorage is unavailable), ${IN_MEMORY}`;
  if (platform !== 'linux') return null;
  const backend = safeStorage.getSelectedStorageBackend();
  if (backend === 'basic_text') return `This Linux desktop has no keyring (safeStorage backend basic_text), ${IN_MEMORY}`;
  // 'unknown' means safeStorage was asked before the app was ready: nothing to rely on.
  if (backend === 'unknown') return `The console could not tell which keyring this Linux desktop uses (safeStorage backend unknown), ${IN_MEMORY}`;
  return null;
}

export async function openSafeStorageSecrets(opts: SafeStorageSecretsOptions): Promise<FlushableSecretStore> {
  const { safeStorage, file } = opts;
  const files = opts.files ?? nodeFiles;
  const log = opts.log ?? ((line) => console.warn(line));
  const refusal = await whyNotPersisted(safeStorage, opts.platform ?? process.platform);
  if (refusal) {
    // A session written by an earlier launch that could encrypt is useless now; don't leave it lying about.
    await files.rm(file, { force: true }).catch(() => undefined);
    return { ...memorySecretStore(refusal), flush: async () => undefined };
  }

  let value: string | null = null;
  let persisted = true;
  let note: string | null = null;
  let queue: Promise<void> = Promise.resolve();

  const stopPersisting = async (err: unknown) => {
    persisted = false;
    note = `The console could not save your session encrypted (${(err as Error).message}), ${IN_MEMORY}`;
    log(note);
    // An older session on disk would outlive the one the operator now has: better none.
    await files.rm(file, { force: true }).catch(() => undefined);
  };
  const enqueue = (step: () => Promise<void>) => {
    queue = queue.then(() => (persisted ? step() : undefined)).catch(stopPersisting);
  };
  const save = (plain: string) =>
    enqueue(async () => {
      const encrypted = await safeStorage.encryptStringAsync(plain);
      // Written beside and renamed over, so a crash mid-write leaves the old session, not half of one.
      const tmp = `${file}.tmp`;
      await files.writeFile(tmp, encrypted, { mode: 0o600 });
      await files.rename(tmp, file);
    });

  const stored = await files.readFile(file).catch(() => null);
  if (stored) {
    try {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(stored);
      value = result;
      if (shouldReEncrypt) save(result);
    } catch (err) {
      // The OS key changed (new keyring, restored profile): the old session cannot be read, so sign in afresh.
      log(`The saved session could not be decrypted (${(err as Error).message}); sign in again.`);
      await files.rm(file, { force: true }).catch(() => undefined);
    }
  }

  return {
    get persisted() {
      return persisted;
    },
    get note() {
      return note;
    },
    read: () => value,
    write(next: string) {
      value = next;
      save(next);
    },
    clear() {
      value = null;
      enqueue(() => files.rm(file, { force: true }));
    },
    flush: () => queue,
  };
}
