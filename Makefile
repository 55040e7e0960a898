# Makefile for licensing (PGXS)
#
# The install script is concatenated from src/sql/*.sql in the explicit order of
# SQL_PARTS; the C objects of each concern are listed in OBJS.  Each concern has
# its own lines below, so work on one does not touch the lines of another.

EXTENSION  = licensing
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)
MODULE_big = licensing

# --- C objects, one line per concern ---------------------------------------
OBJS  = src/licensing.o src/cache.o src/triggers.o

# identifiers (IIN/BIN)
OBJS += src/idcore.o src/identifiers.o

# calendar and working time
OBJS += src/calendar.o src/calendar_time.o

# signatures (OpenSSL)
OBJS += src/sigcore.o src/signature.o

# SHA-256, one helper for the hash chains and the fingerprints (sha256.h)
OBJS += src/sha256.o

# input bounds (settings licensing.max_*_size, signature_cache_size)
OBJS += src/bounds.o

# workflow
OBJS += src/actor.o src/queries.o src/transitions.o src/canonical_json.o src/row_json.o src/history.o src/staff.o src/workflow.o src/step.o

# licence register
OBJS += src/licence.o

# calendar changes moving running terms (issue #18)
OBJS += src/calendar_moves.o

# --- install script, in order ----------------------------------------------
SQL_PARTS  = src/sql/00_schema.sql

# identifiers
SQL_PARTS += src/sql/10_identifiers.sql

# calendar
SQL_PARTS += src/sql/20_calendar.sql src/sql/25_calendar_ops.sql

# signatures
SQL_PARTS += src/sql/30_signature.sql src/sql/35_trust_ops.sql

# input bounds
SQL_PARTS += src/sql/35_bounds.sql

# configuration and workflow
SQL_PARTS += src/sql/40_config.sql src/sql/50_workflow.sql src/sql/55_contents.sql

# licence register
SQL_PARTS += src/sql/60_licence.sql src/sql/70_reports.sql

# reliability (issue #16): the moments the histories record
SQL_PARTS += src/sql/65_moments.sql src/sql/66_history_complete.sql

# calendar changes moving running terms (issue #18)
SQL_PARTS += src/sql/68_calendar_moves.sql
# registry mirrors with freshness (issue #18)
SQL_PARTS += src/sql/69_registry_freshness.sql
# corrections and the document catalogue (issue #14)
SQL_PARTS += src/sql/73_corrections.sql src/sql/74_catalogue.sql
# appeals and deadlines that act (issue #14): after the reports they use; the
# configuration tables of the parts register in the order the upgrade's parts do
SQL_PARTS += src/sql/57_appeals.sql src/sql/58_deadlines.sql
# what the applicant receives (issue #15): provider_service, conclusions, annexes, duplicates
SQL_PARTS += src/sql/75_results.sql
# texts (issue #15): the causes of intake refusals
SQL_PARTS += src/sql/76_texts.sql
# NCA signatures (issue #17): which roles may sign for a legal entity (its
# config table registered after every 1.0 one, as the upgrade registers it)
SQL_PARTS += src/sql/80_signing_right.sql

# roles and grants that span the parts come last
SQL_PARTS += src/sql/99_finish.sql

# --- versions ----------------------------------------------------------------
# The install script of the current version is built from SQL_PARTS.  Each
# released version's install script is kept frozen in src/sql/versions/, and each
# step between versions is an upgrade script built from the parts in
# src/sql/upgrade/FROM--TO/ (in name order, one file per concern), so a fresh
# install and an upgraded one end in the same catalog (test/scripts/upgrade.sh).
# A part named NN_name.include holds the path of a fresh-install part that the
# step adds whole (new tables and functions): that file is inserted there, not
# copied, so the two cannot drift.  When a version is released, its built
# upgrade script is frozen in src/sql/versions/ as its install script is.
UPGRADES      = 1.0--1.1
UPGRADE_FILES = $(foreach u,$(UPGRADES),$(EXTENSION)--$(u).sql)
# Every upgrade script ends with src/sql/99_finish.sql too (idempotent): the
# privileges it sets span all parts, so both paths end with the same ACLs.
UPGRADE_FINISH = src/sql/99_finish.sql

DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(UPGRADE_FILES)
DATA       = $(wildcard src/sql/versions/$(EXTENSION)--*.sql)
EXTRA_CLEAN = $(EXTENSION)--$(EXTVERSION).sql $(UPGRADE_FILES) results/ regression.diffs regression.out \
              output_iso/ test/fuzz/build/

# pg_regress tests in sql/ + expected/, isolation specs in test/specs, in name order
REGRESS        = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
ISOLATION      = $(patsubst test/specs/%.spec,%,$(sort $(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test --load-extension=licensing

SHLIB_LINK += -lcrypto
PG_CPPFLAGS += -I$(srcdir)/src
PG_CFLAGS  += -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
              -Wno-missing-field-initializers -Wno-clobbered
ifeq ($(WERROR),1)
PG_CFLAGS  += -Werror
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) $(EXTENSION).control Makefile
	{ printf '%s\n' '/* $(EXTENSION)--$(EXTVERSION).sql: generated from src/sql by make; edit those files */' \
	    '\echo Use "CREATE EXTENSION $(EXTENSION)" to load this file. \quit'; \
	  for f in $(SQL_PARTS); do printf '\n-- ==== %s ====\n' "$$f"; cat "$$f"; done; } > $@

# licensing--FROM--TO.sql from src/sql/upgrade/FROM--TO/*.sql, then 99_finish.sql
.SECONDEXPANSION:
$(UPGRADE_FILES): $(EXTENSION)--%.sql: $$(sort $$(wildcard src/sql/upgrade/%/*.sql src/sql/upgrade/%/*.include)) $(SQL_PARTS) $(UPGRADE_FINISH) $(EXTENSION).control Makefile
	{ printf '%s\n' '/* $@: generated from src/sql/upgrade/$*/ by make; edit those files */' \
	    '\echo Use "ALTER EXTENSION $(EXTENSION) UPDATE" to load this file. \quit'; \
	  for f in $(sort $(wildcard src/sql/upgrade/$*/*.sql src/sql/upgrade/$*/*.include)) $(UPGRADE_FINISH); do \
	    case $$f in *.include) i=$$(cat "$$f"); printf '\n-- ==== %s (%s) ====\n' "$$i" "$$f"; cat "$$i" ;; \
	                *) printf '\n-- ==== %s ====\n' "$$f"; cat "$$f" ;; esac; done; } > $@

.PHONY: test demo bench
test:
	bash test/run-all.sh
demo:
	bash test/demo.sh
