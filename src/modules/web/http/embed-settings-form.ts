// The profile's "Embed on your website" form (issue #18): one origin a line, each problem said with its line.
import type { DomainError } from '../../../shared/http/domain-error.js';

/** The origins typed, one a line (blank lines skipped), with the line each came from. */
export function embedOriginLines(text: string): Array<{ origin: string; line: number }> {
  return text
    .split(/\r?\n/)
    .map((origin, i) => ({ origin: origin.trim(), line: i + 1 }))
    .filter((l) => l.origin !== '');
}

/** Identity's problems (`embed_origins.<index>`) as one message naming the lines. */
export function embedOriginsError(error: DomainError, lines: Array<{ origin: string; line: number }>): string {
  const messages = error.problems.map((p) => {
    const index = /^embed_origins\.(\d+)$/.exec(p.field)?.[1];
    const entry = index === undefined ? undefined : lines[Number(index)];
    if (!entry) return p.message.replace(/^embed_origins /, 'The list ');
    const why = p.message.replace(/^embed_origins\.\d+ \(.*?\) /, '');
    return `Line ${entry.line} (${entry.origin}) ${why}.`;
  });
  return messages.join(' ');
}
