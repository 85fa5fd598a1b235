import cliProgress from "cli-progress";

/**
 * A progress bar on stderr for bench runs that last: it appears only once a run has taken a couple
 * of seconds (short runs print nothing extra), and only on a terminal (cli-progress stays silent
 * when stderr is not a TTY, so piped and tested output is clean).
 */

const SHOW_AFTER_MS = 2000;

export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private readonly startedAt = Date.now();
  private done = 0;
  private total = 1;
  private label = "";
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly enabled: boolean) {
    this.timer = setTimeout(() => this.show(), SHOW_AFTER_MS).unref();
  }

  update(done: number, total: number, label: string): void {
    this.done = done;
    this.total = total;
    this.label = label;
    if (this.bar === null && Date.now() - this.startedAt >= SHOW_AFTER_MS) this.show();
    this.bar?.setTotal(total);
    this.bar?.update(done, { label });
  }

  private show(): void {
    if (!this.enabled || this.bar !== null) return;
    this.bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: "bench [{bar}] {value}/{total} runs | {label} | {duration_formatted}",
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(this.total, this.done, { label: this.label });
  }

  stop(): void {
    clearTimeout(this.timer);
    this.bar?.stop();
    this.bar = null;
  }
}
