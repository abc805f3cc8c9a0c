import { ROUND_LINE_MAX, ROUND_SECONDS } from '../../../lambdas/domain/games/imposter';
import type { ImposterClient } from '../games/games-client';
import {
  aliasOf,
  applyImposterFrame,
  canVote,
  canWrite,
  countdown,
  emptyImposter,
  fromRoundAnswer,
  revealRows,
  secondsLeft,
  votableSeats,
  voted,
  type ImposterFrame,
  type ImposterState,
  type Leaderboard,
  type LeaderboardScope,
} from '../games/imposter-state';
import { t } from '../i18n';
import { h, reconcile, replaceChildren, setText } from './dom';

/** What the round's status line says, from the state and the time. */
export function roundStatusText(state: ImposterState, now: number): string {
  const { round } = state;
  if (round === undefined) return t().imposter.noRound;
  if (round.status === 'ended') return t().imposter.ended(round.endReason);
  return secondsLeft(round.endsAt, now) > 0 ? t().imposter.open : t().imposter.timeUp;
}

/** The countdown of an open round ("Round open: 2:59 left"); empty otherwise. */
export function timerText(state: ImposterState, now: number): string {
  const { round } = state;
  if (round?.status !== 'open') return '';
  const left = secondsLeft(round.endsAt, now);
  return left > 0 ? t().imposter.timeLeft(countdown(left)) : '';
}

/**
 * The imposter panel of a game room (docs/web.md, "Game rooms"): owners and
 * moderators start a round; seated players see the seats by round name
 * (theirs marked *you*), the round's chat (a log), a line input, one vote
 * button per other seat (disabled once voted) and how many voted; then
 * the reveal (the AI's seat, who sat where, every vote) with the round's
 * scores, and the leaderboard of the room or of every room with the
 * caller's rank. New lines and the reveal are read out by live regions.
 */
export class ImposterPanel {
  readonly element: HTMLElement;
  private readonly startForm: HTMLFormElement;
  private readonly duration: HTMLInputElement;
  private readonly startButton: HTMLButtonElement;
  private readonly error: HTMLParagraphElement;
  private readonly status: HTMLParagraphElement;
  private readonly timer: HTMLParagraphElement;
  private readonly seatNote: HTMLParagraphElement;
  private readonly seats: HTMLUListElement;
  private readonly log: HTMLOListElement;
  private readonly noLines: HTMLParagraphElement;
  private readonly lineForm: HTMLFormElement;
  private readonly lineInput: HTMLInputElement;
  private readonly voteSection: HTMLElement;
  private readonly voteButtons: HTMLDivElement;
  private readonly voteCount: HTMLParagraphElement;
  private readonly revealSection: HTMLElement;
  private readonly revealText: HTMLParagraphElement;
  private readonly revealBody: HTMLTableSectionElement;
  private readonly scope: HTMLSelectElement;
  private readonly board: HTMLTableSectionElement;
  private readonly boardEmpty: HTMLParagraphElement;
  private readonly yourRank: HTMLParagraphElement;
  private state: ImposterState = emptyImposter;
  private roomId: string | undefined;
  private canStart = false;
  private ticking: ReturnType<typeof setInterval> | undefined;
  /** Bumped on every reading, so an older answer is dropped. */
  private generation = 0;

