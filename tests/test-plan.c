/* test-plan.c — migration plans: batches, chunks, actions, JSON and DOT
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ferry-catalog.h"
#include "ferry-config.h"
#include "ferry-error.h"
#include "ferry-plan.h"
#include "ferry-table-private.h"

#define MB (G_GUINT64_CONSTANT (1024) * 1024)

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

static FerryTable *
add_table (FerryCatalog *catalog,
           const char   *name,
           guint64       size)
{
  return ferry_catalog_add_table (catalog, "public", name, size, (gint64) (size / 100));
}

static FerryForeignKey *
add_fk (FerryCatalog *catalog,
        FerryTable   *child,
        FerryTable   *parent,
        gboolean      deferrable,
        gboolean      nullable)
{
  g_autofree char *name = g_strdup_printf ("%s_%s_fkey%u",
                                           child->name, parent->name,
                                           ferry_catalog_get_foreign_keys (catalog)->len);

  return ferry_catalog_add_foreign_key (catalog, name, child, parent, deferrable, nullable);
}

static void
set_key_range (FerryCatalog *catalog,
               FerryTable   *table,
               gint64        min,
               gint64        max)
{
  ferry_catalog_add_column (catalog, table, "id", "bigint", TRUE);
  g_assert_nonnull (table->chunk_key);
  table->has_key_range = TRUE;
  table->key_min = min;
  table->key_max = max;
}

static FerryConfig *
make_config (guint                   batch_size,
             guint64                 chunk_size,
             FerryConstraintStrategy strategy)
{
  FerryConfig *config = ferry_config_new ();

  ferry_config_set_batch_size (config, batch_size);
  ferry_config_set_chunk_size (config, chunk_size);
  ferry_config_set_constraints (config, strategy);

  return config;
}

static FerryPlan *
make_plan (FerryCatalog *catalog,
           FerryConfig  *config)
{
  g_autoptr(FerryAnalyzer) analyzer = ferry_analyzer_new (catalog);
  g_autoptr(GError) error = NULL;
  FerryPlan *plan;

  g_assert_true (ferry_analyzer_run (analyzer, &error));
  g_assert_no_error (error);

  plan = ferry_plan_new (analyzer, config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plan);

  return plan;
}

static void
assert_valid (FerryPlan *plan)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_analyzer_validate_plan (ferry_plan_get_analyzer (plan), plan, &error));
  g_assert_no_error (error);
}

static void
assert_invalid (FerryPlan  *plan,
                const char *expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ferry_analyzer_validate_plan (ferry_plan_get_analyzer (plan), plan, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PLAN);
  g_test_message ("rejected: %s", error->message);
  if (expected != NULL && strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, error->message);
}

/* Checks what every heap's chunks must satisfy, independently of the
 * validator: open ends, meeting bounds, sizes adding up. */
static void
assert_heap_coverage (GPtrArray  *chunks,
                      FerryTable *heap)
{
  const FerryChunk *prev = NULL;
  guint64 bytes = 0;
  guint n = 0;

  for (guint i = 0; i < chunks->len; i++)
    {
      const FerryChunk *chunk = g_ptr_array_index (chunks, i);

      if (chunk->heap != heap)
        continue;

      if (prev == NULL)
        g_assert_false (chunk->has_lo);
      else
        {
          g_assert_true (prev->has_hi);
          g_assert_true (chunk->has_lo);
          g_assert_cmpint (prev->hi, ==, chunk->lo);
          if (prev->has_lo)
            g_assert_cmpint (chunk->lo, >, prev->lo);
        }
      if (chunk->has_lo && chunk->has_hi)
        g_assert_cmpint (chunk->lo, <, chunk->hi);

      bytes += chunk->est_bytes;
      prev = chunk;
      n++;
    }

  g_assert_cmpuint (n, >, 0);
  g_assert_false (prev->has_hi);
  g_assert_cmpuint (bytes, ==, heap->size_bytes);
}

/* ------------------------------------------------------------------ */
/* Batches                                                            */
/* ------------------------------------------------------------------ */

