import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { type EntityManager, Repository } from 'typeorm';
import { PG_UNIQUE_VIOLATION, constraintName, sqlState } from '../../../shared/database/pg-errors.js';
import { conflict, invalid, notFound } from '../../../shared/http/domain-error.js';
import { isReservedUsername } from '../domain/username.js';
import { UserEntity } from '../infrastructure/user.entity.js';

export interface NewUser {
  email: string;
  name: string;
  password: string;
  timeZone: string;
  username: string;
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async create(input: NewUser): Promise<UserEntity> {
    const username = input.username.toLowerCase();
    if (isReservedUsername(username)) throw invalid(`username "${username}" is reserved; choose another`);
    const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
    try {
      const saved = await this.users.save(
        this.users.create({ email: input.email.trim(), name: input.name.trim(), username, timeZone: input.timeZone, passwordHash }),
      );
      return this.getById(saved.id);
    } catch (error) {
      if (sqlState(error) === PG_UNIQUE_VIOLATION) {
        const field = constraintName(error) === 'users_username_key' ? 'username' : 'email';
        throw conflict(`a user with this ${field} already exists`, { errors: [{ field, messages: [`${field} is taken`] }] });
      }
      throw error;
    }
  }

  async getById(id: string): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw notFound('user');
    return user;
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** `manager`: read on the read replica (the slots endpoint) instead of the primary. */
  findByUsername(username: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repo(manager).createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne();
  }

  findByIds(ids: string[], manager?: EntityManager): Promise<UserEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo(manager).createQueryBuilder('u').whereInIds(ids).getMany();
  }

  private repo(manager?: EntityManager): Repository<UserEntity> {
    return manager ? manager.getRepository(UserEntity) : this.users;
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /** Checks a password; returns the user or null. Runs argon2 even for unknown emails so timing reveals nothing. */
  async verifyPassword(email: string, password: string): Promise<UserEntity | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    const hash = user?.passwordHash ?? DUMMY_HASH;
    const ok = await argon2.verify(hash, password).catch(() => false);
    return user && ok ? user : null;
  }

  /** Profile changes. A username or email someone else holds is a conflict naming the field. */
  async update(id: string, changes: Partial<Pick<UserEntity, 'name' | 'timeZone' | 'username' | 'email'>>): Promise<UserEntity> {
    const patch = { ...changes };
    if (patch.username !== undefined) {
      patch.username = patch.username.toLowerCase();
      if (isReservedUsername(patch.username)) throw invalid(`username "${patch.username}" is reserved; choose another`);
    }
    if (patch.email !== undefined) patch.email = patch.email.trim();
    try {
      await this.users.update({ id }, patch);
    } catch (error) {
      if (sqlState(error) === PG_UNIQUE_VIOLATION) {
        const field = constraintName(error) === 'users_username_key' ? 'username' : 'email';
        throw conflict(`a user with this ${field} already exists`, { errors: [{ field, messages: [`${field} is taken`] }] });
      }
      throw error;
    }
    return this.getById(id);
  }

  /** Replaces the password after checking the current one; false (and nothing changed) when it is wrong. */
  async changePassword(id: string, currentPassword: string, newPassword: string): Promise<boolean> {
    if (!(await this.checkPassword(id, currentPassword))) return false;
    const passwordHash = await argon2.hash(newPassword, { type: argon2.argon2id });
    await this.users.update({ id }, { passwordHash });
    return true;
  }

  /** Checks the signed-in user's own password (before sensitive changes such as the email address). */
  async checkPassword(id: string, password: string): Promise<boolean> {
    const user = await this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id }).getOne();
    if (!user) throw notFound('user');
    return argon2.verify(user.passwordHash, password).catch(() => false);
  }

  async delete(id: string): Promise<void> {
    await this.users.delete({ id });
  }
}

// argon2id hash of a random string, used to keep login timing uniform.
const DUMMY_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$3F0UeVvHkQ4e3pJc5mVnfyJm2lVYbkSDKsdZ4Bq0zzQ';
