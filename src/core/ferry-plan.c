/* ferry-plan.c — a migration plan: batches, chunks, constraint actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-plan"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-config.h"
#include "ferry-connection.h"
#include "ferry-enum-types.h"
#include "ferry-plan.h"
#include "ferry-table-private.h"

/*
 * A plan turns the analyzer's load order into work:
 *
 *  - batches: consecutive units of the same level, at most batch_size
 *    of them; a batch never mixes levels, so a batch only starts when
 *    every parent it waits for is in an earlier one;
 *  - chunks: each heap (an ordinary table, or each partition of a
 *    partitioned one) is cut into about size / chunk_size pieces, by
 *    ranges of its integer key when its range is known, else by ranges
 *    of ctid blocks. The first chunk has no lower bound and the last no
 *    upper bound, so rows outside what the statistics said are copied
 *    too;
 *  - foreign key actions: with the "rebuild" strategy every FK is
 *    dropped and rebuilt; with "keep", only the FKs that close a cycle
 *    and the self-references of tables loaded in several chunks are
 *    dropped and re-added (NOT VALID, then VALIDATE).
 */

/* A safety net against absurd settings (a tiny chunk size on a huge
 * table): past this, chunks simply get larger. */
#define MAX_CHUNKS_PER_HEAP 1000000

#define JSON_FORMAT_VERSION 1

struct _FerryPlan
{
  GObject                  parent_instance;

  FerryAnalyzer           *analyzer;
  FerryConfig             *config;

  FerryConstraintStrategy  strategy;
  guint64                  chunk_size;
  guint                    batch_size;

  GPtrArray               *batches;       /* FerryBatch*, owned */
  GPtrArray               *chunks;        /* FerryChunk*, owned, in load order */
  GPtrArray              **unit_chunks;   /* by FerryTable.index: FerryChunk*, borrowed */
  int                     *unit_batch;    /* by FerryTable.index: batch number, 0 for none */
  guint                    n_tables;      /* of the catalog, the size of the two above */
  GHashTable              *fk_actions;    /* FerryForeignKey* → action + 1 */

  guint64                  total_bytes;
  gint64                   total_rows;
};

G_DEFINE_FINAL_TYPE (FerryPlan, ferry_plan, G_TYPE_OBJECT)

static void
ferry_batch_free (FerryBatch *batch)
{
  g_clear_pointer (&batch->tables, g_ptr_array_unref);
  g_free (batch);
}

static void
ferry_chunk_free (FerryChunk *chunk)
{
  g_clear_pointer (&chunk->predicate, g_free);
  g_free (chunk);
}

static void
ferry_plan_dispose (GObject *object)
{
  FerryPlan *self = (FerryPlan *)object;

  /* Batches and chunks borrow tables that the analyzer's catalog owns. */
  g_clear_pointer (&self->batches, g_ptr_array_unref);
  g_clear_pointer (&self->chunks, g_ptr_array_unref);
  g_clear_object (&self->analyzer);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (ferry_plan_parent_class)->dispose (object);
}

static void
ferry_plan_finalize (GObject *object)
{
  FerryPlan *self = (FerryPlan *)object;

  if (self->unit_chunks != NULL)
    {
      for (guint i = 0; i < self->n_tables; i++)
        g_clear_pointer (&self->unit_chunks[i], g_ptr_array_unref);
      g_clear_pointer (&self->unit_chunks, g_free);
    }
  g_clear_pointer (&self->unit_batch, g_free);
  g_clear_pointer (&self->fk_actions, g_hash_table_unref);

  G_OBJECT_CLASS (ferry_plan_parent_class)->finalize (object);
}

static void
ferry_plan_class_init (FerryPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_plan_dispose;
  object_class->finalize = ferry_plan_finalize;
}

