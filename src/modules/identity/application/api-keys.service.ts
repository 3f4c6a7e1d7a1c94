import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { notFound } from '../../../shared/http/domain-error.js';
import { newSecret, sha256 } from '../../../shared/security/tokens.js';
import type { ApiKeyEntity } from '../infrastructure/api-key.entity.js';
import { ApiKeysRepository } from '../infrastructure/api-keys.repository.js';

export const API_KEY_PREFIX = 'kai_';

/** Personal API keys: shown once, stored as SHA-256, accepted as Bearer tokens. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly clock: Clock,
  ) {}

  async create(userId: string, name: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    const secret = newSecret(API_KEY_PREFIX, 32);
    const key = await this.keys.insert({ userId, name, prefix: secret.slice(0, 12), keyHash: sha256(secret) });
    return { key, secret };
  }

  list(userId: string): Promise<ApiKeyEntity[]> {
    return this.keys.listOfUser(userId);
  }

  async revoke(userId: string, id: string): Promise<ApiKeyEntity> {
    const key = await this.keys.findOfUser(userId, id);
    if (!key) throw notFound('API key');
    if (!key.revokedAt) {
      key.revokedAt = this.clock.now();
      await this.keys.markRevoked(key.id, key.revokedAt);
    }
    return key;
  }

  /** The owner of a live key, or null. */
  async authenticate(secret: string): Promise<string | null> {
    const key = await this.keys.findLiveByHash(sha256(secret));
    if (!key) return null;
    // Coarse last-use tracking without a write on every request.
    const now = this.clock.now();
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) {
      await this.keys.touchLastUsed(key.id, now);
    }
    return key.userId;
  }
}
