import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';

/** Every migration, in order. Listed explicitly so ESM builds need no file globbing. */
export const migrations = [InitialSchema1764000000000];
