import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { PeriodicJobs } from '../../../shared/scheduling/periodic-jobs.js';
import { type ArchivedBatch, BookingArchiveRepository } from '../infrastructure/booking-archive.repository.js';

const PARTITIONS_LOCK = [0x626b67, 1] as const; // "bkg", partitions
const ARCHIVE_LOCK = [0x626b67, 2] as const; // "bkg", archive
const BATCH = 500;
const DAY_MS = 86_400_000;

/**
 * Bookings at scale (ADR 0014): keeps month partitions ready ahead (at start-up and on a schedule) and moves bookings
 * that ended more than ARCHIVE_AFTER_DAYS ago into the archive. Both jobs run on one replica at a time; both are
 * also safe when called directly or concurrently (tests drive them by hand with a pinned clock).
 */
@Injectable()
export class BookingArchive implements OnApplicationBootstrap {
  private readonly logger = new Logger('BookingArchive');

  constructor(
    private readonly repo: BookingArchiveRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly jobs: PeriodicJobs,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A database migrated months ago must not wait one period for this month's partitions.
    await this.ensurePartitions();
    this.jobs.schedule({
      name: 'booking-partitions',
      everyMs: this.config.partitionIntervalMs,
      lock: PARTITIONS_LOCK,
      run: () => this.ensurePartitions(),
    });
    this.jobs.schedule({ name: 'booking-archive', everyMs: this.config.archiveIntervalMs, lock: ARCHIVE_LOCK, run: () => this.archive() });
  }

  /** Creates the months ahead and splits rows out of any DEFAULT partition. Returns the partitions created. */
  async ensurePartitions(): Promise<number> {
    const created = await this.repo.ensurePartitions(this.clock.now(), this.config.partitionMonthsAhead);
    if (created > 0) this.logger.log(`created ${created} month partitions`);
    return created;
  }

  /** The instant before which a booking must have ended to be archived. */
  cutoff(): Date {
    return new Date(this.clock.now().getTime() - this.config.archiveAfterDays * DAY_MS);
  }

  /** Moves everything due, in batches, then drops the month partitions it emptied. Returns what moved. */
  async archive(): Promise<ArchivedBatch & { outboxEvents: number; droppedPartitions: number }> {
    const cutoff = this.cutoff();
    const total = { bookings: 0, invitees: 0, deliveries: 0, outboxEvents: 0, droppedPartitions: 0 };
    for (;;) {
      const batch = await this.repo.archiveBookings(cutoff, BATCH);
      total.bookings += batch.bookings;
      total.invitees += batch.invitees;
      total.deliveries += batch.deliveries;
      if (batch.bookings < BATCH) break;
    }
    for (;;) {
      const n = await this.repo.archiveOutboxEvents(cutoff, BATCH);
      total.outboxEvents += n;
      if (n < BATCH) break;
    }
    total.droppedPartitions = await this.repo.dropEmptyPartitions(cutoff);
    if (total.bookings > 0) this.logger.log(`archived ${total.bookings} bookings that ended before ${cutoff.toISOString()}`);
    return total;
  }
}
