import { CfnOutput, DefaultStackSynthesizer, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { WEB_ROOT, writeWebClient } from '../../web/build';
import type { RuntimeConfig } from '../../web/src/config';
import { acknowledgeWildcardResource } from '../nag';

export interface WebClientProps {
  /** The WebSocket stage URL clients connect to (`wss://…/<stage>`). */
  readonly webSocketUrl: string;
  /** The WebSocket API endpoint without the stage, for the content security policy. */
  readonly webSocketEndpoint: string;
  /** The HTTP API's URL (docs/http-api.md), which the Integrations panel calls; also its origin in connect-src. */
  readonly httpApiUrl?: string;
  /** The HTTP API's endpoint (`https://<id>.execute-api.<region>.amazonaws.com`), for connect-src. */
  readonly httpApiEndpoint?: string;
  /**
   * The documents bucket's regional endpoint (`https://<bucket>.s3.<region>.amazonaws.com`),
   * where the browser posts room documents with the presigned form the server signs.
   */
  readonly documentsEndpoint: string;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** Whether the client offers sign-up (the user pool allows self sign-up). */
  readonly selfSignUp: boolean;
  /** Largest message text Parley accepts, in UTF-8 bytes: the message box counts down to it. */
  readonly maxTextBytes: number;
  /** How long after sending people may edit their messages, so the client offers Edit only then. */
  readonly editWindowSeconds: number;
  /** For the buckets; their contents are rebuilt on every deploy, the access logs are not. */
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: RetentionDays;
  /** Days CloudFront and S3 access logs are kept. @default 90 */
  readonly accessLogDays?: number;
}

/** Hashed file names never change content: cache them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and config.json: always revalidate, so a deploy shows at once. */
const REVALIDATE = 'no-cache';

/**
 * The browser client on AWS: the built files in a private S3 bucket served
 * only through CloudFront (origin access control), with a strict content
 * security policy, and a `config.json` written at deploy time from the
 * stack's outputs (WebSocket URL, user pool and app client ids, region).
 *
 * The client is built with esbuild during synthesis (local bundling, no
 * Docker), exactly as `npm start` serves it.
 */
export class WebClient extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<id>.cloudfront.net */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebClientProps) {
    super(scope, id);
    const logs = this.accessLogBucket(props);
    this.bucket = this.siteBucket(props, logs);
    this.distribution = this.cdn(props, logs);
    this.deployFiles(props);

