import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../shared/clock/clock.js';
import { PG_UNIQUE_VIOLATION, constraintName, sqlState } from '../../../shared/database/pg-errors.js';
import { DomainError, type Problem, invalidFields, notFound } from '../../../shared/http/domain-error.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone-name.js';
import { CredentialLimiter } from '../../../shared/throttling/credential-limiter.js';
import { newAccountProblems, passwordProblems, profileChangeProblems } from '../domain/account-rules.js';
import { checkEmbedOrigins } from '../domain/embed-origins.js';
import type { PasswordContext } from '../domain/password-policy.js';
import { CredentialsRepository } from '../infrastructure/credentials.repository.js';
import { UsersRepository } from '../infrastructure/users.repository.js';
import { type HostAccount, type ProfileChanges, toHostAccount } from './identity-views.js';

export interface NewUser {
  email: string;
  name: string;
  password: string;
  timeZone: string;
  username: string;
}

/** How a host signed up: whether the address is already proven (Google said so) or a verification link must prove it. */
export interface SignUp {
  emailVerified: boolean;
}

/**
 * Work done for a new host in the sign-up's own transaction (`m`), registered by downstream contexts (the default
 * schedule and first meeting type): when it throws, no account is left behind.
 */
export type NewHostSetup = (m: EntityManager, host: { id: string; timeZone: string }) => Promise<void>;

/** Refuses a weak new password as a 400 naming `field` (`new_password` on a change or a reset). */
export function assertAcceptablePassword(password: string, context: PasswordContext, field = 'password'): void {
  const problems = passwordProblems(password, context, field);
  if (problems.length > 0) throw invalidFields(problems);
}

/** The current password was wrong (a 403: the caller's token is fine, the proof is not). */
export const wrongCurrentPassword = (field: string) =>
  new DomainError('forbidden', `${field} is incorrect`, undefined, [{ field, code: 'incorrect', message: `${field} is incorrect` }]);

/** A unique violation on the users table, as a conflict naming the taken field (`username` or `email`). */
function takenField(error: unknown): DomainError | null {
  if (sqlState(error) !== PG_UNIQUE_VIOLATION) return null;
  const field = constraintName(error) === 'users_username_key' ? 'username' : 'email';
  const taken: Problem = { field, code: 'taken', message: `${field} is taken` };
  return new DomainError('conflict', `a user with this ${field} already exists`, undefined, [taken]);
}

@Injectable()
export class UsersService {
  private readonly signUpSetups: NewHostSetup[] = [];

  constructor(
    private readonly users: UsersRepository,
    private readonly credentials: CredentialsRepository,
    private readonly limiter: CredentialLimiter,
    private readonly clock: Clock,
  ) {}

  /**
   * A new account. Every field is checked in one go (name, email, username, zone, password), so a form learns all
   * its mistakes at once: a 400 with a problem per field. A taken email or username is a 409 naming the field.
   */
  async create(input: NewUser): Promise<HostAccount> {
    return this.insertAccount(input, null);
  }

  /** Downstream contexts add what a new host starts with (see NewHostSetup). */
  onSignUp(setup: NewHostSetup): void {
    this.signUpSetups.push(setup);
  }

  /**
   * A host signing up (the admin's form, Sign in with Google): the account as `create` makes it, plus everything
   * registered with `onSignUp`, in one transaction; the address counts as verified when Google said so.
   */
  signUp(input: NewUser, how: SignUp): Promise<HostAccount> {
    return this.insertAccount(input, how);
  }

  private async insertAccount(input: NewUser, signUp: SignUp | null): Promise<HostAccount> {
    const account = {
      name: input.name.trim(),
      email: input.email.trim(),
      username: input.username.trim().toLowerCase(),
      timeZone: canonicalTimeZone(input.timeZone) ?? input.timeZone,
      password: input.password,
    };
    const problems = newAccountProblems(account);
    if (problems.length > 0) throw invalidFields(problems);
    const passwordHash = await argon2.hash(account.password, { type: argon2.argon2id });
    try {
      const fields = { email: account.email, name: account.name, username: account.username, timeZone: account.timeZone, passwordHash };
      const id = signUp
        ? await this.credentials.transaction(async (m) => {
            const userId = await this.users.insert({ ...fields, emailVerifiedAt: signUp.emailVerified ? this.clock.now() : null }, m);
            for (const setup of this.signUpSetups) await setup(m, { id: userId, timeZone: account.timeZone });
            return userId;
          })
        : await this.users.insert(fields);
      return await this.getById(id);
    } catch (error) {
      throw takenField(error) ?? error;
    }
  }

