import type { SlackMessage } from '../../../../src/slack/blocks/block-kit.js';
import { liveStatusMessage } from '../../../../src/slack/blocks/live-status.js';
import { statusFingerprint } from '../../../../src/slack/blocks/status-fingerprint.js';
import { BOT } from '../../domain/builders.js';
import { STAGES, deploying, queued, steps } from './live-scenarios.js';

/** A second, plain FNV-1a 64 (modulo instead of asUintN, Buffer instead of TextEncoder) to check against. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) % 2n ** 64n;
  }
  return hash.toString(16).padStart(16, '0');
}

describe('statusFingerprint', () => {
  it('is the same for two renders of the same record and changes when a stage does', () => {
    const first = statusFingerprint(liveStatusMessage(deploying()));
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(statusFingerprint(liveStatusMessage(deploying()))).toBe(first);
    const moved = STAGES.map((s) => (s.name === 'Deploy' ? { ...s, status: 'succeeded' as const } : s));
    const next = steps(deploying(), [{ type: 'update_stages', stages: moved }, BOT, 26]);
    expect(statusFingerprint(liveStatusMessage(next))).not.toBe(first);
  });

  it('changes with what the caller adds (the queue), not with anything else', () => {
    const h = queued();
    const alone = statusFingerprint(liveStatusMessage(h));
    expect(statusFingerprint(liveStatusMessage(h, { position: 2 }))).not.toBe(alone);
    expect(statusFingerprint(liveStatusMessage(h, {}))).toBe(alone);
  });

  it('is FNV-1a 64 over the JSON, UTF-8 encoded', () => {
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c'); // the published test vector, so the reference is right
    const message: SlackMessage = { text: 'déploiement → prod', blocks: [] };
    expect(statusFingerprint(message)).toBe(fnv1a64(JSON.stringify(message)));
  });
});