    this.url = `https://${this.distribution.distributionDomainName}`;
    new CfnOutput(this, 'Url', { value: this.url, description: 'The Parley web client' });
  }

  /** Where CloudFront and S3 write their access logs, kept for `accessLogDays`. */
  private accessLogBucket(props: WebClientProps): Bucket {
    const logs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogDays ?? 90) }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access log bucket of the web client; logging access to the logs themselves would only log the log writer.',
    });
    return logs;
  }

  /** The built files: private, readable only through the distribution. */
  private siteBucket(props: WebClientProps, logs: Bucket): Bucket {
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;
    return new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: destroy,
    });
  }

  /**
   * The distribution: HTTPS only, the site bucket through origin access
   * control, `index.html` and `config.json` never cached at the edge, hashed
   * assets cached for a year, and security headers on every answer.
   */
  private cdn(props: WebClientProps, logs: Bucket): Distribution {
    const csp = contentSecurityPolicy(props.webSocketEndpoint, props.documentsEndpoint, Stack.of(this).region, props.httpApiEndpoint);
    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const behavior = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
    };
    const distribution = new Distribution(this, 'Distribution', {
      comment: 'Parley web client',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        ...behavior,
        // index.html and config.json: small, and they must change with each deploy.
        cachePolicy: CachePolicy.CACHING_DISABLED,
        responseHeadersPolicy: this.headersPolicy('EntryHeaders', csp, REVALIDATE),
      },
      additionalBehaviors: {
        'assets/*': {
          ...behavior,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: this.headersPolicy('AssetHeaders', csp, IMMUTABLE),
        },
      },
    });
    acknowledgeDistributionFindings(distribution);
    return distribution;
  }

  private headersPolicy(policyId: string, csp: string, cacheControl: string): ResponseHeadersPolicy {
    return new ResponseHeadersPolicy(this, policyId, {
      comment: `Parley web client: security headers, Cache-Control ${cacheControl}`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
      customHeadersBehavior: { customHeaders: [{ header: 'Cache-Control', value: cacheControl, override: true }] },
    });
  }

  /**
   * Copies the client, built with esbuild during synthesis, and a
   * `config.json` written from the other stacks' outputs into the site
   * bucket, with a function of its own (role and log group).
   */
  private deployFiles(props: WebClientProps): void {
    // The deployment's own function: a role with no managed policy, and a log group with retention.
    const deployRole = new Role(this, 'DeployRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the Parley web client into its bucket and invalidates CloudFront',
    });
    const deployLogs = new LogGroup(this, 'DeployLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    deployLogs.grantWrite(deployRole);

    const deployment = new BucketDeployment(this, 'Deploy', {
      sources: [
        Source.asset(WEB_ROOT, {
          exclude: ['dist', 'node_modules'],
          bundling: {
            // Built with the project's esbuild on this machine; the image is never used.
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-alpine'),
            local: {
              tryBundle(outputDir) {
                writeWebClient(outputDir);
                return true;
              },
            },
          },
        }),
        Source.jsonData('config.json', this.runtimeConfig(props)),
      ],
      destinationBucket: this.bucket,
      // Old hashed assets stay, so a page loaded before a deploy can still fetch its script.
      prune: false,
      // No CloudFront invalidation (and no cloudfront:* on "*" for the deploy function):
      // index.html and config.json are never cached at the edge, and assets change name when they change.
      role: deployRole,
      logGroup: deployLogs,
      memoryLimit: 256,
    });
    this.acknowledgeDeploymentFindings(deployment, deployRole);
  }

  /** What the client reads at start: the WebSocket URL, the message size limit and how to sign in with Cognito. */
  private runtimeConfig(props: WebClientProps): RuntimeConfig {
    return {
      wsUrl: props.webSocketUrl,
      ...(props.httpApiUrl === undefined ? {} : { apiUrl: props.httpApiUrl }),
      maxTextBytes: props.maxTextBytes,
      editWindowSeconds: props.editWindowSeconds,
      auth: {
        kind: 'cognito',
        region: Stack.of(this).region,
        userPoolId: props.userPool.userPoolId,
        clientId: props.userPoolClient.userPoolClientId,
        selfSignUp: props.selfSignUp,
      },
    };
  }

  private acknowledgeDeploymentFindings(deployment: BucketDeployment, deployRole: Role): void {
    // The deployment function is a singleton of the stack, created by aws-cdk-lib.
    const deployFunction = Stack.of(this).node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    Validations.of(deployFunction ?? deployment).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The function is aws-cdk-lib’s BucketDeployment handler (Python with the AWS CLI layer); its runtime is chosen ' +
        'and updated by aws-cdk-lib, not by this project.',
    });
    const copyReason =
      'BucketDeployment copies files whose names are only known at deploy time: it reads objects of the CDK asset ' +
      'bucket and writes, lists and deletes objects of this site bucket, and nothing else.';
    for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*']) {
      Validations.of(deployRole).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: copyReason });
    }
    acknowledgeWildcardResource(deployRole, `${this.bucket.bucketArn}/*`, copyReason);
    Validations.of(deployRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*]`,
      reason: copyReason,
    });
  }
}

/** What the page may load and talk to: its own files, the WebSocket API, the documents bucket (uploads) and Cognito. */
function contentSecurityPolicy(webSocketEndpoint: string, documentsEndpoint: string, region: string, httpApiEndpoint?: string): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ${webSocketEndpoint} ${documentsEndpoint} https://cognito-idp.${region}.amazonaws.com${httpApiEndpoint === undefined ? '' : ` ${httpApiEndpoint}`}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

function acknowledgeDistributionFindings(distribution: Distribution): void {
  const nag = Validations.of(distribution);
  nag.acknowledge({
    id: 'AwsSolutions-CFR1',
    reason: 'Parley is a chat service for people anywhere; there is no country its users must be kept out of.',
  });
  nag.acknowledge({
    id: 'AwsSolutions-CFR2',
    reason:
      'The distribution serves static, public files of the client only (GET and HEAD, no origin logic); the API ' +
      'it talks to is the WebSocket API, which has its own authorizer and throttles. A web ACL for CloudFront lives in ' +
      'us-east-1 and can be attached when a deployment needs one.',
  });
  nag.acknowledge({
    id: 'AwsSolutions-CFR4',
    reason:
      'Without a custom domain the distribution uses the default *.cloudfront.net certificate, for which CloudFront ' +
      'fixes the viewer TLS policy; a deployment with its own domain and certificate gets TLSv1.2_2021 from this construct.',
  });
}
