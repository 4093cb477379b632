import type { Service } from './http';

export interface RequestLogEntry {
  time: string;
  service: Service;
  method: string;
  /** Path with query string. */
  path: string;
  status: number;
  requestId: string;
  /** True when the request changes state (read-only POSTs, $batch itself and Exchange Get-* are false). */
  write: boolean;
  /** Exchange cmdlet name. */
  cmdlet?: string;
  /** Id of the $batch request this item belonged to. */
  batchId?: string;
}

/** In-memory, append-only record of every request the simulated tenant answered. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  append(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  list(): RequestLogEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.entries = [];
  }
}
