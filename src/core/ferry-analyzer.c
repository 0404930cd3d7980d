/* ferry-analyzer.c — the Dependency Analyzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-analyzer"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ferry-analyzer.h"
#include "ferry-connection.h"
#include "ferry-error.h"
#include "ferry-plan.h"
#include "ferry-table-private.h"

/*
 * How the analysis works
 *
 * Units. What is loaded is a "unit": an included table that is neither a
 * partition nor owned by an extension. A partition belongs to the unit of
 * its top partitioned table. Every unit gets a dense node number; arrays
 * indexed by node (or by FerryTable.index through unit_of[]) replace hash
 * lookups everywhere it matters, so that 10,000 tables and 20,000 foreign
 * keys take milliseconds.
 *
 * Edges. Each foreign key whose child maps to a unit is classified:
 *  - external: its parent maps to no unit (excluded, extension-owned);
 *    reported, never waited for;
 *  - self-reference: both sides map to the same unit; the plan decides
 *    what to do with it, depending on how many chunks the unit has;
 *  - an edge parent → child of the unit graph. Several foreign keys
 *    between the same two units make one edge; they are kept or broken
 *    together.
 *
 * Cycles. Strongly connected components are found with Tarjan's
 * algorithm, written iteratively so that a long chain of 10,000 tables
 * does not exhaust the stack. Inside each component of more than one
 * table, the Eades–Lin–Smyth greedy heuristic orders the tables (sinks
 * last, sources first, otherwise the table whose outgoing weight exceeds
 * its incoming weight the most); the edges that point backwards in that
 * order break every cycle. The weight of an edge is the cost of breaking
 * it: foreign keys that are deferrable or nullable are cheaper.
 *
 * Preferred breaks. The foreign keys the configuration names
 * (tables.break_cycles_at) are broken first, when they lie in a cycle:
 * their edges are "forced". The components are then found again
 * without the forced edges, and whatever cycles remain are broken as
 * below; forced edges are never put back.
 *
 * Minimality. The greedy set is then pruned: each breaking edge, most
 * expensive first, is put back unless doing so closes a cycle. The test
 * uses an incrementally maintained topological order (Pearce–Kelly), so
 * it only looks at the tables between the two ends of the edge. After the
 * pass, re-adding any remaining breaking edge (forced ones aside) would
 * create a cycle.
 *
 * Levels. On the remaining acyclic graph, a unit without parents has
 * level 0 and any other unit 1 + the highest level of its parents (the
 * longest path from a root). The load order is by level, then by size
 * (largest first, so that the long copies start early), then by name.
 */

/* The cost of breaking one foreign key. A deferrable or nullable key is
 * the better one to break when a cycle leaves the choice. */
#define COST_PREFERRED  1
#define COST_OTHER      3

#define NO_NODE  (-1)
#define UNVISITED G_MAXUINT

typedef enum {
  FK_IGNORED = 1,   /* the child is not migrated */
  FK_KEPT,
  FK_BREAKING,
  FK_SELF,
  FK_EXTERNAL,
} FkClass;

typedef struct {
  guint    parent;      /* node */
  guint    child;       /* node */
  guint    first_fk;    /* into edge_fks */
  guint    n_fks;
  guint64  cost;        /* of breaking it */
  gboolean broken;
  gboolean forced;      /* broken because one of its FKs is preferred */
} Edge;

typedef struct {
  guint parent;
  guint child;
  guint fk;             /* position in the catalog's FK array */
} FkPair;

struct _FerryAnalyzer
{
  GObject        parent_instance;

  FerryCatalog  *catalog;
  gboolean       analyzed;

  /* Tables: indexed by FerryTable.index */
  GPtrArray     *tables;        /* a reference to the catalog's array */
  guint          n_tables;
  int           *unit_of;       /* node of the table's unit, or NO_NODE */

  /* Nodes: the units */
  guint          n_nodes;
  FerryTable   **nodes;         /* borrowed */
  int           *level;
  guint          n_levels;

  /* Distinct unit edges, sorted by (parent, child) so that the outgoing
   * edges of a node are contiguous: out_start[n] … out_start[n + 1]. */
  Edge          *edges;
  guint          n_edges;
  guint         *edge_fks;      /* catalog FK positions, grouped by edge */
  guint         *out_start;
  guint         *in_start;      /* incoming edges: in_edges[in_start[n] …] */
  guint         *in_edges;

  GPtrArray     *catalog_fks;   /* a reference to the catalog's array */
  GHashTable    *fk_class;      /* FerryForeignKey* → FkClass */

  GPtrArray     *order;         /* FerryTable*, borrowed */
  GPtrArray     *cycles;        /* GPtrArray* of FerryTable* */
  GPtrArray     *foreign_keys;  /* FerryForeignKey* whose child is migrated */
  GPtrArray     *self_references;
  GPtrArray     *breaking_edges;
  GPtrArray     *external_edges;

  /* Preferred breaks: the names, and per name what run() made of it */
  GStrv          preferred;
  FerryForeignKey **preferred_fk;
  FerryPreferredBreak *preferred_status;
  GHashTable    *preferred_fks;  /* FerryForeignKey* of forced edges */
};

G_DEFINE_FINAL_TYPE (FerryAnalyzer, ferry_analyzer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CATALOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static FkClass fk_class (FerryAnalyzer   *self,
                         FerryForeignKey *fk);

static void
ferry_analyzer_reset (FerryAnalyzer *self)
{
  self->analyzed = FALSE;
  self->n_tables = 0;
  self->n_nodes = 0;
  self->n_edges = 0;
  self->n_levels = 0;

  g_clear_pointer (&self->unit_of, g_free);
  g_clear_pointer (&self->nodes, g_free);
  g_clear_pointer (&self->level, g_free);
  g_clear_pointer (&self->edges, g_free);
  g_clear_pointer (&self->edge_fks, g_free);
  g_clear_pointer (&self->out_start, g_free);
  g_clear_pointer (&self->in_start, g_free);
  g_clear_pointer (&self->in_edges, g_free);
  g_clear_pointer (&self->preferred_fk, g_free);
  g_clear_pointer (&self->preferred_status, g_free);
  g_clear_pointer (&self->catalog_fks, g_ptr_array_unref);
  g_clear_pointer (&self->tables, g_ptr_array_unref);

  g_hash_table_remove_all (self->fk_class);
  g_hash_table_remove_all (self->preferred_fks);
  g_ptr_array_set_size (self->order, 0);
  g_ptr_array_set_size (self->cycles, 0);
  g_ptr_array_set_size (self->foreign_keys, 0);
  g_ptr_array_set_size (self->self_references, 0);
  g_ptr_array_set_size (self->breaking_edges, 0);
  g_ptr_array_set_size (self->external_edges, 0);
}

static void
ferry_analyzer_dispose (GObject *object)
{
  FerryAnalyzer *self = (FerryAnalyzer *)object;

  g_clear_pointer (&self->catalog_fks, g_ptr_array_unref);
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (ferry_analyzer_parent_class)->dispose (object);
}

static void
ferry_analyzer_finalize (GObject *object)
{
  FerryAnalyzer *self = (FerryAnalyzer *)object;

  ferry_analyzer_reset (self);
  g_clear_pointer (&self->fk_class, g_hash_table_unref);
  g_clear_pointer (&self->preferred_fks, g_hash_table_unref);
  g_clear_pointer (&self->preferred, g_strfreev);
  g_clear_pointer (&self->order, g_ptr_array_unref);
  g_clear_pointer (&self->cycles, g_ptr_array_unref);
  g_clear_pointer (&self->foreign_keys, g_ptr_array_unref);
  g_clear_pointer (&self->self_references, g_ptr_array_unref);
  g_clear_pointer (&self->breaking_edges, g_ptr_array_unref);
  g_clear_pointer (&self->external_edges, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_analyzer_parent_class)->finalize (object);
}

static void
ferry_analyzer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FerryAnalyzer *self = FERRY_ANALYZER (object);

  switch (prop_id)
    {
    case PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_analyzer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FerryAnalyzer *self = FERRY_ANALYZER (object);

  switch (prop_id)
    {
    case PROP_CATALOG:
      self->catalog = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_analyzer_class_init (FerryAnalyzerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_analyzer_dispose;
  object_class->finalize = ferry_analyzer_finalize;
  object_class->get_property = ferry_analyzer_get_property;
  object_class->set_property = ferry_analyzer_set_property;

  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL,
                         FERRY_TYPE_CATALOG,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_analyzer_init (FerryAnalyzer *self)
{
  self->fk_class = g_hash_table_new (NULL, NULL);
  self->preferred_fks = g_hash_table_new (NULL, NULL);
  self->preferred = g_new0 (char *, 1);
  self->order = g_ptr_array_new ();
  self->cycles = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self->foreign_keys = g_ptr_array_new ();
  self->self_references = g_ptr_array_new ();
  self->breaking_edges = g_ptr_array_new ();
  self->external_edges = g_ptr_array_new ();
}

/**
 * ferry_analyzer_new:
 * @catalog: the catalog to analyse
 *
 * Creates an analyzer for @catalog. Nothing is computed until
 * ferry_analyzer_run(); run it again after the catalog changed.
 */
FerryAnalyzer *
ferry_analyzer_new (FerryCatalog *catalog)
{
  g_return_val_if_fail (FERRY_IS_CATALOG (catalog), NULL);

  return g_object_new (FERRY_TYPE_ANALYZER,
                       "catalog", catalog,
                       NULL);
}

/**
 * ferry_analyzer_set_preferred_breaks:
 * @names: (nullable): foreign keys as "schema.table.constraint"
 *
 * The foreign keys to break cycles at, whatever they cost: each one
 * that lies in a cycle is broken first (with the other keys between the
 * same two tables), and the cycles that remain are broken automatically
 * at as few keys as possible. A name that matches no foreign key, or one
 * in no cycle, changes nothing; ferry_analyzer_get_preferred_break_status()
 * says which. Takes effect at the next ferry_analyzer_run().
 */
void
ferry_analyzer_set_preferred_breaks (FerryAnalyzer      *self,
                                     const char * const *names)
{
  static const char * const none[] = { NULL };

  g_return_if_fail (FERRY_IS_ANALYZER (self));

  g_strfreev (self->preferred);
  self->preferred = g_strdupv ((char **) (names != NULL ? names : none));
}

/**
 * ferry_analyzer_get_preferred_breaks:
 *
 * Returns: (transfer none): the names set with
 *   ferry_analyzer_set_preferred_breaks(), possibly none
 */
const char * const *
ferry_analyzer_get_preferred_breaks (FerryAnalyzer *self)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);

  return (const char * const *) self->preferred;
}

FerryCatalog *
ferry_analyzer_get_catalog (FerryAnalyzer *self)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);

  return self->catalog;
}

