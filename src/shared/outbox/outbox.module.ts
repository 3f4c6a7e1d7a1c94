import { Global, Module } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay.js';

/** The outbox relay, shared by every context that reacts to outbox events (notify, calendar sync). */
@Global()
@Module({ providers: [OutboxRelay], exports: [OutboxRelay] })
export class OutboxModule {}
