import type { Page } from 'playwright-core';

/**
 * GET `/api/rooms/<room>/<resource>` with the host key, from the host's page:
 * the lab's app server is reached from inside the lab, and the host link
 * carries the room and the key.
 */
export async function hostApiGet(host: Page, hostUrl: string, resource: 'attendance' | 'report'): Promise<unknown> {
  const url = new URL(hostUrl);
  const room = url.pathname.split('/').pop() ?? '';
  const key = url.searchParams.get('host') ?? '';
  return host.evaluate(
    async (request) =>
      (await fetch(`/api/rooms/${request.room}/${request.resource}`, { headers: { Authorization: `Bearer ${request.key}` } })).json(),
    { room, key, resource },
  );
}