static void
ferry_plan_init (FerryPlan *self)
{
  self->batches = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_batch_free);
  self->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_chunk_free);
  self->fk_actions = g_hash_table_new (NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Arithmetic                                                         */
/* ------------------------------------------------------------------ */

/* @base + @offset, where the caller knows the sum is a valid gint64 but
 * @offset alone may not be (a range spanning the whole int64 range). */
static gint64
add_offset (gint64  base,
            guint64 offset)
{
  guint64 sum = (guint64) base + offset;   /* modulo 2^64 */

  if (sum <= (guint64) G_MAXINT64)
    return (gint64) sum;

  /* sum - 2^64, written without converting an out-of-range value. */
  return -(gint64) (~sum) - 1;
}

/* floor (@i * @span / @n) without overflow, for @i <= @n <= G_MAXUINT32. */
static guint64
scaled_offset (guint64 span,
               guint64 i,
               guint64 n)
{
  g_assert (n > 0 && n <= G_MAXUINT32 && i <= n);

  return i * (span / n) + (i * (span % n)) / n;
}

/* The share @part / @whole of @total, rounded; exact at @part == @whole. */
static guint64
share (guint64 total,
       guint64 part,
       guint64 whole)
{
  if (whole == 0 || part >= whole)
    return total;
  return (guint64) ((long double) total * (long double) part / (long double) whole + 0.5L);
}

/* ------------------------------------------------------------------ */
/* Chunks                                                             */
/* ------------------------------------------------------------------ */

static guint
wanted_chunks (FerryPlan  *self,
               FerryTable *heap)
{
  guint64 n;

  if (self->chunk_size == 0)
    return 1;

  n = heap->size_bytes / self->chunk_size + (heap->size_bytes % self->chunk_size != 0);

  return (guint) CLAMP (n, 1, MAX_CHUNKS_PER_HEAP);
}

static FerryChunk *
add_chunk (FerryPlan      *self,
           FerryTable     *unit,
           FerryTable     *heap,
           FerryChunkKind  kind,
           gboolean        has_lo,
           gint64          lo,
           gboolean        has_hi,
           gint64          hi,
           char           *predicate)
{
  FerryChunk *chunk = g_new0 (FerryChunk, 1);

  chunk->id = self->chunks->len;
  chunk->table = unit;
  chunk->heap = heap;
  chunk->number = self->unit_chunks[unit->index]->len + 1;
  chunk->kind = kind;
  chunk->has_lo = has_lo;
  chunk->lo = has_lo ? lo : 0;
  chunk->has_hi = has_hi;
  chunk->hi = has_hi ? hi : 0;
  chunk->predicate = predicate;

  g_ptr_array_add (self->chunks, chunk);
  g_ptr_array_add (self->unit_chunks[unit->index], chunk);

  return chunk;
}

/* Spreads the heap's bytes and rows over its @n chunks in proportion to
 * their share (@widths[i] out of @whole), so that they add up exactly. */
static void
spread_estimates (FerryTable    *heap,
                  FerryChunk   **chunks,
                  const guint64 *widths,
                  guint          n,
                  guint64        whole)
{
  guint64 cum = 0, bytes_before = 0, rows_before = 0;
  guint64 rows = heap->row_estimate > 0 ? (guint64) heap->row_estimate : 0;

  for (guint i = 0; i < n; i++)
    {
      guint64 bytes_upto, rows_upto;

      cum += widths[i];
      bytes_upto = i + 1 == n ? heap->size_bytes : share (heap->size_bytes, cum, whole);
      rows_upto = i + 1 == n ? rows : share (rows, cum, whole);

      chunks[i]->est_bytes = bytes_upto - bytes_before;
      chunks[i]->est_rows = heap->row_estimate < 0 ? -1 : (gint64) (rows_upto - rows_before);

      bytes_before = bytes_upto;
      rows_before = rows_upto;
    }
}

static void
plan_key_ranges (FerryPlan  *self,
                 FerryTable *unit,
                 FerryTable *heap,
                 guint       n)
{
  g_autofree char *column = ferry_quote_ident (heap->chunk_key->name);
  g_autofree FerryChunk **chunks = g_new (FerryChunk *, n);
  g_autofree guint64 *widths = g_new (guint64, n);
  guint64 span = (guint64) heap->key_max - (guint64) heap->key_min;
  guint64 prev_offset = 0;

  /* n <= span: every range holds at least one key value. */
  for (guint i = 0; i < n; i++)
    {
      gboolean first = i == 0;
      gboolean last = i + 1 == n;
      guint64 lo_offset = prev_offset;
      guint64 hi_offset = last ? span : scaled_offset (span, i + 1, n);
      gint64 lo = add_offset (heap->key_min, lo_offset);
      gint64 hi = add_offset (heap->key_min, hi_offset);
      char *predicate;

      if (first)
        predicate = g_strdup_printf ("%s < %" G_GINT64_FORMAT, column, hi);
      else if (last)
        predicate = g_strdup_printf ("%s >= %" G_GINT64_FORMAT, column, lo);
      else
        predicate = g_strdup_printf ("%s >= %" G_GINT64_FORMAT " AND %s < %" G_GINT64_FORMAT,
                                     column, lo, column, hi);

      chunks[i] = add_chunk (self, unit, heap, FERRY_CHUNK_KIND_KEY_RANGE,
                             !first, lo, !last, hi, predicate);
      widths[i] = hi_offset - lo_offset;
      prev_offset = hi_offset;
    }

  spread_estimates (heap, chunks, widths, n, span);
}

static void
plan_block_ranges (FerryPlan  *self,
                   FerryTable *unit,
                   FerryTable *heap,
                   guint       n)
{
  g_autofree FerryChunk **chunks = g_new (FerryChunk *, n);
  g_autofree guint64 *widths = g_new (guint64, n);
  guint64 pages = heap->pages;
  guint64 lo = 0;

  /* n <= pages: every range holds at least one block. */
  for (guint i = 0; i < n; i++)
    {
      gboolean first = i == 0;
      gboolean last = i + 1 == n;
      guint64 hi = last ? pages : scaled_offset (pages, i + 1, n);
      char *predicate;

      if (first)
        predicate = g_strdup_printf ("ctid < '(%" G_GUINT64_FORMAT ",0)'::pg_catalog.tid", hi);
      else if (last)
        predicate = g_strdup_printf ("ctid >= '(%" G_GUINT64_FORMAT ",0)'::pg_catalog.tid", lo);
      else
        predicate = g_strdup_printf ("ctid >= '(%" G_GUINT64_FORMAT ",0)'::pg_catalog.tid"
                                     " AND ctid < '(%" G_GUINT64_FORMAT ",0)'::pg_catalog.tid",
                                     lo, hi);

      chunks[i] = add_chunk (self, unit, heap, FERRY_CHUNK_KIND_CTID_RANGE,
                             !first, (gint64) lo, !last, (gint64) hi, predicate);
      widths[i] = hi - lo;
      lo = hi;
    }

  spread_estimates (heap, chunks, widths, n, pages);
}

static void
plan_heap (FerryPlan  *self,
           FerryTable *unit,
           FerryTable *heap)
{
  guint n = wanted_chunks (self, heap);

  if (n > 1 && heap->chunk_key != NULL && heap->has_key_range &&
      heap->key_max > heap->key_min)
    {
      guint64 span = (guint64) heap->key_max - (guint64) heap->key_min;

      plan_key_ranges (self, unit, heap, (guint) MIN ((guint64) n, span));
      return;
    }

  /* Block numbers are 32-bit in PostgreSQL. */
  if (n > 1 && heap->pages > 1 && heap->pages <= G_MAXUINT32)
    {
      plan_block_ranges (self, unit, heap, (guint) MIN ((guint64) n, heap->pages));
      return;
    }

  {
    FerryChunk *chunk = add_chunk (self, unit, heap, FERRY_CHUNK_KIND_WHOLE,
                                   FALSE, 0, FALSE, 0, g_strdup ("true"));
    chunk->est_bytes = heap->size_bytes;
    chunk->est_rows = heap->row_estimate;
  }
}

static void
plan_unit (FerryPlan  *self,
           FerryTable *unit)
{
  GPtrArray *chunks;

  self->unit_chunks[unit->index] = g_ptr_array_new ();

  if (unit->kind == FERRY_TABLE_KIND_PARTITIONED &&
      unit->partitions != NULL && unit->partitions->len > 0)
    {
      for (guint i = 0; i < unit->partitions->len; i++)
        plan_heap (self, unit, g_ptr_array_index (unit->partitions, i));
    }
  else
    plan_heap (self, unit, unit);

  chunks = self->unit_chunks[unit->index];
  for (guint i = 0; i < chunks->len; i++)
    {
      FerryChunk *chunk = g_ptr_array_index (chunks, i);

      chunk->n_chunks = chunks->len;
      self->total_bytes += chunk->est_bytes;
      if (chunk->est_rows > 0)
        self->total_rows += chunk->est_rows;
    }
}

/* ------------------------------------------------------------------ */
/* Batches and actions                                                */
/* ------------------------------------------------------------------ */

static void
plan_batches (FerryPlan *self,
              GPtrArray *order)
{
  FerryBatch *batch = NULL;

  for (guint i = 0; i < order->len; i++)
    {
      FerryTable *table = g_ptr_array_index (order, i);
      int level = ferry_analyzer_get_level (self->analyzer, table);

      if (batch == NULL || batch->level != level || batch->tables->len >= self->batch_size)
        {
          batch = g_new0 (FerryBatch, 1);
          batch->number = self->batches->len + 1;
          batch->level = level;
          batch->tables = g_ptr_array_new ();
          g_ptr_array_add (self->batches, batch);
        }

      g_ptr_array_add (batch->tables, table);
      self->unit_batch[table->index] = (int) batch->number;
    }
}

static FerryFkAction
choose_action (FerryPlan       *self,
               FerryForeignKey *fk)
{
  if (self->strategy == FERRY_CONSTRAINT_STRATEGY_REBUILD)
    return FERRY_FK_ACTION_REBUILD;

  if (ferry_analyzer_is_breaking_edge (self->analyzer, fk))
    return FERRY_FK_ACTION_DROP_READD;

  /* A single COPY checks its own references at the end of the
   * statement; rows of one chunk may reference rows of a later one. */
  if (ferry_analyzer_is_self_reference (self->analyzer, fk))
    {
      FerryTable *unit = ferry_analyzer_get_unit (self->analyzer, fk->child);
      GPtrArray *chunks = self->unit_chunks[unit->index];

      return chunks->len > 1 ? FERRY_FK_ACTION_DROP_READD : FERRY_FK_ACTION_KEEP;
    }

  return FERRY_FK_ACTION_KEEP;
}

/**
 * ferry_plan_new:
 * @analyzer: a #FerryAnalyzer; it is run first if it has not been
 * @config: the configuration: batch size, chunk size, constraint strategy
 * @error: return location for a #GError
 *
 * Makes a plan and checks it with ferry_analyzer_validate_plan().
 *
 * Returns: (transfer full) (nullable): a new #FerryPlan, or %NULL
 */
FerryPlan *
ferry_plan_new (FerryAnalyzer  *analyzer,
                FerryConfig    *config,
                GError        **error)
{
  g_autoptr(FerryPlan) self = NULL;
  GPtrArray *order;
  GPtrArray *fks;

  g_return_val_if_fail (FERRY_IS_ANALYZER (analyzer), NULL);
  g_return_val_if_fail (FERRY_IS_CONFIG (config), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ferry_analyzer_is_analyzed (analyzer) &&
      !ferry_analyzer_run (analyzer, error))
    return NULL;

  self = g_object_new (FERRY_TYPE_PLAN, NULL);
  self->analyzer = g_object_ref (analyzer);
  self->config = g_object_ref (config);
  self->strategy = ferry_config_get_constraints (config);
  self->chunk_size = ferry_config_get_chunk_size (config);
  self->batch_size = MAX (ferry_config_get_batch_size (config), 1);

  self->n_tables = ferry_catalog_get_tables (ferry_analyzer_get_catalog (analyzer))->len;
  self->unit_chunks = g_new0 (GPtrArray *, MAX (self->n_tables, 1));
  self->unit_batch = g_new0 (int, MAX (self->n_tables, 1));

  order = ferry_analyzer_get_order (analyzer);
  plan_batches (self, order);
  for (guint i = 0; i < order->len; i++)
    plan_unit (self, g_ptr_array_index (order, i));

  fks = ferry_analyzer_get_foreign_keys (analyzer);
  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);

      g_hash_table_insert (self->fk_actions, fk,
                           GINT_TO_POINTER (choose_action (self, fk) + 1));
    }

  if (!ferry_analyzer_validate_plan (analyzer, self, error))
    {
      g_prefix_error (error, _("Internal error: the new plan is inconsistent: "));
      return NULL;
    }

  g_debug ("Plan: %u tables in %u batches, %u chunks",
           order->len, self->batches->len, self->chunks->len);

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------ */
/* Accessors                                                          */
/* ------------------------------------------------------------------ */