/**
 * ferry_analyzer_is_analyzed:
 *
 * Returns: %TRUE once ferry_analyzer_run() succeeded.
 */
gboolean
ferry_analyzer_is_analyzed (FerryAnalyzer *self)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), FALSE);

  return self->analyzed;
}

/* ------------------------------------------------------------------ */
/* Names of foreign keys                                              */
/* ------------------------------------------------------------------ */

/**
 * ferry_foreign_key_dup_path:
 * @fk: a foreign key of a catalog
 *
 * Returns: (transfer full): "schema.table.constraint" of @fk, without
 *   quotes and with the case of the catalog, as tables.include patterns
 *   and tables.break_cycles_at write names
 */
char *
ferry_foreign_key_dup_path (const FerryForeignKey *fk)
{
  g_return_val_if_fail (fk != NULL && fk->child != NULL, NULL);

  return g_strconcat (fk->child->schema, ".", fk->child->name, ".", fk->name, NULL);
}

/**
 * ferry_foreign_key_has_path:
 * @fk: a foreign key of a catalog
 * @name: a name from tables.break_cycles_at
 *
 * Returns: %TRUE when @name names @fk, as ferry_foreign_key_dup_path()
 *   writes it or after the table's name as Ferry shows it, quoted where
 *   needed, with the constraint's name as it is or quoted
 *   ("Sales"."Order Lines"."Lines → Orders")
 */
gboolean
ferry_foreign_key_has_path (const FerryForeignKey *fk,
                            const char            *name)
{
  g_autofree char *path = NULL;
  g_autofree char *quoted = NULL;
  gsize len;

  g_return_val_if_fail (fk != NULL && fk->child != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  path = ferry_foreign_key_dup_path (fk);
  if (g_str_equal (path, name))
    return TRUE;

  len = strlen (fk->child->display_name);
  if (strncmp (name, fk->child->display_name, len) != 0 || name[len] != '.')
    return FALSE;
  if (g_str_equal (name + len + 1, fk->name))
    return TRUE;
  quoted = ferry_quote_ident (fk->name);
  return g_str_equal (name + len + 1, quoted);
}

/* ------------------------------------------------------------------ */
/* Units                                                              */
/* ------------------------------------------------------------------ */

static inline gboolean
table_is_unit (FerryTable *table)
{
  return table->included &&
         table->kind != FERRY_TABLE_KIND_PARTITION &&
         table->extension == NULL;
}

static inline int
node_of (FerryAnalyzer *self,
         FerryTable    *table)
{
  if (table == NULL ||
      table->index >= self->n_tables ||
      g_ptr_array_index (self->tables, table->index) != table)
    return NO_NODE;
  return self->unit_of[table->index];
}

/* The size a unit stands for: its own heap, or the sum of its partitions
 * when it is partitioned (pg_table_size() of a partitioned table is 0). */
static guint64
unit_size (FerryTable *table)
{
  guint64 size = 0;

  if (table->kind != FERRY_TABLE_KIND_PARTITIONED ||
      table->partitions == NULL ||
      table->partitions->len == 0)
    return table->size_bytes;

  for (guint i = 0; i < table->partitions->len; i++)
    {
      FerryTable *partition = g_ptr_array_index (table->partitions, i);
      size += partition->size_bytes;
    }

  return MAX (size, table->size_bytes);
}

static gboolean
assign_units (FerryAnalyzer  *self,
              GPtrArray      *tables,
              GError        **error)
{
  self->n_tables = tables->len;
  self->unit_of = g_new (int, MAX (tables->len, 1));
  self->nodes = g_new (FerryTable *, MAX (tables->len, 1));

  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);

      if (table->index != i)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_CATALOG,
                       _("Table %s is at position %u of the catalog but says it is at %u"),
                       table->display_name, i, table->index);
          return FALSE;
        }

      if (table_is_unit (table))
        {
          self->unit_of[i] = (int) self->n_nodes;
          self->nodes[self->n_nodes++] = table;
        }
      else
        self->unit_of[i] = NO_NODE;
    }

  /* Partitions: the unit of their top partitioned table. */
  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);
      FerryTable *top = table->partition_parent;

      if (table->kind != FERRY_TABLE_KIND_PARTITION || top == NULL)
        continue;

      if (top->index >= tables->len || g_ptr_array_index (tables, top->index) != top)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_CATALOG,
                       _("The partitioned table of %s is not in the catalog"),
                       table->display_name);
          return FALSE;
        }

      self->unit_of[i] = self->unit_of[top->index];
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Edges                                                              */
/* ------------------------------------------------------------------ */

static int
fk_pair_compare (gconstpointer a,
                 gconstpointer b)
{
  const FkPair *pa = a;
  const FkPair *pb = b;

  if (pa->parent != pb->parent)
    return pa->parent < pb->parent ? -1 : 1;
  if (pa->child != pb->child)
    return pa->child < pb->child ? -1 : 1;
  if (pa->fk != pb->fk)
    return pa->fk < pb->fk ? -1 : 1;
  return 0;
}

