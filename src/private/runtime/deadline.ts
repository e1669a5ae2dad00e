/** The longest delay Node's timers take (2^31-1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The time a handler may still use: the invocation's end (Lambda's `getRemainingTimeInMillis`, or a fixed budget)
 * minus a margin kept for the work after the last call (logging, the batch response, the metrics line).
 */
export class Deadline {
  /** No deadline (tests without a Lambda context). */
  public static none(): Deadline {
    return new Deadline(() => Number.POSITIVE_INFINITY, 0);
  }

  /** The invocation's deadline: `remainingMs` is Lambda's `context.getRemainingTimeInMillis` (none without one). */
  public static of(remainingMs: (() => number) | undefined, marginMs: number): Deadline {
    return remainingMs ? new Deadline(remainingMs, marginMs) : Deadline.none();
  }

  /** A deadline `budgetMs` from now by `now()` (the custom resources' own bounds). */
  public static after(budgetMs: number, marginMs = 0, now: () => number = Date.now): Deadline {
    const end = now() + budgetMs;
    return new Deadline(() => end - now(), marginMs);
  }

  /** `remaining`: milliseconds to the invocation's end; `marginMs`: kept back from it. */
  private constructor(private readonly remaining: () => number, public readonly marginMs: number) {}

  /** Whichever of this and `other` ends first (a custom resource's own bound, and the invocation's end). */
  public earlier(other: Deadline): Deadline {
    return new Deadline(() => Math.min(this.remainingMs(), other.remainingMs()), 0);
  }

  /** Milliseconds left before the deadline (the margin already taken off); may be negative. */
  public remainingMs(): number {
    return this.remaining() - this.marginMs;
  }

  /** Whether less than `neededMs` is left: work that needs that long must not start. */
  public isShort(neededMs = 0): boolean {
    return this.remainingMs() <= neededMs;
  }

  /**
   * An AbortSignal that fires at the deadline (undefined without one): pass it to `client.send(command, { abortSignal })`
   * so a call in flight ends there, whatever the SDK's own timeouts say.
   */
  public signal(): AbortSignal | undefined {
    const left = this.remainingMs();
    // Node's timers take at most 2^31-1 ms (~24.8 days; a longer delay fires at once): no signal for a deadline that
    // far, which no Lambda invocation reaches.
    if (!Number.isFinite(left) || left > MAX_TIMER_MS) { return undefined; }
    return AbortSignal.timeout(Math.max(1, Math.floor(left)));
  }
}
