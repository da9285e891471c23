"""The vote confirmation as one PostgreSQL function: one round trip and cached plans on the hot path.

It does exactly what contests.voting._confirm_in_python does on other databases (SQLite for `make run`):
lock the voter's row (never the entry's), re-read the vote, count the voter's confirmed votes in the
nomination against the limit, complete the vote (the partial unique index refuses a second confirmed
vote for the same entry — the caller then records a duplicate) and erase the plain address. Called in
autocommit, the call is its own transaction.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION contests_confirm_vote(
    p_vote bigint, p_contest integer, p_nomination bigint, p_entry integer, p_key varchar,
    p_limit integer, p_now timestamptz, p_subnet varchar, p_ua varchar
) RETURNS varchar AS $$
DECLARE
    v_current varchar;
    v_used integer[];
    v_status varchar;
BEGIN
    INSERT INTO contests_voter (contest_id, voter_key, created_at) VALUES (p_contest, p_key, p_now)
        ON CONFLICT (contest_id, voter_key) DO UPDATE SET created_at = contests_voter.created_at;

    SELECT outcome INTO v_current FROM contests_vote WHERE id = p_vote;
    IF v_current IS DISTINCT FROM 'pending' THEN
        RETURN CASE WHEN v_current = 'confirmed' THEN 'already_confirmed' ELSE coalesce(v_current, 'invalid') END;
    END IF;

    SELECT coalesce(array_agg(entry_id), '{}') INTO v_used FROM contests_vote
        WHERE contest_id = p_contest AND nomination_id = p_nomination AND voter_key = p_key
          AND outcome = 'confirmed';
    IF cardinality(v_used) >= p_limit THEN
        v_status := CASE WHEN p_entry = ANY(v_used) THEN 'duplicate' ELSE 'limit' END;
    ELSE
        v_status := 'confirmed';
    END IF;

    -- The partial unique index refuses a second confirmed vote for the same entry: the error reaches
    -- the caller, which records the vote as a duplicate (no subtransaction on the common path).
    UPDATE contests_vote SET outcome = v_status, completed_at = p_now, voter_key = p_key,
        confirm_subnet_hash = p_subnet, confirm_ua_hash = p_ua
        WHERE id = p_vote AND outcome = 'pending';
    IF NOT FOUND THEN
        v_status := 'already_confirmed';  -- completed meanwhile (only possible without the lock)
    END IF;

    WITH erased AS (DELETE FROM contests_voteemail WHERE vote_id = p_vote RETURNING outgoing_id)
    UPDATE core_outgoingemail SET "to" = '' WHERE id IN (SELECT outgoing_id FROM erased);
    RETURN v_status;
END;
$$ LANGUAGE plpgsql;
"""

DROP = "DROP FUNCTION IF EXISTS contests_confirm_vote(bigint, integer, bigint, integer, varchar, integer, timestamptz, varchar, varchar);"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no params: the SQL's % signs stay as they are
            cursor.execute(FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("contests", "0003_vote_voter_index")]

    operations = [migrations.RunPython(create_function, drop_function)]
