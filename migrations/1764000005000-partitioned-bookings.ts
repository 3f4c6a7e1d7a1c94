import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bookings at scale (docs/adr/0014-partitioned-bookings.md): bookings, booking_invitees, notification_deliveries and
 * outbox_events become monthly range-partitioned tables (with a DEFAULT partition so no insert ever fails), and each
 * gets an archive table the archive job moves old rows into.
 *
 * - bookings by start_time; PK (id, start_time). Foreign keys that pointed at bookings(id) now point at
 *   booking_keys(id), a narrow unpartitioned table (id, start_time) that triggers keep in step with bookings and
 *   bookings_archive, so integrity stays exact and a lookup by id can find its partition.
 * - booking_invitees by created_at; notification_deliveries by created_at, their deterministic ids kept unique
 *   across partitions by notification_delivery_keys; outbox_events by occurred_at.
 * - booking_hosts (the exclusion constraint) is not partitioned; only its booking_id foreign key changes target.
 * - kairos_ensure_partitions(at, months_ahead) creates the months ahead and splits any row that landed in a DEFAULT
 *   partition out into its own month; the PartitionMaintenance job and start-up call it.
 */
export class PartitionedBookings1764000005000 implements MigrationInterface {
  name = 'PartitionedBookings1764000005000';

  async up(q: QueryRunner): Promise<void> {
    // --- partition helpers ------------------------------------------------------------------------------------------
    // Creates the month partition of `parent` holding `month_at` (UTC months), first moving any of its rows out of the
    // DEFAULT partition (PostgreSQL refuses to create a partition whose rows sit in the default). Key triggers skip
    // while kairos.moving_rows is on: the rows keep their ids, only their partition changes.
    await q.query(`
      CREATE FUNCTION kairos_month_partition(parent text, month_at timestamptz) RETURNS boolean LANGUAGE plpgsql AS $$
      DECLARE
        m timestamp := date_trunc('month', month_at AT TIME ZONE 'UTC');
        lo timestamptz := m AT TIME ZONE 'UTC';
        hi timestamptz := (m + interval '1 month') AT TIME ZONE 'UTC';
        part text := parent || '_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM');
        dflt text := parent || '_default';
        key text;
        moving text := current_setting('kairos.moving_rows', true);
      BEGIN
        IF to_regclass(part) IS NOT NULL THEN RETURN false; END IF;
        SELECT a.attname INTO key FROM pg_partitioned_table p
          JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
         WHERE p.partrelid = parent::regclass;
        PERFORM set_config('kairos.moving_rows', 'on', true);
        EXECUTE format('CREATE TEMP TABLE kairos_moving (LIKE %I)', parent);
        EXECUTE format('WITH d AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO kairos_moving SELECT * FROM d',
                       dflt, key, key) USING lo, hi;
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, parent, lo, hi);
        EXECUTE format('INSERT INTO %I SELECT * FROM kairos_moving', parent);
        DROP TABLE kairos_moving;
        PERFORM set_config('kairos.moving_rows', COALESCE(moving, ''), true);
        RETURN true;
      END $$`);
    // The months from the earlier of `at` and now() through months_ahead after the later one, plus every month that
    // has rows in a DEFAULT partition. One caller at a time (transaction advisory lock): replicas may race at start-up.
    await q.query(`
      CREATE FUNCTION kairos_ensure_partitions(at timestamptz, months_ahead integer) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        parent text;
        month_at timestamptz;
        created integer := 0;
        first_month timestamp := date_trunc('month', least(at, now()) AT TIME ZONE 'UTC');
        last_month timestamp := date_trunc('month', greatest(at, now()) AT TIME ZONE 'UTC') + make_interval(months => months_ahead);
        key text;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('kairos_ensure_partitions'));
        FOREACH parent IN ARRAY ARRAY['bookings', 'booking_invitees', 'notification_deliveries', 'outbox_events'] LOOP
          FOR month_at IN SELECT g AT TIME ZONE 'UTC' FROM generate_series(first_month, last_month, interval '1 month') g LOOP
            IF kairos_month_partition(parent, month_at) THEN created := created + 1; END IF;
          END LOOP;
          SELECT a.attname INTO key FROM pg_partitioned_table p
            JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
           WHERE p.partrelid = parent::regclass;
          FOR month_at IN EXECUTE format(
              'SELECT DISTINCT date_trunc(''month'', %I AT TIME ZONE ''UTC'') AT TIME ZONE ''UTC'' FROM %I', key, parent || '_default') LOOP
            IF kairos_month_partition(parent, month_at) THEN created := created + 1; END IF;
          END LOOP;
        END LOOP;
        RETURN created;
      END $$`);
    // Drops month partitions that end at or before `before` and hold no rows (the archive job emptied them), so the
    // number of hot partitions a lookup without the partition key probes stays bounded.
    await q.query(`
      CREATE FUNCTION kairos_drop_empty_partitions(before timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        r record;
        has_rows boolean;
        dropped integer := 0;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('kairos_ensure_partitions'));
        FOR r IN
          SELECT c.relname, to_date(substring(c.relname FROM '_y(\\d{4})m') || substring(c.relname FROM 'm(\\d{2})$') || '01', 'YYYYMMDD') AS lo
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent IN ('bookings'::regclass, 'booking_invitees'::regclass, 'notification_deliveries'::regclass, 'outbox_events'::regclass)
             AND c.relname ~ '_y\\d{4}m\\d{2}$'
        LOOP
          CONTINUE WHEN ((r.lo + interval '1 month') AT TIME ZONE 'UTC') > before;
          -- Locked before looking, so no row can land in it between the look and the drop.
          EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', r.relname);
          EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', r.relname) INTO has_rows;
          CONTINUE WHEN has_rows;
          EXECUTE format('DROP TABLE %I', r.relname);
          dropped := dropped + 1;
        END LOOP;
        RETURN dropped;
      END $$`);

    // --- booking_keys: the foreign-key target ----------------------------------------------------------------------
    await q.query(`
      CREATE TABLE booking_keys (
        id uuid PRIMARY KEY,
        start_time timestamptz NOT NULL,
        meeting_type_id uuid NOT NULL,
        archived boolean NOT NULL DEFAULT false
      )`);
    await q.query(`INSERT INTO booking_keys (id, start_time, meeting_type_id) SELECT id, start_time, meeting_type_id FROM bookings`);
    for (const [table, column] of [
      ['booking_hosts', 'booking_id'],
      ['booking_invitees', 'booking_id'],
      ['calendar_event_links', 'booking_id'],
      ['bookings', 'rescheduled_from_id'],
      ['bookings', 'rescheduled_to_id'],
    ]) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_${column}_fkey`);
    }

    // --- the four partitioned tables ---------------------------------------------------------------------------------
    const convert = async (table: string, key: string, pk: string, extra: string[]) => {
      await q.query(`CREATE TABLE ${table}_p (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (${key})`);
      await q.query(`CREATE TABLE ${table}_default PARTITION OF ${table}_p DEFAULT`);
      await q.query(`INSERT INTO ${table}_p SELECT * FROM ${table}`);
      await q.query(`DROP TABLE ${table}`);
      await q.query(`ALTER TABLE ${table}_p RENAME TO ${table}`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (${pk})`);
      for (const sql of extra) await q.query(sql);
    };
    await q.query(`ALTER SEQUENCE outbox_events_id_seq OWNED BY NONE`);
    await convert('bookings', 'start_time', 'id, start_time', [
      `ALTER TABLE bookings ADD FOREIGN KEY (meeting_type_id) REFERENCES meeting_types(id) ON DELETE CASCADE`,
      `ALTER TABLE bookings ADD FOREIGN KEY (host_user_id) REFERENCES users(id) ON DELETE CASCADE`,
      `ALTER TABLE bookings ADD FOREIGN KEY (rescheduled_from_id) REFERENCES booking_keys(id) ON DELETE SET NULL`,
      `ALTER TABLE bookings ADD FOREIGN KEY (rescheduled_to_id) REFERENCES booking_keys(id) ON DELETE SET NULL`,
      `CREATE INDEX bookings_host_time_idx ON bookings (host_user_id, start_time)`,
      `CREATE INDEX bookings_type_time_idx ON bookings (meeting_type_id, start_time)`,
      `CREATE INDEX bookings_status_idx ON bookings (status)`,
      `CREATE INDEX bookings_end_idx ON bookings (end_time)`,
    ]);
    await convert('booking_invitees', 'created_at', 'id, created_at', [
      `ALTER TABLE booking_invitees ADD FOREIGN KEY (booking_id) REFERENCES booking_keys(id) ON DELETE CASCADE`,
      `ALTER TABLE booking_invitees ADD CONSTRAINT booking_invitees_management_token_hash_key UNIQUE (management_token_hash, created_at)`,
      `CREATE INDEX booking_invitees_booking_idx ON booking_invitees (booking_id)`,
      `CREATE INDEX booking_invitees_email_idx ON booking_invitees (lower(email))`,
      `CREATE INDEX booking_invitees_token_idx ON booking_invitees (management_token_hash)`,
    ]);
    await convert('notification_deliveries', 'created_at', 'id, created_at', [
      `CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (due_at) WHERE status = 'pending'`,
      `CREATE INDEX notification_deliveries_booking_idx ON notification_deliveries (booking_id)`,
      `CREATE INDEX notification_deliveries_visible_idx ON notification_deliveries USING gin (visible_to)`,
      `CREATE INDEX notification_deliveries_id_idx ON notification_deliveries (id)`,
    ]);
    await convert('outbox_events', 'occurred_at', 'id, occurred_at', [
      `ALTER SEQUENCE outbox_events_id_seq OWNED BY outbox_events.id`,
      `CREATE INDEX outbox_events_booking_idx ON outbox_events (booking_id)`,
      `CREATE INDEX outbox_events_txid_idx ON outbox_events (txid, id)`,
    ]);

