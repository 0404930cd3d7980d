/* ferry-plan-document.c — a plan read back from its JSON document
 *
 * The service sends its plan as the document of ferry_plan_to_json();
 * the graph view wants a FerryPlan. The document names every unit with
 * its size and level, and every foreign key whose child is migrated, so
 * the graph can be rebuilt: a catalog made by hand (the units, and the
 * foreign keys between them mapped from partitions to their units), the
 * analyzer run on it and a plan made with the document's strategy,
 * chunk size and batch size.
 *
 * The document's breaking edges are the analyzer's preferred breaks, so
 * that it breaks the cycles where the service did. What comes out is
 * checked against the document: every unit at its level, and the same
 * foreign keys breaking the cycles. Should it still differ, the plan is
 * made again from the kept foreign keys only (their levels are exact;
 * the graph then shows no breaking edge).
 *
 * The chunks of a rebuilt plan are cut from sizes alone (the catalog has
 * no key ranges), so the batches, the chunks and the figures the pages
 * show come from the document itself: ferry_plan_document_get_*() give
 * them for either kind of plan.
 *
 * GTK-free, like FerryRemote, which loads it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-plan-document"

#include "config.h"

#include "ferry-plan-document.h"

#include <glib/gi18n.h>

#include "ferry-catalog.h"
#include "ferry-config.h"
#include "ferry-enum-types.h"
#include "ferry-error.h"

#define FORMAT_VERSION 1

typedef struct {
  GPtrArray        *batches;      /* FerryBatch*, owned */
  GHashTable       *chunks;       /* FerryTable* → GPtrArray of FerryChunk*, owned */
  FerryPlanFigures  figures;
} Document;

static GQuark
document_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("ferry-plan-document");
  return quark;
}

static void
batch_free (FerryBatch *batch)
{
  g_clear_pointer (&batch->tables, g_ptr_array_unref);
  g_free (batch);
}

static void
chunk_free (FerryChunk *chunk)
{
  g_free (chunk->predicate);
  g_free (chunk);
}

static void
document_free (Document *doc)
{
  g_clear_pointer (&doc->batches, g_ptr_array_unref);
  g_clear_pointer (&doc->chunks, g_hash_table_unref);
  g_free (doc);
}

static gint64
member_int (JsonObject *o,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64)json_node_get_double (node);
  return fallback;
}

static const char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *o,
              const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
element_object (JsonArray *array,
                guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* "child\x1fname": foreign key names are unique per table only. */
static char *
fk_key (JsonObject *fk)
{
  return g_strconcat (member_string (fk, "child") ? member_string (fk, "child") : "", "\x1f",
                      member_string (fk, "name") ? member_string (fk, "name") : "", NULL);
}

static GHashTable *
fk_set (JsonObject *root,
        const char *member)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *fks = member_array (root, member);

  for (guint i = 0; fks != NULL && i < json_array_get_length (fks); i++)
    {
      JsonObject *fk = element_object (fks, i);

      if (fk != NULL)
        g_hash_table_add (set, fk_key (fk));
    }
  return set;
}

typedef struct {
  FerryCatalog *catalog;
  GHashTable   *by_name;        /* a unit's or a heap's name → its unit (borrowed) */
} Rebuilt;

static FerryTable *
lookup (Rebuilt    *r,
        const char *name)
{
  return name != NULL ? g_hash_table_lookup (r->by_name, name) : NULL;
}

static void
rebuilt_clear (Rebuilt *r)
{
  g_clear_object (&r->catalog);
  g_clear_pointer (&r->by_name, g_hash_table_unref);
}

