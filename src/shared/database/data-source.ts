// Entry point for the TypeORM CLI (`npm run migration:run` / `migration:generate`): needs DATABASE_URL.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnv } from '../../config/env.validation.js';
import { baseDataSourceOptions } from './database-options.js';

const env = validateEnv(process.env);
if (!env.DATABASE_URL) throw new Error('Invalid configuration: DATABASE_URL is required for the migration CLI');

export default new DataSource({
  ...baseDataSourceOptions(env.DATABASE_URL, 2),
  entities: ['dist/src/modules/**/*.entity.js'],
});
