import {
  copied,
  copyFailed,
  marksSignature,
  NO_MARKS,
  regenerateAsked,
  regenerateRefused,
  stopAsked,
  stopRefused,
  type AgentReplyMarks,
} from '../agent-replies';
import type { ChatMessage } from '../protocol';
import { h } from './dom';
import { t } from '../i18n';

export interface AgentReplyActions {
  /** Asks Parley to stop a reply while it streams; resolves Parley's reason when it refused. */
  stop(replyId: string): Promise<string | undefined>;
  /** Puts text on the clipboard; rejects when the browser refuses. */
  copy(text: string): Promise<void>;
  /** Asks the agent for another answer to the message a stored reply answered; resolves Parley's reason when it refused. */
  regenerate?(replyId: string): Promise<string | undefined>;
}

/**
 * Controls on agents' replies: Stop on a reply while it streams, Copy and
 * Regenerate on a stored one; the new answer arrives as a new message. A refused stop is said on the reply it concerns (role alert),
 * and a copy in a polite live region beside it. Marks live here by reply
 * id, so a row rebuilt by the next part keeps them.
 */
export class AgentReplyControls {
  private marks: AgentReplyMarks = NO_MARKS;
  /** Replies whose Regenerate was pressed and is waiting for Parley's answer. */
  private readonly regenerating = new Set<string>();

  constructor(
    private readonly actions: AgentReplyActions,
    /** Renders the timeline again after a change of state here. */
    private readonly changed: () => void,
  ) {}

  signatureOf(replyId: string): string {
    return `${marksSignature(this.marks, replyId)}|${this.regenerating.has(replyId) ? 'regenerating' : ''}`;
  }

  /** Stop, for a reply still streaming. */
  live(replyId: string, agent: string): HTMLElement {
    const stopping = this.marks.stopping.has(replyId);
    const stop = h(
      'button',
      { type: 'button', className: 'stop-reply', disabled: stopping, 'aria-label': t().agentReply.stopLabel(agent) },
      stopping ? t().agentReply.stopping : t().agentReply.stop,
    );
    stop.addEventListener('click', () => void this.stop(replyId));
    return h('div', { className: 'agent-reply-actions', role: 'group', 'aria-label': t().agentReply.group(agent) }, stop, ...this.error(replyId));
  }

  /** Copy, for an agent's stored reply; undefined for anyone else's message. */
  stored(message: ChatMessage, agent: string): HTMLElement | undefined {
    if (message.senderType !== 'agent') return undefined;
    const copy = h('button', { type: 'button', className: 'copy-reply', 'aria-label': t().agentReply.copyLabel(agent) }, t().agentReply.copy);
    copy.addEventListener('click', () => void this.copy(message.messageId, message.text));
    const status = h('span', { className: 'copy-status', role: 'status' }, this.marks.copied === message.messageId ? t().agentReply.copied : '');
    return h(
      'div',
      { className: 'agent-reply-actions', role: 'group', 'aria-label': t().agentReply.group(agent) },
      copy,
      ...this.regenerateButton(message.messageId, agent),
      status,
      ...this.error(message.messageId),
    );
  }

  private regenerateButton(replyId: string, agent: string): HTMLElement[] {
    if (this.actions.regenerate === undefined) return [];
    const asking = this.regenerating.has(replyId);
    const button = h(
      'button',
      { type: 'button', className: 'regenerate-reply', disabled: asking, 'aria-label': t().agentReply.regenerateLabel(agent) },
      asking ? t().agentReply.regenerating : t().agentReply.regenerate,
    );
    button.addEventListener('click', () => void this.regenerate(replyId));
    return [button];
  }

  private async regenerate(replyId: string): Promise<void> {
    const regenerate = this.actions.regenerate;
    if (regenerate === undefined || this.regenerating.has(replyId)) return;
    this.regenerating.add(replyId);
    this.marks = regenerateAsked(this.marks, replyId);
    this.changed();
    const refusal = await regenerate(replyId);
    this.regenerating.delete(replyId);
    // Accepted: the new answer streams in as a new agent message.
    if (refusal !== undefined) this.marks = regenerateRefused(this.marks, replyId, refusal);
    this.changed();
  }

  private error(replyId: string): HTMLElement[] {
    const reason = this.marks.errors.get(replyId);
    return reason === undefined ? [] : [h('span', { className: 'reply-error', role: 'alert' }, reason)];
  }

  private async stop(replyId: string): Promise<void> {
    this.marks = stopAsked(this.marks, replyId);
    this.changed();
    const refusal = await this.actions.stop(replyId);
    // Accepted: the reply's agentDone (marked stopped) replaces the live row.
    if (refusal !== undefined) {
      this.marks = stopRefused(this.marks, replyId, refusal);
      this.changed();
    }
  }

  private async copy(replyId: string, text: string): Promise<void> {
    try {
      await this.actions.copy(text);
      this.marks = copied(this.marks, replyId);
    } catch {
      this.marks = copyFailed(this.marks, replyId, t().agentReply.copyFailed);
    }
    this.changed();
  }
}
