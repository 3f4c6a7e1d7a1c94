import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { Clock } from '../../../shared/clock/clock.js';
import { notFound } from '../../../shared/http/domain-error.js';
import { newSecret, sha256 } from '../../../shared/security/tokens.js';
import { ApiKeyEntity } from '../infrastructure/api-key.entity.js';

export const API_KEY_PREFIX = 'kai_';

/** Personal API keys: shown once, stored as SHA-256, accepted as Bearer tokens. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly clock: Clock,
  ) {}

  async create(userId: string, name: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    const secret = newSecret(API_KEY_PREFIX, 32);
    const key = await this.keys.save(
      this.keys.create({ userId, name, prefix: secret.slice(0, 12), keyHash: sha256(secret), lastUsedAt: null, revokedAt: null }),
    );
    return { key, secret };
  }

  list(userId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  async revoke(userId: string, id: string): Promise<ApiKeyEntity> {
    const key = await this.keys.findOneBy({ id, userId });
    if (!key) throw notFound('API key');
    if (!key.revokedAt) {
      key.revokedAt = this.clock.now();
      await this.keys.save(key);
    }
    return key;
  }

  /** The owner of a live key, or null. */
  async authenticate(secret: string): Promise<string | null> {
    const key = await this.keys.findOneBy({ keyHash: sha256(secret), revokedAt: IsNull() });
    if (!key) return null;
    // Coarse last-use tracking without a write on every request.
    const now = this.clock.now();
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) {
      await this.keys.update({ id: key.id }, { lastUsedAt: now });
    }
    return key.userId;
  }
}