FerryAnalyzer *
ferry_plan_get_analyzer (FerryPlan *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN (self), NULL);

  return self->analyzer;
}

FerryConfig *
ferry_plan_get_config (FerryPlan *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN (self), NULL);

  return self->config;
}

FerryConstraintStrategy
ferry_plan_get_strategy (FerryPlan *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN (self), FERRY_CONSTRAINT_STRATEGY_KEEP);

  return self->strategy;
}

guint64
ferry_plan_get_chunk_size (FerryPlan *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN (self), 0);

  return self->chunk_size;
}

/**
 * ferry_plan_get_batches:
 *
 * Returns: (transfer none) (element-type FerryBatch): the batches, in order
 */
GPtrArray *
ferry_plan_get_batches (FerryPlan *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN (self), NULL);

  return self->batches;
}

/**
 * ferry_plan_get_chunks:
 *
 * Returns: (transfer none) (element-type FerryChunk): every chunk, in load
 *   order; a chunk's id is its position here
 */
GPtrArray *
ferry_plan_get_chunks (FerryPlan *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN (self), NULL);

  return self->chunks;
}

/**
 * ferry_plan_get_table_chunks:
 * @table: a unit, or a partition (which stands for its unit)
 *
 * Returns: (transfer none) (nullable) (element-type FerryChunk): the
 *   chunks of the unit of @table, or %NULL when it is not migrated
 */
