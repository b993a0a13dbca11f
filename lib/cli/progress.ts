/**
 * A progress line on stderr, only when stderr is a terminal and the run has taken longer than `delayMs`
 * (short runs stay silent; pipes and CI logs never see carriage returns).
 */
import type { CliOutput } from './io';

export class Progress {
  private readonly started = Date.now();
  private latest = '';
  private shown = false;
  private readonly timer: NodeJS.Timeout;

  /**
   * `enabled` is asked only once the delay has passed: whether stderr is a terminal is known only after Node has
   * made its stream, which a short run never needs (lib/cli/main.ts).
   */
  constructor(private readonly stderr: CliOutput, private readonly enabled: () => boolean, private readonly delayMs = 1000) {
    this.timer = setTimeout(() => this.show(), delayMs);
    this.timer.unref();
  }

  update(text: string): void {
    this.latest = text;
    if (this.shown || Date.now() - this.started >= this.delayMs) this.show();
  }

  /** Clears the line; call before writing the report. */
  done(): void {
    clearTimeout(this.timer);
    if (this.shown) this.stderr.write('\r\x1b[K');
    this.shown = false;
  }

  private show(): void {
    if (!this.latest || !this.enabled()) return;
    this.shown = true;
    this.stderr.write(`\r\x1b[K${this.latest}`);
  }
}