static gboolean
classify_foreign_keys (FerryAnalyzer  *self,
                       GError        **error)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (FkPair));
  GPtrArray *fks = self->catalog_fks;

  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);
      int child, parent;
      FkClass klass;

      if (fk->child == NULL || fk->parent == NULL)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_CATALOG,
                       _("Foreign key %s has no table on one of its sides"),
                       fk->name ? fk->name : "?");
          return FALSE;
        }

      child = node_of (self, fk->child);
      parent = node_of (self, fk->parent);

      if (child == NO_NODE)
        klass = FK_IGNORED;
      else if (parent == NO_NODE)
        klass = FK_EXTERNAL;
      else if (parent == child)
        klass = FK_SELF;
      else
        {
          FkPair pair = { (guint) parent, (guint) child, i };

          g_array_append_val (pairs, pair);
          klass = FK_KEPT;
        }

      g_hash_table_insert (self->fk_class, fk, GINT_TO_POINTER (klass));

      if (klass != FK_IGNORED)
        g_ptr_array_add (self->foreign_keys, fk);
      if (klass == FK_SELF)
        g_ptr_array_add (self->self_references, fk);
      else if (klass == FK_EXTERNAL)
        g_ptr_array_add (self->external_edges, fk);
    }

  g_array_sort (pairs, fk_pair_compare);

  /* One edge per distinct (parent, child) pair. */
  self->edges = g_new0 (Edge, MAX (pairs->len, 1));
  self->edge_fks = g_new (guint, MAX (pairs->len, 1));

  for (guint i = 0; i < pairs->len; i++)
    {
      const FkPair *pair = &g_array_index (pairs, FkPair, i);
      FerryForeignKey *fk = g_ptr_array_index (fks, pair->fk);
      Edge *edge;

      if (self->n_edges == 0 ||
          self->edges[self->n_edges - 1].parent != pair->parent ||
          self->edges[self->n_edges - 1].child != pair->child)
        {
          edge = &self->edges[self->n_edges++];
          edge->parent = pair->parent;
          edge->child = pair->child;
          edge->first_fk = i;
        }
      else
        edge = &self->edges[self->n_edges - 1];

      self->edge_fks[i] = pair->fk;
      edge->n_fks++;
      edge->cost += (fk->deferrable || fk->nullable) ? COST_PREFERRED : COST_OTHER;
    }

  /* Outgoing edges are contiguous; incoming ones need an index. */
  self->out_start = g_new0 (guint, self->n_nodes + 1);
  self->in_start = g_new0 (guint, self->n_nodes + 1);
  self->in_edges = g_new (guint, MAX (self->n_edges, 1));

  for (guint e = 0; e < self->n_edges; e++)
    {
      self->out_start[self->edges[e].parent + 1]++;
      self->in_start[self->edges[e].child + 1]++;
    }
  for (guint n = 0; n < self->n_nodes; n++)
    {
      self->out_start[n + 1] += self->out_start[n];
      self->in_start[n + 1] += self->in_start[n];
    }

  {
    g_autofree guint *fill = g_memdup2 (self->in_start, sizeof (guint) * self->n_nodes);

    for (guint e = 0; e < self->n_edges; e++)
      self->in_edges[fill[self->edges[e].child]++] = e;
  }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Strongly connected components (Tarjan, iterative)                  */
/* ------------------------------------------------------------------ */

/* Fills @comp with a component number per node and returns the number
 * of components. Components come out in reverse topological order.
 * With @skip_forced, the forced edges do not count. */
static guint
find_components (FerryAnalyzer *self,
                 guint         *comp,
                 gboolean       skip_forced)
{
  guint n = self->n_nodes;
  g_autofree guint *index = g_new (guint, MAX (n, 1));
  g_autofree guint *low = g_new (guint, MAX (n, 1));
  g_autofree guint *next_edge = g_new (guint, MAX (n, 1));
  g_autofree guint *stack = g_new (guint, MAX (n, 1));
  g_autofree guint *calls = g_new (guint, MAX (n, 1));
  g_autofree gboolean *on_stack = g_new0 (gboolean, MAX (n, 1));
  guint counter = 0;
  guint n_components = 0;
  guint stack_top = 0;

  for (guint v = 0; v < n; v++)
    index[v] = UNVISITED;

  for (guint root = 0; root < n; root++)
    {
      guint calls_top = 0;

      if (index[root] != UNVISITED)
        continue;

      index[root] = low[root] = counter++;
      next_edge[root] = self->out_start[root];
      stack[stack_top++] = root;
      on_stack[root] = TRUE;
      calls[calls_top++] = root;

      while (calls_top > 0)
        {
          guint v = calls[calls_top - 1];

          if (next_edge[v] < self->out_start[v + 1])
            {
              const Edge *edge = &self->edges[next_edge[v]++];
              guint w = edge->child;

              if (skip_forced && edge->forced)
                continue;

              if (index[w] == UNVISITED)
                {
                  index[w] = low[w] = counter++;
                  next_edge[w] = self->out_start[w];
                  stack[stack_top++] = w;
                  on_stack[w] = TRUE;
                  calls[calls_top++] = w;
                }
              else if (on_stack[w])
                low[v] = MIN (low[v], index[w]);

              continue;
            }

          /* Every edge of v is explored: v returns to its caller. */
          calls_top--;

          if (low[v] == index[v])
            {
              guint w;

              do
                {
                  w = stack[--stack_top];
                  on_stack[w] = FALSE;
                  comp[w] = n_components;
                }
              while (w != v);

              n_components++;
            }

          if (calls_top > 0)
            {
              guint u = calls[calls_top - 1];
              low[u] = MIN (low[u], low[v]);
            }
        }
    }

  return n_components;
}

/* ------------------------------------------------------------------ */
/* Breaking cycles                                                    */
/* ------------------------------------------------------------------ */

typedef struct {
  gint64 delta;
  guint  node;
  guint  stamp;
} HeapEntry;

static inline gboolean
heap_entry_before (const HeapEntry *a,
                   const HeapEntry *b)
{
  if (a->delta != b->delta)
    return a->delta > b->delta;
  return a->node < b->node;
}

static void
heap_push (GArray    *heap,
           HeapEntry  entry)
{
  guint i = heap->len;

  g_array_append_val (heap, entry);

  while (i > 0)
    {
      guint up = (i - 1) / 2;
      HeapEntry *e = &g_array_index (heap, HeapEntry, i);
      HeapEntry *p = &g_array_index (heap, HeapEntry, up);
      HeapEntry tmp;

      if (!heap_entry_before (e, p))
        break;

      tmp = *e; *e = *p; *p = tmp;
      i = up;
    }
}

static HeapEntry
heap_pop (GArray *heap)
{
  HeapEntry top = g_array_index (heap, HeapEntry, 0);
  guint len = heap->len - 1;
  guint i = 0;

  g_array_index (heap, HeapEntry, 0) = g_array_index (heap, HeapEntry, len);
  g_array_set_size (heap, len);

  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, best = i;
      HeapEntry tmp;

      if (l < len && heap_entry_before (&g_array_index (heap, HeapEntry, l),
                                        &g_array_index (heap, HeapEntry, best)))
        best = l;
      if (r < len && heap_entry_before (&g_array_index (heap, HeapEntry, r),
                                        &g_array_index (heap, HeapEntry, best)))
        best = r;
      if (best == i)
        break;

      tmp = g_array_index (heap, HeapEntry, i);
      g_array_index (heap, HeapEntry, i) = g_array_index (heap, HeapEntry, best);
      g_array_index (heap, HeapEntry, best) = tmp;
      i = best;
    }

  return top;
}

/* Working state of the cycle breaking, indexed by node. */
typedef struct {
  FerryAnalyzer *self;
  const guint   *comp;

  /* Eades–Lin–Smyth */
  guint         *outdeg;
  guint         *indeg;
  gint64        *wout;
  gint64        *win;
  guint         *stamp;
  gboolean      *removed;
  GArray        *heap;
  GArray        *sources;
  GArray        *sinks;

  /* Pearce–Kelly */
  guint         *ord;
  guint         *mark;
  guint          mark_stamp;
  GArray        *work;
  GArray        *delta_f;
  GArray        *delta_b;
} Breaker;

/* An edge the automatic breaking may keep or break: inside a component
 * and not forced (a forced edge stays broken, whatever the order). */
static inline gboolean
edge_is_internal (Breaker    *br,
                  const Edge *edge)
{
  return !edge->forced && br->comp[edge->parent] == br->comp[edge->child];
}

static void
els_push_delta (Breaker *br,
                guint    v)
{
  HeapEntry entry = { br->wout[v] - br->win[v], v, ++br->stamp[v] };

  heap_push (br->heap, entry);
}

