// The yardstick for `npm run bench`: a bare Nest app on one adapter (BARE_ADAPTER=fastify|express) with one route,
// GET /json, answering a slots-shaped JSON body of BARE_BODY_BYTES bytes (the size of Kairos' warm slots answer).
// Nothing else: no middleware, no pipes, no logging, so the ratio of Kairos to it is what Kairos adds.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/** An object shaped like a slots answer whose JSON is exactly `bytes` long (bytes >= 120). */
function bareBody(bytes: number): unknown {
  const slot = {
    start_time: '2026-12-01T14:00:00Z',
    end_time: '2026-12-01T14:30:00Z',
    local_start_time: '2026-12-01T14:00:00+00:00',
  };
  const body = { time_zone: 'Europe/London', meeting_type_id: '', slots: [] as (typeof slot)[] };
  const slotBytes = JSON.stringify(slot).length + 1;
  while (JSON.stringify(body).length + slotBytes <= bytes) body.slots.push(slot);
  body.meeting_type_id = 'x'.repeat(Math.max(0, bytes - JSON.stringify(body).length));
  return body;
}

const body = bareBody(Number(process.env.BARE_BODY_BYTES ?? 10_000));

@Controller()
class BareController {
  @Get('json')
  json(): unknown {
    return body;
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

const port = Number(process.env.PORT ?? 3911);
if (process.env.BARE_ADAPTER === 'express') {
  // Resolved at run time: @nestjs/platform-express is only a dev dependency, kept for this yardstick.
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(port, '127.0.0.1');
} else {
  const app = await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false });
  await app.listen(port, '127.0.0.1');
}
console.log(`bare ${process.env.BARE_ADAPTER ?? 'fastify'} listening on ${port}`);
