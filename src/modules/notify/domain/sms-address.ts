/**
 * The number an SMS goes to. Bookings accept formatted numbers ("+1 (202) 555-0143"); SMS APIs want E.164
 * ("+12025550143"), so the formatting is stripped. A number without its country code is passed on as it is: the
 * provider refuses it and the delivery shows that refusal, rather than the reminder being skipped without a trace.
 */
export function smsAddress(phone: string): string {
  return phone.replace(/[\s().-]/g, '');
}
