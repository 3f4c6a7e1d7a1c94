import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '../../../shared/http/domain-error.js';
import { BookingDirectory } from '../../booking/application/booking-directory.js';
import type { BookingView } from '../../booking/domain/booking-views.js';
import { IcsService } from './ics.service.js';

/** Statuses of a meeting that does not take place (a declined or expired request never did). */
const ENDED: readonly BookingView['status'][] = ['cancelled', 'declined', 'expired'];

/** Who downloads: a host (signed in), or an invitee authorized by their management token. */
export type IcsViewer = { kind: 'host'; userId: string } | { kind: 'invitee'; invitee: { id: string } };

/**
 * The booking as an .ics download, the one path for the API and the invitee's pages. A host sees every active
 * invitee; an invitee only themself and the hosts (seat holders of a group booking never see each other).
 */
@Injectable()
export class BookingInvitations {
  constructor(
    private readonly bookings: BookingDirectory,
    private readonly ics: IcsService,
  ) {}

  async icsFor(bookingId: string, actor: IcsViewer): Promise<string> {
    const view = await this.bookings.getView(bookingId);
    if (!view) throw notFound('booking');
    // Invitations exist only for meetings that take place: a request becomes one when a host confirms it.
    if (view.status === 'pending') {
      throw conflict('this booking waits for a host to confirm it; its invitation (.ics) is available once it is confirmed');
    }
    if (actor.kind !== 'invitee') return this.forHost(view, actor.userId);
    const own = view.invitees.find((i) => i.id === actor.invitee.id);
    if (!own) throw notFound('booking');
    const cancelled = ENDED.includes(view.status) || own.status === 'cancelled';
    return this.ics.render(view, cancelled ? 'CANCEL' : 'REQUEST', { inviteeIds: [own.id], url: own.manageUrl });
  }

  /**
   * A superseded booking id (rescheduled) never announces its old time as confirmed: it renders the meeting as it is
   * now (same UID, higher SEQUENCE), or a CANCEL for a host it no longer involves (round robin moved it to another).
   */
  private async forHost(view: BookingView, userId: string): Promise<string> {
    const current = await this.bookings.currentOf(view);
    if (current.status === 'rescheduled') return this.ics.render(view, 'CANCEL');
    const involved = current.hosts.some((h) => h.id === userId) || current.meetingType.ownerId === userId;
    if (!involved) return this.ics.render(view, 'CANCEL', { sequence: current.sequence });
    return this.ics.render(current, ENDED.includes(current.status) ? 'CANCEL' : 'REQUEST');
  }
}
