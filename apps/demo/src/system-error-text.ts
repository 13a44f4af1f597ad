/**
 * What a failed system call means, in words, for a one-line message: Node's message for
 * an I/O error reads `ENOSPC: no space left on device, write`; this gives
 * `no space left on device (ENOSPC)`. Undefined for an error that is not a system error.
 *
 * @example
 * systemErrorText(Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES', syscall: 'open' }));
 * // 'permission denied (EACCES)'
 */
export function systemErrorText(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined;
  const words = new RegExp(`^${code}: ([^,]+)`).exec(error.message)?.[1];
  return words === undefined ? code : `${words} (${code})`;
}