static void
els_remove (Breaker *br,
            guint    v)
{
  FerryAnalyzer *self = br->self;

  br->removed[v] = TRUE;

  for (guint i = self->out_start[v]; i < self->out_start[v + 1]; i++)
    {
      const Edge *edge = &self->edges[i];
      guint w = edge->child;

      if (!edge_is_internal (br, edge) || br->removed[w])
        continue;

      br->indeg[w]--;
      br->win[w] -= (gint64) edge->cost;
      if (br->indeg[w] == 0)
        g_array_append_val (br->sources, w);
      else
        els_push_delta (br, w);
    }

  for (guint i = self->in_start[v]; i < self->in_start[v + 1]; i++)
    {
      const Edge *edge = &self->edges[self->in_edges[i]];
      guint u = edge->parent;

      if (!edge_is_internal (br, edge) || br->removed[u])
        continue;

      br->outdeg[u]--;
      br->wout[u] -= (gint64) edge->cost;
      if (br->outdeg[u] == 0)
        g_array_append_val (br->sinks, u);
      else
        els_push_delta (br, u);
    }
}

/* Orders the nodes of one strongly connected component with the
 * Eades–Lin–Smyth heuristic and gives them positions from *next_ord. */
static void
els_order_component (Breaker     *br,
                     const guint *members,
                     guint        n_members,
                     guint       *next_ord)
{
  FerryAnalyzer *self = br->self;
  g_autoptr(GArray) head = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_members);
  g_autoptr(GArray) tail = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_members);
  guint remaining = n_members;

  g_array_set_size (br->heap, 0);
  g_array_set_size (br->sources, 0);
  g_array_set_size (br->sinks, 0);

  for (guint i = 0; i < n_members; i++)
    {
      guint v = members[i];

      br->outdeg[v] = br->indeg[v] = 0;
      br->wout[v] = br->win[v] = 0;
      br->removed[v] = FALSE;
    }

  for (guint i = 0; i < n_members; i++)
    {
      guint v = members[i];

      for (guint e = self->out_start[v]; e < self->out_start[v + 1]; e++)
        {
          const Edge *edge = &self->edges[e];

          if (!edge_is_internal (br, edge))
            continue;

          br->outdeg[v]++;
          br->wout[v] += (gint64) edge->cost;
          br->indeg[edge->child]++;
          br->win[edge->child] += (gint64) edge->cost;
        }
    }

  /* In a strongly connected component nothing is a source or a sink
   * yet: every node starts in the heap. */
  for (guint i = 0; i < n_members; i++)
    els_push_delta (br, members[i]);

  while (remaining > 0)
    {
      guint v;

      if (br->sinks->len > 0)
        {
          v = g_array_index (br->sinks, guint, br->sinks->len - 1);
          g_array_set_size (br->sinks, br->sinks->len - 1);
          if (br->removed[v])
            continue;
          g_array_append_val (tail, v);
        }
      else if (br->sources->len > 0)
        {
          v = g_array_index (br->sources, guint, br->sources->len - 1);
          g_array_set_size (br->sources, br->sources->len - 1);
          if (br->removed[v])
            continue;
          g_array_append_val (head, v);
        }
      else
        {
          HeapEntry entry;

          g_assert (br->heap->len > 0);
          entry = heap_pop (br->heap);
          v = entry.node;
          if (br->removed[v] || entry.stamp != br->stamp[v])
            continue;
          g_array_append_val (head, v);
        }

      els_remove (br, v);
      remaining--;
    }

  /* Sequence: head, then the sinks in the reverse order of removal. */
  for (guint i = 0; i < head->len; i++)
    br->ord[g_array_index (head, guint, i)] = (*next_ord)++;
  for (guint i = tail->len; i > 0; i--)
    br->ord[g_array_index (tail, guint, i - 1)] = (*next_ord)++;
}

/* Nodes reachable from @start over kept internal edges without going
 * past position @upper. Returns TRUE when @target is among them. */
static gboolean
pk_search_forward (Breaker *br,
                   guint    start,
                   guint    target,
                   guint    upper)
{
  FerryAnalyzer *self = br->self;
  guint stamp = ++br->mark_stamp;

  g_array_set_size (br->work, 0);
  g_array_set_size (br->delta_f, 0);
  g_array_append_val (br->work, start);
  br->mark[start] = stamp;

  while (br->work->len > 0)
    {
      guint v = g_array_index (br->work, guint, br->work->len - 1);

      g_array_set_size (br->work, br->work->len - 1);
      g_array_append_val (br->delta_f, v);

      for (guint e = self->out_start[v]; e < self->out_start[v + 1]; e++)
        {
          const Edge *edge = &self->edges[e];
          guint w = edge->child;

          if (edge->broken || !edge_is_internal (br, edge))
            continue;
          if (w == target)
            return TRUE;
          if (br->mark[w] == stamp || br->ord[w] > upper)
            continue;

          br->mark[w] = stamp;
          g_array_append_val (br->work, w);
        }
    }

  return FALSE;
}

/* Nodes that reach @start over kept internal edges, not before @lower. */
static void
pk_search_backward (Breaker *br,
                    guint    start,
                    guint    lower)
{
  FerryAnalyzer *self = br->self;
  guint stamp = ++br->mark_stamp;

  g_array_set_size (br->work, 0);
  g_array_set_size (br->delta_b, 0);
  g_array_append_val (br->work, start);
  br->mark[start] = stamp;

  while (br->work->len > 0)
    {
      guint v = g_array_index (br->work, guint, br->work->len - 1);

      g_array_set_size (br->work, br->work->len - 1);
      g_array_append_val (br->delta_b, v);

      for (guint i = self->in_start[v]; i < self->in_start[v + 1]; i++)
        {
          const Edge *edge = &self->edges[self->in_edges[i]];
          guint u = edge->parent;

          if (edge->broken || !edge_is_internal (br, edge))
            continue;
          if (br->mark[u] == stamp || br->ord[u] < lower)
            continue;

          br->mark[u] = stamp;
          g_array_append_val (br->work, u);
        }
    }
}

static int
compare_by_ord (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const guint *ord = user_data;
  guint oa = ord[*(const guint *) a];
  guint ob = ord[*(const guint *) b];

  return oa < ob ? -1 : oa > ob;
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint ua = *(const guint *) a;
  guint ub = *(const guint *) b;

  return ua < ub ? -1 : ua > ub;
}

/* Tries to put a broken edge back. Keeps br->ord a topological order of
 * the kept internal edges (Pearce–Kelly); returns FALSE, changing
 * nothing, when the edge would close a cycle. */
static gboolean
try_restore_edge (Breaker *br,
                  Edge    *edge)
{
  guint x = edge->parent;
  guint y = edge->child;
  guint lower = br->ord[y];
  guint upper = br->ord[x];
  g_autoptr(GArray) slots = NULL;
  guint k = 0;

  if (lower > upper)
    {
      /* Already forward in the current order. */
      edge->broken = FALSE;
      return TRUE;
    }

  if (pk_search_forward (br, y, x, upper))
    return FALSE;

  pk_search_backward (br, x, lower);

  /* Everything that reaches x moves before everything y reaches, into
   * the same set of positions. */
  g_array_sort_with_data (br->delta_b, compare_by_ord, br->ord);
  g_array_sort_with_data (br->delta_f, compare_by_ord, br->ord);

  slots = g_array_sized_new (FALSE, FALSE, sizeof (guint),
                             br->delta_b->len + br->delta_f->len);
  for (guint i = 0; i < br->delta_b->len; i++)
    g_array_append_val (slots, br->ord[g_array_index (br->delta_b, guint, i)]);
  for (guint i = 0; i < br->delta_f->len; i++)
    g_array_append_val (slots, br->ord[g_array_index (br->delta_f, guint, i)]);
  g_array_sort (slots, compare_guint);

  for (guint i = 0; i < br->delta_b->len; i++)
    br->ord[g_array_index (br->delta_b, guint, i)] = g_array_index (slots, guint, k++);
  for (guint i = 0; i < br->delta_f->len; i++)
    br->ord[g_array_index (br->delta_f, guint, i)] = g_array_index (slots, guint, k++);

  edge->broken = FALSE;
  return TRUE;
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const Edge *edges = user_data;
  guint ea = *(const guint *) a;
  guint eb = *(const guint *) b;

  /* The most expensive edges are restored first, so that the cheap
   * ones stay broken when there is a choice. */
  if (edges[ea].cost != edges[eb].cost)
    return edges[ea].cost > edges[eb].cost ? -1 : 1;
  return ea < eb ? -1 : ea > eb;
}