static void
test_batches (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryConfig) config = make_config (3, 256 * MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_autoptr(FerryPlan) plan = NULL;
  FerryTable *roots[7];
  GPtrArray *batches;
  const guint expected_sizes[] = { 3, 3, 1, 3, 1 };
  const int expected_levels[] = { 0, 0, 0, 1, 2 };
  guint total = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *name = g_strdup_printf ("root%u", i);
      roots[i] = add_table (catalog, name, 1000 * (i + 1));
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("child%u", i);
      add_fk (catalog, add_table (catalog, name, 10), roots[i], FALSE, FALSE);
    }
  add_fk (catalog, add_table (catalog, "grandchild", 10),
          g_ptr_array_index (ferry_catalog_get_tables (catalog), 7), FALSE, FALSE);

  plan = make_plan (catalog, config);
  batches = ferry_plan_get_batches (plan);

  g_assert_cmpuint (batches->len, ==, G_N_ELEMENTS (expected_sizes));
  for (guint b = 0; b < batches->len; b++)
    {
      const FerryBatch *batch = g_ptr_array_index (batches, b);

      g_assert_cmpuint (batch->number, ==, b + 1);
      g_assert_cmpint (batch->level, ==, expected_levels[b]);
      g_assert_cmpuint (batch->tables->len, ==, expected_sizes[b]);
      for (guint i = 0; i < batch->tables->len; i++)
        g_assert_cmpint (ferry_table_get_level (g_ptr_array_index (batch->tables, i)), ==, batch->level);
      total += batch->tables->len;
    }

  /* Largest first within level 0. */
  g_assert_true (g_ptr_array_index (((FerryBatch *) g_ptr_array_index (batches, 0))->tables, 0) == roots[6]);
  g_assert_cmpuint (total, ==, 11);
  g_assert_cmpuint (ferry_plan_get_n_tables (plan), ==, 11);
  g_assert_cmpuint (ferry_plan_get_chunks (plan)->len, ==, 11);
  assert_valid (plan);
}

/* ------------------------------------------------------------------ */
/* Chunks                                                             */
/* ------------------------------------------------------------------ */

static void
test_chunks_key_range (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryConfig) config = make_config (10, 1 * MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_autoptr(FerryPlan) plan = NULL;
  FerryTable *table = add_table (catalog, "orders", 10 * MB - 1);
  GPtrArray *chunks;
  const FerryChunk *chunk;
  gint64 rows = 0;

  set_key_range (catalog, table, 1, 1000);
  plan = make_plan (catalog, config);
  chunks = ferry_plan_get_table_chunks (plan, table);

  g_assert_cmpuint (chunks->len, ==, 10);
  assert_heap_coverage (chunks, table);

  chunk = g_ptr_array_index (chunks, 0);
  g_assert_cmpint (chunk->kind, ==, FERRY_CHUNK_KIND_KEY_RANGE);
  g_assert_cmpstr (chunk->predicate, ==, "\"id\" < 100");
  g_assert_cmpuint (chunk->number, ==, 1);
  g_assert_cmpuint (chunk->n_chunks, ==, 10);
  g_assert_true (chunk->table == table && chunk->heap == table);

  chunk = g_ptr_array_index (chunks, 1);
  g_assert_cmpstr (chunk->predicate, ==, "\"id\" >= 100 AND \"id\" < 200");

  chunk = g_ptr_array_index (chunks, 9);
  g_assert_cmpstr (chunk->predicate, ==, "\"id\" >= 900");
  g_assert_cmpuint (chunk->number, ==, 10);

  for (guint i = 0; i < chunks->len; i++)
    {
      chunk = g_ptr_array_index (chunks, i);
      g_assert_cmpuint (chunk->id, ==, i);
      rows += chunk->est_rows;
      /* Roughly equal shares. */
      g_assert_cmpuint (chunk->est_bytes, >=, MB - MB / 50);
      g_assert_cmpuint (chunk->est_bytes, <=, MB + MB / 50);
    }
  g_assert_cmpint (rows, ==, table->row_estimate);
  g_assert_cmpuint (ferry_plan_get_total_bytes (plan), ==, table->size_bytes);
  g_assert_cmpint (ferry_plan_get_total_rows (plan), ==, table->row_estimate);
  assert_valid (plan);
}

