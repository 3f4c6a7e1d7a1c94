import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config.js';

/**
 * AES-256-GCM for secrets at rest (calendar tokens, CalDAV passwords, SMS credentials).
 *
 * Ciphertext format: `v1.<keyId>.<iv>.<tag>.<data>` (base64url parts). The key id travels with the ciphertext so
 * keys can rotate: ENCRYPTION_KEY may list several `id:key` pairs separated by commas; the first encrypts, all
 * decrypt. A bare key (no `id:`) gets an id derived from its hash. Keys are 32 bytes as base64 or 64 hex chars.
 * Without ENCRYPTION_KEY (development and tests only) a key is derived from the app secret; production refuses.
 */
@Injectable()
export class SecretCipher {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentId: string | null;
  private readonly missingKeyError: string | null = null;

  constructor(config: AppConfig) {
    const raw = config.encryptionKey?.trim();
    if (raw) {
      const entries = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const entry of entries) {
        const sep = entry.indexOf(':');
        const [id, material] =
          sep > 0 && /^[A-Za-z0-9_-]{1,16}$/.test(entry.slice(0, sep)) ? [entry.slice(0, sep), entry.slice(sep + 1)] : [null, entry];
        const key = parseKey(material);
        this.keys.set(id ?? createHash('sha256').update(key).digest('hex').slice(0, 8), key);
      }
      this.currentId = [...this.keys.keys()][0];
    } else if (config.isProduction) {
      this.currentId = null;
      this.missingKeyError = 'ENCRYPTION_KEY must be set in production to store calendar credentials';
    } else {
      const derived = Buffer.from(hkdfSync('sha256', config.appSecret, 'kairos', 'secret-cipher-dev', 32));
      this.keys.set('dev', derived);
      this.currentId = 'dev';
    }
  }

  encrypt(plaintext: string): string {
    if (!this.currentId) throw new Error(this.missingKeyError ?? 'no encryption key');
    const key = this.keys.get(this.currentId);
    if (!key) throw new Error(`encryption key ${this.currentId} is not loaded`);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`v1.${this.currentId}`));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', this.currentId, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(ciphertext: string): string {
    const parts = ciphertext.split('.');
    const [version, keyId, iv, tag, data] = parts;
    if (version !== 'v1' || !keyId || parts.length < 5) {
      throw new Error('not a v1 ciphertext');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`encryption key "${keyId}" is not configured (add it to ENCRYPTION_KEY to decrypt)`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`v1.${keyId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when the value was encrypted under an older key and should be re-encrypted. */
  needsRotation(ciphertext: string): boolean {
    return ciphertext.split('.')[1] !== this.currentId;
  }
}

function parseKey(material: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(material) ? Buffer.from(material, 'hex') : Buffer.from(material, 'base64');
  if (key.length !== 32) throw new Error('Invalid configuration: ENCRYPTION_KEY must be 32 bytes (base64 or 64 hex chars)');
  return key;
}