GPtrArray *
ferry_plan_get_table_chunks (FerryPlan  *self,
                             FerryTable *table)
{
  FerryTable *unit;

  g_return_val_if_fail (FERRY_IS_PLAN (self), NULL);
  g_return_val_if_fail (FERRY_IS_TABLE (table), NULL);

  unit = ferry_analyzer_get_unit (self->analyzer, table);
  if (unit == NULL || unit->index >= self->n_tables)
    return NULL;

  return self->unit_chunks[unit->index];
}

/**
 * ferry_plan_lookup_fk_action:
 * @action: (out) (optional): where to store the action
 *
 * Returns: %TRUE when @fk is part of the plan
 */
gboolean
ferry_plan_lookup_fk_action (FerryPlan       *self,
                             FerryForeignKey *fk,
                             FerryFkAction   *action)
{
  gpointer value;

  g_return_val_if_fail (FERRY_IS_PLAN (self), FALSE);
  g_return_val_if_fail (fk != NULL, FALSE);

  value = g_hash_table_lookup (self->fk_actions, fk);
  if (value == NULL)
    return FALSE;

  if (action != NULL)
    *action = GPOINTER_TO_INT (value) - 1;
  return TRUE;
}

/**
 * ferry_plan_get_fk_action:
 *
 * Returns: what happens to @fk on the target; %FERRY_FK_ACTION_KEEP for a
 *   foreign key the plan does not touch (its child is not migrated)
 */