static void
test_chunks_key_range_extremes (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryConfig) config = make_config (10, 1 * MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_autoptr(FerryPlan) plan = NULL;
  FerryTable *whole_range = add_table (catalog, "whole_range", 4 * MB);
  FerryTable *top = add_table (catalog, "top", 100 * MB);
  FerryTable *bottom = add_table (catalog, "bottom", 3 * MB);
  FerryTable *negative = add_table (catalog, "negative", 2 * MB);
  GPtrArray *chunks;

  set_key_range (catalog, whole_range, G_MININT64, G_MAXINT64);
  /* Six key values: no more than five ranges are meaningful. */
  set_key_range (catalog, top, G_MAXINT64 - 5, G_MAXINT64);
  set_key_range (catalog, bottom, G_MININT64, G_MININT64 + 1000);
  set_key_range (catalog, negative, -10, -1);

  plan = make_plan (catalog, config);

  chunks = ferry_plan_get_table_chunks (plan, whole_range);
  g_assert_cmpuint (chunks->len, ==, 4);
  assert_heap_coverage (chunks, whole_range);
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 0))->hi, ==, G_GINT64_CONSTANT (-4611686018427387905));
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 1))->hi, ==, -1);
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 2))->hi, ==, G_GINT64_CONSTANT (4611686018427387903));
  g_assert_cmpstr (((FerryChunk *) g_ptr_array_index (chunks, 3))->predicate, ==,
                   "\"id\" >= 4611686018427387903");
  g_assert_cmpstr (((FerryChunk *) g_ptr_array_index (chunks, 0))->predicate, ==,
                   "\"id\" < -4611686018427387905");

  chunks = ferry_plan_get_table_chunks (plan, top);
  g_assert_cmpuint (chunks->len, ==, 5);
  assert_heap_coverage (chunks, top);
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 4))->lo, ==, G_MAXINT64 - 1);
  g_assert_cmpstr (((FerryChunk *) g_ptr_array_index (chunks, 4))->predicate, ==,
                   "\"id\" >= 9223372036854775806");

  chunks = ferry_plan_get_table_chunks (plan, bottom);
  g_assert_cmpuint (chunks->len, ==, 3);
  assert_heap_coverage (chunks, bottom);
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 0))->hi, ==, G_MININT64 + 333);

  chunks = ferry_plan_get_table_chunks (plan, negative);
  g_assert_cmpuint (chunks->len, ==, 2);
  assert_heap_coverage (chunks, negative);
  g_assert_cmpstr (((FerryChunk *) g_ptr_array_index (chunks, 0))->predicate, ==, "\"id\" < -6");
  g_assert_cmpstr (((FerryChunk *) g_ptr_array_index (chunks, 1))->predicate, ==, "\"id\" >= -6");

  assert_valid (plan);
}

static void
test_chunks_ctid (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryConfig) config = make_config (10, 1 * MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_autoptr(FerryPlan) plan = NULL;
  FerryTable *logs = add_table (catalog, "logs", 4 * MB);
  FerryTable *keyed_no_range = add_table (catalog, "keyed", 3 * MB);
  GPtrArray *chunks;

  logs->pages = 1000;
  /* A key without a known range falls back to ctid too. */
  ferry_catalog_add_column (catalog, keyed_no_range, "id", "integer", TRUE);

  plan = make_plan (catalog, config);

  chunks = ferry_plan_get_table_chunks (plan, logs);
  g_assert_cmpuint (chunks->len, ==, 4);
  assert_heap_coverage (chunks, logs);
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 0))->kind, ==, FERRY_CHUNK_KIND_CTID_RANGE);
  g_assert_cmpstr (((FerryChunk *) g_ptr_array_index (chunks, 0))->predicate, ==,
                   "ctid < '(250,0)'::pg_catalog.tid");
  g_assert_cmpstr (((FerryChunk *) g_ptr_array_index (chunks, 1))->predicate, ==,
                   "ctid >= '(250,0)'::pg_catalog.tid AND ctid < '(500,0)'::pg_catalog.tid");
  g_assert_cmpstr (((FerryChunk *) g_ptr_array_index (chunks, 3))->predicate, ==,
                   "ctid >= '(750,0)'::pg_catalog.tid");
  g_assert_cmpuint (((FerryChunk *) g_ptr_array_index (chunks, 0))->est_bytes, ==, MB);

  chunks = ferry_plan_get_table_chunks (plan, keyed_no_range);
  g_assert_cmpuint (chunks->len, ==, 3);
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 0))->kind, ==, FERRY_CHUNK_KIND_CTID_RANGE);
  assert_heap_coverage (chunks, keyed_no_range);

  assert_valid (plan);
}

static void
test_chunks_whole (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryConfig) config = make_config (10, 1 * MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_autoptr(FerryPlan) plan = NULL;
  FerryTable *small = add_table (catalog, "small", MB);
  FerryTable *empty = add_table (catalog, "empty", 0);
  FerryTable *no_pages = add_table (catalog, "no_pages", 5 * MB);
  GPtrArray *chunks;
  const FerryChunk *chunk;

  set_key_range (catalog, small, 1, 1000000);
  /* Statistics say it is big but it has no blocks: one chunk. */
  no_pages->pages = 0;
  empty->row_estimate = -1;

  plan = make_plan (catalog, config);

  chunks = ferry_plan_get_table_chunks (plan, small);
  g_assert_cmpuint (chunks->len, ==, 1);
  chunk = g_ptr_array_index (chunks, 0);
  g_assert_cmpint (chunk->kind, ==, FERRY_CHUNK_KIND_WHOLE);
  g_assert_cmpstr (chunk->predicate, ==, "true");
  g_assert_false (chunk->has_lo || chunk->has_hi);
  g_assert_cmpuint (chunk->est_bytes, ==, MB);
  g_assert_cmpint (chunk->est_rows, ==, small->row_estimate);
  g_assert_cmpuint (chunk->n_chunks, ==, 1);

  chunks = ferry_plan_get_table_chunks (plan, empty);
  g_assert_cmpuint (chunks->len, ==, 1);
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 0))->est_rows, ==, -1);

  chunks = ferry_plan_get_table_chunks (plan, no_pages);
  g_assert_cmpuint (chunks->len, ==, 1);

  assert_valid (plan);
}

