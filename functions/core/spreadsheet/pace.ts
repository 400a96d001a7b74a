import { setImmediate as nextTurn } from 'node:timers/promises';
import { SheetError } from './sheet-error';

/**
 * Paces a long loop over one upload. Every few milliseconds it hands the event loop back: locally
 * all Lambdas share one Node process, so reading a big file must not stall the API or an
 * approval (and in AWS it keeps timers and sockets of the same invocation alive). With a deadline
 * it refuses a file that cannot be read in time, as a SheetError the proposal ends INVALID with,
 * instead of letting the Lambda time out and the retry hit the same wall.
 */
export class Pace {
  private lastTurn = Number.NEGATIVE_INFINITY;

  /** `readBy`: epoch milliseconds (Date.now()), when reading must have finished. */
  constructor(
    private readonly readBy?: number,
    private readonly sliceMs = 10,
  ) {}

  async step(): Promise<void> {
    if (performance.now() - this.lastTurn < this.sliceMs) return;
    if (this.readBy !== undefined && Date.now() > this.readBy) throw tooSlow();
    await nextTurn();
    this.lastTurn = performance.now();
  }
}

const tooSlow = () =>
  new SheetError(
    'FILE_TOO_SLOW',
    'File ini tidak selesai diperiksa dalam batas waktu pemeriksaan. Biasanya karena ada isi atau format di baris atau kolom yang sangat jauh dari data, atau file terlalu besar. Salin hanya baris data ke template usulan yang baru (atau pecah menjadi beberapa file), lalu unggah ulang.',
  );
