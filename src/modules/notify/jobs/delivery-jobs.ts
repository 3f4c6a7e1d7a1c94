/** The BullMQ queue of notification deliveries (under REDIS_PREFIX); its job id is the delivery id. */
export const DELIVERY_QUEUE = 'notify-deliveries';

/** The one job name on DELIVERY_QUEUE. */
export const DELIVER_JOB = 'deliver';

export interface DeliverJobData {
  id: string;
}
