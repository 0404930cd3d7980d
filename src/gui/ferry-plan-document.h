/* ferry-plan-document.h — a plan read back from its JSON document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-plan.h"

G_BEGIN_DECLS

/* A FerryPlan for the document of ferry_plan_to_json() (GET /plan). */
FerryPlan  *ferry_plan_document_load             (JsonNode   *document,
                                                  GError    **error);
gboolean    ferry_plan_document_is_loaded        (FerryPlan  *plan);

/* The plan's figures, batches and chunks as planned where the plan was
 * made: the document's for a loaded plan, the plan's own otherwise. */
typedef struct {
  guint   n_tables;
  guint64 total_bytes;
  guint   n_levels;
  guint   n_batches;
  guint   n_chunks;
  guint   n_cycles;
  guint   n_breaking_edges;
} FerryPlanFigures;

void        ferry_plan_document_get_figures      (FerryPlan        *plan,
                                                  FerryPlanFigures *figures);
GPtrArray  *ferry_plan_document_get_batches      (FerryPlan        *plan);
GPtrArray  *ferry_plan_document_get_table_chunks (FerryPlan        *plan,
                                                  FerryTable       *table);

G_END_DECLS
