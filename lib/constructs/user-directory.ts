import { Duration, Validations } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface UserDirectoryProps {
  /** Anyone may sign up (with a verified email); otherwise administrators create every user. */
  readonly selfSignUp: boolean;
  readonly mfa: 'off' | 'optional' | 'required';
  readonly featurePlan: 'essentials' | 'plus';
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

const MFA = { off: Mfa.OFF, optional: Mfa.OPTIONAL, required: Mfa.REQUIRED } as const;

/**
 * Who may use Parley: a Cognito user pool (sign-in by email, a display name
 * asked at sign-up, strong passwords, TOTP MFA, threat protection on the
 * plus plan) and the public app client browsers and the CLI use (no secret,
 * password sign-in over TLS and refresh). The $connect authorizer verifies
 * the ID tokens it issues.
 */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    const plus = props.featurePlan === 'plus';

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: props.selfSignUp,
      signInAliases: { email: true },
      autoVerify: { email: true },
      // `name` is the display name the authorizer reads from the ID token; people change it from the client.
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: MFA[props.mfa],
      // TOTP only: SMS needs an SNS role and spend limits, and is phishable.
      ...(props.mfa === 'off' ? {} : { mfaSecondFactor: { sms: false, otp: true } }),
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });

    if (props.mfa !== 'required') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'Chat participants opt in to TOTP MFA rather than being forced to enrol before a first message; ' +
          'deployments that need it set the context key userPoolMfa=required.',
      });
    }
    if (!plus) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'This deployment chose the essentials feature plan (context userPoolFeaturePlan=essentials), ' +
          'trading threat protection for the lower per-user price.',
      });
    }

    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      // USER_PASSWORD_AUTH rather than SRP: the password reaches Cognito only over TLS, and
      // only then can threat protection check it against known compromised credentials
      // (Cognito cannot for SRP sign-ins). Refresh is always allowed.
      authFlows: { userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }
}
