import { copied, copyFailed, marksSignature, NO_MARKS, stopAsked, stopRefused, type AgentReplyMarks } from '../agent-replies';
import type { ChatMessage } from '../protocol';
import { h } from './dom';
import { t } from '../i18n';

export interface AgentReplyActions {
  /** Asks Parley to stop a reply while it streams; resolves Parley's reason when it refused. */
  stop(replyId: string): Promise<string | undefined>;
  /** Puts text on the clipboard; rejects when the browser refuses. */
  copy(text: string): Promise<void>;
}

/**
 * Controls on agents' replies: Stop on a reply while it streams, Copy on a
 * stored one. A refused stop is said on the reply it concerns (role alert),
 * and a copy in a polite live region beside it. Marks live here by reply
 * id, so a row rebuilt by the next part keeps them.
 */
export class AgentReplyControls {
  private marks: AgentReplyMarks = NO_MARKS;

  constructor(
    private readonly actions: AgentReplyActions,
    /** Renders the timeline again after a change of state here. */
    private readonly changed: () => void,
  ) {}

  signatureOf(replyId: string): string {
    return marksSignature(this.marks, replyId);
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
    return h('div', { className: 'agent-reply-actions', role: 'group', 'aria-label': t().agentReply.group(agent) }, copy, status, ...this.error(message.messageId));
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
