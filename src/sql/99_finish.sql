-- 99_finish.sql: what spans all parts and must come last.

-- Functions are executable by PUBLIC unless a part revoked that; the parts
-- that define SECURITY DEFINER functions revoke and grant them themselves.