  async getById(id: string): Promise<HostAccount> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('user');
    return toHostAccount(user);
  }

  async findById(id: string): Promise<HostAccount | null> {
    const user = await this.users.findById(id);
    return user && toHostAccount(user);
  }

  /** `manager`: read on the read replica (the slots endpoint) instead of the primary. */
  async findByUsername(username: string, manager?: EntityManager): Promise<HostAccount | null> {
    const user = await this.users.findByUsername(username, manager);
    return user && toHostAccount(user);
  }

  async findByIds(ids: string[], manager?: EntityManager): Promise<HostAccount[]> {
    return (await this.users.findByIds(ids, manager)).map(toHostAccount);
  }

  async findByEmail(email: string): Promise<HostAccount | null> {
    const user = await this.users.findByEmail(email);
    return user && toHostAccount(user);
  }

  /**
   * Checks a password; returns the user or null. Runs argon2 even for unknown emails so timing reveals nothing.
   * Counted by the credential limiter per email and per client `address`: once blocked, this throws a 429.
   */
  async verifyPassword(email: string, password: string, address?: string | null): Promise<HostAccount | null> {
    const subject = { account: email, address };
    await this.limiter.assertOpen(subject);
    const user = await this.users.findWithPasswordHashByEmail(email);
    const hash = user?.passwordHash ?? DUMMY_HASH;
    const ok = await argon2.verify(hash, password).catch(() => false);
    if (user && ok) return toHostAccount(user);
    await this.limiter.recordFailure(subject);
    return null;
  }

  /**
   * Profile changes, every field given checked in one go (a 400 with a problem per field). A username or email
   * someone else holds is a conflict naming the field. A new email address revokes every access token and admin
   * session (it is the login name, and where reset links go).
   */
  async update(id: string, changes: ProfileChanges): Promise<HostAccount> {
    const patch: ProfileChanges = {};
    if (changes.name !== undefined) patch.name = changes.name.trim();
    if (changes.email !== undefined) patch.email = changes.email.trim();
    if (changes.username !== undefined) patch.username = changes.username.trim().toLowerCase();
    if (changes.timeZone !== undefined) patch.timeZone = canonicalTimeZone(changes.timeZone) ?? changes.timeZone;
    if (changes.locale !== undefined) patch.locale = changes.locale;
    const problems = profileChangeProblems(patch);
    if (changes.embedOrigins !== undefined) {
      const embed = checkEmbedOrigins(changes.embedOrigins);
      problems.push(...embed.problems);
      patch.embedOrigins = embed.origins;
    }
    if (problems.length > 0) throw invalidFields(problems);
    const before = patch.email !== undefined ? await this.getById(id) : null;
    const emailChanged = before !== null && patch.email !== undefined && patch.email.toLowerCase() !== before.email.toLowerCase();
    try {
      await this.credentials.transaction(async (m) => {
        await this.users.updateProfile(id, patch, m);
        if (emailChanged) {
          await this.credentials.revokeEverything(id, this.clock.now(), m);
          await this.credentials.clearEmailVerified(id, m); // the new address is not proven yet
        }
      });
    } catch (error) {
      throw takenField(error) ?? error;
    }
    return this.getById(id);
  }

  /**
   * Replaces the password after checking the current one; false (and nothing changed) when it is wrong. A weak new
   * password is a 400 on `new_password`. Every access token and admin session issued before stops working.
   */
  async changePassword(id: string, currentPassword: string, newPassword: string, address?: string | null): Promise<boolean> {
    if (!(await this.checkPassword(id, currentPassword, address))) return false;
    const user = await this.getById(id);
    assertAcceptablePassword(newPassword, { email: user.email, username: user.username }, 'new_password');
    await this.setPassword(id, newPassword);
    return true;
  }

  /** Sets a new password and revokes everything issued before, in one transaction (`m`: the caller's). */
  async setPassword(id: string, newPassword: string, m?: EntityManager): Promise<void> {
    const passwordHash = await argon2.hash(newPassword, { type: argon2.argon2id });
    const work = async (tx: EntityManager) => {
      await this.credentials.setPasswordHash(id, passwordHash, tx);
      await this.credentials.revokeEverything(id, this.clock.now(), tx);
    };
    await (m ? work(m) : this.credentials.transaction(work));
  }

  /**
   * Checks the signed-in user's own password (before sensitive changes such as the email address or deletion).
   * Counted by the credential limiter like a login (per account and per client address): past it, a 429.
   */
  async checkPassword(id: string, password: string, address?: string | null): Promise<boolean> {
    const user = await this.users.findWithPasswordHashById(id);
    if (!user) throw notFound('user');
    const subject = { account: user.email, address };
    await this.limiter.assertOpen(subject);
    const ok = await argon2.verify(user.passwordHash, password).catch(() => false);
    if (!ok) await this.limiter.recordFailure(subject);
    return ok;
  }

  /** The user's token generation (carried by access tokens and sessions), or null when the account is gone. */
  sessionVersionOf(id: string): Promise<number | null> {
    return this.credentials.sessionVersionOf(id);
  }

  /** The host finished or skipped the welcome shown after sign-up: it is not shown again. */
  async markOnboarded(id: string): Promise<void> {
    await this.users.markOnboarded(id, this.clock.now());
  }

  async delete(id: string): Promise<void> {
    await this.users.delete(id);
  }
}

// argon2id hash of a random string, used to keep login timing uniform.
const DUMMY_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$3F0UeVvHkQ4e3pJc5mVnfyJm2lVYbkSDKsdZ4Bq0zzQ';
