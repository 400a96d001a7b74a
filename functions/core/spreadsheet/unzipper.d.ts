// Minimal types for the part of unzipper (exceljs's own zip reader) that the zip guard uses.
declare module 'unzipper' {
  import type { Duplex, Readable } from 'node:stream';
  export interface Entry extends Readable {
    path: string;
    type: 'File' | 'Directory';
    autodrain(): unknown;
  }
  export function Parse(options?: { forceStream?: boolean; verbose?: boolean }): Duplex;
}
