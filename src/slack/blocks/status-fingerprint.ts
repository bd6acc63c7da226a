/** A fingerprint of drawn messages, so a render job can tell whether an update would change anything. */
import type { SlackMessage } from './block-kit.js';

// FNV-1a, 64-bit: the published offset basis and prime.
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/**
 * A stable hash of everything visible in a message (FNV-1a, 64 bits, over its JSON), so the render job can skip an
 * update that would change nothing.
 */
export function statusFingerprint(message: SlackMessage | readonly SlackMessage[]): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(JSON.stringify(message))) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * FNV_PRIME);
  }
  return hash.toString(16).padStart(16, '0');
}
