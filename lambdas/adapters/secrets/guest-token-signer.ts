import { SignJWT, jwtVerify } from 'jose';
import { UnauthorizedError } from '../../domain/errors';
import { GUEST_ID_PREFIX, GUEST_ISSUER, type GuestClaims, type GuestTokenSigner, type GuestTokenVerifier } from '../../domain/guests';

const ALGORITHM = 'HS256';

/**
 * Guest tokens as JWTs signed with HS256 by a secret only Parley holds
 * (Secrets Manager; `key` reads it, cached). HS256 rather than a key pair:
 * the only parties are Parley's own token function and authorizer, which
 * both hold the secret, and nobody else needs to verify a guest token.
 * Issuer `parley-guest`, audience the stage; `sub`, `room`, `name`, `exp`.
 */
export class JoseGuestTokens implements GuestTokenSigner, GuestTokenVerifier {
  constructor(
    private readonly key: () => Promise<string>,
    private readonly audience: string,
  ) {}

  async sign(claims: GuestClaims, nowMs: number): Promise<string> {
    return new SignJWT({ room: claims.room, name: claims.name })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(GUEST_ISSUER)
      .setAudience(this.audience)
      .setSubject(claims.sub)
      .setIssuedAt(Math.floor(nowMs / 1000))
      .setExpirationTime(claims.exp)
      .sign(await this.secret());
  }

  /** Throws jose's errors for a bad token (JOSEError), UnauthorizedError for a good signature over the wrong claims. */
  async verify(token: string): Promise<GuestClaims> {
    const { payload } = await jwtVerify(token, await this.secret(), {
      issuer: GUEST_ISSUER,
      audience: this.audience,
      algorithms: [ALGORITHM],
      requiredClaims: ['sub', 'exp'],
    });
    const { sub, room, name, exp } = payload;
    if (typeof sub !== 'string' || !sub.startsWith(GUEST_ID_PREFIX) || typeof room !== 'string' || room === '' || typeof name !== 'string' || typeof exp !== 'number') {
      throw new UnauthorizedError('The guest token lacks its claims.');
    }
    return { sub, room, name, exp };
  }

  private async secret(): Promise<Uint8Array> {
    return new TextEncoder().encode(await this.key());
  }
}