static FerryPlan *
rebuild (JsonObject  *root,
         gboolean     with_breaking,
         Rebuilt     *r,
         GError     **error)
{
  JsonArray *tables = member_array (root, "tables");
  JsonArray *fks = member_array (root, "foreign_keys");
  g_autoptr(GHashTable) breaking = fk_set (root, "breaking_edges");
  g_autoptr(GPtrArray) preferred = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new ();
  const char *strategy = member_string (root, "strategy");
  int strategy_value = FERRY_CONSTRAINT_STRATEGY_KEEP;

  r->catalog = ferry_catalog_new ();
  r->by_name = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      JsonObject *t = element_object (tables, i);
      const char *name = member_string (t, "name");
      JsonArray *chunks = member_array (t, "chunks");
      FerryTable *table;

      if (name == NULL || member_string (t, "schema") == NULL || member_string (t, "table") == NULL)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN, _("The plan names a table without its schema"));
          return NULL;
        }
      table = ferry_catalog_add_table (r->catalog, member_string (t, "schema"), member_string (t, "table"),
                                       MAX (member_int (t, "size_bytes", 0), 0), member_int (t, "rows", -1));
      g_hash_table_insert (r->by_name, (gpointer)name, table);
      /* Foreign keys of partitions are the unit's. */
      for (guint c = 0; chunks != NULL && c < json_array_get_length (chunks); c++)
        {
          const char *heap = member_string (element_object (chunks, c), "heap");

          if (heap != NULL && !g_hash_table_contains (r->by_name, heap))
            g_hash_table_insert (r->by_name, (gpointer)heap, table);
        }
    }

  for (guint i = 0; fks != NULL && i < json_array_get_length (fks); i++)
    {
      JsonObject *fk = element_object (fks, i);
      FerryTable *child = lookup (r, member_string (fk, "child"));
      FerryTable *parent = lookup (r, member_string (fk, "parent"));
      g_autofree char *key = fk_key (fk);
      FerryForeignKey *added;

      /* A parent that is not migrated (an external edge) is not drawn. */
      if (child == NULL || parent == NULL)
        continue;
      if (!with_breaking && g_hash_table_contains (breaking, key))
        continue;
      added = ferry_catalog_add_foreign_key (r->catalog, member_string (fk, "name") ? member_string (fk, "name") : "",
                                             child, parent,
                                             json_object_get_boolean_member_with_default (fk, "deferrable", FALSE),
                                             json_object_get_boolean_member_with_default (fk, "nullable", FALSE));
      if (g_hash_table_contains (breaking, key))
        g_ptr_array_add (preferred, ferry_foreign_key_dup_path (added));
    }
  g_ptr_array_add (preferred, NULL);

  analyzer = ferry_analyzer_new (r->catalog);
  ferry_analyzer_set_preferred_breaks (analyzer, (const char * const *)preferred->pdata);
  if (!ferry_analyzer_run (analyzer, error))
    return NULL;

  if (strategy != NULL)
    ferry_enum_from_nick (FERRY_TYPE_CONSTRAINT_STRATEGY, strategy, &strategy_value);
  ferry_config_set_constraints (config, strategy_value);
  if (member_int (root, "chunk_size", 0) > 0)
    ferry_config_set_chunk_size (config, member_int (root, "chunk_size", 0));
  if (member_int (root, "batch_size", 0) > 0)
    ferry_config_set_batch_size (config, member_int (root, "batch_size", 0));

  return ferry_plan_new (analyzer, config, error);
}

/* The rebuilt plan puts every unit at the document's level and breaks
 * the document's cycles at the same foreign keys. */
static gboolean
matches (FerryPlan  *plan,
         JsonObject *root,
         Rebuilt    *r,
         gboolean    with_breaking)
{
  FerryAnalyzer *analyzer = ferry_plan_get_analyzer (plan);
  JsonArray *tables = member_array (root, "tables");
  GPtrArray *edges = ferry_analyzer_get_breaking_edges (analyzer);
  JsonArray *listed = member_array (root, "breaking_edges");
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      JsonObject *t = element_object (tables, i);
      FerryTable *table = lookup (r, member_string (t, "name"));

      if (table == NULL || ferry_analyzer_get_level (analyzer, table) != member_int (t, "level", -1))
        return FALSE;
    }

  if (!with_breaking)
    return TRUE;

  /* The document's breaking edges between units of this catalog. */
  for (guint i = 0; listed != NULL && i < json_array_get_length (listed); i++)
    {
      JsonObject *fk = element_object (listed, i);

      if (fk != NULL && lookup (r, member_string (fk, "child")) != NULL &&
          lookup (r, member_string (fk, "parent")) != NULL)
        g_hash_table_add (expected, fk_key (fk));
    }

  if (edges->len != g_hash_table_size (expected))
    return FALSE;
  for (guint i = 0; i < edges->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (edges, i);
      g_autofree char *key = g_strconcat (ferry_table_get_display_name (fk->child), "\x1f", fk->name, NULL);

      if (!g_hash_table_contains (expected, key))
        return FALSE;
    }
  return TRUE;
}

