/** Small per-browser settings (JSON-compatible values) kept beside the models. */
import type { ModelDb } from './modelDb';

export interface Preferences {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
}

export function preferences(db: ModelDb): Preferences {
  return {
    async get<T>(key: string) {
      return (await db.get('preferences', key)) as T | undefined;
    },
    async set(key, value) {
      await db.put('preferences', value, key);
    },
  };
}
