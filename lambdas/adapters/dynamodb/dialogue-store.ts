import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors';
import type { Dialogue, DialogueOutcome, DialogueTurn, ResolutionReason } from '../../domain/games/dialogue';
import type { AnsweredTurn, BeginTurnResult, DialogueStore, PlayerTurn, StoredTurn } from '../../domain/games/dialogue-ports';
import { isConditionalCheckFailed, isTransactionConditionFailure } from './errors';
import { epochSeconds, type Item } from './items';
import { GAME_TEXT_TTL_DAYS, gamesKeys } from './games-schema';

const DAY_SECONDS = 24 * 60 * 60;

const dialogueKey = (roomId: string, dialogueId: string) => ({ pk: gamesKeys.room(roomId), sk: gamesKeys.dialogue(dialogueId) });
const activeKey = (roomId: string) => ({ pk: gamesKeys.room(roomId), sk: gamesKeys.activeDialogue });
const turnKey = (dialogueId: string, turn: number) => ({ pk: gamesKeys.dialoguePartition(dialogueId), sk: gamesKeys.turn(turn) });

/** A dialogue and its turns hold what people and the model wrote: they expire GAME_TEXT_TTL_DAYS after it started. */
const expiresAtOf = (startedAt: string): number => epochSeconds(Date.parse(startedAt)) + GAME_TEXT_TTL_DAYS * DAY_SECONDS;

const dialogueItem = (dialogue: Dialogue): Item => ({
  ...dialogueKey(dialogue.roomId, dialogue.dialogueId),
  ...dialogue,
  expiresAt: expiresAtOf(dialogue.startedAt),
});

const toDialogue = (item: Item): Dialogue => {
  const { pk: _pk, sk: _sk, expiresAt: _expires, ...dialogue } = item;
  return dialogue as unknown as Dialogue;
};

const toTurn = (item: Item): StoredTurn => {
  const { pk: _pk, sk: _sk, expiresAt: _expires, ...turn } = item;
  return turn as unknown as StoredTurn;
};

/**
 * Dialogues in the games table (games-schema.ts): the dialogue item
 * (`ROOM#<roomId>` / `DIALOGUE#<id>`: scenario, state, options, outcome),
 * the room's active marker (`DIALOGUE#ACTIVE`, created conditionally: one
 * dialogue at a time) and the turns (`DIALOGUE#<id>` / `TURN#<n>`). Every
 * change of state is a conditional write on the dialogue item, so two
 * turns at once, or a job delivered twice, cannot both apply.
 */
