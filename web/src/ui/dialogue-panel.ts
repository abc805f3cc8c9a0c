import { DIALOGUE_TURN_MAX } from '../../../lambdas/domain/games/dialogue-limits';
import type { DialogueClient } from '../games/games-client';
import {
  applyDialogueFrame,
  canTakeTurn,
  changedFields,
  changeText,
  emptyDialogue,
  fromDialogueAnswer,
  isPending,
  parseScenarioFile,
  STATE_MAX,
  STATE_MIN,
  turnTaken,
  type CharacterView,
  type DialogueFrame,
  type DialogueState,
  type DialogueTurn,
  type ScenarioSummary,
} from '../games/dialogue-state';
import { t } from '../i18n';
import { h, reconcile, replaceChildren, setText } from './dom';

/** What the status line says: the characters answering, the outcome being written, or nothing. */
export function dialogueStatusText(state: DialogueState): string {
  if (!isPending(state)) return '';
  return state.dialogue?.resolving !== undefined ? t().dialogue.resolving : t().dialogue.pending;
}

/** A transcript entry: who spoke and what, in the order of the turns. */
export interface SpokenLine {
  readonly key: string;
  readonly speaker: string;
  readonly text: string;
  readonly player: boolean;
}

/** The transcript as lines: each turn's player line (when there is one), then the characters' replies. */
export function transcriptLines(turns: readonly DialogueTurn[], meId: string): SpokenLine[] {
  return turns.flatMap((turn) => [
    ...(turn.text !== undefined && turn.turn > 0
      ? [{ key: `${turn.turn}:p`, speaker: turn.playerId === meId || turn.playerName === undefined ? t().dialogue.you : turn.playerName, text: turn.text, player: true }]
      : []),
    ...turn.replies.map((reply, i) => ({ key: `${turn.turn}:${i}`, speaker: reply.name, text: reply.text, player: false })),
  ]);
}

/**
 * The dialogue panel of a dialogue room (docs/web.md, "Game rooms"): the
 * scenarios to pick from (and, for owners and moderators, a scenario file
 * to upload), then the running dialogue: the characters with their state
 * as the scenario reveals it (mood as a labelled meter with its number,
 * opinions, traits; what the last turn changed is highlighted and said in
 * a live region), the transcript (a log), the response options as buttons
 * and a free line, a status while the characters answer, an End button,
 * and the resolution with its result, summary and final state.
 */
export class DialoguePanel {
  readonly element: HTMLElement;
  private readonly picker: HTMLElement;
  private readonly scenarioSelect: HTMLSelectElement;
  private readonly scenarioInfo: HTMLParagraphElement;
  private readonly startButton: HTMLButtonElement;
  private readonly uploadForm: HTMLFormElement;
  private readonly file: HTMLInputElement;
  private readonly uploadStatus: HTMLParagraphElement;
  private readonly error: HTMLParagraphElement;
  private readonly running: HTMLElement;
  private readonly heading: HTMLParagraphElement;
  private readonly turnInfo: HTMLParagraphElement;
  private readonly characters: HTMLUListElement;
  private readonly charactersTitle: HTMLHeadingElement;
  private readonly changes: HTMLParagraphElement;
  private readonly log: HTMLOListElement;
  private readonly options: HTMLDivElement;
  private readonly optionsSection: HTMLElement;
  private readonly turnForm: HTMLFormElement;
  private readonly turnInput: HTMLInputElement;
  private readonly status: HTMLParagraphElement;
  private readonly endButton: HTMLButtonElement;
  private readonly resolution: HTMLElement;
  private state: DialogueState = emptyDialogue;
  private scenarios: readonly ScenarioSummary[] = [];
  private roomId: string | undefined;
  private canManage = false;
  private generation = 0;

