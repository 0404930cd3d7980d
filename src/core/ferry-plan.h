/* ferry-plan.h — a migration plan: batches, chunks, constraint actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-analyzer.h"

G_BEGIN_DECLS

typedef struct _FerryChunk FerryChunk;
typedef struct _FerryBatch FerryBatch;

/* One unit of copying: rows of one heap (a table or one partition)
 * selected by a key range or a ctid block range, or the whole heap. A
 * bound that is absent (has_lo / has_hi FALSE) is open, so that the
 * chunks of a table always cover every row whatever the statistics said. */
struct _FerryChunk
{
  guint           id;           /* position in the plan's chunk array */
  FerryTable     *table;        /* the unit (top-level table) */
  FerryTable     *heap;         /* what is read: the table or a partition */
  guint           number;       /* 1-based within the unit */
  guint           n_chunks;     /* chunks of the unit */
  FerryChunkKind  kind;
  gboolean        has_lo;
  gboolean        has_hi;
  gint64          lo;           /* key value or block number, inclusive */
  gint64          hi;           /* exclusive */
  guint64         est_bytes;
  gint64          est_rows;
  char           *predicate;    /* SQL boolean expression, "true" for whole */
};

struct _FerryBatch
{
  guint       number;           /* 1-based */
  int         level;
  GPtrArray  *tables;           /* FerryTable*, borrowed */
};

#define FERRY_TYPE_PLAN (ferry_plan_get_type ())

G_DECLARE_FINAL_TYPE (FerryPlan, ferry_plan, FERRY, PLAN, GObject)

FerryPlan     *ferry_plan_new                 (FerryAnalyzer   *analyzer,
                                               FerryConfig     *config,
                                               GError         **error);
FerryAnalyzer *ferry_plan_get_analyzer        (FerryPlan       *self);
FerryConfig   *ferry_plan_get_config          (FerryPlan       *self);
GPtrArray     *ferry_plan_get_batches         (FerryPlan       *self);
GPtrArray     *ferry_plan_get_chunks          (FerryPlan       *self);
GPtrArray     *ferry_plan_get_table_chunks    (FerryPlan       *self,
                                               FerryTable      *table);
FerryFkAction  ferry_plan_get_fk_action       (FerryPlan       *self,
                                               FerryForeignKey *fk);
/* FALSE when @fk is not part of the plan (its child is not migrated). */
gboolean       ferry_plan_lookup_fk_action    (FerryPlan       *self,
                                               FerryForeignKey *fk,
                                               FerryFkAction   *action);
guint64        ferry_plan_get_total_bytes     (FerryPlan       *self);
gint64         ferry_plan_get_total_rows      (FerryPlan       *self);
guint          ferry_plan_get_n_tables        (FerryPlan       *self);
FerryConstraintStrategy
               ferry_plan_get_strategy        (FerryPlan       *self);
guint64        ferry_plan_get_chunk_size      (FerryPlan       *self);

JsonNode      *ferry_plan_to_json             (FerryPlan       *self);
char          *ferry_plan_to_dot              (FerryPlan       *self);

G_END_DECLS
