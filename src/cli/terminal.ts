// Where the CLI writes, and how it shows progress: on a terminal one line rewritten in place (or a
// block redrawn), otherwise plain lines, one per change, that read well in CI logs.

import * as fs from 'fs';

/** An output stream: process.stdout, process.stderr, or a buffer in tests. */
export interface Terminal {
  /** A terminal (progress is redrawn in place) or a pipe/file (plain lines). */
  readonly isTTY?: boolean;
  /** Terminal width, to keep a progress line on one row. */
  readonly columns?: number;
  write(text: string): unknown;
}

/** What a command needs besides its arguments, AWS clients and output stream. */
export interface CliEnv {
  /** Progress, warnings and errors go here (stdout stays clean for `--output json`). */
  readonly err: Terminal;
  /** Environment variables (AWS_PROFILE, AWS_REGION, HOME, ...), to explain a missing AWS configuration. @default process.env */
  readonly vars?: Readonly<Record<string, string | undefined>>;
  /** The current time in milliseconds (injected for tests). */
  now(): number;
  /** Waits between polls (injected for tests). */
  sleep(ms: number): Promise<void>;
  /** Reads a local file (plan --appspec). */
  readFile(path: string): string;
  /**
   * Calls `listener` on Ctrl-C (SIGINT) until the returned function is called; while a listener
   * is registered, Ctrl-C does not kill the process (the watch ends and exits 130).
   */
  onInterrupt?(listener: () => void): () => void;
}

/**
 * `stream` as a Terminal that survives its reader going away (`ecs-blue-green ... | head -1`):
 * the write that meets the closed pipe (EPIPE) and every later one are dropped instead of
 * crashing the process with an unhandled 'error' event, so the command ends with its own exit
 * code (help 0; `wait` still waits and reports the deployment's outcome in its exit code).
 */
export function closedPipeSafe(stream: NodeJS.WriteStream): Terminal {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  return {
    get isTTY() { return stream.isTTY; },
    get columns() { return stream.columns; },
    write: (text: string) => (closed ? true : stream.write(text)),
  };
}

/** The environment of a real run. */
export function processEnv(): CliEnv {
  return {
    err: closedPipeSafe(process.stderr),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    readFile: (path) => fs.readFileSync(path, 'utf-8'),
    vars: process.env,
    onInterrupt: (listener) => {
      process.on('SIGINT', listener);
      return () => {
        process.off('SIGINT', listener);
      };
    },
  };
}

const CLEAR_LINE = '\r\x1b[2K';
const SPINNER = ['|', '/', '-', '\\'];

/**
 * A progress display. On a TTY, `line()` rewrites one status line in place (with a spinner) and
 * `block()` redraws a block of lines; elsewhere each call prints only when the text changed, with
 * a timestamp, so CI logs hold one line per change.
 */
export class Progress {
  private last?: string;
  private drawnLines = 0;
  private tick = 0;
  private open = false;

  constructor(private readonly term: Terminal, private readonly now: () => number) {}

  /**
   * Shows a one-line status. `ttyDetail` (e.g. elapsed time) is shown on a TTY only, so that plain
   * output gets a new line when the status changes, not on every poll. `clock` (facts that change
   * with the clock alone, such as a hook's time left) is shown on a TTY at every call and on plain
   * output with each new line, without making one by itself.
   */
  public line(text: string, ttyDetail?: string, clock?: string): void {
    if (this.term.isTTY) {
      const spin = SPINNER[this.tick++ % SPINNER.length];
      const full = [text, clock, ttyDetail].filter((p) => p).join(' | ');
      this.term.write(`${CLEAR_LINE}${truncate(`${spin} ${full}`, (this.term.columns ?? 120) - 1)}`);
      this.open = true;
      return;
    }
    if (text === this.last) return;
    this.last = text;
    this.term.write(`${new Date(this.now()).toISOString()} ${clock ? `${text} | ${clock}` : text}\n`);
  }

  /** Shows a block of lines (TTY: redrawn in place). */
  public block(text: string): void {
    const body = text.endsWith('\n') ? text : `${text}\n`;
    if (this.term.isTTY) {
      const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F\x1b[0J` : '';
      this.term.write(up + body);
      this.drawnLines = body.split('\n').length - 1;
      return;
    }
    if (body === this.last) return;
    this.last = body;
    this.term.write(body);
  }

  /** Ends an open one-line status (TTY) so the next output starts on a new line. */
  public done(): void {
    if (this.open) this.term.write(CLEAR_LINE);
    this.open = false;
  }
}

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

/** `1h 5m`, `4m 10s`, `12s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m${s ? ` ${s}s` : ''}`;
  return `${s}s`;
}

/** `2026-05-04T10:15:00Z` (UTC, no milliseconds). */
export function formatTime(date: Date | undefined): string | undefined {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
}

/** Aligned `label  value` lines. */
export function table(rows: Array<[string, string | undefined]>, indent = ''): string {
  const shown = rows.filter((r): r is [string, string] => r[1] !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length)) + 2;
  return shown.map(([k, v]) => `${indent}${k.padEnd(width)}${v}`.trimEnd()).join('\n');
}

/** Columns padded to their widest cell. */
export function columns(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 2))).join('').trimEnd()).join('\n');
}
