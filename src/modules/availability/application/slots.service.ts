import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { CacheStore } from '../../../shared/cache/cache-store.js';
import { ReadReplica } from '../../../shared/database/read-replica.js';
import { Clock } from '../../../shared/clock/clock.js';
import { invalid, invalidFields, notFound } from '../../../shared/http/domain-error.js';
import { SlotCacheCounter } from '../../../shared/metrics/slot-cache-counter.js';
import { type MeetingTypeSnapshot, MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { ofRequestedLength as ofLength } from '../../meeting-types/domain/meeting-type-options.js';
import { computeSlots } from '../domain/compute-slots.js';
import { slotDateRangeProblem } from '../domain/slot-date-bounds.js';
import { addDays, dayNumberOf, wallTimeToInstant } from '../domain/wall-clock.js';
import { AvailabilityInputsService, type EngineInput } from './availability-inputs.service.js';
import { cutAtNotice, renderSlots } from './rendered-slots.js';
import { BusyTimeFreshness } from './busy-time-freshness.js';

export const MAX_RANGE_DAYS = 62;
const QUARTER_HOUR = 15 * 60_000;
/** Meeting type snapshots kept per replica (a few hundred bytes each). */
const MAX_TYPE_SNAPSHOTS = 10_000;

export interface SlotsRequest {
  meetingTypeId?: string;
  username?: string;
  slug?: string;
  date: string;
  endDate?: string;
  timeZone: string;
  /** The meeting's length, one of the type's duration_options; absent = its duration_minutes. */
  durationMinutes?: number;
}

export interface SlotView {
  start: number;
  end: number;
  seatsRemaining?: number;
  hostIds: string[];
}

interface CachedSlots {
  meetingType: MeetingTypeSnapshot;
  versions: string;
  windowBucket: string;
  /** Good only before this instant (epoch ms): a round-robin host's cap may lift then (EngineInput); absent = no end. */
  liftAt?: number | null;
  slots: SlotView[];
}

/** The first line of a cached rendered answer: what a hit needs to check it and cut it, without the slots. */
interface RenderedHeader {
  versions: string;
  windowBucket: string;
  /** The type has a booking window, so the entry is only good within its quarter hour. */
  windowed: boolean;
  /** As CachedSlots.liftAt. */
  liftAt?: number | null;
  hostIds: string[];
  noticeMinutes: number;
  tag: string;
  starts: number[];
  offsets: number[];
}

/**
 * A meeting type snapshot this replica read, and the token (AvailabilityVersions.currentForType) read before it;
 * null while unverified, i.e. read before its token was.
 */
interface KnownType {
  type: MeetingTypeSnapshot;
  versions: string | null;
}

interface RenderedEntry {
  head: RenderedHeader;
  body: string;
}

export interface SlotsResult {
  meetingType: MeetingTypeSnapshot;
  timeZone: string;
  startDate: string;
  endDate: string;
  slots: SlotView[];
  cached: boolean;
}

/**
 * Bookable slots for a meeting type over whole calendar days in the invitee's zone, cached per host version.
 * Every write that changes a host's availability bumps that host's version, so a cached entry is never served
 * after the change; the notice filter is re-applied on read because it only ever removes slots as time passes.
 */
@Injectable()
export class SlotsService {
  /**
   * By how requests name the type (typeRefOf): reused while its token stands, so the cold path reads no meeting
   * type on most requests. Every write that changes a snapshot bumps a version in its token; the epoch in it covers
   * a bump Redis missed, as for the slots cache.
   */
  private readonly typeSnapshots = new BoundedMap<string, KnownType>(MAX_TYPE_SNAPSHOTS);

  constructor(
    private readonly meetingTypes: MeetingTypesService,
    private readonly inputs: AvailabilityInputsService,
    private readonly versions: AvailabilityVersions,
    private readonly cache: CacheStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly cacheCounter: SlotCacheCounter,
    private readonly replica: ReadReplica,
    private readonly freshness: BusyTimeFreshness,
  ) {}

  async find(request: SlotsRequest): Promise<SlotsResult> {
    const { endDate, typeRef, now } = this.checked(request);
    const ttl = this.config.slotCacheTtlSeconds; // 0 turns the cache off (benchmarks of the cold path)
    const key = `slots:${typeRef}:${request.timeZone}:${request.date}:${endDate}${durationKey(request)}`;

    // Warm path: one GET for the entry and one MGET for the versions of the hosts it was computed for; no DB.
    let entry: CachedSlots | null = null;
    if (ttl > 0) {
      const raw = await this.cache.tryGet(key); // Redis down or slow: a miss, computed from PostgreSQL
      const candidate = raw ? (JSON.parse(raw) as CachedSlots) : null;
      if (candidate && candidate.windowBucket === this.windowBucket(candidate.meetingType, now) && beforeLift(candidate.liftAt, now)) {
        // A stale calendar connection is synced first (bounded wait); a change it finds bumps a version below.
        if (
          await this.stillCurrent(
            candidate.meetingType.hosts.map((h) => h.userId),
            candidate.versions,
          )
        )
          entry = candidate;
      }
    }
    const cached = entry !== null;
    if (ttl > 0) this.cacheCounter.record(cached);
    if (!entry) {
      const computed = await this.compute(request, endDate, now);
      entry = computed.entry;
      if (ttl > 0 && computed.cacheable) await this.cache.trySet(key, JSON.stringify(entry), ttl);
    }
    const type = entry.meetingType;
    if (!type.isActive) throw notFound('meeting type');
    // Notice only ever removes slots as time passes, so it is re-applied to cached entries on every read.
    const earliest = now.getTime() + type.minimumNoticeMinutes * 60_000;
    let slots = entry.slots;
    if (slots.length > 0 && slots[0].start < earliest) slots = slots.filter((s) => s.start >= earliest);
    return { meetingType: type, timeZone: request.timeZone, startDate: request.date, endDate, slots, cached };
  }

  /**
   * The API's answer as bytes: the rendered JSON body, cached with its boundary index (rendered-slots.ts) under the
   * same versions as `find`, so a hit costs one GET, one MGET and two string slices; never a parse of the slots.
   */
  async findRendered(request: SlotsRequest): Promise<{ body: string; etag: string; cached: boolean }> {
    const { endDate, typeRef, now } = this.checked(request);
    const ttl = this.config.slotCacheTtlSeconds;
    const key = `slots-body:${typeRef}:${request.timeZone}:${request.date}:${endDate}${durationKey(request)}`;

    let entry: RenderedEntry | null = null;
    if (ttl > 0) {
      const raw = await this.cache.tryGet(key);
      // Stored as one line of JSON (the small header: versions, hosts, notice, boundary index) and then the body.
      const split = raw ? raw.indexOf('\n') : -1;
      if (raw && split > 0) {
        const head = JSON.parse(raw.slice(0, split)) as RenderedHeader;
        const bucket = head.windowed ? this.bucketAt(now) : '';
        if (head.windowBucket === bucket && beforeLift(head.liftAt, now) && (await this.stillCurrent(head.hostIds, head.versions))) {
          entry = { head, body: raw.slice(split + 1) };
        }
      }
    }
    const cached = entry !== null;
    if (ttl > 0) this.cacheCounter.record(cached);
    if (!entry) {
      const { entry: computed, cacheable } = await this.compute(request, endDate, now);
      const type = computed.meetingType;
      const rendered = renderSlots({
        timeZone: request.timeZone,
        meetingTypeId: type.id,
        durationMinutes: type.durationMinutes,
        startDate: request.date,
        endDate,
        slots: computed.slots,
      });
      const head: RenderedHeader = {
        versions: computed.versions,
        windowBucket: computed.windowBucket,
        windowed: type.bookingWindowDays !== null,
        liftAt: computed.liftAt ?? null,
        hostIds: type.hosts.map((h) => h.userId),
        noticeMinutes: type.minimumNoticeMinutes,
        tag: rendered.tag,
        starts: rendered.starts,
        offsets: rendered.offsets,
      };
      entry = { head, body: rendered.body };
      if (ttl > 0 && cacheable) await this.cache.trySet(key, `${JSON.stringify(head)}\n${rendered.body}`, ttl);
    }
    const { head, body } = entry;
    const cut = cutAtNotice(
      { body, starts: head.starts, offsets: head.offsets, tag: head.tag },
      now.getTime() + head.noticeMinutes * 60_000,
    );
    return { ...cut, cached };
  }

  /** The request's checks (before any I/O): range, dates, a meeting type named. */
  private checked(request: SlotsRequest) {
    const endDate = request.endDate ?? request.date;
    const outOfRange = slotDateRangeProblem(request.date, endDate, this.clock.now());
    if (outOfRange) throw invalidFields([{ ...outOfRange, code: 'out_of_range' }]);
    const days = dayNumberOf(endDate) - dayNumberOf(request.date) + 1;
    if (days < 1) throw invalidFields([{ field: 'end_date', code: 'before_date', message: 'end_date must not be before date' }]);
    if (days > MAX_RANGE_DAYS) {
      throw invalidFields([{ field: 'end_date', code: 'range_too_long', message: `the range may span at most ${MAX_RANGE_DAYS} days` }]);
    }
    const typeRef = typeRefOf(request);
    if (typeRef === null) throw invalid('give meeting_type_id, or username and slug');
    return { endDate, typeRef, now: this.clock.now() };
  }

  /** Whether an entry computed at `versions` for these hosts may still be served (after an on-demand sync). */
  private async stillCurrent(hostIds: string[], versions: string): Promise<boolean> {
    // A stale calendar connection is synced first (bounded wait); a change it finds bumps a version below.
    await this.freshness.refresh(hostIds);
    return (await this.versions.current(hostIds)).join('.') === versions;
  }

  /** The cold path: slots from PostgreSQL, and whether they may be cached under the versions read before them. */
  private async compute(request: SlotsRequest, endDate: string, now: Date): Promise<{ entry: CachedSlots; cacheable: boolean }> {
    const range = {
      start: wallTimeToInstant(request.date, 0, request.timeZone),
      end: wallTimeToInstant(addDays(endDate, 1), 0, request.timeZone),
    };
    const ref = typeRefOf(request) ?? '';
    // A snapshot this replica read before: its token and its hosts' versions in one round trip, before any SQL.
    const known = this.typeSnapshots.get(ref);
    let versions = known ? await this.versionsFor(known.type) : null;
    if (known && versions?.type != null && versions.type === known.versions) {
      const type = ofLength(known.type, request.durationMinutes);
      // A lagging replica's answer is served but not cached (else it would outlive the lag under the new versions).
      const { value, upToDate } = await this.replica.readUpToDate((m) => this.inputs.load(type, range, now, { manager: m }));
      return { entry: this.entryOf(type, versions.hosts, value, now), cacheable: upToDate };
    }

    // Cold path reads go to the read replica when DATABASE_READ_URL is set (the primary otherwise).
    const found = await this.replica.read((m) => this.resolveType(request, m));
    // The versions read for the snapshot above still do when it names the same type, owner and hosts (the common
    // case: one of them was bumped); else they are read now. Either way BEFORE the inputs, so a concurrent change
    // can only make this entry look stale, never fresh. On-demand calendar sync comes first (versionsFor).
    const readBeforeFound = versions !== null && known !== undefined && sameDependencies(known.type, found);
    if (!readBeforeFound || versions === null) versions = await this.versionsFor(found);
    const { type: token, hosts: hostVersions } = versions;
    // A lagging replica may not hold the writes those versions count yet: its answer is served but not cached
    // (else it would outlive the lag under the new versions). The type is re-read there for the same reason.
    const {
      value: [type, inputs, reread],
      upToDate,
    } = await this.replica.readUpToDate(async (m) => {
      const current = m ? await this.resolveType(request, m) : found;
      return [
        current,
        await this.inputs.load(ofLength(current, request.durationMinutes), range, now, { manager: m }),
        m !== undefined,
      ] as const;
    });
    const sameHosts = sameDependencies(type, found);
    // The snapshot may be reused while its token stands only if it was read (up to date) after the token was: else
    // it is kept unverified, and the next request reads the token first and the type after it.
    const verified = token !== null && upToDate && sameHosts && (reread || readBeforeFound);
    this.typeSnapshots.set(ref, { type, versions: verified ? token : null });
    return { entry: this.entryOf(ofLength(type, request.durationMinutes), hostVersions, inputs, now), cacheable: upToDate && sameHosts };
  }

  /** On-demand calendar sync for the type's hosts (bounded wait), then its versions and theirs (one round trip). */
  private async versionsFor(type: MeetingTypeSnapshot) {
    const hostIds = type.hosts.map((h) => h.userId);
    // Before the versions: busy time a stale connection's sync brings in is then part of this answer.
    await this.freshness.refresh(hostIds);
    return this.versions.currentForType(type.id, type.ownerId, hostIds);
  }

  private entryOf(type: MeetingTypeSnapshot, hostVersions: string[], inputs: EngineInput, now: Date): CachedSlots {
    const slots: SlotView[] = computeSlots(inputs.hosts, inputs.query);
    return {
      meetingType: type,
      versions: hostVersions.join('.'),
      windowBucket: this.windowBucket(type, now),
      liftAt: inputs.roundRobinCapsLiftAt,
      slots,
    };
  }

  /** The booking window moves at host-local midnights, which always fall on a UTC quarter hour. */
  private windowBucket(type: MeetingTypeSnapshot, now: Date): string {
    return type.bookingWindowDays === null ? '' : this.bucketAt(now);
  }

  private bucketAt(now: Date): string {
    return String(Math.floor(now.getTime() / QUARTER_HOUR));
  }

  private async resolveType(request: SlotsRequest, manager?: EntityManager): Promise<MeetingTypeSnapshot> {
    let type = await this.lookupType(request, manager);
    // A type created or re-activated a moment ago may not have reached the read replica yet: ask the primary too.
    if (manager && !type?.isActive) type = await this.lookupType(request);
    if (!type || !type.isActive) throw notFound('meeting type');
    return type;
  }

  private lookupType(request: SlotsRequest, manager?: EntityManager): Promise<MeetingTypeSnapshot | null> {
    if (request.meetingTypeId) return this.meetingTypes.findSnapshot(request.meetingTypeId, manager);
    if (request.username && request.slug) return this.meetingTypes.findPublicSnapshot(request.username, request.slug, manager);
    return Promise.resolve(null);
  }
}

/** Whether a cached answer is still before the instant a round-robin host's cap may lift (none: always). */
function beforeLift(liftAt: number | null | undefined, now: Date): boolean {
  return liftAt === null || liftAt === undefined || now.getTime() < liftAt;
}

/** A Map that forgets its oldest entry when full. */
class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }
}

/** Whether two snapshots of a type depend on the same versions (currentForType): same type, owner and hosts. */
function sameDependencies(a: MeetingTypeSnapshot, b: MeetingTypeSnapshot): boolean {
  return a.id === b.id && a.ownerId === b.ownerId && a.hosts.map((h) => h.userId).join() === b.hosts.map((h) => h.userId).join();
}

/** The cache key's part for the meeting's length: entries of different lengths are different answers. */
function durationKey(request: SlotsRequest): string {
  return request.durationMinutes === undefined ? '' : `:d${request.durationMinutes}`;
}

/** How the request names its meeting type in cache keys (as lookupType resolves it), or null when it names none. */
function typeRefOf(request: SlotsRequest): string | null {
  if (request.meetingTypeId) return request.meetingTypeId;
  if (request.username && request.slug) return `${request.username.toLowerCase()}/${request.slug}`;
  return null;
}