static Document *
read_document (JsonObject *root,
               Rebuilt    *r)
{
  Document *doc = g_new0 (Document, 1);
  JsonObject *totals = json_object_has_member (root, "totals") &&
                       JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "totals"))
                         ? json_object_get_object_member (root, "totals") : NULL;
  JsonArray *batches = member_array (root, "batches");
  JsonArray *tables = member_array (root, "tables");
  JsonArray *cycles = member_array (root, "cycles");
  JsonArray *breaking = member_array (root, "breaking_edges");

  doc->batches = g_ptr_array_new_with_free_func ((GDestroyNotify)batch_free);
  doc->chunks = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);

  for (guint b = 0; batches != NULL && b < json_array_get_length (batches); b++)
    {
      JsonObject *o = element_object (batches, b);
      JsonArray *names = member_array (o, "tables");
      FerryBatch *batch = g_new0 (FerryBatch, 1);

      batch->number = member_int (o, "number", b + 1);
      batch->level = member_int (o, "level", 0);
      batch->tables = g_ptr_array_new ();
      for (guint t = 0; names != NULL && t < json_array_get_length (names); t++)
        {
          FerryTable *table = lookup (r, json_array_get_string_element (names, t));

          if (table != NULL)
            g_ptr_array_add (batch->tables, table);
        }
      g_ptr_array_add (doc->batches, batch);
    }

  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      JsonObject *t = element_object (tables, i);
      FerryTable *table = lookup (r, member_string (t, "name"));
      JsonArray *chunks = member_array (t, "chunks");
      GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)chunk_free);

      for (guint c = 0; chunks != NULL && c < json_array_get_length (chunks); c++)
        {
          JsonObject *o = element_object (chunks, c);
          FerryChunk *chunk = g_new0 (FerryChunk, 1);
          const char *kind = member_string (o, "kind");
          int kind_value = 0;
          JsonNode *lo = o ? json_object_get_member (o, "lo") : NULL;
          JsonNode *hi = o ? json_object_get_member (o, "hi") : NULL;

          chunk->id = member_int (o, "id", 0);
          chunk->table = table;
          chunk->heap = lookup (r, member_string (o, "heap"));
          if (chunk->heap == NULL)
            chunk->heap = table;
          chunk->number = member_int (o, "number", c + 1);
          chunk->n_chunks = json_array_get_length (chunks);
          if (kind != NULL && ferry_enum_from_nick (FERRY_TYPE_CHUNK_KIND, kind, &kind_value))
            chunk->kind = kind_value;
          chunk->has_lo = lo != NULL && JSON_NODE_HOLDS_VALUE (lo);
          chunk->has_hi = hi != NULL && JSON_NODE_HOLDS_VALUE (hi);
          chunk->lo = member_int (o, "lo", 0);
          chunk->hi = member_int (o, "hi", 0);
          chunk->est_bytes = MAX (member_int (o, "est_bytes", 0), 0);
          chunk->est_rows = member_int (o, "est_rows", -1);
          chunk->predicate = g_strdup (member_string (o, "predicate") ? member_string (o, "predicate") : "true");
          g_ptr_array_add (list, chunk);
        }
      g_hash_table_insert (doc->chunks, table, list);
    }

  doc->figures.n_tables = member_int (totals, "tables", json_array_get_length (tables));
  doc->figures.total_bytes = MAX (member_int (totals, "bytes", 0), 0);
  doc->figures.n_levels = member_int (totals, "levels", 0);
  doc->figures.n_batches = member_int (totals, "batches", doc->batches->len);
  doc->figures.n_chunks = member_int (totals, "chunks", 0);
  doc->figures.n_cycles = cycles != NULL ? json_array_get_length (cycles) : 0;
  doc->figures.n_breaking_edges = breaking != NULL ? json_array_get_length (breaking) : 0;
  return doc;
}