    await q.query(`ALTER TABLE booking_hosts ADD FOREIGN KEY (booking_id) REFERENCES booking_keys(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE calendar_event_links ADD FOREIGN KEY (booking_id) REFERENCES booking_keys(id) ON DELETE CASCADE`);

    // --- keys kept in step by the database ---------------------------------------------------------------------------
    // A booking's id and start are fixed (a reschedule inserts a new booking), so a key never has to follow a row
    // across partitions; deleting a booking deletes its key, which cascades to its hosts, invitees and event links.
    await q.query(`
      CREATE FUNCTION booking_keys_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('kairos.moving_rows', true) = 'on' THEN RETURN NULL; END IF;
        IF TG_OP = 'INSERT' THEN
          INSERT INTO booking_keys (id, start_time, meeting_type_id, archived)
          VALUES (NEW.id, NEW.start_time, NEW.meeting_type_id, TG_TABLE_NAME = 'bookings_archive');
        ELSE
          DELETE FROM booking_keys WHERE id = OLD.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION booking_keys_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id <> OLD.id OR NEW.start_time <> OLD.start_time OR NEW.meeting_type_id <> OLD.meeting_type_id THEN
          RAISE EXCEPTION 'a booking''s id, start_time and meeting_type_id are fixed: a reschedule inserts a new booking'
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER bookings_keys AFTER INSERT OR DELETE ON bookings FOR EACH ROW EXECUTE FUNCTION booking_keys_sync()`);
    await q.query(`CREATE TRIGGER bookings_keys_fixed BEFORE UPDATE ON bookings FOR EACH ROW EXECUTE FUNCTION booking_keys_fixed()`);

