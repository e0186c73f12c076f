// A progress bar on stderr for long CLI commands (directory sync, users import), so stdout
// keeps only the result. On a terminal it redraws one line; into a pipe or file it writes a
// line at most every few seconds, which keeps logs readable.
export class ProgressBar {
  private lastDraw = 0;
  private lastLine = '';

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  update(label: string, done: number, total: number, extra = ''): void {
    const now = Date.now();
    const tty = !!this.stream.isTTY;
    if (now - this.lastDraw < (tty ? 100 : 2_000) && (total === 0 || done < total)) return;
    this.lastDraw = now;
    const bar = total > 0 ? this.bar(done / total) : '';
    const count = total > 0 ? `${done}/${total}` : String(done);
    const line = `${label} ${bar} ${count}${extra ? `  ${extra}` : ''}`;
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  done(): void {
    if (this.stream.isTTY && this.lastLine) this.stream.write('\n');
    this.lastLine = '';
  }

  private bar(fraction: number): string {
    const f = Math.max(0, Math.min(1, fraction));
    const filled = Math.round(f * this.width);
    return `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
  }
}