/**
 * ferry_plan_document_load:
 * @document: the plan as ferry_plan_to_json() writes it
 *
 * Returns: (transfer full) (nullable): a plan whose analyzer has the
 *   document's units, levels and foreign keys, or %NULL with
 *   FERRY_ERROR_PLAN when the document is not a plan this can read
 */
FerryPlan *
ferry_plan_document_load (JsonNode  *document,
                          GError   **error)
{
  JsonObject *root;
  g_autoptr(FerryPlan) plan = NULL;
  Rebuilt r = { 0 };

  g_return_val_if_fail (document != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (document) ||
      member_int (json_node_get_object (document), "format_version", 0) != FORMAT_VERSION ||
      member_array (json_node_get_object (document), "tables") == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN, _("The plan is not in a format this version of Ferry reads"));
      return NULL;
    }
  root = json_node_get_object (document);

  plan = rebuild (root, TRUE, &r, error);
  if (plan != NULL && !matches (plan, root, &r, TRUE))
    {
      g_debug ("The analyzer broke other cycles than the plan's: the graph shows the kept foreign keys only");
      g_clear_object (&plan);
      rebuilt_clear (&r);
      plan = rebuild (root, FALSE, &r, error);
      if (plan != NULL && !matches (plan, root, &r, FALSE))
        g_debug ("The rebuilt plan puts some tables at other levels than the document");
    }
  if (plan == NULL)
    {
      rebuilt_clear (&r);
      return NULL;
    }

  g_object_set_qdata_full (G_OBJECT (plan), document_quark (), read_document (root, &r),
                           (GDestroyNotify)document_free);
  rebuilt_clear (&r);
  return g_steal_pointer (&plan);
}

/* TRUE for a plan made by ferry_plan_document_load(). */
gboolean
ferry_plan_document_is_loaded (FerryPlan *plan)
{
  g_return_val_if_fail (FERRY_IS_PLAN (plan), FALSE);
  return g_object_get_qdata (G_OBJECT (plan), document_quark ()) != NULL;
}

void
ferry_plan_document_get_figures (FerryPlan        *plan,
                                 FerryPlanFigures *figures)
{
  Document *doc;
  FerryAnalyzer *analyzer;

  g_return_if_fail (FERRY_IS_PLAN (plan));
  g_return_if_fail (figures != NULL);

  if ((doc = g_object_get_qdata (G_OBJECT (plan), document_quark ())) != NULL)
    {
      *figures = doc->figures;
      return;
    }

  analyzer = ferry_plan_get_analyzer (plan);
  figures->n_tables = ferry_plan_get_n_tables (plan);
  figures->total_bytes = ferry_plan_get_total_bytes (plan);
  figures->n_levels = ferry_analyzer_get_n_levels (analyzer);
  figures->n_batches = ferry_plan_get_batches (plan)->len;
  figures->n_chunks = ferry_plan_get_chunks (plan)->len;
  figures->n_cycles = ferry_analyzer_get_cycles (analyzer)->len;
  figures->n_breaking_edges = ferry_analyzer_get_breaking_edges (analyzer)->len;
}

/**
 * ferry_plan_document_get_batches:
 *
 * Returns: (transfer none) (element-type FerryBatch): the batches, in order
 */
GPtrArray *
ferry_plan_document_get_batches (FerryPlan *plan)
{
  Document *doc;

  g_return_val_if_fail (FERRY_IS_PLAN (plan), NULL);

  if ((doc = g_object_get_qdata (G_OBJECT (plan), document_quark ())) != NULL)
    return doc->batches;
  return ferry_plan_get_batches (plan);
}

/**
 * ferry_plan_document_get_table_chunks:
 *
 * Returns: (transfer none) (element-type FerryChunk) (nullable): the
 *   chunks of the unit @table
 */
GPtrArray *
ferry_plan_document_get_table_chunks (FerryPlan  *plan,
                                      FerryTable *table)
{
  Document *doc;

  g_return_val_if_fail (FERRY_IS_PLAN (plan), NULL);
  g_return_val_if_fail (FERRY_IS_TABLE (table), NULL);

  if ((doc = g_object_get_qdata (G_OBJECT (plan), document_quark ())) != NULL)
    return g_hash_table_lookup (doc->chunks, table);
  return ferry_plan_get_table_chunks (plan, table);
}
