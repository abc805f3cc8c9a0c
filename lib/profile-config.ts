import { z } from 'zod';

/**
 * The deployment profile (lib/config.ts spreads these keys into its
 * schema): `aws`, the default, deploys everything; `localstack` is for
 * `cdklocal deploy` against LocalStack, which lacks some of what Parley
 * uses, so the profile leaves out:
 *
 * - the Cognito user pool (a paid LocalStack feature): the $connect
 *   authorizer trusts the issuer and key set named by `jwtIssuer`,
 *   `jwtAudience` and `jwksUri` instead (e.g. the local runtime's identity
 *   provider, or LocalStack's own Cognito);
 * - the web client's stack (CloudFront is not in LocalStack's free tier);
 * - Object Lock on the audit archive bucket (objects are still written,
 *   to a versioned bucket, but not locked);
 * - the Bedrock-only options (guardrail, model summaries, Titan
 *   embeddings), which the profile refuses.
 *
 * The WebSocket API stays: it is Parley's front door, and it needs
 * LocalStack's API Gateway v2 (a paid tier). Agents call Bedrock at run
 * time and, without it, answer with an `AGENT_UNAVAILABLE` notice.
 */
export const PROFILES = ['aws', 'localstack'] as const;
export type Profile = (typeof PROFILES)[number];

export const profileConfigShape = {
  /** `aws` (default) or `localstack` (`cdklocal deploy -c profile=localstack`; see docs/local.md). */
  profile: z.enum(PROFILES).default('aws'),
} as const;

/** What a profile deploys. */
export interface ProfileFeatures {
  /** The Cognito user pool and its app client. */
  readonly userPool: boolean;
  /** The web client's stack: S3 and CloudFront. */
  readonly webClient: boolean;
  /** Object Lock on the audit archive bucket. */
  readonly auditObjectLock: boolean;
}

export const featuresOf = (config: { readonly profile: Profile }): ProfileFeatures =>
  config.profile === 'localstack'
    ? { userPool: false, webClient: false, auditObjectLock: false }
    : { userPool: true, webClient: true, auditObjectLock: true };

/** The Bedrock-only options, which LocalStack cannot serve. */
const BEDROCK_OPTIONS = ['moderationGuardrailId', 'memorySummaryModelId', 'memoryEmbeddingModelId'] as const;

/** The profile's rules across keys (called from the schema's superRefine). */
export function checkProfileConfig(
  config: {
    readonly profile: Profile;
    readonly jwtIssuer?: string | undefined;
    readonly jwtAudience?: string | undefined;
  } & Partial<Record<(typeof BEDROCK_OPTIONS)[number], string | undefined>>,
  ctx: z.RefinementCtx,
): void {
  if (config.profile !== 'localstack') return;
  if (config.jwtIssuer === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['jwtIssuer'],
      message:
        'required with profile=localstack, which deploys no user pool: the issuer of the tokens to accept ' +
        '(with jwtAudience, and jwksUri when the key set is not at <issuer>/.well-known/jwks.json)',
    });
  }
  for (const key of BEDROCK_OPTIONS) {
    if (config[key] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'not available with profile=localstack (a Bedrock feature)' });
    }
  }
}
