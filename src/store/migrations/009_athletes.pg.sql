-- 009_athletes.pg.sql - a club's athletes, their coaches and who sees what.
--  athletes      one row per athlete: the name every other table's athlete
--                column holds, and the role that is this athlete (runcare
--                athlete add makes it). A reference table under Citus.
--  coach_grants  a coach's role reads the athletes granted to it (runcare
--                athlete grant COACH ATHLETE). A reference table.
--  runcare_member  the group role of athletes and coaches: the table
--                privileges; which rows, row-level security decides.
-- Row-level security on every table of the log, forced on the owner too:
-- a connection sees the rows of its athlete (runcare.athlete) only, and
-- only when its role is the owner, that athlete's role, or a coach granted
-- that athlete; it writes them only as the owner or that athlete's role.
-- The checks are SECURITY DEFINER functions (they read athletes and
-- coach_grants, which members cannot), called once per query.
CREATE TABLE athletes (
    name text PRIMARY KEY,
    role text NOT NULL UNIQUE,
    added_s double precision NOT NULL DEFAULT 0
);
CREATE TABLE coach_grants (
    coach text NOT NULL,
    athlete text NOT NULL REFERENCES athletes (name) ON DELETE CASCADE,
    PRIMARY KEY (coach, athlete)
);

-- (PL/pgSQL: its plans are kept for the session, where an SQL function
-- that cannot be inlined is planned again at every call; these run once
-- per query of the log)
CREATE FUNCTION runcare_may_read(a text, r text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN r = current_user
        OR EXISTS (SELECT 1 FROM athletes WHERE name = a AND role = r)
        OR EXISTS (SELECT 1 FROM coach_grants WHERE coach = r AND athlete = a);
END
$$;
CREATE FUNCTION runcare_may_write(a text, r text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN r = current_user
        OR EXISTS (SELECT 1 FROM athletes WHERE name = a AND role = r);
END
$$;
-- the athletes role r may see: own = r is that athlete, coach = granted
-- (one query, no call per athlete: `club` and every open read it)
CREATE FUNCTION runcare_athletes_of(r text)
RETURNS TABLE (name text, own boolean, coach boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT a.name, a.role = r, g.coach IS NOT NULL
    FROM athletes a
    LEFT JOIN coach_grants g ON g.athlete = a.name AND g.coach = r
    WHERE r = current_user OR a.role = r OR g.coach IS NOT NULL
    ORDER BY a.name
$$;
-- the names of the athletes role r may read, for `club`
CREATE FUNCTION runcare_readable(r text) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT COALESCE(array_agg(name), '{}') FROM runcare_athletes_of(r)
$$;
-- may role r choose athlete a?
CREATE FUNCTION runcare_athlete_visible(a text, r text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT EXISTS (SELECT 1 FROM athletes WHERE name = a)
        AND runcare_may_read(a, r)
$$;

DO $$
DECLARE
    t text;
    w text := 'athlete = current_setting(''runcare.athlete'', true) AND '
        '(SELECT runcare_may_write(current_setting(''runcare.athlete'', '
        'true), current_user::text))';
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'runcare_member')
    THEN
        CREATE ROLE runcare_member NOLOGIN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO runcare_member',
                   current_schema());
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO '
                   'runcare_member', current_schema());
    GRANT SELECT ON runcare_schema TO runcare_member;
    FOREACH t IN ARRAY ARRAY['shoes', 'sources', 'activities', 'laps',
            'samples', 'import_log', 'reports', 'archives',
            'history_batches', 'history'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY runcare_read ON %I FOR SELECT USING '
            '(athlete = current_setting(''runcare.athlete'', true) AND '
            '(SELECT runcare_may_read(current_setting(''runcare.athlete'', '
            'true), current_user::text)))', t);
        -- writes: the chosen athlete, by its role or the owner; one
        -- policy per command, so that reads meet the read policy alone
        EXECUTE format('CREATE POLICY runcare_insert ON %I FOR INSERT '
            'WITH CHECK (%s)', t, w);
        EXECUTE format('CREATE POLICY runcare_update ON %I FOR UPDATE '
            'USING (%s) WITH CHECK (%s)', t, w, w);
        EXECUTE format('CREATE POLICY runcare_delete ON %I FOR DELETE '
            'USING (%s)', t, w);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO '
                       'runcare_member', t);
    END LOOP;
END
$$;

-- `club`: the activities (no duplicates, none removed) from day since on
-- of every athlete role r may read, athlete after athlete (byte order),
-- each oldest first, in one call: each athlete's part is read as that
-- athlete (runcare.athlete, for this transaction), so row-level security
-- and the athlete-first indexes serve it as they serve `runcare load`.
CREATE FUNCTION runcare_club_activities(since bigint) RETURNS SETOF activities
LANGUAGE plpgsql AS $$
DECLARE
    a text;
BEGIN
    FOR a IN SELECT name FROM runcare_athletes_of(current_user::text)
             ORDER BY name COLLATE "C" LOOP
        PERFORM set_config('runcare.athlete', a, true);
        RETURN QUERY SELECT * FROM activities WHERE local_day >= since
            AND duplicate_of IS NULL AND deleted = 0 ORDER BY start_s, id;
    END LOOP;
END
$$;

-- A value as the history's JSON keeps it, as SQLite's json_object writes
-- it: a whole double with ".0" (6.0, not 6), so that both backends show
-- the same history.
CREATE FUNCTION runcare_jv(v double precision) RETURNS json
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v = trunc(v) AND abs(v) < 1e15
        THEN to_json(v::numeric(17, 1)) ELSE to_json(v) END
$$;
CREATE FUNCTION runcare_jv(v bigint) RETURNS json
LANGUAGE sql IMMUTABLE AS $$ SELECT to_json(v) $$;
CREATE FUNCTION runcare_jv(v text) RETURNS json
LANGUAGE sql IMMUTABLE AS $$ SELECT to_json(v) $$;