static int
compare_tables_by_name (gconstpointer a,
                        gconstpointer b)
{
  FerryTable *ta = *(FerryTable * const *) a;
  FerryTable *tb = *(FerryTable * const *) b;
  int cmp = g_strcmp0 (ta->display_name, tb->display_name);

  if (cmp != 0)
    return cmp;
  return ta->index < tb->index ? -1 : ta->index > tb->index;
}

static int
compare_cycles (gconstpointer a,
                gconstpointer b)
{
  GPtrArray *ca = *(GPtrArray * const *) a;
  GPtrArray *cb = *(GPtrArray * const *) b;

  return compare_tables_by_name (&ca->pdata[0], &cb->pdata[0]);
}

/* Members of each component, contiguous: those of component c are
 * members[comp_start[c]] … members[comp_start[c + 1] - 1]. */
static guint *
group_components (guint        n,
                  const guint *comp,
                  guint        n_components,
                  guint       *members)
{
  guint *comp_start = g_new0 (guint, n_components + 1);
  g_autofree guint *fill = NULL;

  for (guint v = 0; v < n; v++)
    comp_start[comp[v] + 1]++;
  for (guint c = 0; c < n_components; c++)
    comp_start[c + 1] += comp_start[c];
  fill = g_memdup2 (comp_start, sizeof (guint) * MAX (n_components, 1));
  for (guint v = 0; v < n; v++)
    members[fill[comp[v]]++] = v;

  return comp_start;
}

/* The edge parent → child of the unit graph, or NULL. */
static Edge *
find_edge (FerryAnalyzer *self,
           int            parent,
           int            child)
{
  if (parent == NO_NODE || child == NO_NODE)
    return NULL;

  for (guint e = self->out_start[parent]; e < self->out_start[parent + 1]; e++)
    if (self->edges[e].child == (guint) child)
      return &self->edges[e];

  return NULL;
}

/* Finds the foreign key each preferred name names. */
static void
match_preferred (FerryAnalyzer *self)
{
  guint n = g_strv_length (self->preferred);
  g_autoptr(GHashTable) wanted = NULL;

  self->preferred_fk = g_new0 (FerryForeignKey *, MAX (n, 1));
  self->preferred_status = g_new0 (FerryPreferredBreak, MAX (n, 1));
  if (n == 0)
    return;

  /* name → 1 + its first position */
  wanted = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = n; i > 0; i--)
    g_hash_table_insert (wanted, self->preferred[i - 1], GUINT_TO_POINTER (i));

  for (guint f = 0; f < self->catalog_fks->len; f++)
    {
      FerryForeignKey *fk = g_ptr_array_index (self->catalog_fks, f);
      g_autofree char *quoted = NULL;
      char *forms[3] = { NULL, NULL, NULL };

      if (fk->child == NULL)
        continue;

      /* The forms ferry_foreign_key_has_path() accepts. */
      quoted = ferry_quote_ident (fk->name);
      forms[0] = ferry_foreign_key_dup_path (fk);
      forms[1] = g_strconcat (fk->child->display_name, ".", fk->name, NULL);
      forms[2] = g_strconcat (fk->child->display_name, ".", quoted, NULL);

      for (guint k = 0; k < G_N_ELEMENTS (forms); k++)
        {
          guint i = GPOINTER_TO_UINT (g_hash_table_lookup (wanted, forms[k]));

          if (i > 0 && self->preferred_fk[i - 1] == NULL)
            self->preferred_fk[i - 1] = fk;
          g_free (forms[k]);
        }
    }

  /* A name listed twice names the same key twice. */
  for (guint i = 0; i < n; i++)
    if (self->preferred_fk[i] == NULL)
      self->preferred_fk[i] = self->preferred_fk[GPOINTER_TO_UINT (g_hash_table_lookup (wanted, self->preferred[i])) - 1];
}

/* Forces the edges of the preferred foreign keys that lie in a cycle
 * (both ends in one component of @comp). Returns TRUE if any. */
static gboolean
force_preferred (FerryAnalyzer *self,
                 const guint   *comp)
{
  gboolean any = FALSE;

  for (guint i = 0; self->preferred[i] != NULL; i++)
    {
      FerryForeignKey *fk = self->preferred_fk[i];
      Edge *edge;

      if (fk == NULL)
        {
          self->preferred_status[i] = FERRY_PREFERRED_BREAK_UNKNOWN;
          continue;
        }

      edge = fk_class (self, fk) == FK_KEPT
             ? find_edge (self, node_of (self, fk->parent), node_of (self, fk->child))
             : NULL;
      if (edge == NULL || comp[edge->parent] != comp[edge->child])
        {
          self->preferred_status[i] = FERRY_PREFERRED_BREAK_NOT_IN_CYCLE;
          continue;
        }

      self->preferred_status[i] = FERRY_PREFERRED_BREAK_BROKEN;
      edge->forced = TRUE;
      edge->broken = TRUE;
      any = TRUE;
    }

  return any;
}

static void
break_cycles (FerryAnalyzer *self)
{
  guint n = self->n_nodes;
  g_autofree guint *comp = g_new (guint, MAX (n, 1));
  g_autofree guint *comp_start = NULL;
  g_autofree guint *members = g_new (guint, MAX (n, 1));
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_components;
  guint next_ord = 0;
  Breaker br = { 0 };

  /* The cycles, as the user sees them: components of the whole graph. */
  n_components = find_components (self, comp, FALSE);
  comp_start = group_components (n, comp, n_components, members);

  for (guint c = 0; c < n_components; c++)
    {
      const guint *m = &members[comp_start[c]];
      guint size = comp_start[c + 1] - comp_start[c];
      GPtrArray *cycle;

      if (size < 2)
        continue;

      cycle = g_ptr_array_sized_new (size);
      for (guint i = 0; i < size; i++)
        g_ptr_array_add (cycle, self->nodes[m[i]]);
      g_ptr_array_sort (cycle, compare_tables_by_name);
      g_ptr_array_add (self->cycles, cycle);
    }
  g_ptr_array_sort (self->cycles, compare_cycles);

  /* The preferred breaks first; what they leave of each cycle is broken
   * below, in the components of the graph without them. */
  if (force_preferred (self, comp))
    {
      g_free (comp_start);
      n_components = find_components (self, comp, TRUE);
      comp_start = group_components (n, comp, n_components, members);
    }

  br.self = self;
  br.comp = comp;
  br.outdeg = g_new (guint, MAX (n, 1));
  br.indeg = g_new (guint, MAX (n, 1));
  br.wout = g_new (gint64, MAX (n, 1));
  br.win = g_new (gint64, MAX (n, 1));
  br.stamp = g_new0 (guint, MAX (n, 1));
  br.removed = g_new0 (gboolean, MAX (n, 1));
  br.ord = g_new0 (guint, MAX (n, 1));
  br.mark = g_new0 (guint, MAX (n, 1));
  br.heap = g_array_new (FALSE, FALSE, sizeof (HeapEntry));
  br.sources = g_array_new (FALSE, FALSE, sizeof (guint));
  br.sinks = g_array_new (FALSE, FALSE, sizeof (guint));
  br.work = g_array_new (FALSE, FALSE, sizeof (guint));
  br.delta_f = g_array_new (FALSE, FALSE, sizeof (guint));
  br.delta_b = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint c = 0; c < n_components; c++)
    {
      const guint *m = &members[comp_start[c]];
      guint size = comp_start[c + 1] - comp_start[c];

      if (size < 2)
        br.ord[m[0]] = next_ord++;
      else
        els_order_component (&br, m, size, &next_ord);
    }

  /* The edges that point backwards in the order break every cycle. */
  for (guint e = 0; e < self->n_edges; e++)
    {
      Edge *edge = &self->edges[e];

      if (edge_is_internal (&br, edge) && br.ord[edge->parent] > br.ord[edge->child])
        {
          edge->broken = TRUE;
          g_array_append_val (candidates, e);
        }
    }

  /* Keep only the ones that are needed. */
  g_array_sort_with_data (candidates, compare_candidates, self->edges);
  for (guint i = 0; i < candidates->len; i++)
    {
      Edge *edge = &self->edges[g_array_index (candidates, guint, i)];

      if (try_restore_edge (&br, edge))
        g_debug ("Edge %s → %s is not needed to break a cycle",
                 self->nodes[edge->parent]->display_name,
                 self->nodes[edge->child]->display_name);
    }

  g_free (br.outdeg);
  g_free (br.indeg);
  g_free (br.wout);
  g_free (br.win);
  g_free (br.stamp);
  g_free (br.removed);
  g_free (br.ord);
  g_free (br.mark);
  g_array_unref (br.heap);
  g_array_unref (br.sources);
  g_array_unref (br.sinks);
  g_array_unref (br.work);
  g_array_unref (br.delta_f);
  g_array_unref (br.delta_b);
}

