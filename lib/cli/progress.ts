/**
 * A progress line on stderr, only when stderr is a terminal and the run has taken longer than `delayMs`
 * (short runs stay silent; pipes and CI logs never see carriage returns).
 */
import type { CliOutput } from './io';

export class Progress {
  private readonly started = Date.now();
  private latest = '';
  private shown = false;
  private readonly timer: NodeJS.Timeout | undefined;

  /**
   * `enabled` is asked only once the delay has passed: whether stderr is a terminal is known only after Node has
   * made its stream, which a short run never needs (lib/cli/main.ts). `possible` is false when stderr is known not
   * to be one without that stream (a pipe, a file): no line is ever shown, and no timer is armed (a cold start's
   * first timer costs ~0.8 ms).
   */
  constructor(private readonly stderr: CliOutput, private readonly enabled: () => boolean, private readonly delayMs = 1000, private readonly possible = true) {
    if (!possible) return;
    this.timer = setTimeout(() => this.show(), delayMs);
    this.timer.unref();
  }

  update(text: string): void {
    this.latest = text;
    if (this.shown || Date.now() - this.started >= this.delayMs) this.show();
  }

  /** Clears the line; call before writing the report. */
  done(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.shown) this.stderr.write('\r\x1b[K');
    this.shown = false;
  }

  private show(): void {
    if (!this.latest || !this.possible || !this.enabled()) return;
    this.shown = true;
    this.stderr.write(`\r\x1b[K${this.latest}`);
  }
}
