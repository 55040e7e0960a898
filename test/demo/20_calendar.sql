-- Demo, part 2: the working calendar and deadlines as a clerk reads them.
\echo
\echo '== 2. Working calendar and deadlines (provider time, UTC+5)'
\echo 'Scrap-metal licence: 15 working days from the receipt day (West Kazakhstan No 40 of 29.03.2013, table 1 step 9);'
\echo 'ecological expertise: one month (Karaganda No 29/02 of 22.05.2013, table 1 step 9).  After 18:00 or on a day off'
\echo 'an application counts as received on the next working day.'
SELECT to_char(t AT TIME ZONE '<+05>-05', 'Dy DD Mon YYYY HH24:MI') AS "received",
       to_char(licensing.receipt_day(t), 'Dy DD Mon YYYY') AS "registered (receipt day)",
       to_char(licensing.term_due_on(licensing.receipt_day(t), '15 working days'), 'Dy DD Mon YYYY') AS "licence due (15 working days)",
       to_char(licensing.term_due_on(licensing.receipt_day(t), '1 month'), 'Dy DD Mon YYYY') AS "conclusion due (1 month)",
       why AS "what the calendar did"
  FROM (VALUES
    ('2024-12-27 17:45+05'::timestamptz, 'New Year 1-2 Jan, Fri 3 Jan off, Sun 5 Jan worked (decree No 436)'),
    ('2024-12-27 18:30+05', 'after hours: registered on the next working day'),
    ('2025-03-05 10:00+05', 'Women''s Day on Sat 8 Mar carried to Mon 10; Nauryz 21-25 Mar'),
    ('2025-03-22 11:00+05', 'Nauryz on a Saturday: each weekend day carried separately'),
    ('2024-05-03 16:00+05', 'Sat 4 May 2024 worked, Wed 8 May off (decree No 109)'),
    ('2025-06-05 12:00+05', 'Kurban Ait Fri 6 Jun; a holiday, never carried')
  ) AS a(t, why)
 ORDER BY t;

\echo 'The worked examples of QUALITY §5, as the clerk reads them:'
SELECT format('received %s → registered %s → due %s',
              to_char(t AT TIME ZONE '<+05>-05', 'Dy DD Mon YYYY HH24:MI'),
              to_char(licensing.receipt_day(t), 'Dy DD Mon YYYY'),
              to_char(licensing.term_due_on(licensing.receipt_day(t), '15 working days'), 'Dy DD Mon YYYY')) AS "15 working days"
  FROM unnest(ARRAY['2025-03-05 11:20+05', '2024-12-27 17:45+05']::timestamptz[]) AS t;

\echo 'Step norms of the south-kazakhstan-2015 profile (No 441 of 28.12.2015, §4–5) for one application:'
SELECT step, norm,
       to_char(anchor AT TIME ZONE '<+05>-05', 'Dy DD Mon HH24:MI') AS "from",
       CASE WHEN norm LIKE '%day%'
            THEN 'end of ' || to_char((licensing.norm_due_at(anchor, norm) - interval '1 microsecond') AT TIME ZONE '<+05>-05', 'Dy DD Mon')
            ELSE to_char(licensing.norm_due_at(anchor, norm) AT TIME ZONE '<+05>-05', 'Dy DD Mon HH24:MI') END AS "due by"
  FROM (VALUES
    (1, 'register', '15 minutes', '2025-02-28 17:50+05'::timestamptz),
    (2, 'assign', '2 hours', '2025-02-28 17:30+05'),
    (3, 'completeness', '2 working days', '2025-02-28 17:30+05'),
    (4, 'sign', '2 hours', '2025-03-07 16:30+05')
  ) AS s(n, step, norm, anchor)
 ORDER BY n;
\echo '(minutes and hours run in working time, 09:00-18:00 less lunch 13:00-14:00; day norms'
\echo ' count working days from the receipt day and fall due at the end of the day)'