/* ------------------------------------------------------------------ */
/* Levels and order                                                   */
/* ------------------------------------------------------------------ */

static gboolean
compute_levels (FerryAnalyzer  *self,
                GError        **error)
{
  guint n = self->n_nodes;
  g_autofree guint *pending = g_new0 (guint, MAX (n, 1));
  g_autofree guint *queue = g_new (guint, MAX (n, 1));
  guint head = 0, tail = 0;
  int max_level = -1;

  self->level = g_new0 (int, MAX (n, 1));

  for (guint e = 0; e < self->n_edges; e++)
    if (!self->edges[e].broken)
      pending[self->edges[e].child]++;

  for (guint v = 0; v < n; v++)
    if (pending[v] == 0)
      queue[tail++] = v;

  /* Kahn's algorithm: a node's level is final when its last parent is. */
  while (head < tail)
    {
      guint v = queue[head++];

      max_level = MAX (max_level, self->level[v]);

      for (guint e = self->out_start[v]; e < self->out_start[v + 1]; e++)
        {
          const Edge *edge = &self->edges[e];

          if (edge->broken)
            continue;

          self->level[edge->child] = MAX (self->level[edge->child], self->level[v] + 1);
          if (--pending[edge->child] == 0)
            queue[tail++] = edge->child;
        }
    }

  if (tail != n)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("Internal error: %u tables are still in a dependency cycle after breaking cycles"),
                   n - tail);
      return FALSE;
    }

  self->n_levels = (guint) (max_level + 1);

  return TRUE;
}

static int
compare_load_order (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  FerryAnalyzer *self = user_data;
  FerryTable *ta = *(FerryTable * const *) a;
  FerryTable *tb = *(FerryTable * const *) b;
  int la = self->level[self->unit_of[ta->index]];
  int lb = self->level[self->unit_of[tb->index]];
  guint64 sa, sb;

  if (la != lb)
    return la < lb ? -1 : 1;

  sa = unit_size (ta);
  sb = unit_size (tb);
  if (sa != sb)
    return sa > sb ? -1 : 1;

  return compare_tables_by_name (a, b);
}

static void
collect_results (FerryAnalyzer *self,
                 GPtrArray     *tables)
{
  /* Levels on the tables themselves, for the list models. */
  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);
      int node = self->unit_of[i];

      table->level = node == NO_NODE ? -1 : self->level[node];
    }

  g_ptr_array_set_size (self->order, 0);
  for (guint v = 0; v < self->n_nodes; v++)
    g_ptr_array_add (self->order, self->nodes[v]);
  g_ptr_array_sort_with_data (self->order, compare_load_order, self);

  /* Breaking edges: every foreign key of a broken unit edge. */
  for (guint e = 0; e < self->n_edges; e++)
    {
      const Edge *edge = &self->edges[e];

      if (!edge->broken)
        continue;

      for (guint i = 0; i < edge->n_fks; i++)
        {
          FerryForeignKey *fk = g_ptr_array_index (self->catalog_fks,
                                                   self->edge_fks[edge->first_fk + i]);

          g_hash_table_insert (self->fk_class, fk, GINT_TO_POINTER (FK_BREAKING));
          g_ptr_array_add (self->breaking_edges, fk);
          if (edge->forced)
            g_hash_table_add (self->preferred_fks, fk);
        }
    }
}

/**
 * ferry_analyzer_run:
 * @self: a #FerryAnalyzer
 * @error: return location for a #GError
 *
 * Analyses the foreign keys of the catalog: units, cycles, the edges that
 * break them, levels and the load order. Sets the level of every table of
 * the catalog (-1 for tables that are not migrated).
 *
 * Returns: %TRUE on success
 */
gboolean
ferry_analyzer_run (FerryAnalyzer  *self,
                    GError        **error)
{
  GPtrArray *tables;
  gint64 started;

  g_return_val_if_fail (FERRY_IS_ANALYZER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  started = g_get_monotonic_time ();
  ferry_analyzer_reset (self);

  tables = ferry_catalog_get_tables (self->catalog);
  self->tables = g_ptr_array_ref (tables);
  self->catalog_fks = g_ptr_array_ref (ferry_catalog_get_foreign_keys (self->catalog));

  if (!assign_units (self, tables, error) ||
      !classify_foreign_keys (self, error))
    {
      ferry_analyzer_reset (self);
      return FALSE;
    }

  match_preferred (self);
  break_cycles (self);

  if (!compute_levels (self, error))
    {
      ferry_analyzer_reset (self);
      return FALSE;
    }

  collect_results (self, tables);
  self->analyzed = TRUE;

  g_debug ("Analysed %u tables (%u units), %u foreign keys in %.1f ms: "
           "%u levels, %u cycles, %u breaking edges (%u preferred), "
           "%u self-references, %u external edges",
           tables->len, self->n_nodes, self->catalog_fks->len,
           (g_get_monotonic_time () - started) / 1000.0,
           self->n_levels, self->cycles->len, self->breaking_edges->len,
           g_hash_table_size (self->preferred_fks),
           self->self_references->len, self->external_edges->len);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Results                                                            */
/* ------------------------------------------------------------------ */

/**
 * ferry_analyzer_get_order:
 *
 * Returns: (transfer none) (element-type FerryTable): the units in load
 *   order; empty before ferry_analyzer_run().
 */
GPtrArray *
ferry_analyzer_get_order (FerryAnalyzer *self)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);

  return self->order;
}

guint
ferry_analyzer_get_n_levels (FerryAnalyzer *self)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), 0);

  return self->n_levels;
}

/**
 * ferry_analyzer_get_level:
 *
 * Returns: the level of the unit of @table, or -1 when it is not migrated.
 */
int
ferry_analyzer_get_level (FerryAnalyzer *self,
                          FerryTable    *table)
{
  int node;

  g_return_val_if_fail (FERRY_IS_ANALYZER (self), -1);
  g_return_val_if_fail (FERRY_IS_TABLE (table), -1);

  if (!self->analyzed)
    return -1;

  node = node_of (self, table);
  return node == NO_NODE ? -1 : self->level[node];
}

/**
 * ferry_analyzer_get_unit:
 *
 * Returns: (transfer none) (nullable): the unit that loads @table: the
 *   table itself, its top partitioned table for a partition, or %NULL
 *   when it is not migrated.
 */
FerryTable *
ferry_analyzer_get_unit (FerryAnalyzer *self,
                         FerryTable    *table)
{
  int node;

  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);
  g_return_val_if_fail (FERRY_IS_TABLE (table), NULL);

  if (!self->analyzed)
    return NULL;

  node = node_of (self, table);
  return node == NO_NODE ? NULL : self->nodes[node];
}

/**
 * ferry_analyzer_get_cycles:
 *
 * Returns: (transfer none) (element-type GPtrArray): the strongly
 *   connected components of more than one unit, each sorted by name.
 */
GPtrArray *
ferry_analyzer_get_cycles (FerryAnalyzer *self)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);

  return self->cycles;
}

GPtrArray *
ferry_analyzer_get_self_references (FerryAnalyzer *self)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);

  return self->self_references;
}

GPtrArray *
ferry_analyzer_get_breaking_edges (FerryAnalyzer *self)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);

  return self->breaking_edges;
}

GPtrArray *
ferry_analyzer_get_external_edges (FerryAnalyzer *self)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);

  return self->external_edges;
}

/**
 * ferry_analyzer_get_foreign_keys:
 *
 * Returns: (transfer none) (element-type FerryForeignKey): every foreign
 *   key whose child is migrated, in catalog order: the keys a plan gives
 *   an action to (kept, breaking, self-references and external edges).
 */
