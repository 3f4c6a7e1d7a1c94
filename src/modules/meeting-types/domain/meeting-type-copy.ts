// Pure rules for duplicating a meeting type: the copy's name and its free slug among the owner's.
import { SLUG_MAX_LENGTH } from './meeting-type-rules.js';

/** The API's longest name (CreateMeetingTypeDto). */
const NAME_MAX_LENGTH = 255;
const NAME_SUFFIX = ' (copy)';

/** "Intro call" -> "Intro call (copy)", cut so the suffix always fits. */
export function copyName(name: string): string {
  return `${name.slice(0, NAME_MAX_LENGTH - NAME_SUFFIX.length).trimEnd()}${NAME_SUFFIX}`;
}

/**
 * The first of "<slug>-copy", "<slug>-copy-2", "<slug>-copy-3", … that none of `taken` uses. The source slug is cut
 * (at a word boundary when it can be) so the suffix fits in the slug's 100 characters.
 */
export function copySlug(slug: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '-copy' : `-copy-${n}`;
    const base = slug.slice(0, SLUG_MAX_LENGTH - suffix.length).replace(/-+$/g, '');
    const candidate = `${base}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
