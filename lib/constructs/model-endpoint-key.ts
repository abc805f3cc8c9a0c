import { ArnFormat, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface ModelEndpointKeyProps {
  /** An existing secret's ARN (complete or partial) or name; absent, a new secret is created. */
  readonly existingSecret?: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The API key of the OpenAI-compatible endpoint, in Secrets Manager: an
 * existing secret, or a new one (holding a random placeholder until someone
 * puts the key in it) named in the stack's outputs. The value is the key
 * itself, or JSON with an `apiKey` field. A customer managed key encrypting
 * an existing secret must let the agent worker's role decrypt (key policy).
 */
export class ModelEndpointKey extends Construct {
  /** What the functions are given to read the key by: the secret's ARN, or the name or ARN configured. */
  readonly secretId: string;
  /** ARN patterns that match exactly this secret, for `secretsmanager:GetSecretValue`. */
  readonly resources: readonly string[];

  constructor(scope: Construct, id: string, props: ModelEndpointKeyProps) {
    super(scope, id);
    const existing = props.existingSecret;
    if (existing === undefined) {
      const secret = new Secret(this, 'Secret', {
        description: 'API key of the OpenAI-compatible endpoint Parley agents call (openai:<model>)',
        removalPolicy: props.removalPolicy,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The key is issued by the model provider, which Secrets Manager cannot rotate; it is replaced with put-secret-value ' +
          'when the provider issues a new one, and the agent worker reads it again within minutes.',
      });
      new CfnOutput(this, 'SecretArn', {
        value: secret.secretArn,
        description: 'Put the OpenAI-compatible API key here: aws secretsmanager put-secret-value --secret-id <this> --secret-string <key>',
      });
      this.secretId = secret.secretArn;
      this.resources = [secret.secretArn];
      return;
    }
    // Secrets Manager appends six random characters to a secret's name in its
    // ARN; `??????` matches them and nothing longer. A configured ARN may be
    // complete (with them) or partial (without): both forms are granted.
    this.secretId = existing;
    this.resources = existing.startsWith('arn:')
      ? [existing, `${existing}-??????`]
      : [Stack.of(this).formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${existing}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })];
  }
}
