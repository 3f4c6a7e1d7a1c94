import type { BookingView } from '../domain/booking-views.js';

/** The booking module's read port for other contexts (exported by BookingModule). */
export abstract class BookingDirectory {
  abstract getView(bookingId: string): Promise<BookingView | null>;
  /** The booking a rescheduled one became (following rescheduled_to over several moves); the view itself otherwise. */
  abstract currentOf(view: BookingView): Promise<BookingView>;
}
