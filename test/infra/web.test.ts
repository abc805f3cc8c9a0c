import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildParleyApp, stackIds } from '../../lib/parley-app';
import { assemblyDir, removeAssemblyDirs } from './assembly-dirs';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const synthWeb = (context: Record<string, unknown> = {}) => {
  const app = buildParleyApp({ context: { 'aws:cdk:bundling-stacks': [], ...context }, outdir: assemblyDir() });
  const json = app.synth().getStackByName(stackIds({ stage: 'prod' }).web).template as { Resources: Resources; Outputs: Record<string, any> };
  return { template: Template.fromJSON(json), json };
};

const ofType = (resources: Resources, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

/** The one resource of a type, by logical id. */
const onlyOfType = (resources: Resources, type: string) => {
  const found = ofType(resources, type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

describe('the web client stack', () => {
  afterAll(removeAssemblyDirs);

  let template: Template;
  let json: { Resources: Resources; Outputs: Record<string, any> };

  beforeAll(() => {
    ({ template, json } = synthWeb());
  });

  it('keeps the files in a private, encrypted bucket that refuses plain HTTP and logs access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 's3/' },
    });
    for (const [, policy] of ofType(json.Resources, 'AWS::S3::BucketPolicy')) {
      expect(policy.Properties['PolicyDocument'].Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('lets only its CloudFront distribution read the files, through origin access control', () => {
    const [distributionId] = onlyOfType(json.Resources, 'AWS::CloudFront::Distribution');
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    const readers = ofType(json.Resources, 'AWS::S3::BucketPolicy')
      .flatMap(([, p]) => p.Properties['PolicyDocument'].Statement as Array<Record<string, any>>)
      .filter((s) => s['Effect'] === 'Allow');
    expect(readers).toHaveLength(1);
    expect(JSON.stringify(readers[0]!['Condition'])).toContain(distributionId);
    expect(ofType(json.Resources, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
  });

  it('serves index.html over HTTPS only, never cached at the edge, and hashed assets cached for a year', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
        }),
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: 'assets/*',
            ViewerProtocolPolicy: 'redirect-to-https',
            CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', // Managed-CachingOptimized
          }),
        ],
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CustomHeadersConfig: { Items: [{ Header: 'Cache-Control', Value: 'public, max-age=31536000, immutable', Override: true }] },
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CustomHeadersConfig: { Items: [{ Header: 'Cache-Control', Value: 'no-cache', Override: true }] },
      }),
    });
  });

  it('sends a content security policy that allows only its own files, the WebSocket API, the documents bucket and Cognito', () => {
    const policies = ofType(json.Resources, 'AWS::CloudFront::ResponseHeadersPolicy').map(
      ([, p]) => p.Properties['ResponseHeadersPolicyConfig']['SecurityHeadersConfig'],
    );

    expect(policies).toHaveLength(2);
    for (const headers of policies) {
      const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
      expect(csp).toContain("default-src 'self'; connect-src 'self' ");
      expect(csp).toMatch(/Fn::ImportValue.*ApiEndpoint/);
      expect(csp).toContain('https://cognito-idp.');
      // The presigned upload form posts to the documents bucket's regional endpoint.
      expect(csp).toMatch(/ https:\/\/",\{"Fn::ImportValue":"Parley-prod-Stateful:ExportsOutputFnGetAttDocumentsBucket[0-9A-F]+RegionalDomainName/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(headers).toMatchObject({
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY' },
        StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000 },
      });
    }
  });

  it('writes config.json at deploy time from the other stacks’ outputs', () => {
    const [, deployment] = onlyOfType(json.Resources, 'Custom::CDKBucketDeployment');
    const markers = JSON.stringify(deployment.Properties['SourceMarkers']);

    expect(deployment.Properties['SourceObjectKeys']).toHaveLength(2);
    expect(deployment.Properties['Prune']).toBe(false);
    expect(markers).toMatch(/Parley-prod-Realtime:ExportsOutputRefWebSocketApi/);
    expect(markers).toMatch(/Parley-prod-Stateful:ExportsOutputRefUsersUserPool[0-9A-F]+/);
    expect(markers).toMatch(/Parley-prod-Stateful:ExportsOutputRefUsersUserPoolWebClient/);
  });

  /** The config.json a synthesis with `context` stages for the client. */
  const configOf = (context: Record<string, unknown>) => {
    const app = buildParleyApp({ context: { 'aws:cdk:bundling-stacks': [], ...context }, outdir: assemblyDir() });
    const outdir = app.synth().directory;
    const file = readdirSync(outdir)
      .map((entry) => join(outdir, entry, 'config.json'))
      .find((path) => existsSync(path));
    expect(file, 'a staged config.json').toBeDefined();
    return JSON.parse(readFileSync(file!, 'utf8')) as {
      maxTextBytes: number;
      editWindowSeconds: number;
      auth: { kind: string; selfSignUp: boolean };
    };
  };

  it('tells the client whether to offer sign-up, following the selfSignUp switch', () => {
    expect(configOf({}).auth).toMatchObject({ kind: 'cognito', selfSignUp: true });
    expect(configOf({ selfSignUp: 'false' }).auth).toMatchObject({ kind: 'cognito', selfSignUp: false });
  });

  it('tells the client the message size limit Parley enforces', () => {
    expect(configOf({}).maxTextBytes).toBe(4096);
    expect(configOf({ maxTextBytes: '8192' }).maxTextBytes).toBe(8192);
  });

  it('tells the client the deployment’s edit window, so Edit is offered only while Parley accepts it', () => {
    expect(configOf({}).editWindowSeconds).toBe(900);
    expect(configOf({ editWindowSeconds: '60' }).editWindowSeconds).toBe(60);
  });

  it('gives the deploy function only the bucket copy it needs: no managed policy, no CloudFront, no "*"', () => {
    const roles = ofType(json.Resources, 'AWS::IAM::Role').filter(([id]) => id.includes('DeployRole'));
    const statements = ofType(json.Resources, 'AWS::IAM::Policy').flatMap(
      ([, p]) => p.Properties['PolicyDocument'].Statement as Array<{ Action: string | string[]; Resource: unknown }>,
    );

    expect(roles).toHaveLength(1);
    expect(roles[0]![1].Properties['ManagedPolicyArns']).toBeUndefined();
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('cloudfront:'))).toEqual([]);
    expect(statements.filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')))).toEqual([]);
  });

  it('prints the client’s URL', () => {
    const outputs = Object.values(json.Outputs).map((o) => JSON.stringify(o.Value));

    expect(outputs.some((value) => value.includes('https://') && value.includes('DomainName'))).toBe(true);
  });

  it('empties its buckets on deletion only when data is to be destroyed', () => {
    const destroyed = synthWeb({ dataRemovalPolicy: 'destroy', deletionProtection: false }).json;

    expect(ofType(json.Resources, 'Custom::S3AutoDeleteObjects')).toEqual([]);
    expect(ofType(destroyed.Resources, 'Custom::S3AutoDeleteObjects')).toHaveLength(2);
  });
});
