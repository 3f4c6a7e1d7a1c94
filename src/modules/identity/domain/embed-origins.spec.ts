import { checkEmbedOrigins, parseEmbedOrigin } from './embed-origins.js';

describe('parseEmbedOrigin', () => {
  it('keeps scheme, host and port, canonically spelled', () => {
    expect(parseEmbedOrigin('https://Example.COM')).toEqual({ origin: 'https://example.com' });
    expect(parseEmbedOrigin(' https://www.example.com/ ')).toEqual({ origin: 'https://www.example.com' });
    expect(parseEmbedOrigin('http://127.0.0.1:8080')).toEqual({ origin: 'http://127.0.0.1:8080' });
    expect(parseEmbedOrigin('https://example.com:443')).toEqual({ origin: 'https://example.com' });
    expect(parseEmbedOrigin('https://bücher.example')).toEqual({ origin: 'https://xn--bcher-kva.example' });
  });

  it.each([
    ['', /empty/],
    ['example.com', /start with https/],
    ['ftp://example.com', /start with https/],
    ['javascript:alert(1)', /start with https/],
    ['https://*.example.com', /wildcards/],
    ['https://example.com/booking', /without a path/],
    ['https://example.com?x=1', /without a path/],
    ['https://example.com#top', /without a path/],
    ['https://user:pw@example.com', /user name/],
    ['https://exa mple.com', /spaces/],
    ['https://exa\nmple.com', /control characters/],
    ["https://example.com; script-src 'unsafe-inline'", /spaces/],
    ['https://example.com;script-src', /host/],
    ['https://a.example,https://b.example', /host/],
  ])('refuses %j', (text, problem) => {
    const parsed = parseEmbedOrigin(text);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });
});

describe('checkEmbedOrigins', () => {
  it('names each wrong entry by its index and drops duplicates', () => {
    const { origins, problems } = checkEmbedOrigins(['https://a.example', 'https://A.example/', 'a.example', 'https://b.example/x']);
    expect(origins).toEqual(['https://a.example']);
    expect(problems.map((p) => p.field)).toEqual(['embed_origins.2', 'embed_origins.3']);
    expect(problems[0]!.message).toMatch(/^embed_origins\.2 \("a\.example"\) must start with https/);
  });

  it('takes at most 20', () => {
    const many = Array.from({ length: 21 }, (_, i) => `https://s${i}.example`);
    expect(checkEmbedOrigins(many).problems).toEqual([expect.objectContaining({ field: 'embed_origins', code: 'too_many' })]);
    expect(checkEmbedOrigins(many.slice(1)).problems).toEqual([]);
  });
});
