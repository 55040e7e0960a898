/*
 * workflow.h
 *		Shared declarations of the workflow files (actor.c, workflow.c,
 *		history.c, canonical_json.c).
 */
#ifndef LICENSING_WORKFLOW_H
#define LICENSING_WORKFLOW_H

#include "postgres.h"
#include "datatype/timestamp.h"
#include "utils/jsonb.h"

/* actor.c */
extern char *workflow_actor_name(void);
extern const char *workflow_acting_for(void);
extern bool workflow_actor_in(const char *group);
extern TimestampTz workflow_clock(void);

/* canonical_json.c */
extern char *canonical_json_cstring(Jsonb *jb);

#endif
