import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity.js';

/** The SQL of personal API keys. Keys arrive here already hashed (SHA-256); only the prefix is kept readable. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  insert(fields: Pick<ApiKeyEntity, 'userId' | 'name' | 'prefix' | 'keyHash'>): Promise<ApiKeyEntity> {
    return this.keys.save(this.keys.create({ ...fields, lastUsedAt: null, revokedAt: null }));
  }

  /** The user's keys, newest first (revoked ones included: the page lists them). */
  listOfUser(userId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  findOfUser(userId: string, id: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ id, userId });
  }

  async markRevoked(id: string, at: Date): Promise<void> {
    await this.keys.update({ id }, { revokedAt: at });
  }

  findLiveByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ keyHash, revokedAt: IsNull() });
  }

  async touchLastUsed(id: string, at: Date): Promise<void> {
    await this.keys.update({ id }, { lastUsedAt: at });
  }
}