export class DynamoDialogueStore implements DialogueStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getDialogue(roomId: string, dialogueId: string): Promise<Dialogue | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: dialogueKey(roomId, dialogueId), ConsistentRead: true }));
    return result.Item ? toDialogue(result.Item) : undefined;
  }

  async activeDialogueId(roomId: string): Promise<string | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: activeKey(roomId), ConsistentRead: true }));
    return result.Item?.['dialogueId'] as string | undefined;
  }

  async latestDialogueId(roomId: string): Promise<string | undefined> {
    // Dialogue ids sort by time and below `ACTIVE`: the newest two keys are the marker (if any) and the latest dialogue.
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': gamesKeys.room(roomId), ':prefix': gamesKeys.dialogue('') },
        ScanIndexForward: false,
        Limit: 2,
        ProjectionExpression: 'sk',
      }),
    );
    const latest = (result.Items ?? []).map((item) => String(item['sk'])).find((sk) => sk !== gamesKeys.activeDialogue);
    return latest?.slice(gamesKeys.dialogue('').length);
  }

  async startDialogue(dialogue: Dialogue, opening: DialogueTurn): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...activeKey(dialogue.roomId), dialogueId: dialogue.dialogueId, startedAt: dialogue.startedAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: dialogueItem(dialogue), ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...turnKey(dialogue.dialogueId, 0), ...opening, expiresAt: expiresAtOf(dialogue.startedAt) },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isTransactionConditionFailure(error, 0)) {
        throw new ConflictError('A dialogue is already going on in this room; end it before starting another.', { cause: error });
      }
      throw error;
    }
  }

  async beginTurn(roomId: string, turn: PlayerTurn): Promise<BeginTurnResult> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...turnKey(turn.dialogueId, turn.turn), ...turn, replies: [], changes: [], expiresAt: expiresAtOf(turn.at) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: dialogueKey(roomId, turn.dialogueId),
                UpdateExpression: 'SET pendingTurn = :turn',
                ConditionExpression:
                  '#status = :active AND attribute_not_exists(resolving) AND attribute_not_exists(pendingTurn) AND #turn = :previous',
                ExpressionAttributeNames: { '#status': 'status', '#turn': 'turn' },
                ExpressionAttributeValues: { ':turn': turn.turn, ':active': 'active', ':previous': turn.turn - 1 },
              },
            },
          ],
        }),
      );
      return 'begun';
    } catch (error) {
      if (isTransactionConditionFailure(error, 0)) return 'busy';
      if (!isTransactionConditionFailure(error, 1)) throw error;
      const dialogue = await this.getDialogue(roomId, turn.dialogueId);
      return !dialogue || dialogue.status !== 'active' || dialogue.resolving !== undefined ? 'closed' : 'busy';
    }
  }

  async getTurn(dialogueId: string, turn: number): Promise<StoredTurn | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: turnKey(dialogueId, turn), ConsistentRead: true }));
    return result.Item ? toTurn(result.Item) : undefined;
  }

  async recentTurns(dialogueId: string, limit: number): Promise<StoredTurn[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': gamesKeys.dialoguePartition(dialogueId), ':prefix': gamesKeys.turnsPrefix },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(toTurn).reverse();
  }

  async completeTurn(roomId: string, answered: AnsweredTurn): Promise<boolean> {
    const { turn } = answered;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: turnKey(turn.dialogueId, turn.turn),
                UpdateExpression: `SET replies = :replies, changes = :changes, #at = :at${turn.stateKept ? ', stateKept = :kept' : ''}`,
                ExpressionAttributeNames: { '#at': 'at' },
                ExpressionAttributeValues: {
                  ':replies': turn.replies,
                  ':changes': turn.changes,
                  ':at': turn.at,
                  ...(turn.stateKept ? { ':kept': true } : {}),
                },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: dialogueKey(roomId, turn.dialogueId),
                UpdateExpression: `SET #turn = :turn, characters = :characters, options = :options${answered.resolving ? ', resolving = :resolving' : ''} REMOVE pendingTurn`,
                ConditionExpression: 'pendingTurn = :turn',
                ExpressionAttributeNames: { '#turn': 'turn' },
                ExpressionAttributeValues: {
                  ':turn': turn.turn,
                  ':characters': answered.characters,
                  ':options': answered.options,
                  ...(answered.resolving ? { ':resolving': answered.resolving } : {}),
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConditionFailure(error, 1)) return false;
      throw error;
    }
  }

  async requestResolution(
    roomId: string,
    dialogueId: string,
    reason: ResolutionReason,
    options: { readonly abandonPending?: boolean } = {},
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: dialogueKey(roomId, dialogueId),
          UpdateExpression: 'SET resolving = :reason',
          ConditionExpression: `#status = :active AND attribute_not_exists(resolving)${options.abandonPending ? '' : ' AND attribute_not_exists(pendingTurn)'}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':reason': reason, ':active': 'active' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async resolve(roomId: string, dialogueId: string, outcome: DialogueOutcome): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: dialogueKey(roomId, dialogueId),
                UpdateExpression: 'SET #status = :resolved, outcome = :outcome, options = :none REMOVE resolving, pendingTurn',
                ConditionExpression: '#status = :active',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':resolved': 'resolved', ':active': 'active', ':outcome': outcome, ':none': [] },
              },
            },
            {
              // Frees the room, unless its marker names another dialogue (then it is not this one's to free).
              Delete: {
                TableName: this.tableName,
                Key: activeKey(roomId),
                ConditionExpression: 'attribute_not_exists(pk) OR dialogueId = :id',
                ExpressionAttributeValues: { ':id': dialogueId },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConditionFailure(error, 0)) return false;
      throw error;
    }
  }
}
