/**
 * A function's settings, from the environment its construct binds (infra/constructs/jaring-function.ts).
 * Each handler reads only the ones it uses, all together before its first event is handled, so a
 * missing one stops it there, by name, instead of reaching an SDK call as an empty string.
 */
export class MissingSettingError extends Error {
  override name = 'MissingSettingError';
  constructor(readonly setting: string) {
    super(`The setting ${setting} is missing from this function's environment`);
  }
}

export function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new MissingSettingError(name);
  return value;
}

/**
 * What a handler needs, built on its first event and kept for the container's life. A build that
 * fails is not kept: the local stack may call a handler before it has set every setting.
 */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export const now = () => new Date();