GPtrArray *
ferry_analyzer_get_foreign_keys (FerryAnalyzer *self)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);

  return self->foreign_keys;
}

static FkClass
fk_class (FerryAnalyzer   *self,
          FerryForeignKey *fk)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (self->fk_class, fk));
}

gboolean
ferry_analyzer_is_breaking_edge (FerryAnalyzer   *self,
                                 FerryForeignKey *fk)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), FALSE);
  g_return_val_if_fail (fk != NULL, FALSE);

  return fk_class (self, fk) == FK_BREAKING;
}

/**
 * ferry_analyzer_is_preferred_break:
 *
 * Returns: %TRUE when @fk is a breaking edge because a preferred break
 *   named it, or named another foreign key between the same two units
 */
gboolean
ferry_analyzer_is_preferred_break (FerryAnalyzer   *self,
                                   FerryForeignKey *fk)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), FALSE);
  g_return_val_if_fail (fk != NULL, FALSE);

  return g_hash_table_contains (self->preferred_fks, fk);
}

/**
 * ferry_analyzer_get_preferred_break_status:
 * @i: a position in ferry_analyzer_get_preferred_breaks()
 * @fk: (out) (optional) (nullable): the foreign key the name names
 *
 * Returns: what ferry_analyzer_run() made of the @i-th preferred break
 */
FerryPreferredBreak
ferry_analyzer_get_preferred_break_status (FerryAnalyzer    *self,
                                           guint             i,
                                           FerryForeignKey **fk)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), FERRY_PREFERRED_BREAK_UNKNOWN);
  g_return_val_if_fail (self->analyzed, FERRY_PREFERRED_BREAK_UNKNOWN);
  g_return_val_if_fail (i < g_strv_length (self->preferred), FERRY_PREFERRED_BREAK_UNKNOWN);

  if (fk != NULL)
    *fk = self->preferred_fk[i];
  return self->preferred_status[i];
}

static int
compare_fks_by_child (gconstpointer a,
                      gconstpointer b)
{
  FerryForeignKey *fa = *(FerryForeignKey * const *) a;
  FerryForeignKey *fb = *(FerryForeignKey * const *) b;
  int cmp = compare_tables_by_name (&fa->child, &fb->child);

  return cmp != 0 ? cmp : g_strcmp0 (fa->name, fb->name);
}

/**
 * ferry_analyzer_dup_cycle_foreign_keys:
 * @cycle: an index into ferry_analyzer_get_cycles()
 *
 * Returns: (transfer container) (element-type FerryForeignKey): the
 *   foreign keys from a table of the cycle to another one of it, by
 *   child and name: the keys the cycle can be broken at
 */
GPtrArray *
ferry_analyzer_dup_cycle_foreign_keys (FerryAnalyzer *self,
                                       guint          cycle)
{
  GPtrArray *result;
  GPtrArray *tables;
  g_autofree gboolean *in_cycle = NULL;

  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);
  g_return_val_if_fail (cycle < self->cycles->len, NULL);

  result = g_ptr_array_new ();
  tables = g_ptr_array_index (self->cycles, cycle);
  in_cycle = g_new0 (gboolean, MAX (self->n_nodes, 1));
  for (guint i = 0; i < tables->len; i++)
    in_cycle[node_of (self, g_ptr_array_index (tables, i))] = TRUE;

  for (guint e = 0; e < self->n_edges; e++)
    {
      const Edge *edge = &self->edges[e];

      if (!in_cycle[edge->parent] || !in_cycle[edge->child])
        continue;
      for (guint i = 0; i < edge->n_fks; i++)
        g_ptr_array_add (result, g_ptr_array_index (self->catalog_fks,
                                                    self->edge_fks[edge->first_fk + i]));
    }

  g_ptr_array_sort (result, compare_fks_by_child);
  return result;
}

gboolean
ferry_analyzer_is_self_reference (FerryAnalyzer   *self,
                                  FerryForeignKey *fk)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), FALSE);
  g_return_val_if_fail (fk != NULL, FALSE);

  return fk_class (self, fk) == FK_SELF;
}

gboolean
ferry_analyzer_is_external_edge (FerryAnalyzer   *self,
                                 FerryForeignKey *fk)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), FALSE);
  g_return_val_if_fail (fk != NULL, FALSE);

  return fk_class (self, fk) == FK_EXTERNAL;
}

static GPtrArray *
dup_neighbours (FerryAnalyzer *self,
                FerryTable    *table,
                gboolean       parents)
{
  GPtrArray *result = g_ptr_array_new ();
  int node;

  if (!self->analyzed || (node = node_of (self, table)) == NO_NODE)
    return result;

  if (parents)
    {
      for (guint i = self->in_start[node]; i < self->in_start[node + 1]; i++)
        {
          const Edge *edge = &self->edges[self->in_edges[i]];

          if (!edge->broken)
            g_ptr_array_add (result, self->nodes[edge->parent]);
        }
    }
  else
    {
      for (guint e = self->out_start[node]; e < self->out_start[node + 1]; e++)
        {
          const Edge *edge = &self->edges[e];

          if (!edge->broken)
            g_ptr_array_add (result, self->nodes[edge->child]);
        }
    }

  g_ptr_array_sort (result, compare_tables_by_name);

  return result;
}

/**
 * ferry_analyzer_dup_parents:
 *
 * Returns: (transfer container) (element-type FerryTable): the units the
 *   unit of @table waits for (kept edges only), sorted by name.
 */
GPtrArray *
ferry_analyzer_dup_parents (FerryAnalyzer *self,
                            FerryTable    *table)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);
  g_return_val_if_fail (FERRY_IS_TABLE (table), NULL);

  return dup_neighbours (self, table, TRUE);
}

/**
 * ferry_analyzer_dup_children:
 *
 * Returns: (transfer container) (element-type FerryTable): the units that
 *   wait for the unit of @table (kept edges only), sorted by name.
 */
GPtrArray *
ferry_analyzer_dup_children (FerryAnalyzer *self,
                             FerryTable    *table)
{
  g_return_val_if_fail (FERRY_IS_ANALYZER (self), NULL);
  g_return_val_if_fail (FERRY_IS_TABLE (table), NULL);

  return dup_neighbours (self, table, FALSE);
}

/**
 * ferry_analyzer_is_ready:
 * @self: a #FerryAnalyzer
 * @table: a table (a partition stands for its unit)
 * @completed: (nullable): the units already loaded, a set of FerryTable*
 *
 * Breaking edges, self-references and external edges are not waited for.
 *
 * Returns: %TRUE when every parent @table waits for is in @completed
 */
