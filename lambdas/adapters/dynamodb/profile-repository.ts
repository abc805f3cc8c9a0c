import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../domain/errors';
import type { PageQuery } from '../../domain/ports';
import type { FoundProfile, ProfileRepository } from '../../domain/people/ports';
import { nameInitial } from '../../domain/names';
import { personCursor, searchableName, type Profile } from '../../domain/people/profile';
import type { Page } from '../../domain/types';
import { isConditionalCheckFailed } from './errors';
import { stringAttr, type Item } from './items';
import { ENTITY, ROOMS_TABLE } from './schema';

/**
 * People's profiles in the rooms table (see schema.ts): `USER#<userId>` /
 * `PROFILE`, in the byName index under `PERSON#<initial>` /
 * `<folded name>#<userId>` when the name has something searchable.
 */
const PERSON = 'PERSON#';
const profileKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' });

/** The byName keys of a name; none when nothing of it is searchable (profile.ts: searchableName). */
function nameKeys(userId: string, displayName: string): { gsi3pk: string; gsi3sk: string } | undefined {
  const foldedName = searchableName(displayName);
  if (foldedName === '') return undefined;
  return { gsi3pk: PERSON + nameInitial(foldedName), gsi3sk: personCursor({ foldedName, userId }) };
}

const toProfile = (item: Item): Profile => ({
  userId: stringAttr(item, 'userId'),
  displayName: stringAttr(item, 'displayName'),
  createdAt: stringAttr(item, 'createdAt'),
});

const invalidCursor = () => new ValidationError('The cursor is not one Parley issued.');

export class DynamoProfileRepository implements ProfileRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getProfile(userId: string): Promise<Profile | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: profileKey(userId) }));
    return Item ? toProfile(Item) : undefined;
  }

  /**
   * A read first, a conditional write only for a new person: connections are
   * frequent and profiles are created once, and a read costs half of what a
   * refused conditional write does. Two first connections at once both try
   * to write; the condition lets one win and the other reads its profile.
   */
  async ensureProfile(profile: Profile): Promise<Profile> {
    const existing = await this.getProfile(profile.userId);
    if (existing) return existing;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...profileKey(profile.userId),
            entity: ENTITY.profile,
            ...profile,
            ...nameKeys(profile.userId, profile.displayName),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return profile;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: profileKey(profile.userId), ConsistentRead: true }),
      );
      if (!Item) throw error;
      return toProfile(Item);
    }
  }

  async renameProfile(userId: string, displayName: string, nowIso: string): Promise<Profile> {
    const keys = nameKeys(userId, displayName);
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: profileKey(userId),
        UpdateExpression: [
          'SET entity = :entity, userId = :userId, displayName = :name, createdAt = if_not_exists(createdAt, :now)',
          keys ? ', gsi3pk = :gsi3pk, gsi3sk = :gsi3sk' : '',
          keys ? '' : ' REMOVE gsi3pk, gsi3sk',
        ].join(''),
        ExpressionAttributeValues: {
          ':entity': ENTITY.profile,
          ':userId': userId,
          ':name': displayName,
          ':now': nowIso,
          ...(keys ? { ':gsi3pk': keys.gsi3pk, ':gsi3sk': keys.gsi3sk } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toProfile(Attributes ?? {});
  }

  /**
   * One Query on the byName index: the partition of the prefix's first
   * character, sort keys beginning with the prefix. A cursor must continue
   * the same search (begin with the prefix), so a client cannot steer the
   * query elsewhere in the index.
   */
  async findByName(foldedPrefix: string, page: PageQuery): Promise<Page<FoundProfile>> {
    const { name, partitionKey, sortKey } = ROOMS_TABLE.nameIndex;
    const partition = PERSON + nameInitial(foldedPrefix);
    let startKey: Record<string, string> | undefined;
    if (page.cursor !== undefined) {
      const hash = page.cursor.lastIndexOf('#');
      if (!page.cursor.startsWith(foldedPrefix) || hash < foldedPrefix.length) throw invalidCursor();
      startKey = { ...profileKey(page.cursor.slice(hash + 1)), [partitionKey]: partition, [sortKey]: page.cursor };
    }
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: `${partitionKey} = :partition AND begins_with(${sortKey}, :prefix)`,
        ExpressionAttributeValues: { ':partition': partition, ':prefix': foldedPrefix },
        Limit: page.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const last = result.LastEvaluatedKey?.[sortKey];
    return {
      items: (result.Items ?? []).map((item) => {
        const indexKey = stringAttr(item, sortKey);
        return { ...toProfile(item), foldedName: indexKey.slice(0, indexKey.length - stringAttr(item, 'userId').length - 1) };
      }),
      ...(typeof last === 'string' ? { nextCursor: last } : {}),
    };
  }
}