  constructor(
    private readonly client: DialogueClient,
    private readonly meId: () => string,
  ) {
    const strings = t().dialogue;
    this.scenarioSelect = h('select', { id: 'dialogue-scenario', name: 'scenarioId', 'aria-describedby': 'dialogue-scenario-info' });
    this.scenarioSelect.addEventListener('change', () => this.showScenarioInfo());
    this.scenarioInfo = h('p', { id: 'dialogue-scenario-info', className: 'hint' });
    this.startButton = h('button', { type: 'submit' }, strings.start);
    const startForm = h(
      'form',
      { className: 'dialogue-start' },
      h('label', { for: 'dialogue-scenario' }, strings.scenario),
      this.scenarioSelect,
      this.scenarioInfo,
      this.startButton,
    );
    startForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.start();
    });
    this.file = h('input', { id: 'dialogue-file', name: 'scenario', type: 'file', accept: '.json,application/json' });
    this.uploadStatus = h('p', { className: 'hint', role: 'status' });
    this.uploadForm = h(
      'form',
      { className: 'dialogue-upload', hidden: true },
      h('label', { for: 'dialogue-file' }, strings.upload),
      this.file,
      h('button', { type: 'submit' }, strings.uploadButton),
      this.uploadStatus,
    );
    this.uploadForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.upload();
    });
    this.picker = h('div', { className: 'dialogue-picker' }, startForm, this.uploadForm);
    this.error = h('p', { className: 'form-error', role: 'alert' });

    this.heading = h('p', { className: 'dialogue-goal' });
    this.turnInfo = h('p', { className: 'hint dialogue-turn' });
    this.characters = h('ul', { className: 'dialogue-characters', 'aria-labelledby': 'dialogue-characters-title' });
    this.charactersTitle = h('h3', { id: 'dialogue-characters-title' }, strings.characters);
    this.changes = h('p', { className: 'dialogue-changes', role: 'status' });
    this.log = h('ol', { className: 'dialogue-log' });
    this.options = h('div', { className: 'dialogue-options', role: 'group', 'aria-labelledby': 'dialogue-options-title' });
    this.optionsSection = h('section', { 'aria-labelledby': 'dialogue-options-title' }, h('h3', { id: 'dialogue-options-title' }, strings.options), this.options);
    this.turnInput = h('input', { id: 'dialogue-line', name: 'text', maxlength: DIALOGUE_TURN_MAX, autocomplete: 'off', required: true });
    this.turnForm = h(
      'form',
      { className: 'dialogue-free' },
      h('label', { for: 'dialogue-line' }, strings.freeLabel),
      this.turnInput,
      h('button', { type: 'submit' }, strings.say),
    );
    this.turnForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.turnInput.value.trim();
      if (text !== '') void this.takeTurn({ text });
    });
    this.status = h('p', { className: 'dialogue-status', role: 'status' });
    this.endButton = h('button', { type: 'button', className: 'dialogue-end', onclick: () => void this.end() }, strings.end);
    this.running = h(
      'div',
      { className: 'dialogue-running', hidden: true },
      this.heading,
      this.turnInfo,
      this.charactersTitle,
      this.characters,
      this.changes,
      h('h3', { id: 'dialogue-transcript-title' }, strings.transcript),
      // A log around the list (a list keeps its role for its items): new lines are read out as they come.
      h('div', { role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'dialogue-transcript-title' }, this.log),
      this.status,
      this.optionsSection,
      this.turnForm,
      this.endButton,
    );
    this.resolution = h('section', { className: 'dialogue-resolution', 'aria-labelledby': 'dialogue-outcome-title', hidden: true });
    this.element = h(
      'section',
      { className: 'game-panel dialogue-panel', 'aria-labelledby': 'dialogue-title', hidden: true },
      h('h2', { id: 'dialogue-title' }, strings.title),
      h('p', { className: 'hint' }, strings.intro),
      this.error,
      this.running,
      this.resolution,
      this.picker,
    );
  }

  /** Shows the panel for `roomId` (a dialogue room the person is in), or hides it with `undefined`. */
  render(roomId: string | undefined, canManage: boolean): void {
    this.element.hidden = roomId === undefined;
    if (roomId === undefined) {
      this.roomId = undefined;
      return;
    }
    const changed = roomId !== this.roomId || canManage !== this.canManage;
    this.canManage = canManage;
    if (roomId !== this.roomId) {
      this.roomId = roomId;
      this.state = emptyDialogue;
      this.scenarios = [];
      setText(this.error, '');
      setText(this.uploadStatus, '');
      setText(this.status, t().dialogue.loading);
      void this.load();
    }
    if (changed) this.show();
  }

  receive(frame: DialogueFrame): void {
    if (frame.roomId !== this.roomId) return;
    this.state = applyDialogueFrame(this.state, frame);
    this.show();
  }

  async load(): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    this.generation += 1;
    const generation = this.generation;
    const [scenarios, dialogue] = await Promise.all([this.client.scenarios(roomId), this.client.getDialogue(roomId)]);
    if (generation !== this.generation || roomId !== this.roomId) return;
    if (scenarios.ok) this.showScenarios(scenarios.value);
    else setText(this.error, scenarios.error);
    if (dialogue.ok) this.state = fromDialogueAnswer(this.state, dialogue.value);
    else setText(this.error, dialogue.error);
    setText(this.status, '');
    this.show();
  }

  private async start(): Promise<void> {
    const roomId = this.roomId;
    const scenarioId = this.scenarioSelect.value;
    if (roomId === undefined || scenarioId === '') return;
    this.startButton.disabled = true;
    const answer = await this.client.start(roomId, scenarioId);
    this.startButton.disabled = false;
    if (roomId !== this.roomId) return;
    if (!answer.ok) return setText(this.error, answer.error);
    setText(this.error, '');
    this.state = applyDialogueFrame(
      this.state.dialogue?.status === 'active' ? this.state : { turns: [], lastChanges: [] },
      { type: 'dialogueStarted', roomId, dialogue: answer.value.dialogue, ...(answer.value.opening ? { opening: answer.value.opening } : {}) },
    );
    this.show();
  }

  private async upload(): Promise<void> {
    const roomId = this.roomId;
    const file = this.file.files?.[0];
    if (roomId === undefined) return;
    if (file === undefined) return setText(this.uploadStatus, t().dialogue.noFile);
    const parsed = parseScenarioFile(await file.text());
    if (!parsed.ok) return setText(this.uploadStatus, parsed.error);
    const answer = await this.client.upload(roomId, parsed.scenario);
    if (!answer.ok) return setText(this.uploadStatus, answer.error);
    setText(this.uploadStatus, t().dialogue.uploaded);
    this.file.value = '';
    const scenarios = await this.client.scenarios(roomId);
    if (scenarios.ok && roomId === this.roomId) this.showScenarios(scenarios.value, typeof parsed.scenario['id'] === 'string' ? parsed.scenario['id'] : undefined);
  }

  private async takeTurn(turn: { readonly optionId?: string; readonly text?: string }): Promise<void> {
    const roomId = this.roomId;
    const dialogue = this.state.dialogue;
    if (roomId === undefined || dialogue === undefined || !canTakeTurn(this.state)) return;
    const chosen = turn.optionId === undefined ? undefined : dialogue.options.find((o) => o.optionId === turn.optionId);
    const text = turn.text ?? chosen?.text;
    // The turn shows at once and the controls rest until the characters answer.
    const mine: DialogueTurn = {
      dialogueId: dialogue.dialogueId,
      turn: dialogue.turn + 1,
      playerId: this.meId(),
      ...(text !== undefined ? { text } : {}),
      ...(turn.optionId !== undefined ? { optionId: turn.optionId } : {}),
      replies: [],
      changes: [],
      at: new Date().toISOString(),
    };
    const before = this.state;
    this.state = turnTaken(this.state, mine);
    this.show();
    const answer = await this.client.takeTurn(roomId, dialogue.dialogueId, turn);
    if (roomId !== this.roomId) return;
    if (answer.ok) {
      setText(this.error, '');
      if (turn.text !== undefined && this.turnInput.value.trim() === turn.text) this.turnInput.value = '';
      return;
    }
    setText(this.error, answer.error);
    // Refused: the turn was not taken; unless the characters answered meanwhile, the panel goes back.
    if (this.state.dialogue?.turn === dialogue.turn) this.state = before;
    this.show();
  }

  private async end(): Promise<void> {
    const roomId = this.roomId;
    const dialogue = this.state.dialogue;
    if (roomId === undefined || dialogue?.status !== 'active') return;
    this.endButton.disabled = true;
    const answer = await this.client.end(roomId, dialogue.dialogueId);
    if (roomId !== this.roomId) return;
    if (!answer.ok) {
      this.endButton.disabled = false;
      return setText(this.error, answer.error);
    }
    setText(this.error, '');
    if (this.state.dialogue?.dialogueId === dialogue.dialogueId && this.state.dialogue.status === 'active') {
      this.state = { ...this.state, dialogue: { ...this.state.dialogue, resolving: 'requested' } };
    }
    this.show();
  }

  private showScenarios(scenarios: readonly ScenarioSummary[], select?: string): void {
    const strings = t().dialogue;
    this.scenarios = scenarios;
    const chosen = select ?? this.scenarioSelect.value;
    replaceChildren(
      this.scenarioSelect,
      ...scenarios.map((s) =>
        h('option', { value: s.id, selected: s.id === chosen }, `${s.title} (${s.source === 'example' ? strings.example : strings.roomOwn})`),
      ),
    );
    this.showScenarioInfo();
  }

  private showScenarioInfo(): void {
    const strings = t().dialogue;
    const scenario = this.scenarios.find((s) => s.id === this.scenarioSelect.value);
    setText(this.scenarioInfo, scenario === undefined ? (this.scenarios.length === 0 ? strings.noScenarios : '') : `${scenario.summary} ${strings.goal(scenario.goal)}`);
    this.startButton.disabled = scenario === undefined;
  }

  private show(): void {
    const strings = t().dialogue;
    const { dialogue } = this.state;
    const active = dialogue?.status === 'active';
    this.picker.hidden = active;
    this.uploadForm.hidden = !this.canManage;
    setText(this.startButton, dialogue === undefined ? strings.start : strings.startAnother);
    this.running.hidden = dialogue === undefined;
    if (dialogue === undefined) {
      this.resolution.hidden = true;
      return;
    }
    setText(this.heading, [strings.goal(dialogue.goal), dialogue.playerRole !== undefined ? strings.role(dialogue.playerRole) : ''].filter(Boolean).join(' '));
    setText(this.turnInfo, `${dialogue.title} · ${strings.turnOf(dialogue.turn, dialogue.maxTurns)}`);
    // Resolved, the characters show their final state, all of it (what the scenario hid included).
    const characters = dialogue.status === 'resolved' && dialogue.outcome ? dialogue.outcome.finalState : dialogue.characters;
    setText(this.charactersTitle, characters === dialogue.characters ? strings.characters : strings.finalState);
    reconcile(
      this.characters,
      characters,
      (c) => c.characterId,
      () => h('li', { className: 'dialogue-character' }),
      (li, c) => this.showCharacter(li, c, active ? changedFields(this.state.lastChanges, c.characterId) : new Set()),
    );
    setText(this.changes, this.state.lastChanges.map((change) => changeText(dialogue, change)).join('; '));
    this.changes.hidden = this.state.lastChanges.length === 0;
    const last = this.state.turns.at(-1);
    reconcile(
      this.log,
      [
        ...transcriptLines(this.state.turns, this.meId()),
        ...(last?.stateKept ? [{ key: `${last.turn}:kept`, speaker: '', text: strings.stateKept, player: false }] : []),
      ],
      (line) => line.key,
      (line) =>
        h(
          'li',
          { className: line.player ? 'dialogue-line dialogue-line-player' : 'dialogue-line' },
          line.speaker !== '' && h('span', { className: 'author' }, line.speaker),
          ' ',
          h('span', { className: 'text', dir: 'auto' }, line.text),
        ),
      () => undefined,
    );
    setText(this.status, dialogueStatusText(this.state));
    const takes = canTakeTurn(this.state);
    this.optionsSection.hidden = !active || dialogue.options.length === 0;
    reconcile(
      this.options,
      active ? dialogue.options : [],
      (o) => `${dialogue.turn}:${o.optionId}`,
      (o) => h('button', { type: 'button', className: 'dialogue-option', onclick: () => void this.takeTurn({ optionId: o.optionId }) }, o.text),
      (button) => {
        button.disabled = !takes;
      },
    );
    this.turnForm.hidden = !active;
    for (const control of this.turnForm.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button')) control.disabled = !takes;
    this.endButton.hidden = !active;
    this.endButton.disabled = !active || dialogue.resolving !== undefined;
    this.showResolution();
  }

  private showCharacter(li: HTMLLIElement, c: CharacterView, changed: ReadonlySet<string>): void {
    const strings = t().dialogue;
    const id = `dialogue-mood-${c.characterId}`;
    const mark = (field: string) => (changed.has(field) ? 'changed' : '');
    const opinions = Object.entries(c.opinions ?? {});
    replaceChildren(
      li,
      h('h4', {}, c.name),
      c.mood !== undefined &&
        h(
          'p',
          { className: `dialogue-mood ${mark('mood')}`.trim() },
          h('label', { for: id }, `${strings.mood} `),
          h('meter', { id, min: STATE_MIN, max: STATE_MAX, low: -1, high: 2, optimum: STATE_MAX, value: c.mood, 'aria-valuetext': strings.moodText(c.mood) }),
          ' ',
          h('span', { className: 'mood-text' }, strings.moodText(c.mood)),
        ),
      opinions.length > 0 &&
        h(
          'div',
          { className: 'dialogue-opinions' },
          h('p', {}, strings.opinions),
          h('ul', {}, ...opinions.map(([key, value]) => h('li', { className: mark(`opinion:${key}`) }, `${key}: ${value}`))),
        ),
      c.traits !== undefined &&
        c.traits.length > 0 &&
        h(
          'div',
          { className: 'dialogue-traits' },
          h('p', {}, strings.traits),
          h('ul', {}, ...c.traits.map((trait) => h('li', { className: mark(`trait:${trait}`) }, trait))),
        ),
    );
  }

  private showResolution(): void {
    const strings = t().dialogue;
    const outcome = this.state.dialogue?.outcome;
    this.resolution.hidden = outcome === undefined;
    if (outcome === undefined || this.resolution.dataset['resolvedAt'] === `${this.state.dialogue?.dialogueId}:${outcome.resolvedAt}`) return;
    this.resolution.dataset['resolvedAt'] = `${this.state.dialogue?.dialogueId}:${outcome.resolvedAt}`;
    replaceChildren(
      this.resolution,
      h('h3', { id: 'dialogue-outcome-title' }, strings.outcome),
      h(
        'div',
        { role: 'status', className: 'dialogue-outcome' },
        h('p', { className: `dialogue-result result-${outcome.result}` }, h('strong', {}, strings.results[outcome.result]), ' ', strings.goalReached(outcome.goalReached)),
        h('p', { className: 'hint' }, `${strings.reasons[outcome.reason]} · ${strings.turns(outcome.turns)}`),
        h('h4', {}, strings.summary),
        h('p', { className: 'dialogue-summary', dir: 'auto' }, outcome.summary),
      ),
    );
  }
}