FerryFkAction
ferry_plan_get_fk_action (FerryPlan       *self,
                          FerryForeignKey *fk)
{
  FerryFkAction action = FERRY_FK_ACTION_KEEP;

  g_return_val_if_fail (FERRY_IS_PLAN (self), FERRY_FK_ACTION_KEEP);
  g_return_val_if_fail (fk != NULL, FERRY_FK_ACTION_KEEP);

  ferry_plan_lookup_fk_action (self, fk, &action);

  return action;
}

guint64
ferry_plan_get_total_bytes (FerryPlan *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN (self), 0);

  return self->total_bytes;
}

/* Estimated rows: the sum of the estimates known (tables never analysed
 * count as 0). */
gint64
ferry_plan_get_total_rows (FerryPlan *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN (self), 0);

  return self->total_rows;
}

guint
ferry_plan_get_n_tables (FerryPlan *self)
{
  g_return_val_if_fail (FERRY_IS_PLAN (self), 0);

  return ferry_analyzer_get_order (self->analyzer)->len;
}

/* ------------------------------------------------------------------ */
/* JSON                                                               */
/* ------------------------------------------------------------------ */

/* What a unit copies: the sum of its chunks' estimates. */
static guint64
unit_bytes (GPtrArray *chunks)
{
  guint64 bytes = 0;

  for (guint i = 0; i < chunks->len; i++)
    bytes += ((const FerryChunk *) g_ptr_array_index (chunks, i))->est_bytes;

  return bytes;
}

