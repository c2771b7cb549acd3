/**
 * How much of the browser's storage this site uses, and whether the browser may evict it.
 * Without persistent storage a browser short of disk space may delete a site's data, trained
 * models included, without asking; with it, only the person can.
 */

export interface StorageUse {
  /** Bytes this site uses (all its databases and caches). */
  readonly usage: number;
  /** Bytes it may use. */
  readonly quota: number;
  /** True when the browser has granted persistent storage. */
  readonly persisted: boolean;
}

/** Null where the browser does not say (the Storage API is missing, as in some private modes). */
export async function storageUse(): Promise<StorageUse | null> {
  if (!navigator.storage?.estimate) return null;
  const [{ usage = 0, quota = 0 }, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted?.() ?? false]);
  return { usage, quota, persisted };
}

/** Asks for persistent storage; the browser decides (often without a prompt). True when granted. */
export async function requestPersistentStorage(): Promise<boolean> {
  return (await navigator.storage?.persist?.()) ?? false;
}
