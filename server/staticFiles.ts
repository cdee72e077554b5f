import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** One file of the built renderer, ready to send. */
export interface StaticFile {
  body: Buffer;
  type: string;
  /** Hashed assets are immutable; the page itself is revalidated. */
  cacheControl: string;
}

/** The built renderer's files (`dist/renderer/`), by URL path; nothing outside its folder is ever read. */
export class StaticFiles {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async get(pathname: string): Promise<StaticFile | undefined> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = resolve(join(this.root, relative));
    if (!file.startsWith(this.root + sep)) return undefined;
    try {
      if (!(await stat(file)).isFile()) return undefined;
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const cacheControl = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return { body: await readFile(file), type, cacheControl };
    } catch {
      return undefined;
    }
  }
}