static const char *
nick (GType type,
      int   value)
{
  const char *n = ferry_enum_to_nick (type, value);

  return n != NULL ? n : "unknown";
}

static void
add_table_names (JsonBuilder *builder,
                 GPtrArray   *tables)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);
      json_builder_add_string_value (builder, table->display_name);
    }
  json_builder_end_array (builder);
}

static void
add_fk_array (FerryPlan   *self,
              JsonBuilder *builder,
              const char  *member,
              GPtrArray   *fks,
              gboolean     with_deferrable)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);

  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, fk->name);
      json_builder_set_member_name (builder, "child");
      json_builder_add_string_value (builder, fk->child->display_name);
      json_builder_set_member_name (builder, "parent");
      json_builder_add_string_value (builder, fk->parent->display_name);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, nick (FERRY_TYPE_FK_ACTION,
                                                    ferry_plan_get_fk_action (self, fk)));
      json_builder_set_member_name (builder, "preferred");
      json_builder_add_boolean_value (builder, ferry_analyzer_is_preferred_break (self->analyzer, fk));
      if (with_deferrable)
        {
          json_builder_set_member_name (builder, "deferrable");
          json_builder_add_boolean_value (builder, fk->deferrable);
          json_builder_set_member_name (builder, "nullable");
          json_builder_add_boolean_value (builder, fk->nullable);
        }
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
}

static void
add_chunk_object (JsonBuilder      *builder,
                  const FerryChunk *chunk)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, chunk->id);
  json_builder_set_member_name (builder, "number");
  json_builder_add_int_value (builder, chunk->number);
  json_builder_set_member_name (builder, "heap");
  json_builder_add_string_value (builder, chunk->heap->display_name);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, nick (FERRY_TYPE_CHUNK_KIND, chunk->kind));
  json_builder_set_member_name (builder, "predicate");
  json_builder_add_string_value (builder, chunk->predicate);
  json_builder_set_member_name (builder, "lo");
  if (chunk->has_lo)
    json_builder_add_int_value (builder, chunk->lo);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "hi");
  if (chunk->has_hi)
    json_builder_add_int_value (builder, chunk->hi);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "est_bytes");
  json_builder_add_int_value (builder, (gint64) MIN (chunk->est_bytes, (guint64) G_MAXINT64));
  json_builder_set_member_name (builder, "est_rows");
  json_builder_add_int_value (builder, chunk->est_rows);
  json_builder_end_object (builder);
}