static void
test_chunks_partitioned (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryConfig) config = make_config (10, 1 * MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_autoptr(FerryPlan) plan = NULL;
  FerryTable *events = add_table (catalog, "events", 0);
  FerryTable *parts[3];
  const guint64 sizes[] = { 3 * MB, MB / 2, 2 * MB };
  FerryTable *small = add_table (catalog, "small", 10);
  GPtrArray *chunks;
  guint64 bytes = 0;

  events->kind = FERRY_TABLE_KIND_PARTITIONED;
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("events_p%u", i);

      parts[i] = add_table (catalog, name, sizes[i]);
      parts[i]->kind = FERRY_TABLE_KIND_PARTITION;
      parts[i]->partition_parent = events;
      g_ptr_array_add (events->partitions, parts[i]);
      bytes += sizes[i];
    }
  set_key_range (catalog, parts[0], 0, 2999);

  plan = make_plan (catalog, config);

  chunks = ferry_plan_get_table_chunks (plan, events);
  g_assert_cmpuint (chunks->len, ==, 3 + 1 + 2);
  /* A partition stands for its unit. */
  g_assert_true (ferry_plan_get_table_chunks (plan, parts[1]) == chunks);

  for (guint i = 0; i < chunks->len; i++)
    {
      const FerryChunk *chunk = g_ptr_array_index (chunks, i);

      g_assert_true (chunk->table == events);
      g_assert_cmpuint (chunk->number, ==, i + 1);
      g_assert_cmpuint (chunk->n_chunks, ==, 6);
    }
  g_assert_true (((FerryChunk *) g_ptr_array_index (chunks, 0))->heap == parts[0]);
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 0))->kind, ==, FERRY_CHUNK_KIND_KEY_RANGE);
  g_assert_true (((FerryChunk *) g_ptr_array_index (chunks, 3))->heap == parts[1]);
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 3))->kind, ==, FERRY_CHUNK_KIND_WHOLE);
  g_assert_true (((FerryChunk *) g_ptr_array_index (chunks, 4))->heap == parts[2]);
  g_assert_cmpint (((FerryChunk *) g_ptr_array_index (chunks, 4))->kind, ==, FERRY_CHUNK_KIND_CTID_RANGE);

  for (guint i = 0; i < 3; i++)
    assert_heap_coverage (chunks, parts[i]);

  /* The partitioned table is first: it is the biggest unit. Chunk ids
   * run over the plan in load order. */
  g_assert_true (((FerryChunk *) g_ptr_array_index (ferry_plan_get_chunks (plan), 0))->table == events);
  g_assert_true (((FerryChunk *) g_ptr_array_index (ferry_plan_get_chunks (plan), 6))->table == small);
  g_assert_cmpuint (ferry_plan_get_total_bytes (plan), ==, bytes + 10);
  g_assert_cmpuint (ferry_plan_get_n_tables (plan), ==, 2);
  assert_valid (plan);
}

/* ------------------------------------------------------------------ */
/* Constraint actions                                                 */
/* ------------------------------------------------------------------ */

static void
test_self_reference_action (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryConfig) config = make_config (10, 1 * MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_autoptr(FerryPlan) plan = NULL;
  FerryTable *small_tree = add_table (catalog, "small_tree", MB / 2);
  FerryTable *big_tree = add_table (catalog, "big_tree", 5 * MB);
  FerryForeignKey *small_fk, *big_fk;

  small_fk = add_fk (catalog, small_tree, small_tree, FALSE, TRUE);
  big_fk = add_fk (catalog, big_tree, big_tree, FALSE, TRUE);

  plan = make_plan (catalog, config);

  g_assert_cmpuint (ferry_plan_get_table_chunks (plan, small_tree)->len, ==, 1);
  g_assert_cmpuint (ferry_plan_get_table_chunks (plan, big_tree)->len, ==, 5);
  g_assert_cmpint (ferry_plan_get_fk_action (plan, small_fk), ==, FERRY_FK_ACTION_KEEP);
  g_assert_cmpint (ferry_plan_get_fk_action (plan, big_fk), ==, FERRY_FK_ACTION_DROP_READD);
  assert_valid (plan);
}

