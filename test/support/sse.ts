// Opens a real Server-Sent Events connection to a listening ponte and collects the comments
// and events as they arrive (chat streams, agents' feeds).

import http from 'node:http';

export interface SseEvent { event: string; data: any }

export function openStream(port: number, path: string, secret: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let status = 0;
  let contentType = '';
  let buffer = '';
  const req = http.get({ host: '127.0.0.1', port, path, headers: { ...headers, authorization: `Bearer ${secret}` } }, (res) => {
    status = res.statusCode ?? 0;
    contentType = String(res.headers['content-type']);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (data) events.push({ event, data: JSON.parse(data) });
      }
    });
  });
  req.on('error', () => undefined);
  return {
    events,
    comments,
    status: () => status,
    contentType: () => contentType,
    /** True once the server wrote its opening comment: events published from now on arrive. */
    opened: () => comments.some((c) => c.startsWith('connected')),
    close: () => req.destroy(),
  };
}

export type Stream = ReturnType<typeof openStream>;
