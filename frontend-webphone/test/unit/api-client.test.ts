import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, NotSignedInError, parseProblem } from '../../src/api/client';

function response(status: number, body: string, contentType = 'application/problem+json'): Response {
  return new Response(body, { status, headers: { 'Content-Type': contentType } });
}

describe('parseProblem', () => {
  it('reads title, detail and field errors of a problem document', () => {
    const error = parseProblem(
      400,
      'Bad Request',
      'application/problem+json',
      JSON.stringify({
        type: 'about:blank',
        title: 'Invalid request',
        status: 400,
        detail: 'The request has invalid fields: extension must be 1 to 40 letters.',
        errors: [{ field: 'extension', message: 'must be 1 to 40 letters' }],
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.title).toBe('Invalid request');
    expect(error.detail).toBe('The request has invalid fields: extension must be 1 to 40 letters.');
    expect(error.errors).toEqual([{ field: 'extension', message: 'must be 1 to 40 letters' }]);
    expect(error.fieldError('extension')).toBe('must be 1 to 40 letters');
    expect(error.fieldError('domain')).toBeUndefined();
    expect(error.message).toBe(error.detail);
  });

  it('copes with a problem without errors or detail', () => {
    const error = parseProblem(404, 'Not Found', 'application/problem+json', '{"title":"No extension"}');
    expect(error.title).toBe('No extension');
    expect(error.detail).toBe('');
    expect(error.errors).toEqual([]);
    expect(error.message).toBe('No extension');
  });

  it('skips malformed entries in errors', () => {
    const error = parseProblem(400, '', 'application/json', '{"title":"x","errors":[null,"bad",{"field":"name","message":"blank"}]}');
    expect(error.errors).toEqual([{ field: 'name', message: 'blank' }]);
  });

  it('falls back to the status line for a body that is not JSON', () => {
    const error = parseProblem(502, 'Bad Gateway', 'text/html', '<html>proxy</html>');
    expect(error.title).toBe('Bad Gateway');
    expect(error.detail).toBe('');
  });

  it('keeps a short plain-text body as the detail', () => {
    expect(parseProblem(500, '', 'text/plain', 'boom').detail).toBe('boom');
    expect(parseProblem(500, '', 'application/json', '{not json').title).toBe('HTTP 500');
  });
});

describe('ApiClient', () => {
  it('sends the bearer token and JSON, and parses JSON back', async () => {
    const fetch = vi.fn(async () => response(200, '{"extension":"1001"}', 'application/json'));
    const client = new ApiClient({ apiBase: 'http://api.test/', tokenProvider: async () => 'tok', fetch });
    await expect(client.put('/api/me/extension', { extension: '1001' })).resolves.toEqual({ extension: '1001' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://api.test/api/me/extension');
    expect(init.method).toBe('PUT');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(init.body).toBe('{"extension":"1001"}');
  });

  it('asks the token provider before every request', async () => {
    let n = 0;
    const fetch = vi.fn(async () => response(200, '{}', 'application/json'));
    const client = new ApiClient({ apiBase: '', tokenProvider: async () => `t${++n}`, fetch });
    await client.get('/a');
    await client.get('/b');
    const tokens = fetch.mock.calls.map((call) => ((call as unknown as [string, RequestInit])[1].headers as Record<string, string>).Authorization);
    expect(tokens).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('turns an error response into an ApiError with the problem', async () => {
    const fetch = vi.fn(async () => response(409, '{"title":"Extension taken","detail":"Extension 1001 belongs to another user."}'));
    const client = new ApiClient({ apiBase: '', tokenProvider: async () => 'tok', fetch });
    const error = await client.put('/api/me/extension', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(409);
    expect((error as ApiError).detail).toBe('Extension 1001 belongs to another user.');
  });

  it('reports a network failure as status 0', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const client = new ApiClient({ apiBase: 'http://down.test', tokenProvider: async () => 'tok', fetch });
    const error = (await client.get('/x').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.detail).toContain('http://down.test');
  });

  it('refuses to send anything without a token provider', async () => {
    const fetch = vi.fn();
    const client = new ApiClient({ apiBase: '', fetch });
    await expect(client.get('/x')).rejects.toBeInstanceOf(NotSignedInError);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('posts multipart forms as they are, leaving the Content-Type with its boundary to the browser', async () => {
    const fetch = vi.fn(async () => response(201, '{"id":"a-1"}', 'application/json'));
    const client = new ApiClient({ apiBase: 'http://api.test', tokenProvider: async () => 'tok', fetch });
    const form = new FormData();
    form.append('kind', 'campaign-message');
    await expect(client.postForm('/api/audio', form)).resolves.toEqual({ id: 'a-1' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://api.test/api/audio');
    expect(init.method).toBe('POST');
    expect(init.body).toBe(form);
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(init.headers).not.toHaveProperty('Content-Type');
  });

  it('returns undefined for 204 and fetches blobs', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(new Response(null, { status: 204 }))
      .mockResolvedValueOnce(new Response('RIFF', { status: 200, headers: { 'Content-Type': 'audio/wav' } }));
    const client = new ApiClient({ apiBase: '', tokenProvider: async () => 'tok', fetch });
    await expect(client.delete('/x')).resolves.toBeUndefined();
    const blob = await client.blob('/api/calls/1/recording');
    expect(await blob.text()).toBe('RIFF');
  });
});