static void
test_keep_and_rebuild (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *a = add_table (catalog, "a", 10);
  FerryTable *b = add_table (catalog, "b", 10);
  FerryTable *c = add_table (catalog, "c", 10);
  FerryTable *excluded = add_table (catalog, "excluded", 10);
  FerryTable *excluded_child = add_table (catalog, "excluded_child", 10);
  FerryForeignKey *ab, *ba, *ca, *c_ext, *ignored;
  FerryFkAction action;

  excluded->included = FALSE;
  excluded_child->included = FALSE;
  ab = add_fk (catalog, a, b, FALSE, TRUE);
  ba = add_fk (catalog, b, a, FALSE, FALSE);
  ca = add_fk (catalog, c, a, FALSE, FALSE);
  c_ext = add_fk (catalog, c, excluded, FALSE, FALSE);
  ignored = add_fk (catalog, excluded_child, a, FALSE, FALSE);

  {
    g_autoptr(FerryConfig) config = make_config (10, MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
    g_autoptr(FerryPlan) plan = make_plan (catalog, config);

    g_assert_cmpint (ferry_plan_get_strategy (plan), ==, FERRY_CONSTRAINT_STRATEGY_KEEP);
    g_assert_cmpint (ferry_plan_get_fk_action (plan, ab), ==, FERRY_FK_ACTION_DROP_READD);
    g_assert_cmpint (ferry_plan_get_fk_action (plan, ba), ==, FERRY_FK_ACTION_KEEP);
    g_assert_cmpint (ferry_plan_get_fk_action (plan, ca), ==, FERRY_FK_ACTION_KEEP);
    g_assert_cmpint (ferry_plan_get_fk_action (plan, c_ext), ==, FERRY_FK_ACTION_KEEP);
    g_assert_false (ferry_plan_lookup_fk_action (plan, ignored, &action));
    assert_valid (plan);
  }

  {
    g_autoptr(FerryConfig) config = make_config (10, MB, FERRY_CONSTRAINT_STRATEGY_REBUILD);
    g_autoptr(FerryPlan) plan = make_plan (catalog, config);

    g_assert_cmpint (ferry_plan_get_strategy (plan), ==, FERRY_CONSTRAINT_STRATEGY_REBUILD);
    g_assert_cmpint (ferry_plan_get_fk_action (plan, ab), ==, FERRY_FK_ACTION_REBUILD);
    g_assert_cmpint (ferry_plan_get_fk_action (plan, ba), ==, FERRY_FK_ACTION_REBUILD);
    g_assert_cmpint (ferry_plan_get_fk_action (plan, ca), ==, FERRY_FK_ACTION_REBUILD);
    g_assert_true (ferry_plan_lookup_fk_action (plan, c_ext, &action));
    g_assert_cmpint (action, ==, FERRY_FK_ACTION_REBUILD);
    assert_valid (plan);
  }
}

/* ------------------------------------------------------------------ */
/* Validation                                                         */
/* ------------------------------------------------------------------ */

static void
test_validate (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryConfig) config = make_config (10, MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_autoptr(FerryPlan) plan = NULL;
  FerryTable *parent = add_table (catalog, "parent", 10);
  FerryTable *child = add_table (catalog, "child", 10);
  FerryTable *big = add_table (catalog, "big", 3 * MB);
  FerryTable *x = add_table (catalog, "x", 10);
  FerryTable *y = add_table (catalog, "y", 10);
  FerryForeignKey *xy;
  GPtrArray *batches;
  GPtrArray *chunks;
  FerryBatch *first, *second;
  GPtrArray *tmp;
  FerryChunk *chunk;
  gint64 saved;

  add_fk (catalog, child, parent, FALSE, FALSE);
  xy = add_fk (catalog, x, y, FALSE, TRUE);
  add_fk (catalog, y, x, FALSE, FALSE);
  big->pages = 300;

  plan = make_plan (catalog, config);
  assert_valid (plan);

  batches = ferry_plan_get_batches (plan);
  g_assert_cmpuint (batches->len, ==, 2);
  first = g_ptr_array_index (batches, 0);
  second = g_ptr_array_index (batches, 1);

  /* Children before their parents. */
  tmp = first->tables;
  first->tables = second->tables;
  second->tables = tmp;
  assert_invalid (plan, "fkey");
  second->tables = first->tables;
  first->tables = tmp;
  assert_valid (plan);

  /* Batches out of level order. */
  first->level = 1;
  second->level = 0;
  assert_invalid (plan, "Batch 2");
  first->level = 0;
  second->level = 1;

  /* A table loaded twice. */
  g_ptr_array_add (second->tables, parent);
  assert_invalid (plan, "public.parent");
  g_ptr_array_remove_index (second->tables, second->tables->len - 1);

  /* A table forgotten. */
  g_ptr_array_remove (second->tables, child);
  assert_invalid (plan, "public.child");
  g_ptr_array_add (second->tables, child);
  assert_valid (plan);

  /* A gap between two chunks. */
  chunks = ferry_plan_get_table_chunks (plan, big);
  g_assert_cmpuint (chunks->len, ==, 3);
  chunk = g_ptr_array_index (chunks, 1);
  saved = chunk->lo;
  chunk->lo = saved + 1;
  assert_invalid (plan, "do not meet");
  chunk->lo = saved;

  /* A first chunk with a lower bound. */
  chunk = g_ptr_array_index (chunks, 0);
  chunk->has_lo = TRUE;
  assert_invalid (plan, "lower bound");
  chunk->has_lo = FALSE;

  /* A last chunk with an upper bound. */
  chunk = g_ptr_array_index (chunks, 2);
  chunk->has_hi = TRUE;
  chunk->hi = 400;
  assert_invalid (plan, "upper bound");
  chunk->has_hi = FALSE;
  assert_valid (plan);

  /* A table without chunks. */
  tmp = g_ptr_array_new ();
  for (guint i = 0; i < chunks->len; i++)
    g_ptr_array_add (tmp, g_ptr_array_index (chunks, i));
  g_ptr_array_set_size (chunks, 0);
  assert_invalid (plan, "no chunk");
  for (guint i = 0; i < tmp->len; i++)
    g_ptr_array_add (chunks, g_ptr_array_index (tmp, i));
  g_ptr_array_unref (tmp);
  assert_valid (plan);

  /* A plan from another analysis. */
  {
    g_autoptr(FerryAnalyzer) other = ferry_analyzer_new (catalog);
    g_autoptr(GError) error = NULL;

    g_assert_true (ferry_analyzer_run (other, NULL));
    g_assert_false (ferry_analyzer_validate_plan (other, plan, &error));
    g_assert_error (error, FERRY_ERROR, FERRY_ERROR_PLAN);
  }

  g_assert_true (ferry_analyzer_is_breaking_edge (ferry_plan_get_analyzer (plan), xy));
}

/* ------------------------------------------------------------------ */
/* JSON and DOT                                                       */
/* ------------------------------------------------------------------ */

static FerryCatalog *
make_showcase_catalog (void)
{
  FerryCatalog *catalog = ferry_catalog_new ();
  FerryTable *customers = add_table (catalog, "customers", 3 * MB);
  FerryTable *orders = add_table (catalog, "orders", 5 * MB);
  FerryTable *weird = ferry_catalog_add_table (catalog, "Sales \"EU\"", "back\\slash ünïcode", 100, 1);
  FerryTable *a = add_table (catalog, "a", 10);
  FerryTable *b = add_table (catalog, "b", 10);
  FerryTable *audit = add_table (catalog, "audit", 10);
  FerryTable *employees = add_table (catalog, "employees", 10);

  audit->included = FALSE;
  set_key_range (catalog, orders, 1, 5000);
  add_fk (catalog, orders, customers, FALSE, FALSE);
  add_fk (catalog, weird, orders, TRUE, FALSE);
  add_fk (catalog, a, b, FALSE, TRUE);
  add_fk (catalog, b, a, FALSE, FALSE);
  add_fk (catalog, b, weird, FALSE, FALSE);
  add_fk (catalog, orders, audit, FALSE, FALSE);
  add_fk (catalog, employees, employees, FALSE, TRUE);

  return catalog;
}

static void
test_to_json (void)
{
  g_autoptr(FerryCatalog) catalog = make_showcase_catalog ();
  g_autoptr(FerryConfig) config = make_config (2, MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_autoptr(FerryPlan) plan = make_plan (catalog, config);
  g_autoptr(JsonNode) node = ferry_plan_to_json (plan);
  g_autofree char *text = json_to_string (node, TRUE);
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root, *totals, *table, *chunk, *fk;
  JsonArray *tables, *batches, *chunks, *array;
  guint n_chunks = 0;

  /* Round trip through text, as a consumer would read it. */
  parsed = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (parsed));
  root = json_node_get_object (parsed);

  g_assert_cmpint (json_object_get_int_member (root, "format_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "strategy"), ==, "keep");
  g_assert_cmpint (json_object_get_int_member (root, "chunk_size"), ==, (gint64) MB);

  totals = json_object_get_object_member (root, "totals");
  g_assert_cmpint (json_object_get_int_member (totals, "tables"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (totals, "chunks"), ==, ferry_plan_get_chunks (plan)->len);
  g_assert_cmpint (json_object_get_int_member (totals, "bytes"), ==, (gint64) ferry_plan_get_total_bytes (plan));
  g_assert_cmpint (json_object_get_int_member (totals, "rows"), ==, ferry_plan_get_total_rows (plan));
  g_assert_cmpint (json_object_get_int_member (totals, "batches"), ==, ferry_plan_get_batches (plan)->len);
  g_assert_cmpint (json_object_get_int_member (totals, "levels"), ==,
                   ferry_analyzer_get_n_levels (ferry_plan_get_analyzer (plan)));

  batches = json_object_get_array_member (root, "batches");
  g_assert_cmpuint (json_array_get_length (batches), ==, ferry_plan_get_batches (plan)->len);
  for (guint i = 0; i < json_array_get_length (batches); i++)
    {
      JsonObject *batch = json_array_get_object_element (batches, i);

      g_assert_cmpint (json_object_get_int_member (batch, "number"), ==, i + 1);
      g_assert_true (json_object_has_member (batch, "level"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (batch, "tables")), <=, 2);
    }

  tables = json_object_get_array_member (root, "tables");
  g_assert_cmpuint (json_array_get_length (tables), ==, 6);
  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      table = json_array_get_object_element (tables, i);
      g_assert_true (json_object_has_member (table, "name"));
      g_assert_true (json_object_has_member (table, "schema"));
      g_assert_true (json_object_has_member (table, "table"));
      g_assert_true (json_object_has_member (table, "level"));
      g_assert_cmpint (json_object_get_int_member (table, "batch"), >=, 1);
      g_assert_true (json_object_has_member (table, "size_bytes"));
      g_assert_true (json_object_has_member (table, "rows"));
      g_assert_nonnull (json_object_get_array_member (table, "parents"));
      g_assert_nonnull (json_object_get_array_member (table, "children"));

      chunks = json_object_get_array_member (table, "chunks");
      g_assert_cmpuint (json_array_get_length (chunks), >=, 1);
      for (guint j = 0; j < json_array_get_length (chunks); j++)
        {
          chunk = json_array_get_object_element (chunks, j);
          g_assert_cmpint (json_object_get_int_member (chunk, "id"), ==, n_chunks++);
          g_assert_cmpint (json_object_get_int_member (chunk, "number"), ==, j + 1);
          g_assert_nonnull (json_object_get_string_member (chunk, "heap"));
          g_assert_nonnull (json_object_get_string_member (chunk, "kind"));
          g_assert_nonnull (json_object_get_string_member (chunk, "predicate"));
          g_assert_true (json_object_has_member (chunk, "est_bytes"));
          g_assert_true (json_object_has_member (chunk, "est_rows"));
        }
    }
  g_assert_cmpuint (n_chunks, ==, ferry_plan_get_chunks (plan)->len);

  /* orders: key-range chunks, waits for customers. Level 0 holds
   * customers (the largest), then a and employees by name. */
  table = json_array_get_object_element (tables, 0);
  g_assert_cmpstr (json_object_get_string_member (table, "name"), ==, "public.customers");
  table = json_array_get_object_element (tables, 3);
  g_assert_cmpstr (json_object_get_string_member (table, "name"), ==, "public.orders");
  g_assert_cmpstr (json_object_get_string_member (table, "schema"), ==, "public");
  g_assert_cmpstr (json_object_get_string_member (table, "table"), ==, "orders");
  g_assert_cmpint (json_object_get_int_member (table, "size_bytes"), ==, 5 * MB);
  chunk = json_array_get_object_element (json_object_get_array_member (table, "chunks"), 0);
  g_assert_cmpstr (json_object_get_string_member (chunk, "kind"), ==, "key-range");
  g_assert_cmpstr (json_object_get_string_member (chunk, "predicate"), ==, "\"id\" < 1000");
  array = json_object_get_array_member (table, "parents");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "public.customers");

  array = json_object_get_array_member (root, "cycles");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (array, 0)), ==, 2);

  array = json_object_get_array_member (root, "breaking_edges");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  fk = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (fk, "child"), ==, "public.a");
  g_assert_cmpstr (json_object_get_string_member (fk, "parent"), ==, "public.b");
  g_assert_cmpstr (json_object_get_string_member (fk, "action"), ==, "drop-readd");
  g_assert_nonnull (json_object_get_string_member (fk, "name"));

  array = json_object_get_array_member (root, "external_edges");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  fk = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (fk, "parent"), ==, "public.audit");

  array = json_object_get_array_member (root, "self_references");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);

  array = json_object_get_array_member (root, "foreign_keys");
  g_assert_cmpuint (json_array_get_length (array), ==, 7);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      fk = json_array_get_object_element (array, i);
      g_assert_nonnull (json_object_get_string_member (fk, "name"));
      g_assert_nonnull (json_object_get_string_member (fk, "child"));
      g_assert_nonnull (json_object_get_string_member (fk, "parent"));
      g_assert_nonnull (json_object_get_string_member (fk, "action"));
      g_assert_true (json_object_has_member (fk, "deferrable"));
    }
  fk = json_array_get_object_element (array, 1);
  g_assert_true (json_object_get_boolean_member (fk, "deferrable"));
  g_assert_cmpstr (json_object_get_string_member (fk, "child"), ==,
                   "\"Sales \"\"EU\"\"\".\"back\\slash ünïcode\"");
}

