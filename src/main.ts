import 'reflect-metadata';
import { AppConfig } from './config/app-config.js';
import { createApp } from './bootstrap.js';

async function main() {
  const started = Date.now();
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen(config.port);
  app.get(AppConfig);
  // eslint-disable-next-line no-console
  console.log(JSON.stringify({ level: 30, msg: `Kairos listening on :${config.port}`, startup_ms: Date.now() - started }));
}

main().catch((error: unknown) => {
  // Configuration errors are one clear line; anything else gets its stack.
  const message = error instanceof Error ? error.message : String(error);
  console.error(message.startsWith('Invalid configuration') ? message : error);
  process.exit(1);
});
