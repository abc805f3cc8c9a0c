/**
 * A testing aid of the local runtime only: makes the management API refuse
 * some posts with a 500 `InternalServerErrorException`, as API Gateway does
 * when it has trouble, so that tests can see a delivery retried.
 *
 * `PARLEY_FAIL_POSTS=<count>:<text>` refuses the first `count` posts whose
 * frame contains `text`, all to the one connection that receives the first
 * of them; `<count>` alone matches every frame. Off unless set; it lives in
 * the runtime's management server, which does not exist in AWS.
 *
 * The SDK retries a 500 itself (three attempts by default), so a count of 3
 * makes one delivery attempt of one connection fail.
 */
export class PostFaults {
  private remaining: number;
  private victim: string | undefined;

  private constructor(
    count: number,
    private readonly text: string,
  ) {
    this.remaining = count;
  }

  /** The faults `spec` describes; undefined when it is unset or empty. Throws on a malformed spec. */
  static parse(spec: string | undefined): PostFaults | undefined {
    if (spec === undefined || spec === '') return undefined;
    const match = /^(\d+)(?::(.+))?$/s.exec(spec);
    const count = Number(match?.[1]);
    if (!match || !Number.isInteger(count) || count <= 0) {
      throw new Error(`PARLEY_FAIL_POSTS must be <count> or <count>:<text>, got "${spec}".`);
    }
    return new PostFaults(count, match[2] ?? '');
  }

  /** Whether this post is refused; counts it when it is. */
  refuses(connectionId: string, frame: string): boolean {
    if (this.remaining === 0 || !frame.includes(this.text)) return false;
    this.victim ??= connectionId;
    if (connectionId !== this.victim) return false;
    this.remaining -= 1;
    return true;
  }

  /** Refusals still to come. */
  get left(): number {
    return this.remaining;
  }
}
