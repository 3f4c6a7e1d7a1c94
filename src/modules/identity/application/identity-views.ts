import type { ApiKeyEntity } from '../infrastructure/api-key.entity.js';
import type { UserEntity } from '../infrastructure/user.entity.js';

/** A host's account as identity's services hand it out (never the TypeORM entity, never credentials). */
export interface HostAccount {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly username: string;
  readonly timeZone: string;
  /** Whether the host proved the email address (a verification link, or Google said so). */
  readonly emailVerified: boolean;
  /** Whether the host is past the welcome shown after sign-up (finished or skipped). */
  readonly onboarded: boolean;
  /** Origins allowed to frame the host's booking pages (issue #18); empty: none. */
  readonly embedOrigins: readonly string[];
  /** The language of the host's emails and admin (issue #18). */
  readonly locale: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a host may change on their profile; fields left out stay as they are. */
export interface ProfileChanges {
  name?: string;
  email?: string;
  username?: string;
  timeZone?: string;
  /** Origins allowed to frame the booking pages, as typed: checked and made canonical by UsersService.update. */
  embedOrigins?: string[];
  locale?: string;
}

/** A personal API key, without its hash. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export const toHostAccount = (u: UserEntity): HostAccount => ({
  id: u.id,
  email: u.email,
  name: u.name,
  username: u.username,
  timeZone: u.timeZone,
  emailVerified: u.emailVerifiedAt !== null,
  onboarded: u.onboardedAt !== null,
  embedOrigins: u.embedOrigins,
  locale: u.locale,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

export const toApiKeyView = (k: ApiKeyEntity): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});
