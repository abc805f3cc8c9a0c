import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONNECTIONS_TABLE, MESSAGES_TABLE, ROOMS_TABLE } from '../../lambdas/adapters/dynamodb/schema';
import { EVENT_SOURCE } from '../../lambdas/domain/events/domain-events';
import { synthParley } from './synth-parley';
import type { SynthesizedParley } from './synth-parley';

const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  { AttributeName: sortKey, KeyType: 'RANGE' },
];

describe('StatefulStack', () => {
  let parley: SynthesizedParley;
  let tables: Record<'rooms' | 'messages' | 'connections', { Properties: Record<string, any>; DeletionPolicy?: string }>;
  let keyId: string;

  beforeAll(() => {
    parley = synthParley();
    const resources = parley.stateful.toJSON().Resources;
    const { data } = parley.statefulStack;
    tables = {
      rooms: resources[parley.tableLogicalId(data.roomsTable)],
      messages: resources[parley.tableLogicalId(data.messagesTable)],
      connections: resources[parley.tableLogicalId(data.connectionsTable)],
    };
    keyId = parley.contentKeyLogicalId;
  });

  it('creates the three chat tables, the memory table, the audit and moderation tables, the knowledge, integrations and games tables', () => {
    parley.stateful.resourceCountIs('AWS::DynamoDB::Table', 9);
  });

  it('creates the domain events bus with an archive of every Parley event', () => {
    parley.stateful.hasResourceProperties('AWS::Events::EventBus', { Name: Match.stringLikeRegexp('^Parley-') });
    parley.stateful.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: [EVENT_SOURCE] },
      RetentionDays: 30,
    });
  });

  it('keys the rooms table and its byUser, publicRooms and byName indexes from the schema', () => {
    const { byUserIndex, publicRoomsIndex, nameIndex } = ROOMS_TABLE;

    expect(tables.rooms.Properties['KeySchema']).toEqual(keySchema(ROOMS_TABLE.partitionKey, ROOMS_TABLE.sortKey));
    expect(tables.rooms.Properties['GlobalSecondaryIndexes']).toEqual([
      {
        IndexName: byUserIndex.name,
        KeySchema: keySchema(byUserIndex.partitionKey, byUserIndex.sortKey),
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: publicRoomsIndex.name,
        KeySchema: keySchema(publicRoomsIndex.partitionKey, publicRoomsIndex.sortKey),
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: nameIndex.name,
        KeySchema: keySchema(nameIndex.partitionKey, nameIndex.sortKey),
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('keys the messages table by room, streams new and old images and expires by TTL', () => {
    expect(tables.messages.Properties).toMatchObject({
      KeySchema: keySchema(MESSAGES_TABLE.partitionKey, MESSAGES_TABLE.sortKey),
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: MESSAGES_TABLE.ttlAttribute, Enabled: true },
    });
  });

  it('keys the connections table from the schema and expires by TTL', () => {
    expect(tables.connections.Properties).toMatchObject({
      KeySchema: keySchema(CONNECTIONS_TABLE.partitionKey, CONNECTIONS_TABLE.sortKey),
      TimeToLiveSpecification: { AttributeName: CONNECTIONS_TABLE.ttlAttribute, Enabled: true },
    });
    expect(tables.connections.Properties['StreamSpecification']).toBeUndefined();
  });

  it('bills on demand, keeps point-in-time recovery and deletion protection on every table', () => {
    for (const table of Object.values(tables)) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
      expect(table.DeletionPolicy).toBe('Retain');
    }
  });

  it('encrypts rooms and messages with the rotating customer managed key, connections with the default key', () => {
    for (const table of [tables.rooms, tables.messages]) {
      expect(table.Properties['SSESpecification']).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
    }
    expect(tables.connections.Properties['SSESpecification']?.KMSMasterKeyId).toBeUndefined();
    // The content key and the alarm topic's.
    parley.stateful.resourceCountIs('AWS::KMS::Key', 2);
    parley.stateful.allResources('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
  });

  it('lets the data be destroyed with the stack when configured', () => {
    const disposable = synthParley({ dataRemovalPolicy: 'destroy', deletionProtection: 'false' });

    disposable.stateful.allResources('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    disposable.stateful.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete' });
  });

  it('runs a user pool with self sign-up, strong passwords, optional TOTP and threat protection', () => {
    parley.stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      }),
    });
  });

  it('asks for a display name (the standard name attribute, required and changeable) and an email', () => {
    parley.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        { Name: 'email', Required: true, Mutable: true },
        { Name: 'name', Required: true, Mutable: true },
      ]),
    });
  });

  it('becomes invite-only and requires MFA when configured', () => {
    const closed = synthParley({ selfSignUp: 'false', userPoolMfa: 'required' });

    closed.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
  });

  it('offers a public app client with password sign-in (checked for compromised credentials) and refresh', () => {
    parley.stateful.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    parley.stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it('outputs the user pool and client ids', () => {
    parley.stateful.hasOutput('UserPoolId', { Value: { Ref: Match.stringLikeRegexp('UserPool') } });
    parley.stateful.hasOutput('UserPoolClientId', { Value: { Ref: Match.stringLikeRegexp('WebClient') } });
  });
});
