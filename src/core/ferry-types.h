/* ferry-types.h — enumerations shared by the core, the CLI and the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How foreign keys on the target are treated during the load. */
typedef enum {
  FERRY_CONSTRAINT_STRATEGY_KEEP,     /*< nick=keep >*/
  FERRY_CONSTRAINT_STRATEGY_REBUILD,  /*< nick=rebuild >*/
} FerryConstraintStrategy;

/* Whether the target's tables exist already or are created from the source. */
typedef enum {
  FERRY_SCHEMA_MODE_EXISTING,  /*< nick=existing >*/
  FERRY_SCHEMA_MODE_COPY,      /*< nick=copy >*/
} FerrySchemaMode;

typedef enum {
  FERRY_VALIDATION_MODE_NONE,       /*< nick=none >*/
  FERRY_VALIDATION_MODE_COUNTS,     /*< nick=counts >*/
  FERRY_VALIDATION_MODE_CHECKSUMS,  /*< nick=checksums >*/
} FerryValidationMode;

typedef enum {
  FERRY_COPY_FORMAT_BINARY,  /*< nick=binary >*/
  FERRY_COPY_FORMAT_TEXT,    /*< nick=text >*/
} FerryCopyFormat;

typedef enum {
  FERRY_TABLE_KIND_ORDINARY,     /*< nick=ordinary >*/
  FERRY_TABLE_KIND_PARTITIONED,  /*< nick=partitioned >*/
  FERRY_TABLE_KIND_PARTITION,    /*< nick=partition >*/
} FerryTableKind;

/* Where a table stands in a migration. */
typedef enum {
  FERRY_TABLE_STATUS_PENDING,    /*< nick=pending >*/
  FERRY_TABLE_STATUS_WAITING,    /*< nick=waiting >*/
  FERRY_TABLE_STATUS_RUNNING,    /*< nick=running >*/
  FERRY_TABLE_STATUS_COMPLETED,  /*< nick=completed >*/
  FERRY_TABLE_STATUS_FAILED,     /*< nick=failed >*/
  FERRY_TABLE_STATUS_SKIPPED,    /*< nick=skipped >*/
  FERRY_TABLE_STATUS_EXCLUDED,   /*< nick=excluded >*/
} FerryTableStatus;

#define FERRY_TABLE_STATUS_LAST (FERRY_TABLE_STATUS_EXCLUDED + 1)

/* How a chunk selects its rows. */
typedef enum {
  FERRY_CHUNK_KIND_WHOLE,      /*< nick=whole >*/
  FERRY_CHUNK_KIND_KEY_RANGE,  /*< nick=key-range >*/
  FERRY_CHUNK_KIND_CTID_RANGE, /*< nick=ctid-range >*/
} FerryChunkKind;

/* What the plan does with one foreign key on the target. */
typedef enum {
  FERRY_FK_ACTION_KEEP,         /*< nick=keep >*/
  FERRY_FK_ACTION_DROP_READD,   /*< nick=drop-readd >*/
  FERRY_FK_ACTION_REBUILD,      /*< nick=rebuild >*/
} FerryFkAction;

typedef enum {
  FERRY_CHECK_STATUS_PASS,     /*< nick=pass >*/
  FERRY_CHECK_STATUS_WARNING,  /*< nick=warning >*/
  FERRY_CHECK_STATUS_FAIL,     /*< nick=fail >*/
  FERRY_CHECK_STATUS_SKIPPED,  /*< nick=skipped >*/
} FerryCheckStatus;

typedef enum {
  FERRY_CHECK_GROUP_CONNECTIVITY,  /*< nick=connectivity >*/
  FERRY_CHECK_GROUP_PRIVILEGES,    /*< nick=privileges >*/
  FERRY_CHECK_GROUP_SCHEMA,        /*< nick=schema >*/
  FERRY_CHECK_GROUP_DATA,          /*< nick=data >*/
  FERRY_CHECK_GROUP_DEPENDENCIES,  /*< nick=dependencies >*/
  FERRY_CHECK_GROUP_CAPACITY,      /*< nick=capacity >*/
} FerryCheckGroup;

/* The specification's states of a migration. */
typedef enum {
  FERRY_STATE_INITIALIZING,  /*< nick=initializing >*/
  FERRY_STATE_READY,         /*< nick=ready >*/
  FERRY_STATE_RUNNING,       /*< nick=running >*/
  FERRY_STATE_PAUSED,        /*< nick=paused >*/
  FERRY_STATE_COMPLETED,     /*< nick=completed >*/
  FERRY_STATE_ERROR,         /*< nick=error >*/
  FERRY_STATE_STOPPED,       /*< nick=stopped >*/
} FerryState;

/* How the Error Handler sorts a failure (see DESIGN.md, "Errors"). */
typedef enum {
  FERRY_ERROR_CLASS_TEMPORARY,    /*< nick=temporary >*/
  FERRY_ERROR_CLASS_DEPENDENCY,   /*< nick=dependency >*/
  FERRY_ERROR_CLASS_DATA,         /*< nick=data >*/
  FERRY_ERROR_CLASS_PERFORMANCE,  /*< nick=performance >*/
  FERRY_ERROR_CLASS_CRITICAL,     /*< nick=critical >*/
} FerryErrorClass;

#define FERRY_ERROR_CLASS_LAST (FERRY_ERROR_CLASS_CRITICAL + 1)

/* What the user decides for a table that failed. */
typedef enum {
  FERRY_RESOLUTION_RETRY,           /*< nick=retry >*/
  FERRY_RESOLUTION_SKIP,            /*< nick=skip >*/
  FERRY_RESOLUTION_TRUNCATE_RETRY,  /*< nick=truncate-retry >*/
  FERRY_RESOLUTION_ABORT,           /*< nick=abort >*/
} FerryResolution;

const char *ferry_enum_to_nick   (GType       enum_type,
                                  int         value);
gboolean    ferry_enum_from_nick (GType       enum_type,
                                  const char *nick,
                                  int        *value);

char       *ferry_format_bytes   (guint64     bytes);
char       *ferry_format_clock   (double      seconds,
                                  const char *unknown);
const char *ferry_phase_to_string (const char *phase);
double      ferry_average_rate   (guint64     done,
                                  guint64     resumed,
                                  double      elapsed);

G_END_DECLS
