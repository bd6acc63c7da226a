/**
 * Who is calling, the way Google sees a bearer token: a self-signed service-account JWT (RS256, checked against the
 * account's public key, with a calendar scope and not expired) or an OAuth2 access token the test issued.
 */
import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';

/** A service account the emulated Google knows; without delegation it may not invite attendees. */
export interface ServiceAccountSeed {
  email: string;
  /** PEM public key of the account's private key. */
  publicKey: string;
  domainWideDelegation?: boolean;
}

export interface Caller {
  email: string;
  serviceAccount: boolean;
  delegation: boolean;
}

const CALENDAR_SCOPE = /^https:\/\/www\.googleapis\.com\/auth\/calendar(\.events)?$/;

function decode(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies bearer tokens against known service accounts and issued access tokens. */
export class GoogleAuthority {
  private readonly keys = new Map<string, { key: KeyObject; seed: ServiceAccountSeed }>();

  constructor(
    accounts: ServiceAccountSeed[],
    private readonly accessTokens: Map<string, string>,
    private readonly now: () => Date,
  ) {
    for (const seed of accounts) this.keys.set(seed.email, { key: createPublicKey(seed.publicKey), seed });
  }

  /** The caller of an Authorization header, or undefined (answered 401). */
  caller(header: string | undefined): Caller | undefined {
    const token = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
    if (!token) return undefined;
    const user = this.accessTokens.get(token);
    if (user) return { email: user, serviceAccount: false, delegation: false };
    const [head, body, signature] = token.split('.');
    if (!head || !body || !signature) return undefined;
    const claims = decode(body);
    const account = typeof claims?.['iss'] === 'string' ? this.keys.get(claims['iss']) : undefined;
    if (!claims || !account || decode(head)?.['alg'] !== 'RS256') return undefined;
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${head}.${body}`);
    if (!verifier.verify(account.key, Buffer.from(signature, 'base64url'))) return undefined;
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] : 0;
    if (exp * 1000 < this.now().getTime()) return undefined;
    const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : [];
    const audience = typeof claims['aud'] === 'string' ? claims['aud'] : '';
    if (!scopes.some((s) => CALENDAR_SCOPE.test(s)) && !audience.includes('calendar')) return undefined;
    return {
      email: account.seed.email,
      serviceAccount: true,
      delegation: account.seed.domainWideDelegation === true,
    };
  }
}