  constructor(
    private readonly client: ImposterClient,
    private readonly now: () => number = () => Date.now(),
  ) {
    const strings = t().imposter;
    this.duration = h('input', {
      id: 'imposter-duration',
      name: 'durationSeconds',
      type: 'number',
      min: ROUND_SECONDS.min,
      max: ROUND_SECONDS.max,
      step: 1,
      value: String(ROUND_SECONDS.fallback),
    });
    this.startButton = h('button', { type: 'submit' }, strings.start);
    this.startForm = h(
      'form',
      { className: 'imposter-start', hidden: true },
      h('label', { for: 'imposter-duration' }, strings.duration),
      this.duration,
      this.startButton,
    );
    this.startForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.start();
    });
    this.error = h('p', { className: 'form-error', role: 'alert' });
    this.status = h('p', { className: 'round-status', role: 'status' });
    // The countdown is a timer: screen readers do not read each second out.
    this.timer = h('p', { className: 'round-timer', role: 'timer', 'aria-live': 'off' });
    this.seatNote = h('p', { className: 'hint round-seat' });
    this.seats = h('ul', { className: 'round-seats', 'aria-labelledby': 'round-seats-title' });
    this.log = h('ol', { className: 'round-log' });
    this.noLines = h('p', { className: 'hint' }, strings.noLines);
    this.lineInput = h('input', { id: 'round-line', name: 'text', maxlength: ROUND_LINE_MAX, autocomplete: 'off', required: true });
    this.lineForm = h(
      'form',
      { className: 'round-line-form' },
      h('label', { for: 'round-line' }, strings.lineLabel),
      this.lineInput,
      h('button', { type: 'submit' }, strings.send),
    );
    this.lineForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.sendLine();
    });
    this.voteButtons = h('div', { className: 'round-votes', role: 'group', 'aria-labelledby': 'round-vote-title' });
    this.voteCount = h('p', { className: 'round-vote-count', role: 'status' });
    this.voteSection = h(
      'section',
      { className: 'round-vote', 'aria-labelledby': 'round-vote-title' },
      h('h3', { id: 'round-vote-title' }, strings.vote),
      this.voteButtons,
      this.voteCount,
    );
    this.revealText = h('p', { className: 'reveal-ai', role: 'status', 'aria-live': 'assertive' });
    this.revealBody = h('tbody');
    this.revealSection = h(
      'section',
      { className: 'round-reveal', 'aria-labelledby': 'round-reveal-title', hidden: true },
      h('h3', { id: 'round-reveal-title' }, strings.reveal),
      this.revealText,
      scrollsAlone(
        'round-reveal-title',
        h(
          'table',
          { className: 'reveal-table', 'aria-labelledby': 'round-reveal-title' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...[strings.seatColumn, strings.whoColumn, strings.voteColumn, strings.pointsColumn, strings.outcomeColumn].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          this.revealBody,
        ),
      ),
    );
    this.scope = h(
      'select',
      { id: 'leaderboard-scope', name: 'scope' },
      h('option', { value: 'room' }, strings.scopes.room),
      h('option', { value: 'overall' }, strings.scopes.overall),
    );
    this.scope.addEventListener('change', () => void this.loadLeaderboard());
    this.board = h('tbody');
    this.boardEmpty = h('p', { className: 'hint' }, strings.noScores);
    this.yourRank = h('p', { className: 'your-rank' });
    const leaderboard = h(
      'section',
      { className: 'leaderboard', 'aria-labelledby': 'leaderboard-title' },
      h('h3', { id: 'leaderboard-title' }, strings.leaderboard),
      h('label', { for: 'leaderboard-scope' }, strings.scope),
      this.scope,
      scrollsAlone(
        'leaderboard-title',
        h(
          'table',
          { className: 'leaderboard-table', 'aria-labelledby': 'leaderboard-title' },
          h('thead', {}, h('tr', {}, ...[strings.rankColumn, strings.playerColumn, strings.pointsColumn, strings.roundsColumn].map((c) => h('th', { scope: 'col' }, c)))),
          this.board,
        ),
      ),
      this.boardEmpty,
      this.yourRank,
    );
    this.element = h(
      'section',
      { className: 'game-panel imposter-panel', 'aria-labelledby': 'imposter-title', hidden: true },
      h('h2', { id: 'imposter-title' }, strings.title),
      h('p', { className: 'hint' }, strings.intro),
      this.startForm,
      this.error,
      this.status,
      this.timer,
      this.seatNote,
      h('h3', { id: 'round-seats-title' }, strings.seats),
      this.seats,
      h('h3', { id: 'round-chat-title' }, strings.chat),
      this.noLines,
      // A log around the list (a list keeps its role for its items): new lines are read out as they come.
      h('div', { role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'round-chat-title' }, this.log),
      this.lineForm,
      this.voteSection,
      this.revealSection,
      leaderboard,
    );
  }

  /** Shows the panel for `roomId` (an imposter room the person is in), or hides it with `undefined`. */
  render(roomId: string | undefined, canStart: boolean): void {
    this.element.hidden = roomId === undefined;
    if (roomId === undefined) {
      this.roomId = undefined;
      this.stopTicking();
      return;
    }
    const changed = roomId !== this.roomId || canStart !== this.canStart;
    this.canStart = canStart;
    if (roomId !== this.roomId) {
      this.roomId = roomId;
      this.state = emptyImposter;
      setText(this.error, '');
      setText(this.status, t().imposter.loading);
      void this.load();
    }
    if (changed) this.show();
  }

  /** A frame of some room: applied when it is this panel's. */
  receive(frame: ImposterFrame): void {
    if (frame.roomId !== this.roomId) return;
    const before = this.state;
    this.state = applyImposterFrame(this.state, frame);
    // Frames to the room never say who sits where: the caller's seat comes with getRound.
    if (frame.type === 'roundStarted' && before.round?.roundId !== frame.round.roundId) void this.load();
    if (frame.type === 'roundEnded') void this.loadLeaderboard();
    this.show();
  }

  /** Reads the room's round (and the leaderboard). */
  async load(): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    this.generation += 1;
    const generation = this.generation;
    const answer = await this.client.getRound(roomId);
    if (generation !== this.generation || roomId !== this.roomId) return;
    if (answer.ok) this.state = fromRoundAnswer(this.state, answer.value);
    else setText(this.error, answer.error);
    this.show();
    await this.loadLeaderboard();
  }

  private async start(): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    const seconds = Number(this.duration.value);
    if (!Number.isInteger(seconds) || seconds < ROUND_SECONDS.min || seconds > ROUND_SECONDS.max) {
      this.duration.setAttribute('aria-invalid', 'true');
      this.duration.focus();
      return;
    }
    this.duration.removeAttribute('aria-invalid');
    this.startButton.disabled = true;
    const answer = await this.client.startRound(roomId, seconds);
    this.startButton.disabled = false;
    if (roomId !== this.roomId) return;
    if (!answer.ok) return setText(this.error, answer.error);
    setText(this.error, '');
    this.state = fromRoundAnswer(this.state, { round: answer.value });
    this.show();
    this.lineInput.focus();
  }

  private async sendLine(): Promise<void> {
    const roomId = this.roomId;
    const round = this.state.round;
    const text = this.lineInput.value.trim();
    if (roomId === undefined || round === undefined || text === '') return;
    const answer = await this.client.sendLine(roomId, round.roundId, text);
    if (!answer.ok) return setText(this.error, answer.error);
    setText(this.error, '');
    if (this.lineInput.value.trim() === text) this.lineInput.value = '';
    if (answer.value !== undefined) this.state = applyImposterFrame(this.state, { type: 'roundLine', roomId, line: answer.value });
    this.show();
  }

  private async vote(seat: number): Promise<void> {
    const roomId = this.roomId;
    const round = this.state.round;
    if (roomId === undefined || round === undefined || !canVote(this.state)) return;
    // One vote a round: the buttons go quiet at once, and come back only if Parley refuses it.
    this.state = voted(this.state, seat);
    this.show();
    const answer = await this.client.castVote(roomId, round.roundId, seat);
    if (answer.ok) return setText(this.error, '');
    setText(this.error, answer.error);
    if (this.state.round?.roundId === round.roundId && this.state.round.status === 'open') {
      const { myVote: _vote, ...rest } = this.state;
      this.state = rest;
      this.show();
    }
  }

  private async loadLeaderboard(): Promise<void> {
    const roomId = this.roomId;
    if (roomId === undefined) return;
    const scope = this.scope.value as LeaderboardScope;
    const answer = await this.client.leaderboard(roomId, scope);
    if (roomId !== this.roomId || scope !== this.scope.value) return;
    if (answer.ok) this.showLeaderboard(answer.value);
    else setText(this.error, answer.error);
  }

  private show(): void {
    const strings = t().imposter;
    const { round, yourSeat } = this.state;
    const open = round?.status === 'open';
    this.startForm.hidden = !this.canStart || open;
    setText(this.startButton, round === undefined ? strings.start : strings.startAnother);
    setText(this.status, round === undefined && !this.canStart ? `${strings.noRound} ${strings.waitForStart}` : roundStatusText(this.state, this.now()));
    this.tick();
    this.seatNote.hidden = round === undefined;
    setText(this.seatNote, yourSeat !== undefined ? strings.yourSeat(aliasOf(round, yourSeat)) : strings.notSeated);
    reconcile(
      this.seats,
      round?.seats ?? [],
      (s) => `${round?.roundId}:${s.seat}`,
      () => h('li', {}),
      (li, s) => {
        li.dataset['seat'] = String(s.seat);
        setText(li, s.seat === yourSeat ? `${s.alias} (${strings.you})` : s.alias);
        li.classList.toggle('round-seat-you', s.seat === yourSeat);
      },
    );
    this.noLines.hidden = round === undefined || this.state.lines.length > 0;
    reconcile(
      this.log,
      this.state.lines,
      (line) => `${line.roundId}:${line.seq}`,
      (line) =>
        h(
          'li',
          { className: line.seat === yourSeat ? 'round-line round-line-own' : 'round-line' },
          h('span', { className: 'author' }, line.alias),
          ' ',
          h('span', { className: 'text', dir: 'auto' }, line.text),
        ),
      () => undefined,
    );
    this.lineForm.hidden = !canWrite(this.state, this.now());
    this.showVotes();
    this.showReveal();
  }

  private showVotes(): void {
    const strings = t().imposter;
    const { round, myVote } = this.state;
    this.voteSection.hidden = round === undefined || round.status !== 'open' || this.state.yourSeat === undefined;
    const takes = canVote(this.state);
    reconcile(
      this.voteButtons,
      votableSeats(this.state),
      (s) => `${round?.roundId}:${s.seat}`,
      (s) => h('button', { type: 'button', className: 'vote-button', onclick: () => void this.vote(s.seat) }),
      (button, s) => {
        setText(button, strings.voteFor(s.alias));
        button.disabled = !takes;
        button.setAttribute('aria-pressed', String(myVote === s.seat));
      },
    );
    const counted = round === undefined ? '' : strings.votes(round.votes, round.players);
    setText(this.voteCount, myVote !== undefined && round?.status === 'open' ? `${strings.youVoted(aliasOf(round, myVote))} ${counted}` : counted);
  }

  private showReveal(): void {
    const strings = t().imposter;
    const { reveal } = this.state;
    this.revealSection.hidden = reveal === undefined;
    if (reveal === undefined) return setText(this.revealText, '');
    // Who the AI was (its label, e.g. the model) stands in the table; the sentence says which seat.
    setText(this.revealText, strings.aiWas(aliasOf(this.state.round ?? reveal, reveal.agentSeat)));
    const rows = revealRows(this.state);
    replaceChildren(
      this.revealBody,
      ...rows.map((row) =>
        h(
          'tr',
          { className: row.isAgent ? 'reveal-agent' : row.isYou ? 'reveal-you' : '' },
          h('th', { scope: 'row' }, row.isYou ? `${row.alias} (${strings.you})` : row.alias),
          h('td', {}, row.displayName),
          h('td', {}, row.votedFor ?? strings.noVote),
          h('td', {}, row.points === undefined ? '' : String(row.points)),
          h('td', {}, row.outcome === undefined ? '' : strings.outcomes[row.outcome]),
        ),
      ),
    );
  }

  private showLeaderboard(board: Leaderboard): void {
    const strings = t().imposter;
    this.boardEmpty.hidden = board.entries.length > 0;
    replaceChildren(
      this.board,
      ...board.entries.map((entry) =>
        h(
          'tr',
          { className: entry.playerId === board.you?.playerId ? 'leaderboard-you' : '' },
          h('td', {}, String(entry.rank)),
          h('th', { scope: 'row' }, entry.displayName),
          h('td', {}, String(entry.points)),
          h('td', {}, String(entry.rounds)),
        ),
      ),
    );
    setText(this.yourRank, board.you === undefined ? strings.notRanked : strings.yourRank(board.you.rank, board.you.points));
  }

  /** Keeps the countdown current once a second while a round is open and the panel shown. */
  private tick(): void {
    const round = this.state.round;
    const open = round?.status === 'open' && !this.element.hidden;
    setText(this.timer, timerText(this.state, this.now()));
    if (open && this.ticking === undefined) {
      this.ticking = setInterval(() => {
        if (this.state.round?.status !== 'open' || this.element.hidden) return this.stopTicking();
        setText(this.timer, timerText(this.state, this.now()));
        setText(this.status, roundStatusText(this.state, this.now()));
        this.lineForm.hidden = !canWrite(this.state, this.now());
      }, 1000);
    } else if (!open) {
      this.stopTicking();
    }
  }

  private stopTicking(): void {
    if (this.ticking !== undefined) clearInterval(this.ticking);
    this.ticking = undefined;
  }
}

/**
 * A table wider than a phone scrolls sideways on its own, not the panel
 * with it; the keyboard can scroll it too (a tab stop, named by its title).
 */
function scrollsAlone(titleId: string, table: HTMLTableElement): HTMLDivElement {
  return h('div', { className: 'table-scroll', role: 'group', 'aria-labelledby': titleId, tabindex: 0 }, table);
}
