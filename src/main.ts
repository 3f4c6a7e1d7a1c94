import 'reflect-metadata';
import { AppConfig, readyLine } from './config/app-config.js';
import { createApp } from './bootstrap.js';

async function main() {
  const started = Date.now();
  const app = await createApp();
  const config = app.get(AppConfig);
  // Every interface, as Express did (Fastify alone would listen on localhost only): '::' takes IPv4 too where the
  // host has IPv6, else 0.0.0.0.
  await app.listen(config.port, '::').catch(async (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL') throw error;
    await app.listen(config.port, '0.0.0.0');
  });
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