/* Braces balance outside quoted strings, and quoted strings close. */
static gboolean
dot_is_balanced (const char *dot)
{
  int depth = 0;
  gboolean quoted = FALSE;

  for (const char *p = dot; *p; p++)
    {
      if (quoted)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            quoted = FALSE;
          continue;
        }

      if (*p == '"')
        quoted = TRUE;
      else if (*p == '{')
        depth++;
      else if (*p == '}' && --depth < 0)
        return FALSE;
    }

  return depth == 0 && !quoted;
}

static guint
count_lines_with (const char *text,
                  const char *a,
                  const char *b)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], a) != NULL && (b == NULL || strstr (lines[i], b) != NULL))
      n++;

  return n;
}

static void
test_to_dot (void)
{
  g_autoptr(FerryCatalog) catalog = make_showcase_catalog ();
  g_autoptr(FerryConfig) config = make_config (2, MB, FERRY_CONSTRAINT_STRATEGY_KEEP);
  g_autoptr(FerryPlan) plan = make_plan (catalog, config);
  g_autofree char *dot = ferry_plan_to_dot (plan);
  GPtrArray *breaking = ferry_analyzer_get_breaking_edges (ferry_plan_get_analyzer (plan));

  g_test_message ("%s", dot);

  g_assert_true (g_str_has_prefix (dot, "digraph "));
  g_assert_true (dot_is_balanced (dot));
  g_assert_true (g_utf8_validate (dot, -1, NULL));

  /* Every breaking edge is dashed and red. */
  g_assert_cmpuint (breaking->len, ==, 1);
  g_assert_cmpuint (count_lines_with (dot, "->", "style=dashed"), ==, breaking->len);
  g_assert_cmpuint (count_lines_with (dot, "style=dashed", "color=red"), ==, breaking->len);

  /* One rank per level. */
  g_assert_cmpuint (count_lines_with (dot, "rank=same", NULL), ==,
                    ferry_analyzer_get_n_levels (ferry_plan_get_analyzer (plan)));

  /* Names are escaped, and the self-reference is a loop. */
  g_assert_nonnull (strstr (dot, "\\\"Sales \\\"\\\"EU\\\"\\\"\\\".\\\"back\\\\slash ünïcode\\\""));
  {
    FerryTable *employees = ferry_catalog_find (catalog, "public.employees");
    g_autofree char *loop = g_strdup_printf ("t%u -> t%u ", employees->index, employees->index);

    g_assert_nonnull (strstr (dot, loop));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plan/batches", test_batches);
  g_test_add_func ("/plan/chunks/key-range", test_chunks_key_range);
  g_test_add_func ("/plan/chunks/key-range-extremes", test_chunks_key_range_extremes);
  g_test_add_func ("/plan/chunks/ctid", test_chunks_ctid);
  g_test_add_func ("/plan/chunks/whole", test_chunks_whole);
  g_test_add_func ("/plan/chunks/partitioned", test_chunks_partitioned);
  g_test_add_func ("/plan/actions/self-reference", test_self_reference_action);
  g_test_add_func ("/plan/actions/keep-and-rebuild", test_keep_and_rebuild);
  g_test_add_func ("/plan/validate", test_validate);
  g_test_add_func ("/plan/json", test_to_json);
  g_test_add_func ("/plan/dot", test_to_dot);

  return g_test_run ();
}
