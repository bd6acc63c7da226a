/** Stops the private redis-servers global-setup started. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__hotfixPrivateRedis ?? []).map((s) => s.stop()));
}
