import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DeliveryQueue } from '../application/delivery-queue.js';
import { BullMqDeliveryQueue } from './bullmq-delivery-queue.js';
import { DELIVERY_QUEUE } from './delivery-jobs.js';
import { DeliveryProcessor } from './delivery.processor.js';
import { InProcessDeliveryQueue } from './in-process-delivery-queue.js';

/**
 * Notify's queue port and its adapter, chosen when the app is composed: with REDIS_URL, the delivery queue and its
 * worker are registered with @nestjs/bullmq (QueueModule holds the connection); without it, nothing of BullMQ
 * exists and deliveries run in process. Global so the NotifyModule that other contexts import by its class sees
 * the port; it needs nothing from NotifyModule (the dispatcher hands it the delivery function).
 */
@Global()
@Module({})
export class DeliveryQueueModule {
  static forRoot(withRedis: boolean): DynamicModule {
    if (!withRedis) {
      return {
        module: DeliveryQueueModule,
        providers: [{ provide: DeliveryQueue, useClass: InProcessDeliveryQueue }],
        exports: [DeliveryQueue],
      };
    }
    return {
      module: DeliveryQueueModule,
      imports: [BullModule.registerQueue({ name: DELIVERY_QUEUE })],
      providers: [DeliveryProcessor, { provide: DeliveryQueue, useClass: BullMqDeliveryQueue }],
      exports: [DeliveryQueue],
    };
  }
}
