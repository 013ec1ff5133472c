/**
 * A logger that keeps its entries in memory: local mode prints its own timeline from outcomes, and
 * tests read what would have been logged (for instance, to prove no secret ever is).
 */
import type { Logger } from '../app/ports.ts';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.entries.push({ level: 'debug', message, fields });
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.entries.push({ level: 'info', message, fields });
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.entries.push({ level: 'warn', message, fields });
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.entries.push({ level: 'error', message, fields });
  }

  /** Every entry as the JSON line it would have been. */
  lines(): string[] {
    return this.entries.map((entry) =>
      JSON.stringify({ level: entry.level, message: entry.message, ...entry.fields }),
    );
  }
}
