import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import * as aq from 'arquero';

/** Rows per toCSV call: bounds the size of one string, however long the run. */
const CHUNK_ROWS = 100_000;

/** Constant columns put in front of every row of a table: which run, which replay, axis values. */
export type RowContext = Readonly<Record<string, string | number | boolean | null>>;

/**
 * One CSV file written table by table (a sweep's runs one after another, so memory holds one
 * run at a time), under a temporary name moved into place when complete. The header comes from
 * the first table; a file that gets no row still gets its header.
 */
export class CsvFile {
  rows = 0;
  private file: FileHandle | undefined;
  private readonly tmp: string;

  constructor(
    readonly path: string,
    private readonly columns: readonly string[],
  ) {
    this.tmp = `${path}.tmp-${process.pid}`;
  }

  /** Append a table's rows, with the context columns first; columns must match those declared. */
  async append(table: aq.ColumnTable, context: RowContext = {}): Promise<void> {
    const n = table.numRows();
    if (n === 0) return;
    const withContext = aq.table({ ...Object.fromEntries(Object.entries(context).map(([k, v]) => [k, new Array(n).fill(v)])), ...columnsOf(table) });
    const names = withContext.columnNames();
    if (names.join(',') !== this.columns.join(',')) throw new Error(`CsvFile ${this.path}: columns ${names.join(',')} do not match ${this.columns.join(',')}`);
    const file = await this.handle();
    for (let offset = 0; offset < n; offset += CHUNK_ROWS) {
      await file.write(aq.toCSV(withContext, { offset, limit: CHUNK_ROWS, header: this.rows === 0 && offset === 0 }));
    }
    this.rows += n;
  }

  /** Close and move into place. */
  async finish(): Promise<{ readonly path: string; readonly rows: number }> {
    const file = await this.handle();
    if (this.rows === 0) await file.write(`${this.columns.join(',')}\n`);
    await file.close();
    await rename(this.tmp, this.path);
    return { path: this.path, rows: this.rows };
  }

  /** Close and remove the unfinished file (an export that failed half way). */
  async abort(): Promise<void> {
    await this.file?.close().catch(() => {});
    await rm(this.tmp, { force: true });
  }

  private async handle(): Promise<FileHandle> {
    this.file ??= await open(this.tmp, 'w');
    return this.file;
  }
}

function columnsOf(table: aq.ColumnTable): Record<string, unknown[]> {
  return Object.fromEntries(table.columnNames().map((name) => [name, table.array(name) as unknown[]]));
}
