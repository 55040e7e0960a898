-- 10_install_capture.sql: the four CHECKs whose comparisons had no exact
-- operator in pg_catalog (a double precision or numeric against an integer
-- literal).  A 1.0 install made with a hostile operator in public bound them
-- to it; re-created here with typed operands and qualified operators, they
-- bind to pg_catalog's whatever the install did.
ALTER TABLE licensing.calendar_exception
    DROP CONSTRAINT calendar_exception_day_off_on_weekday,
    ADD CONSTRAINT calendar_exception_day_off_on_weekday
        CHECK (kind <> 'day_off' OR pg_catalog.date_part('isodow', day) OPERATOR(pg_catalog.<) 6::float8),
    DROP CONSTRAINT calendar_exception_working_day_on_weekend,
    ADD CONSTRAINT calendar_exception_working_day_on_weekend
        CHECK (kind <> 'working_day' OR pg_catalog.date_part('isodow', day) OPERATOR(pg_catalog.>=) 6::float8);
ALTER TABLE licensing.service_fee
    DROP CONSTRAINT service_fee_amount_check,
    ADD CONSTRAINT service_fee_amount_check CHECK (amount OPERATOR(pg_catalog.>=) 0::numeric);
ALTER TABLE licensing.application_payment
    DROP CONSTRAINT application_payment_amount_check,
    ADD CONSTRAINT application_payment_amount_check CHECK (amount OPERATOR(pg_catalog.>) 0::numeric);
