import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { invalidFields, notFound } from '../../../shared/http/domain-error.js';
import { newSecret, sha256 } from '../../../shared/security/tokens.js';
import { apiKeyNameProblems } from '../domain/account-rules.js';
import { ApiKeysRepository } from '../infrastructure/api-keys.repository.js';
import { type ApiKeyView, toApiKeyView } from './identity-views.js';

export const API_KEY_PREFIX = 'kai_';

/** Personal API keys: shown once, stored as SHA-256, accepted as Bearer tokens. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly clock: Clock,
  ) {}

  /** A new key named `name` (one line, up to 100 characters: a 400 naming `name` otherwise). */
  async create(userId: string, name: string): Promise<{ key: ApiKeyView; secret: string }> {
    const problems = apiKeyNameProblems(name);
    if (problems.length > 0) throw invalidFields(problems);
    const secret = newSecret(API_KEY_PREFIX, 32);
    const key = await this.keys.insert({ userId, name, prefix: secret.slice(0, 12), keyHash: sha256(secret) });
    return { key: toApiKeyView(key), secret };
  }

  async list(userId: string): Promise<ApiKeyView[]> {
    return (await this.keys.listOfUser(userId)).map(toApiKeyView);
  }

  async revoke(userId: string, id: string): Promise<ApiKeyView> {
    const key = await this.keys.findOfUser(userId, id);
    if (!key) throw notFound('API key');
    if (!key.revokedAt) {
      key.revokedAt = this.clock.now();
      await this.keys.markRevoked(key.id, key.revokedAt);
    }
    return toApiKeyView(key);
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
