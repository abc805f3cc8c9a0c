import { TYPING_RESEND_MS } from '../../lambdas/domain/presence/typing';

/**
 * Decides when typing in the message box becomes a `typing` request: at the
 * first keystroke, then at most once every TYPING_RESEND_MS while the
 * person keeps typing, per room. Sending a message starts afresh, so the
 * next keystroke is announced at once.
 */
export class TypingSender {
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly send: (roomId: string) => void,
    private readonly now: () => number = () => Date.now(),
    private readonly resendMs: number = TYPING_RESEND_MS,
  ) {}

  typed(roomId: string): void {
    const now = this.now();
    const last = this.lastSent.get(roomId);
    if (last !== undefined && now - last < this.resendMs) return;
    this.lastSent.set(roomId, now);
    this.send(roomId);
  }

  sent(roomId: string): void {
    this.lastSent.delete(roomId);
  }
}
