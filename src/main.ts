import 'reflect-metadata';
import { AppConfig, readyLine } from './config/app-config.js';
import { createApp } from './bootstrap.js';

async function main() {
  const started = Date.now();
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen(config.port);
  const address = app.getHttpServer().address();
  config.listeningOn(typeof address === 'object' && address ? address.port : config.port);
  console.log(readyLine(config, Date.now() - started));
}

main().catch((error: unknown) => {
  // Configuration errors are one clear line; anything else gets its stack.
  const message = error instanceof Error ? error.message : String(error);
  console.error(message.startsWith('Invalid configuration') ? message : error);
  process.exit(1);
});