    await q.query(`
      CREATE TABLE notification_delivery_keys (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`INSERT INTO notification_delivery_keys (id, created_at) SELECT id, created_at FROM notification_deliveries`);
    // Any insert (the app's, a tool's) registers its id; the same id in another month's partition is a 23505.
    await q.query(`
      CREATE FUNCTION notification_delivery_keys_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('kairos.moving_rows', true) = 'on' THEN RETURN NULL; END IF;
        IF TG_OP = 'INSERT' THEN
          INSERT INTO notification_delivery_keys (id, created_at) VALUES (NEW.id, NEW.created_at) ON CONFLICT (id) DO NOTHING;
          IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM notification_delivery_keys WHERE id = NEW.id AND created_at = NEW.created_at) THEN
            RAISE EXCEPTION 'duplicate notification delivery id %', NEW.id
              USING ERRCODE = 'unique_violation', CONSTRAINT = 'notification_delivery_keys_pkey';
          END IF;
        ELSE
          DELETE FROM notification_delivery_keys WHERE id = OLD.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION created_at_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.created_at <> OLD.created_at THEN
          RAISE EXCEPTION '%.created_at is the partition key and fixed', TG_TABLE_NAME USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER notification_deliveries_keys AFTER INSERT OR DELETE ON notification_deliveries
        FOR EACH ROW EXECUTE FUNCTION notification_delivery_keys_sync()`);
    await q.query(`
      CREATE TRIGGER notification_deliveries_created_fixed BEFORE UPDATE ON notification_deliveries
        FOR EACH ROW EXECUTE FUNCTION created_at_fixed()`);

    // --- archive -------------------------------------------------------------------------------------------------------
    // Plain tables, read by history, export and erasure. An archived booking keeps its key (archived = true), so event
    // links and reschedule chains still resolve; deleting the account deletes the archived rows through the keys.
    await q.query(`
      CREATE TABLE bookings_archive (LIKE bookings INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
        host_ids uuid[] NOT NULL DEFAULT '{}',
        archived_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id),
        FOREIGN KEY (id) REFERENCES booking_keys(id) ON DELETE CASCADE,
        FOREIGN KEY (meeting_type_id) REFERENCES meeting_types(id) ON DELETE CASCADE,
        FOREIGN KEY (host_user_id) REFERENCES users(id) ON DELETE CASCADE)`);
    await q.query(`CREATE INDEX bookings_archive_host_time_idx ON bookings_archive (host_user_id, start_time)`);
    await q.query(`CREATE INDEX bookings_archive_hosts_idx ON bookings_archive USING gin (host_ids)`);
    await q.query(`CREATE INDEX bookings_archive_type_idx ON bookings_archive (meeting_type_id)`);
    await q.query(
      `CREATE TRIGGER bookings_archive_keys AFTER DELETE ON bookings_archive FOR EACH ROW EXECUTE FUNCTION booking_keys_sync()`,
    );
    await q.query(`
      CREATE TABLE booking_invitees_archive (LIKE booking_invitees INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
        PRIMARY KEY (id),
        FOREIGN KEY (booking_id) REFERENCES booking_keys(id) ON DELETE CASCADE)`);
    await q.query(`CREATE INDEX booking_invitees_archive_booking_idx ON booking_invitees_archive (booking_id)`);
    await q.query(`CREATE INDEX booking_invitees_archive_email_idx ON booking_invitees_archive (lower(email))`);
    await q.query(`
      CREATE TABLE notification_deliveries_archive (LIKE notification_deliveries INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
        PRIMARY KEY (id))`);
    await q.query(`CREATE INDEX notification_deliveries_archive_booking_idx ON notification_deliveries_archive (booking_id)`);
    await q.query(`CREATE INDEX notification_deliveries_archive_recipient_idx ON notification_deliveries_archive (recipient_id)`);
    await q.query(`
      CREATE TRIGGER notification_deliveries_archive_keys AFTER DELETE ON notification_deliveries_archive
        FOR EACH ROW EXECUTE FUNCTION notification_delivery_keys_sync()`);
    await q.query(`CREATE TABLE outbox_events_archive (LIKE outbox_events INCLUDING DEFAULTS, PRIMARY KEY (id))`);
    await q.query(`ALTER TABLE outbox_events_archive ALTER COLUMN id DROP DEFAULT`);
    await q.query(`CREATE INDEX outbox_events_archive_booking_idx ON outbox_events_archive (booking_id)`);

    // Partitions for every month that has rows, and a year ahead, so a fresh database works at once.
    await q.query(`SELECT kairos_ensure_partitions(now(), 12)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to plain tables, archived rows included. Archived bookings get their host rows back, not live: they ended
    // long ago and occupy nothing.
    await q.query(`SELECT set_config('kairos.moving_rows', 'on', true)`);
    await q.query(`
      INSERT INTO booking_hosts (booking_id, user_id, blocked, is_live)
      SELECT a.id, h.user_id, tstzrange(a.start_time, a.end_time, '[)'), false FROM bookings_archive a, unnest(a.host_ids) AS h(user_id)`);
    await q.query(`ALTER SEQUENCE outbox_events_id_seq OWNED BY NONE`);
    const cols = async (table: string) =>
      (
        await q.query(
          `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS c FROM pg_attribute
            WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
          [table],
        )
      )[0].c as string;
    for (const [table, pk] of [
      ['bookings', 'id'],
      ['booking_invitees', 'id'],
      ['notification_deliveries', 'id'],
      ['outbox_events', 'id'],
    ]) {
      const c = await cols(table);
      await q.query(`CREATE TABLE ${table}_plain (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      await q.query(`INSERT INTO ${table}_plain SELECT * FROM ${table}`);
      await q.query(`INSERT INTO ${table}_plain (${c}) SELECT ${c} FROM ${table}_archive`);
      await q.query(`DROP TABLE ${table}_archive`);
      await q.query(`DROP TABLE ${table} CASCADE`);
      await q.query(`ALTER TABLE ${table}_plain RENAME TO ${table}`);
      await q.query(`ALTER TABLE ${table} ADD PRIMARY KEY (${pk})`);
    }
    await q.query(`ALTER SEQUENCE outbox_events_id_seq OWNED BY outbox_events.id`);
    await q.query(`DROP TABLE notification_delivery_keys`);
    for (const [table, column] of [
      ['booking_hosts', 'booking_id'],
      ['calendar_event_links', 'booking_id'],
    ]) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_${column}_fkey`);
    }
    await q.query(`DROP TABLE booking_keys`);
    await q.query(`ALTER TABLE bookings ADD FOREIGN KEY (meeting_type_id) REFERENCES meeting_types(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE bookings ADD FOREIGN KEY (host_user_id) REFERENCES users(id) ON DELETE CASCADE`);
    for (const [table, column, action] of [
      ['bookings', 'rescheduled_from_id', 'SET NULL'],
      ['bookings', 'rescheduled_to_id', 'SET NULL'],
      ['booking_invitees', 'booking_id', 'CASCADE'],
      ['booking_hosts', 'booking_id', 'CASCADE'],
      ['calendar_event_links', 'booking_id', 'CASCADE'],
    ]) {
      await q.query(`ALTER TABLE ${table} ADD FOREIGN KEY (${column}) REFERENCES bookings(id) ON DELETE ${action}`);
    }
    await q.query(`ALTER TABLE booking_invitees ADD UNIQUE (management_token_hash)`);
    await q.query(`CREATE INDEX bookings_host_time_idx ON bookings (host_user_id, start_time)`);
    await q.query(`CREATE INDEX bookings_type_time_idx ON bookings (meeting_type_id, start_time)`);
    await q.query(`CREATE INDEX bookings_status_idx ON bookings (status)`);
    await q.query(`CREATE INDEX booking_invitees_booking_idx ON booking_invitees (booking_id)`);
    await q.query(`CREATE INDEX booking_invitees_email_idx ON booking_invitees (lower(email))`);
    await q.query(`CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (due_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX notification_deliveries_booking_idx ON notification_deliveries (booking_id)`);
    await q.query(`CREATE INDEX notification_deliveries_visible_idx ON notification_deliveries USING gin (visible_to)`);
    await q.query(`CREATE INDEX outbox_events_booking_idx ON outbox_events (booking_id)`);
    await q.query(`CREATE INDEX outbox_events_txid_idx ON outbox_events (txid, id)`);
    for (const fn of [
      'booking_keys_sync()',
      'booking_keys_fixed()',
      'notification_delivery_keys_sync()',
      'created_at_fixed()',
      'kairos_drop_empty_partitions(timestamptz)',
      'kairos_ensure_partitions(timestamptz, integer)',
      'kairos_month_partition(text, timestamptz)',
    ]) {
      await q.query(`DROP FUNCTION IF EXISTS ${fn}`);
    }
  }
}
