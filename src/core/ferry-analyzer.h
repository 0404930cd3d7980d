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

/* What became of one foreign key named in
 * ferry_analyzer_set_preferred_breaks(). */
typedef enum {
  FERRY_PREFERRED_BREAK_BROKEN,        /* it is in a cycle: broken as asked */
  FERRY_PREFERRED_BREAK_UNKNOWN,       /* no foreign key of the catalog has that name */
  FERRY_PREFERRED_BREAK_NOT_IN_CYCLE,  /* a foreign key, but in no cycle: left alone */
} FerryPreferredBreak;

FerryAnalyzer *ferry_analyzer_new                 (FerryCatalog     *catalog);
/* The foreign keys to break cycles at first, as
 * "schema.table.constraint" (see ferry_foreign_key_dup_path()); the
 * cycles they leave are broken automatically. Used by the next run(). */
void           ferry_analyzer_set_preferred_breaks (FerryAnalyzer   *self,
                                                   const char * const *names);
const char * const *
               ferry_analyzer_get_preferred_breaks (FerryAnalyzer   *self);
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
/* A breaking edge that was broken because it was preferred (a foreign
 * key between the same two tables as a preferred one counts too: the
 * keys of one pair of tables are kept or broken together). */
gboolean       ferry_analyzer_is_preferred_break  (FerryAnalyzer    *self,
                                                   FerryForeignKey  *fk);
/* After run(): what became of the @i-th preferred name; @fk (nullable)
 * gets the foreign key it names, NULL when it is unknown. */
FerryPreferredBreak
               ferry_analyzer_get_preferred_break_status (FerryAnalyzer    *self,
                                                   guint             i,
                                                   FerryForeignKey **fk);
/* The foreign keys between the tables of cycle @cycle (an index into
 * get_cycles()), self-references excluded: the keys the cycle could be
 * broken at, by child then name. Free with g_ptr_array_unref(). */
GPtrArray     *ferry_analyzer_dup_cycle_foreign_keys (FerryAnalyzer *self,
                                                   guint             cycle);
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

/* "schema.table.constraint", unquoted and with the case of the catalog,
 * as tables.break_cycles_at names a foreign key. */
char          *ferry_foreign_key_dup_path         (const FerryForeignKey *fk);
/* TRUE when @name names @fk: in the form above, or with the quotes
 * Ferry shows ("Sales"."Order Lines".fk). */
gboolean       ferry_foreign_key_has_path         (const FerryForeignKey *fk,
                                                   const char            *name);

G_END_DECLS
