import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A small JSON object of records by key in one file of the data dir, rewritten atomically (temporary file, then
 * rename) so that a crash mid-write leaves the previous version. Missing or damaged reads as empty: its records
 * (device choices, GPU attempts) only save a measurement.
 */
export class JsonRecordFile<T> {
  constructor(private readonly file: string) {}

  async get(key: string): Promise<T | undefined> {
    return (await this.readAll())[key];
  }

  /** Applies `change` to the records and writes them back. */
  async update(change: (records: Record<string, T>) => void): Promise<void> {
    const records = await this.readAll();
    change(records);
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(records, null, 2)}\n`);
    await rename(temp, this.file);
  }

  async readAll(): Promise<Record<string, T>> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, T>) : {};
    } catch {
      return {};
    }
  }
}