static void
add_table_object (FerryPlan   *self,
                  JsonBuilder *builder,
                  FerryTable  *table)
{
  GPtrArray *chunks = self->unit_chunks[table->index];
  g_autoptr(GPtrArray) parents = ferry_analyzer_dup_parents (self->analyzer, table);
  g_autoptr(GPtrArray) children = ferry_analyzer_dup_children (self->analyzer, table);
  guint64 bytes = unit_bytes (chunks);
  gint64 rows = -1;

  for (guint i = 0; i < chunks->len; i++)
    {
      const FerryChunk *chunk = g_ptr_array_index (chunks, i);

      if (chunk->est_rows >= 0)
        rows = MAX (rows, 0) + chunk->est_rows;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, table->display_name);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, table->schema);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, table->name);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, nick (FERRY_TYPE_TABLE_KIND, table->kind));
  json_builder_set_member_name (builder, "level");
  json_builder_add_int_value (builder, ferry_analyzer_get_level (self->analyzer, table));
  json_builder_set_member_name (builder, "batch");
  json_builder_add_int_value (builder, self->unit_batch[table->index]);
  json_builder_set_member_name (builder, "size_bytes");
  json_builder_add_int_value (builder, (gint64) MIN (bytes, (guint64) G_MAXINT64));
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, rows);

  json_builder_set_member_name (builder, "chunks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < chunks->len; i++)
    add_chunk_object (builder, g_ptr_array_index (chunks, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "parents");
  add_table_names (builder, parents);
  json_builder_set_member_name (builder, "children");
  add_table_names (builder, children);

  json_builder_end_object (builder);
}

/**
 * ferry_plan_to_json:
 *
 * The plan as JSON, for `ferry-cli plan --json`, the service and the
 * reports. The shape is stable; fields may be added, never changed or
 * removed without raising format_version:
 *
 * |[
 * {
 *   "format_version": 1,
 *   "strategy": "keep" | "rebuild",
 *   "chunk_size": bytes,
 *   "batch_size": tables,
 *   "totals": { "tables", "chunks", "bytes", "rows", "batches", "levels" },
 *   "batches": [ { "number", "level", "tables": [ name … ] } … ],
 *   "tables": [ {
 *       "name", "schema", "table", "kind", "level", "batch",
 *       "size_bytes", "rows" (-1: unknown),
 *       "chunks": [ { "id", "number", "heap", "kind", "predicate",
 *                     "lo", "hi" (null: open), "est_bytes",
 *                     "est_rows" (-1: unknown) } … ],
 *       "parents": [ name … ],      units it waits for
 *       "children": [ name … ]      units that wait for it
 *     } … ],                          in load order
 *   "cycles": [ [ name … ] … ],
 *   "breaking_edges": [ { "name", "child", "parent", "action", "preferred" } … ],
 *   "self_references": [ { "name", "child", "parent", "action", "preferred" } … ],
 *   "external_edges": [ { "name", "child", "parent", "action", "preferred" } … ],
 *   "foreign_keys": [ { "name", "child", "parent", "action", "preferred",
 *                       "deferrable", "nullable" } … ]
 * }
 * ]|
 *
 * Table names are display names (schema.name, quoted where needed);
 * actions are "keep", "drop-readd" or "rebuild"; "preferred" is true for
 * a breaking edge that tables.break_cycles_at chose.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
ferry_plan_to_json (FerryPlan *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  GPtrArray *order;
  GPtrArray *cycles;

  g_return_val_if_fail (FERRY_IS_PLAN (self), NULL);

  builder = json_builder_new ();
  order = ferry_analyzer_get_order (self->analyzer);
  cycles = ferry_analyzer_get_cycles (self->analyzer);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, JSON_FORMAT_VERSION);
  json_builder_set_member_name (builder, "strategy");
  json_builder_add_string_value (builder, nick (FERRY_TYPE_CONSTRAINT_STRATEGY, self->strategy));
  json_builder_set_member_name (builder, "chunk_size");
  json_builder_add_int_value (builder, (gint64) MIN (self->chunk_size, (guint64) G_MAXINT64));
  json_builder_set_member_name (builder, "batch_size");
  json_builder_add_int_value (builder, self->batch_size);

  json_builder_set_member_name (builder, "totals");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tables");
  json_builder_add_int_value (builder, order->len);
  json_builder_set_member_name (builder, "chunks");
  json_builder_add_int_value (builder, self->chunks->len);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, (gint64) MIN (self->total_bytes, (guint64) G_MAXINT64));
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, self->total_rows);
  json_builder_set_member_name (builder, "batches");
  json_builder_add_int_value (builder, self->batches->len);
  json_builder_set_member_name (builder, "levels");
  json_builder_add_int_value (builder, ferry_analyzer_get_n_levels (self->analyzer));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "batches");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->batches->len; i++)
    {
      const FerryBatch *batch = g_ptr_array_index (self->batches, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "number");
      json_builder_add_int_value (builder, batch->number);
      json_builder_set_member_name (builder, "level");
      json_builder_add_int_value (builder, batch->level);
      json_builder_set_member_name (builder, "tables");
      add_table_names (builder, batch->tables);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "tables");
  json_builder_begin_array (builder);
  for (guint i = 0; i < order->len; i++)
    add_table_object (self, builder, g_ptr_array_index (order, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "cycles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cycles->len; i++)
    add_table_names (builder, g_ptr_array_index (cycles, i));
  json_builder_end_array (builder);

  add_fk_array (self, builder, "breaking_edges",
                ferry_analyzer_get_breaking_edges (self->analyzer), FALSE);
  add_fk_array (self, builder, "self_references",
                ferry_analyzer_get_self_references (self->analyzer), FALSE);
  add_fk_array (self, builder, "external_edges",
                ferry_analyzer_get_external_edges (self->analyzer), FALSE);
  add_fk_array (self, builder, "foreign_keys",
                ferry_analyzer_get_foreign_keys (self->analyzer), TRUE);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* ------------------------------------------------------------------ */
/* Graphviz                                                           */
/* ------------------------------------------------------------------ */

/* Appends @text as a DOT quoted string. */
static void
append_dot_string (GString    *out,
                   const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_dot_edge (GString    *out,
                 FerryTable *parent,
                 FerryTable *child,
                 const char *name,
                 const char *attributes)
{
  g_string_append_printf (out, "  t%u -> t%u [tooltip=", parent->index, child->index);
  append_dot_string (out, name);
  if (attributes != NULL)
    g_string_append_printf (out, ", %s", attributes);
  g_string_append (out, "];\n");
}

/**
 * ferry_plan_to_dot:
 *
 * The dependency graph as a Graphviz digraph: one node per unit with its
 * name and size, one rank per level, an edge parent → child per pair of
 * units (kept: solid; breaking: dashed red, thick when chosen by
 * tables.break_cycles_at) and self-references as loops.
 *
 * Returns: (transfer full): the DOT source
 */
char *
ferry_plan_to_dot (FerryPlan *self)
{
  GString *out;
  GPtrArray *order;
  GPtrArray *fks;
  g_autoptr(GHashTable) drawn = NULL;
  guint n_levels;

  g_return_val_if_fail (FERRY_IS_PLAN (self), NULL);

  order = ferry_analyzer_get_order (self->analyzer);
  n_levels = ferry_analyzer_get_n_levels (self->analyzer);
  out = g_string_new (NULL);
  drawn = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_string_append (out,
                   "digraph ferry_plan {\n"
                   "  graph [rankdir=TB, newrank=true];\n"
                   "  node [shape=box, style=rounded, fontname=\"Sans\"];\n"
                   "  edge [color=\"#555555\"];\n");

  for (guint i = 0; i < order->len; i++)
    {
      FerryTable *table = g_ptr_array_index (order, i);
      GPtrArray *chunks = self->unit_chunks[table->index];
      g_autofree char *size = ferry_format_size (unit_bytes (chunks));
      g_autofree char *label = g_strdup_printf ("%s\n%s", table->display_name, size);

      g_string_append_printf (out, "  t%u [label=", table->index);
      append_dot_string (out, label);
      g_string_append (out, "];\n");
    }

  for (guint level = 0; level < n_levels; level++)
    {
      g_string_append_printf (out, "  subgraph level_%u {\n    rank=same;\n", level);
      for (guint i = 0; i < order->len; i++)
        {
          FerryTable *table = g_ptr_array_index (order, i);

          if (ferry_analyzer_get_level (self->analyzer, table) == (int) level)
            g_string_append_printf (out, "    t%u;\n", table->index);
        }
      g_string_append (out, "  }\n");
    }

  /* One edge per pair of units: a pair is broken as a whole. */
  fks = ferry_analyzer_get_foreign_keys (self->analyzer);
  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);
      FerryTable *child = ferry_analyzer_get_unit (self->analyzer, fk->child);
      FerryTable *parent = ferry_analyzer_get_unit (self->analyzer, fk->parent);
      gint64 key;

      if (parent == NULL)
        continue;

      key = ((gint64) parent->index << 32) | child->index;
      if (g_hash_table_contains (drawn, &key))
        continue;
      g_hash_table_add (drawn, g_memdup2 (&key, sizeof key));

      if (ferry_analyzer_is_preferred_break (self->analyzer, fk))
        append_dot_edge (out, parent, child, fk->name, "style=dashed, color=red, penwidth=2");
      else if (ferry_analyzer_is_breaking_edge (self->analyzer, fk))
        append_dot_edge (out, parent, child, fk->name, "style=dashed, color=red");
      else if (parent == child)
        append_dot_edge (out, parent, child, fk->name, "color=\"#1c71d8\"");
      else
        append_dot_edge (out, parent, child, fk->name, NULL);
    }

  g_string_append (out, "}\n");

  return g_string_free (out, FALSE);
}