gboolean
ferry_analyzer_is_ready (FerryAnalyzer *self,
                         FerryTable    *table,
                         GHashTable    *completed)
{
  int node;

  g_return_val_if_fail (FERRY_IS_ANALYZER (self), FALSE);
  g_return_val_if_fail (FERRY_IS_TABLE (table), FALSE);
  g_return_val_if_fail (self->analyzed, FALSE);

  node = node_of (self, table);
  if (node == NO_NODE)
    return TRUE;

  for (guint i = self->in_start[node]; i < self->in_start[node + 1]; i++)
    {
      const Edge *edge = &self->edges[self->in_edges[i]];

      if (edge->broken)
        continue;
      if (completed == NULL ||
          !g_hash_table_contains (completed, self->nodes[edge->parent]))
        return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Plan validation                                                    */
/* ------------------------------------------------------------------ */

static gboolean
validate_chunks (FerryAnalyzer  *self,
                 FerryPlan      *plan,
                 GError        **error)
{
  GPtrArray *all = ferry_plan_get_chunks (plan);
  g_autofree guint *heap_seen = g_new0 (guint, MAX (self->n_tables, 1));

  for (guint i = 0; i < all->len; i++)
    {
      const FerryChunk *chunk = g_ptr_array_index (all, i);

      if (chunk->id != i)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                       _("Chunk %u of the plan is numbered %u"), i, chunk->id);
          return FALSE;
        }
    }

  for (guint v = 0; v < self->n_nodes; v++)
    {
      FerryTable *table = self->nodes[v];
      GPtrArray *chunks = ferry_plan_get_table_chunks (plan, table);
      guint n_heaps = 0;
      guint expected_heaps;

      if (chunks == NULL || chunks->len == 0)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                       _("Table %s has no chunk in the plan"),
                       table->display_name);
          return FALSE;
        }

      for (guint i = 0; i < chunks->len; i++)
        {
          const FerryChunk *chunk = g_ptr_array_index (chunks, i);
          const FerryChunk *prev = i > 0 ? g_ptr_array_index (chunks, i - 1) : NULL;
          const FerryChunk *next = i + 1 < chunks->len ? g_ptr_array_index (chunks, i + 1) : NULL;
          gboolean first_of_heap = prev == NULL || prev->heap != chunk->heap;
          gboolean last_of_heap = next == NULL || next->heap != chunk->heap;
          const char *heap_name = chunk->heap ? chunk->heap->display_name : "?";

          if (chunk->table != table ||
              chunk->number != i + 1 ||
              chunk->n_chunks != chunks->len)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                           _("Chunk %u of table %s is numbered %u of %u instead of %u of %u"),
                           chunk->id, table->display_name,
                           chunk->number, chunk->n_chunks, i + 1, chunks->len);
              return FALSE;
            }

          if (chunk->heap == NULL || node_of (self, chunk->heap) != (int) v)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                           _("Chunk %u of table %s reads %s, which is not part of it"),
                           chunk->id, table->display_name, heap_name);
              return FALSE;
            }

          if (first_of_heap)
            {
              if (heap_seen[chunk->heap->index] == v + 1)
                {
                  g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                               _("The chunks of %s are not consecutive in table %s"),
                               heap_name, table->display_name);
                  return FALSE;
                }
              heap_seen[chunk->heap->index] = v + 1;
              n_heaps++;

              if (chunk->has_lo)
                {
                  g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                               _("The first chunk of %s (chunk %u) has a lower bound: rows below it would not be copied"),
                               heap_name, chunk->id);
                  return FALSE;
                }
            }
          else if (!prev->has_hi || !chunk->has_lo ||
                   prev->hi != chunk->lo || prev->kind != chunk->kind)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                           _("Chunks %u and %u of %s do not meet: rows between them would not be copied"),
                           prev->id, chunk->id, heap_name);
              return FALSE;
            }

          if (last_of_heap && chunk->has_hi)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                           _("The last chunk of %s (chunk %u) has an upper bound: rows above it would not be copied"),
                           heap_name, chunk->id);
              return FALSE;
            }

          if (chunk->has_lo && chunk->has_hi && chunk->lo >= chunk->hi)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                           _("Chunk %u of %s has an empty range"),
                           chunk->id, heap_name);
              return FALSE;
            }

          if (chunk->kind == FERRY_CHUNK_KIND_WHOLE && !(first_of_heap && last_of_heap))
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                           _("Chunk %u reads the whole of %s but is not its only chunk"),
                           chunk->id, heap_name);
              return FALSE;
            }
        }

      expected_heaps = (table->kind == FERRY_TABLE_KIND_PARTITIONED &&
                        table->partitions != NULL &&
                        table->partitions->len > 0) ? table->partitions->len : 1;
      if (n_heaps != expected_heaps)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                       _("The chunks of table %s read %u of its %u partitions"),
                       table->display_name, n_heaps, expected_heaps);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
validate_actions (FerryAnalyzer  *self,
                  FerryPlan      *plan,
                  GError        **error)
{
  for (guint i = 0; i < self->foreign_keys->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (self->foreign_keys, i);
      FerryFkAction action;
      FkClass klass = fk_class (self, fk);
      gboolean must_drop;

      if (!ferry_plan_lookup_fk_action (plan, fk, &action))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                       _("Foreign key %s on %s has no action in the plan"),
                       fk->name, fk->child->display_name);
          return FALSE;
        }

      /* A foreign key that closes a cycle cannot stay during the load,
       * nor a self-reference checked in the middle of a table. */
      if (klass == FK_BREAKING)
        must_drop = TRUE;
      else if (klass == FK_SELF)
        {
          GPtrArray *chunks = ferry_plan_get_table_chunks (plan, fk->child);
          must_drop = chunks != NULL && chunks->len > 1;
        }
      else
        must_drop = FALSE;

      if (must_drop && action == FERRY_FK_ACTION_KEEP)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                       klass == FK_BREAKING
                       ? _("Foreign key %s on %s closes a cycle but the plan keeps it during the load")
                       : _("Foreign key %s on %s references rows of later chunks but the plan keeps it during the load"),
                       fk->name, fk->child->display_name);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * ferry_analyzer_validate_plan:
 * @self: the analyzer @plan was made from
 * @plan: a #FerryPlan
 * @error: return location for a #GError
 *
 * Checks that @plan loads every unit exactly once, parents before their
 * children, with chunks that cover every row, and that every foreign key
 * has an action that lets the load succeed.
 *
 * Returns: %TRUE when the plan is sound, else %FALSE with a
 *   %FERRY_ERROR_PLAN error naming the table or foreign key at fault
 */
gboolean
ferry_analyzer_validate_plan (FerryAnalyzer  *self,
                              FerryPlan      *plan,
                              GError        **error)
{
  GPtrArray *batches;
  g_autofree int *batch_of = NULL;
  g_autofree int *batch_level = NULL;
  int prev_level = G_MININT;

  g_return_val_if_fail (FERRY_IS_ANALYZER (self), FALSE);
  g_return_val_if_fail (FERRY_IS_PLAN (plan), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->analyzed || ferry_plan_get_analyzer (plan) != self)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                           _("The plan was not made from this dependency analysis"));
      return FALSE;
    }

  batches = ferry_plan_get_batches (plan);
  batch_of = g_new (int, MAX (self->n_nodes, 1));
  batch_level = g_new (int, MAX (self->n_nodes, 1));
  for (guint v = 0; v < self->n_nodes; v++)
    batch_of[v] = -1;

  /* Batches: in level order, every unit in exactly one. */
  for (guint b = 0; b < batches->len; b++)
    {
      const FerryBatch *batch = g_ptr_array_index (batches, b);

      if (batch->level < prev_level)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                       _("Batch %u (level %d) comes after a batch of level %d"),
                       batch->number, batch->level, prev_level);
          return FALSE;
        }
      prev_level = batch->level;

      for (guint i = 0; i < batch->tables->len; i++)
        {
          FerryTable *table = g_ptr_array_index (batch->tables, i);
          int node = node_of (self, table);

          if (node == NO_NODE || self->nodes[node] != table)
            {
              g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                           _("Table %s in batch %u is not migrated on its own"),
                           table->display_name, batch->number);
              return FALSE;
            }

          if (batch_of[node] >= 0)
            {
              const FerryBatch *other = g_ptr_array_index (batches, batch_of[node]);

              g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                           _("Table %s is in batch %u and in batch %u"),
                           table->display_name, other->number, batch->number);
              return FALSE;
            }

          batch_of[node] = (int) b;
          batch_level[node] = batch->level;
        }
    }

  for (guint v = 0; v < self->n_nodes; v++)
    {
      if (batch_of[v] < 0)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                       _("Table %s is in no batch of the plan"),
                       self->nodes[v]->display_name);
          return FALSE;
        }
    }

  /* Parents strictly before their children. */
  for (guint e = 0; e < self->n_edges; e++)
    {
      const Edge *edge = &self->edges[e];
      FerryForeignKey *fk;

      if (edge->broken || batch_level[edge->parent] < batch_level[edge->child])
        continue;

      fk = g_ptr_array_index (self->catalog_fks, self->edge_fks[edge->first_fk]);
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                   _("Foreign key %s of %s references %s, which is loaded at level %d, not before level %d"),
                   fk->name,
                   self->nodes[edge->child]->display_name,
                   self->nodes[edge->parent]->display_name,
                   batch_level[edge->parent], batch_level[edge->child]);
      return FALSE;
    }

  for (guint v = 0; v < self->n_nodes; v++)
    {
      if (batch_level[v] != self->level[v])
        {
          const FerryBatch *batch = g_ptr_array_index (batches, batch_of[v]);

          g_set_error (error, FERRY_ERROR, FERRY_ERROR_PLAN,
                       _("Table %s has level %d but is in batch %u of level %d"),
                       self->nodes[v]->display_name, self->level[v],
                       batch->number, batch->level);
          return FALSE;
        }
    }

  return validate_chunks (self, plan, error) &&
         validate_actions (self, plan, error);
}
