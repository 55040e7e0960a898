/*
 * history.c
 *		The hash chain of licensing.application_event.
 *
 * Each event's hash is SHA-256 over the previous event's hash (of the same
 * application; nothing for the first) followed by the RFC 8785 canonical JSON
 * of the event (application, seq, at in UTC, actor, what, from, to, payload).
 * The same routine serves the append and licensing.verify_history(), so a
 * chain built by one is checked by exactly the same encoding.
 */
#include "postgres.h"

#include "common/cryptohash.h"
#include "common/sha2.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "workflow.h"

/*
 * licensing._event_hash(prev bytea, body jsonb) RETURNS bytea
 */
PG_FUNCTION_INFO_V1(licensing_event_hash);
Datum
licensing_event_hash(PG_FUNCTION_ARGS)
{
	Jsonb	   *body;
	char	   *canon;
	pg_cryptohash_ctx *ctx;
	bytea	   *result;

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	body = PG_GETARG_JSONB_P(1);
	canon = canonical_json_cstring(body);

	ctx = pg_cryptohash_create(PG_SHA256);
	if (ctx == NULL || pg_cryptohash_init(ctx) < 0)
		elog(ERROR, "could not initialise SHA-256: %s", pg_cryptohash_error(ctx));
	if (!PG_ARGISNULL(0))
	{
		bytea	   *prev = PG_GETARG_BYTEA_PP(0);

		if (pg_cryptohash_update(ctx, (uint8 *) VARDATA_ANY(prev), VARSIZE_ANY_EXHDR(prev)) < 0)
			elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	}
	result = (bytea *) palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	SET_VARSIZE(result, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	if (pg_cryptohash_update(ctx, (uint8 *) canon, strlen(canon)) < 0 ||
		pg_cryptohash_final(ctx, (uint8 *) VARDATA(result), PG_SHA256_DIGEST_LENGTH) < 0)
		elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);
	PG_RETURN_BYTEA_P(result);
}
