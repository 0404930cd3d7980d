/* ferry-analyzer.h — the Dependency Analyzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ferry-catalog.h"

G_BEGIN_DECLS

#define FERRY_TYPE_ANALYZER (ferry_analyzer_get_type ())

G_DECLARE_FINAL_TYPE (FerryAnalyzer, ferry_analyzer, FERRY, ANALYZER, GObject)

typedef struct _FerryPlan FerryPlan;

FerryAnalyzer *ferry_analyzer_new                 (FerryCatalog     *catalog);
gboolean       ferry_analyzer_run                 (FerryAnalyzer    *self,
                                                   GError          **error);
FerryCatalog  *ferry_analyzer_get_catalog         (FerryAnalyzer    *self);
gboolean       ferry_analyzer_is_analyzed         (FerryAnalyzer    *self);

/* The units of a migration: included tables that are not partitions
 * (a partitioned table stands for all its partitions), in load order:
 * parents before children, by level, largest first within a level. */
GPtrArray     *ferry_analyzer_get_order           (FerryAnalyzer    *self);
guint          ferry_analyzer_get_n_levels        (FerryAnalyzer    *self);
int            ferry_analyzer_get_level           (FerryAnalyzer    *self,
                                                   FerryTable       *table);
FerryTable    *ferry_analyzer_get_unit            (FerryAnalyzer    *self,
                                                   FerryTable       *table);

/* Strongly connected components with more than one table: each a
 * GPtrArray of FerryTable*. */
GPtrArray     *ferry_analyzer_get_cycles          (FerryAnalyzer    *self);
/* FKs of a table to itself. */
GPtrArray     *ferry_analyzer_get_self_references (FerryAnalyzer    *self);
/* The few FKs whose removal makes the graph acyclic (self-references
 * excluded): dropped before the load, re-added NOT VALID and VALIDATEd. */
GPtrArray     *ferry_analyzer_get_breaking_edges  (FerryAnalyzer    *self);
gboolean       ferry_analyzer_is_breaking_edge    (FerryAnalyzer    *self,
                                                   FerryForeignKey  *fk);
/* FKs from an included table to an excluded one. */
GPtrArray     *ferry_analyzer_get_external_edges  (FerryAnalyzer    *self);
gboolean       ferry_analyzer_is_self_reference   (FerryAnalyzer    *self,
                                                   FerryForeignKey  *fk);
gboolean       ferry_analyzer_is_external_edge    (FerryAnalyzer    *self,
                                                   FerryForeignKey  *fk);
/* Every FK whose child is migrated (kept, breaking, self-references,
 * external edges), in catalog order: the FKs a plan gives an action. */
GPtrArray     *ferry_analyzer_get_foreign_keys    (FerryAnalyzer    *self);
/* The units the unit of @table waits for / that wait for it, over kept
 * edges only, sorted by name. Free with g_ptr_array_unref(). */
GPtrArray     *ferry_analyzer_dup_parents         (FerryAnalyzer    *self,
                                                   FerryTable       *table);
GPtrArray     *ferry_analyzer_dup_children        (FerryAnalyzer    *self,
                                                   FerryTable       *table);

/* TRUE when every parent @table waits for is in @completed (a set of
 * FerryTable*, e.g. g_hash_table_new (NULL, NULL)). */
gboolean       ferry_analyzer_is_ready            (FerryAnalyzer    *self,
                                                   FerryTable       *table,
                                                   GHashTable       *completed);
gboolean       ferry_analyzer_validate_plan       (FerryAnalyzer    *self,
                                                   FerryPlan        *plan,
                                                   GError          **error);

G_END_DECLS
