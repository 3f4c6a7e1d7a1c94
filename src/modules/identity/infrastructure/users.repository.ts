import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { UserEntity } from './user.entity.js';

export type ProfileChanges = Partial<Pick<UserEntity, 'name' | 'timeZone' | 'username' | 'email'>>;

/**
 * The SQL of user accounts (the `users` row as a profile; sign-in state is CredentialsRepository's). Emails match
 * case-insensitively. `manager`: a caller's transaction, or the read replica's manager for the slots endpoint.
 * Unique violations (email, username) surface as the driver's errors: the service names the field.
 */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  private repo(manager?: EntityManager): Repository<UserEntity> {
    return manager ? manager.getRepository(UserEntity) : this.users;
  }

  /** Inserts an account (on the caller's transaction `manager`, if any); returns its id. */
  async insert(
    fields: Pick<UserEntity, 'email' | 'name' | 'username' | 'timeZone' | 'passwordHash'> & Partial<Pick<UserEntity, 'emailVerifiedAt'>>,
    manager?: EntityManager,
  ): Promise<string> {
    const repo = this.repo(manager);
    return (await repo.save(repo.create(fields))).id;
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByUsername(username: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repo(manager).createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne();
  }

  findByIds(ids: string[], manager?: EntityManager): Promise<UserEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo(manager).createQueryBuilder('u').whereInIds(ids).getMany();
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /** The account with its password hash (selected only here), by login email. */
  findWithPasswordHashByEmail(email: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /** The account with its password hash, by id. */
  findWithPasswordHashById(id: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id }).getOne();
  }

  async updateProfile(id: string, changes: ProfileChanges, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, changes);
  }

  /** The host is past the welcome (the first time only: the moment stays). */
  async markOnboarded(id: string, now: Date): Promise<void> {
    await this.users.createQueryBuilder().update().set({ onboardedAt: now }).where('id = :id AND onboarded_at IS NULL', { id }).execute();
  }

  async delete(id: string): Promise<void> {
    await this.users.delete({ id });
  }
}
