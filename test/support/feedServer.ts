import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DILA_FEEDS, sharedFile } from './sharedData.js';

/** A local stand-in for lecomarquage.service-public.fr: serves the real zips at /vdd/3.3/{part,pro,asso}/zip/vosdroits-latest.zip. */
export async function startFeedServer(): Promise<{ baseUrl: string; requests: string[]; close(): Promise<void> }> {
  const files: Record<string, string> = {
    part: sharedFile(DILA_FEEDS.particuliers),
    pro: sharedFile(DILA_FEEDS.professionnels),
    asso: sharedFile(DILA_FEEDS.associations),
  };
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const match = request.url?.match(/^\/vdd\/3\.3\/(part|pro|asso)\/zip\/vosdroits-latest\.zip$/);
    const file = match ? files[match[1] as string] : undefined;
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/zip', 'content-length': statSync(file).size });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/vdd/3.3`,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
