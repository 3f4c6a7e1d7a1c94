import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { BookingDirectory, type BookingView } from '../../booking/application/booking-directory.js';

/**
 * Reads bookings through the booking module's exported port. Resolved lazily from the whole application
 * (not through a module import) so notify carries no compile-time dependency on the booking module's wiring;
 * if no provider exists, event handling fails and the outbox relay retries it later.
 */
@Injectable()
export class BookingViews {
  private directory: BookingDirectory | null = null;

  constructor(private readonly moduleRef: ModuleRef) {}

  get available(): boolean {
    return this.resolve() !== null;
  }

  async get(bookingId: string): Promise<BookingView | null> {
    const directory = this.resolve();
    if (!directory) throw new Error('BookingDirectory is not provided by any module yet');
    return directory.getView(bookingId);
  }

  private resolve(): BookingDirectory | null {
    if (!this.directory) {
      try {
        this.directory = this.moduleRef.get(BookingDirectory, { strict: false });
      } catch {
        return null;
      }
    }
    return this.directory;
  }
}
