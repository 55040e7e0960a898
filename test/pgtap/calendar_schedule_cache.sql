-- calendar_schedule_cache: the calendar caches provider schedules per backend
-- (calendar_time.c); a change of licensing.provider must count at once:
-- in this session from the next statement, from another session once it
-- commits.  Each due moment is compared with the same computation from the
-- schedule given as jsonb (no cache involved).
BEGIN;
SELECT plan(7);

INSERT INTO licensing.provider (code, name_kk, name_ru, name_en, schedule)
VALUES ('perf-cache', 'p', 'p', 'p', '{}');

-- Monday 2 June 2025, 17:30 local: one working hour later is the next morning
SELECT is(licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', 'perf-cache'),
          licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', '{}'::jsonb),
          'the default schedule is read and cached');

UPDATE licensing.provider SET schedule = '{"day_end": "20:00"}' WHERE code = 'perf-cache';
SELECT is(licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', 'perf-cache'),
          licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', '{"day_end": "20:00"}'::jsonb),
          'an UPDATE of the schedule counts from the next statement');
SELECT isnt(licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', 'perf-cache'),
            licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', '{}'::jsonb),
            'the cached default schedule is not used any more');
SELECT is(licensing.receipt_day('2025-06-02 18:30+05', 'perf-cache'),
          licensing.receipt_day('2025-06-02 18:30+05', '{"day_end": "20:00"}'::jsonb),
          'receipt_day reads the changed schedule too');

DELETE FROM licensing.provider WHERE code = 'perf-cache';
SELECT throws_ok($$SELECT licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', 'perf-cache')$$,
                 'P0002', 'provider "perf-cache" does not exist',
                 'a deleted provider is not served from the cache');

-- another session changes a committed provider: counts here once it commits
SELECT dblink_connect('perf_other', pg_catalog.format('host=%s port=%s dbname=%s',
    pg_catalog.split_part(pg_catalog.current_setting('unix_socket_directories'), ',', 1),
    pg_catalog.current_setting('port'), pg_catalog.current_database()));
SELECT dblink_exec('perf_other', $$INSERT INTO licensing.provider (code, name_kk, name_ru, name_en, schedule)
                                   VALUES ('perf-cache2', 'p', 'p', 'p', '{}')$$);
SELECT is(licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', 'perf-cache2'),
          licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', '{}'::jsonb),
          'a provider committed by another session is read');
SELECT dblink_exec('perf_other', $$UPDATE licensing.provider SET schedule = '{"day_end": "20:00"}'
                                   WHERE code = 'perf-cache2'$$);
SELECT is(licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', 'perf-cache2'),
          licensing.norm_due_at('2025-06-02 17:30+05', '1 hours', '{"day_end": "20:00"}'::jsonb),
          'a schedule change committed by another session counts at the next call');
SELECT dblink_exec('perf_other', $$DELETE FROM licensing.provider WHERE code = 'perf-cache2'$$);
SELECT dblink_disconnect('perf_other');

SELECT * FROM finish();
ROLLBACK;
