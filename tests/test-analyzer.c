/* test-analyzer.c — the Dependency Analyzer on hand-built catalogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ferry-analyzer.h"
#include "ferry-catalog.h"
#include "ferry-table-private.h"

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

static FerryAnalyzer *
analyze (FerryCatalog *catalog)
{
  g_autoptr(FerryAnalyzer) analyzer = ferry_analyzer_new (catalog);
  g_autoptr(GError) error = NULL;

  g_assert_true (ferry_analyzer_run (analyzer, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_analyzer_is_analyzed (analyzer));

  return g_steal_pointer (&analyzer);
}

static int
level (FerryAnalyzer *analyzer,
       FerryTable    *table)
{
  return ferry_analyzer_get_level (analyzer, table);
}

static gboolean
fk_is_kept (FerryAnalyzer   *analyzer,
            FerryForeignKey *fk)
{
  return !ferry_analyzer_is_breaking_edge (analyzer, fk) &&
         !ferry_analyzer_is_self_reference (analyzer, fk) &&
         !ferry_analyzer_is_external_edge (analyzer, fk);
}

/* The kept graph, built independently of the analyzer's internals:
 * children of each unit, indexed by FerryTable.index. */
typedef struct {
  guint       n;
  GPtrArray **children;   /* of FerryTable* */
} Graph;

static Graph *
graph_new (FerryAnalyzer *analyzer)
{
  FerryCatalog *catalog = ferry_analyzer_get_catalog (analyzer);
  GPtrArray *fks = ferry_analyzer_get_foreign_keys (analyzer);
  Graph *graph = g_new0 (Graph, 1);

  graph->n = ferry_catalog_get_tables (catalog)->len;
  graph->children = g_new0 (GPtrArray *, graph->n);
  for (guint i = 0; i < graph->n; i++)
    graph->children[i] = g_ptr_array_new ();

  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);
      FerryTable *parent, *child;

      if (!fk_is_kept (analyzer, fk))
        continue;

      parent = ferry_analyzer_get_unit (analyzer, fk->parent);
      child = ferry_analyzer_get_unit (analyzer, fk->child);
      g_ptr_array_add (graph->children[parent->index], child);
    }

  return graph;
}

static void
graph_free (Graph *graph)
{
  for (guint i = 0; i < graph->n; i++)
    g_ptr_array_unref (graph->children[i]);
  g_free (graph->children);
  g_free (graph);
}

static gboolean
graph_reaches (Graph      *graph,
               FerryTable *from,
               FerryTable *to)
{
  g_autofree gboolean *seen = g_new0 (gboolean, graph->n);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, from);
  seen[from->index] = TRUE;

  while (stack->len > 0)
    {
      FerryTable *v = g_ptr_array_steal_index_fast (stack, stack->len - 1);

      if (v == to)
        return TRUE;

      for (guint i = 0; i < graph->children[v->index]->len; i++)
        {
          FerryTable *w = g_ptr_array_index (graph->children[v->index], i);

          if (!seen[w->index])
            {
              seen[w->index] = TRUE;
              g_ptr_array_add (stack, w);
            }
        }
    }

  return FALSE;
}

/* Every kept edge goes to a strictly higher level (so the kept graph is
 * acyclic), and every breaking edge Ferry chose is needed: putting it
 * back alone would close a cycle. (A preferred break is the user's
 * choice, needed or not.) */
static void
assert_acyclic_and_minimal (FerryAnalyzer *analyzer)
{
  GPtrArray *fks = ferry_analyzer_get_foreign_keys (analyzer);
  GPtrArray *breaking = ferry_analyzer_get_breaking_edges (analyzer);
  Graph *graph = graph_new (analyzer);

  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);

      if (fk_is_kept (analyzer, fk))
        g_assert_cmpint (level (analyzer, fk->parent), <, level (analyzer, fk->child));
    }

  for (guint i = 0; i < breaking->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (breaking, i);
      FerryTable *parent = ferry_analyzer_get_unit (analyzer, fk->parent);
      FerryTable *child = ferry_analyzer_get_unit (analyzer, fk->child);

      g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, fk));
      g_assert_true (parent != child);
      if (ferry_analyzer_is_preferred_break (analyzer, fk))
        continue;
      if (!graph_reaches (graph, child, parent))
        g_error ("breaking edge %s (%s → %s) is not needed",
                 fk->name, parent->display_name, child->display_name);
    }

  graph_free (graph);
}

static guint
order_position (FerryAnalyzer *analyzer,
                FerryTable    *table)
{
  guint pos;

  g_assert_true (g_ptr_array_find (ferry_analyzer_get_order (analyzer), table, &pos));
  return pos;
}

/* ------------------------------------------------------------------ */
/* Shapes                                                             */
/* ------------------------------------------------------------------ */

static void
test_chain (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *a = add_table (catalog, "a", 100);
  FerryTable *b = add_table (catalog, "b", 1000);
  FerryTable *c = add_table (catalog, "c", 10000);
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  GPtrArray *order;

  /* Inserted in reverse so that catalog order is not the answer. */
  add_fk (catalog, c, b, FALSE, FALSE);
  add_fk (catalog, b, a, FALSE, FALSE);
  analyzer = analyze (catalog);

  g_assert_cmpint (level (analyzer, a), ==, 0);
  g_assert_cmpint (level (analyzer, b), ==, 1);
  g_assert_cmpint (level (analyzer, c), ==, 2);
  g_assert_cmpint (ferry_table_get_level (c), ==, 2);
  g_assert_cmpuint (ferry_analyzer_get_n_levels (analyzer), ==, 3);

  order = ferry_analyzer_get_order (analyzer);
  g_assert_cmpuint (order->len, ==, 3);
  g_assert_true (g_ptr_array_index (order, 0) == a);
  g_assert_true (g_ptr_array_index (order, 1) == b);
  g_assert_true (g_ptr_array_index (order, 2) == c);

  g_assert_cmpuint (ferry_analyzer_get_cycles (analyzer)->len, ==, 0);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 0);
  g_assert_cmpuint (ferry_analyzer_get_self_references (analyzer)->len, ==, 0);
  g_assert_cmpuint (ferry_analyzer_get_external_edges (analyzer)->len, ==, 0);
  g_assert_true (ferry_analyzer_get_unit (analyzer, b) == b);
}

static void
test_long_chain (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  FerryTable *prev = NULL;
  FerryTable *first = NULL;
  const guint n = 20000;

  /* Deep enough to overflow a recursive Tarjan on a small stack. A
   * closing edge makes the whole chain one strongly connected component. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("t%05u", i);
      FerryTable *t = add_table (catalog, name, 100);

      if (prev != NULL)
        add_fk (catalog, t, prev, FALSE, FALSE);
      else
        first = t;
      prev = t;
    }
  add_fk (catalog, first, prev, FALSE, TRUE);

  analyzer = analyze (catalog);

  g_assert_cmpuint (ferry_analyzer_get_cycles (analyzer)->len, ==, 1);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (ferry_analyzer_get_cycles (analyzer), 0))->len, ==, n);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 1);
  /* The nullable closing edge is the cheap one to break. */
  g_assert_true (ferry_analyzer_is_breaking_edge (analyzer,
                                                  g_ptr_array_index (ferry_catalog_get_foreign_keys (catalog), n - 1)));
  g_assert_cmpuint (ferry_analyzer_get_n_levels (analyzer), ==, n);
  g_assert_cmpint (level (analyzer, first), ==, 0);
  g_assert_cmpint (level (analyzer, prev), ==, (int) n - 1);
}

static void
test_diamond (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *top = add_table (catalog, "top", 10);
  FerryTable *left = add_table (catalog, "left", 10);
  FerryTable *right = add_table (catalog, "right", 20);
  FerryTable *bottom = add_table (catalog, "bottom", 10);
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autoptr(GPtrArray) parents = NULL;

  add_fk (catalog, left, top, FALSE, FALSE);
  add_fk (catalog, right, top, FALSE, FALSE);
  add_fk (catalog, bottom, left, FALSE, FALSE);
  add_fk (catalog, bottom, right, FALSE, FALSE);
  /* A shortcut does not lower the level: the longest path counts. */
  add_fk (catalog, bottom, top, FALSE, FALSE);
  /* Two FKs between the same pair make one edge. */
  add_fk (catalog, bottom, right, TRUE, TRUE);
  analyzer = analyze (catalog);

  g_assert_cmpint (level (analyzer, top), ==, 0);
  g_assert_cmpint (level (analyzer, left), ==, 1);
  g_assert_cmpint (level (analyzer, right), ==, 1);
  g_assert_cmpint (level (analyzer, bottom), ==, 2);

  /* Within a level, the larger table first. */
  g_assert_cmpuint (order_position (analyzer, right), <, order_position (analyzer, left));

  parents = ferry_analyzer_dup_parents (analyzer, bottom);
  g_assert_cmpuint (parents->len, ==, 3);
  g_assert_true (g_ptr_array_index (parents, 0) == left);
  g_assert_true (g_ptr_array_index (parents, 1) == right);
  g_assert_true (g_ptr_array_index (parents, 2) == top);
  assert_acyclic_and_minimal (analyzer);
}

static void
test_disconnected (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *a1 = add_table (catalog, "a1", 10);
  FerryTable *a2 = add_table (catalog, "a2", 10);
  FerryTable *b1 = add_table (catalog, "b1", 10);
  FerryTable *b2 = add_table (catalog, "b2", 10);
  FerryTable *b3 = add_table (catalog, "b3", 10);
  FerryTable *lone = add_table (catalog, "lone", 10);
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  GPtrArray *order;

  add_fk (catalog, a2, a1, FALSE, FALSE);
  add_fk (catalog, b3, b2, FALSE, FALSE);
  add_fk (catalog, b2, b1, FALSE, FALSE);
  analyzer = analyze (catalog);

  g_assert_cmpint (level (analyzer, a1), ==, 0);
  g_assert_cmpint (level (analyzer, b1), ==, 0);
  g_assert_cmpint (level (analyzer, lone), ==, 0);
  g_assert_cmpint (level (analyzer, a2), ==, 1);
  g_assert_cmpint (level (analyzer, b2), ==, 1);
  g_assert_cmpint (level (analyzer, b3), ==, 2);

  /* Same size, same level: by name. */
  order = ferry_analyzer_get_order (analyzer);
  g_assert_cmpuint (order->len, ==, 6);
  g_assert_true (g_ptr_array_index (order, 0) == a1);
  g_assert_true (g_ptr_array_index (order, 1) == b1);
  g_assert_true (g_ptr_array_index (order, 2) == lone);
  g_assert_true (g_ptr_array_index (order, 3) == a2);
  g_assert_true (g_ptr_array_index (order, 4) == b2);
  g_assert_true (g_ptr_array_index (order, 5) == b3);
}

static void
test_self_loop (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *parent = add_table (catalog, "parent", 10);
  FerryTable *tree = add_table (catalog, "tree", 10);
  FerryForeignKey *self_fk;
  g_autoptr(FerryAnalyzer) analyzer = NULL;

  self_fk = add_fk (catalog, tree, tree, FALSE, TRUE);
  add_fk (catalog, tree, parent, FALSE, FALSE);
  analyzer = analyze (catalog);

  g_assert_cmpuint (ferry_analyzer_get_self_references (analyzer)->len, ==, 1);
  g_assert_true (g_ptr_array_index (ferry_analyzer_get_self_references (analyzer), 0) == self_fk);
  g_assert_true (ferry_analyzer_is_self_reference (analyzer, self_fk));
  g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, self_fk));
  g_assert_cmpuint (ferry_analyzer_get_cycles (analyzer)->len, ==, 0);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 0);
  g_assert_cmpint (level (analyzer, tree), ==, 1);
}

/* ------------------------------------------------------------------ */
/* Cycles                                                             */
/* ------------------------------------------------------------------ */

static void
test_two_cycle (void)
{
  /* Whichever way round the tables are declared, the nullable FK is the
   * one to break; then the same with a deferrable one. */
  for (guint variant = 0; variant < 4; variant++)
    {
      g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
      FerryTable *a = add_table (catalog, "a", 10);
      FerryTable *b = add_table (catalog, "b", 10);
      gboolean by_deferrable = variant >= 2;
      gboolean flip = variant % 2;
      FerryForeignKey *cheap, *strict;
      g_autoptr(FerryAnalyzer) analyzer = NULL;
      GPtrArray *cycles;

      if (flip)
        {
          strict = add_fk (catalog, a, b, FALSE, FALSE);
          cheap = add_fk (catalog, b, a, by_deferrable, !by_deferrable);
        }
      else
        {
          cheap = add_fk (catalog, a, b, by_deferrable, !by_deferrable);
          strict = add_fk (catalog, b, a, FALSE, FALSE);
        }

      analyzer = analyze (catalog);

      cycles = ferry_analyzer_get_cycles (analyzer);
      g_assert_cmpuint (cycles->len, ==, 1);
      g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (cycles, 0))->len, ==, 2);
      g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 1);
      g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, cheap));
      g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, strict));

      /* The kept FK orders the pair. */
      g_assert_cmpint (level (analyzer, strict->parent), ==, 0);
      g_assert_cmpint (level (analyzer, strict->child), ==, 1);
      assert_acyclic_and_minimal (analyzer);
    }
}

static void
test_three_cycle (void)
{
  for (guint cheap_index = 0; cheap_index < 3; cheap_index++)
    {
      g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
      FerryTable *t[3];
      FerryForeignKey *fk[3];
      g_autoptr(FerryAnalyzer) analyzer = NULL;

      t[0] = add_table (catalog, "x", 10);
      t[1] = add_table (catalog, "y", 10);
      t[2] = add_table (catalog, "z", 10);
      for (guint i = 0; i < 3; i++)
        fk[i] = add_fk (catalog, t[(i + 1) % 3], t[i], i == cheap_index, FALSE);

      analyzer = analyze (catalog);

      g_assert_cmpuint (ferry_analyzer_get_cycles (analyzer)->len, ==, 1);
      g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 1);
      g_assert_true (g_ptr_array_index (ferry_analyzer_get_breaking_edges (analyzer), 0) == fk[cheap_index]);
      g_assert_cmpuint (ferry_analyzer_get_n_levels (analyzer), ==, 3);
      /* The child of the broken FK is loaded first. */
      g_assert_cmpint (level (analyzer, fk[cheap_index]->child), ==, 0);
      assert_acyclic_and_minimal (analyzer);
    }
}

static void
test_cycles_sharing_a_node (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *hub = add_table (catalog, "hub", 10);
  FerryTable *a = add_table (catalog, "a", 10);
  FerryTable *b = add_table (catalog, "b", 10);
  FerryTable *c = add_table (catalog, "c", 10);
  FerryTable *d = add_table (catalog, "d", 10);
  FerryTable *outside = add_table (catalog, "outside", 10);
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  GPtrArray *cycles;

  /* hub → a → b → hub and hub → c → d → hub */
  add_fk (catalog, a, hub, FALSE, FALSE);
  add_fk (catalog, b, a, FALSE, FALSE);
  add_fk (catalog, hub, b, FALSE, FALSE);
  add_fk (catalog, c, hub, FALSE, FALSE);
  add_fk (catalog, d, c, FALSE, FALSE);
  add_fk (catalog, hub, d, FALSE, FALSE);
  add_fk (catalog, outside, hub, FALSE, FALSE);
  analyzer = analyze (catalog);

  cycles = ferry_analyzer_get_cycles (analyzer);
  g_assert_cmpuint (cycles->len, ==, 1);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (cycles, 0))->len, ==, 5);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 2);
  assert_acyclic_and_minimal (analyzer);
  g_assert_cmpint (level (analyzer, outside), >, level (analyzer, hub));
}

static void
test_complete_graph (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  FerryTable *t[5];

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("k%u", i);
      t[i] = add_table (catalog, name, 10);
    }
  for (guint i = 0; i < 5; i++)
    for (guint j = 0; j < 5; j++)
      if (i != j)
        add_fk (catalog, t[i], t[j], FALSE, FALSE);

  analyzer = analyze (catalog);

  g_assert_cmpuint (ferry_analyzer_get_cycles (analyzer)->len, ==, 1);
  /* One direction of each of the 10 pairs must go; no more. */
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 10);
  g_assert_cmpuint (ferry_analyzer_get_n_levels (analyzer), ==, 5);
  assert_acyclic_and_minimal (analyzer);
}

static void
test_redundant_breaks_are_restored (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  FerryTable *t[6];

  /* A ring of six with chords both ways: greedy orderings tend to cut
   * more than needed here; the re-add pass must prune it. */
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("r%u", i);
      t[i] = add_table (catalog, name, 10 * (i + 1));
    }
  for (guint i = 0; i < 6; i++)
    add_fk (catalog, t[(i + 1) % 6], t[i], FALSE, FALSE);
  add_fk (catalog, t[3], t[0], FALSE, FALSE);
  add_fk (catalog, t[0], t[3], TRUE, FALSE);
  add_fk (catalog, t[5], t[2], FALSE, TRUE);

  analyzer = analyze (catalog);
  assert_acyclic_and_minimal (analyzer);
}

/* ------------------------------------------------------------------ */
/* Order, readiness, scope                                            */
/* ------------------------------------------------------------------ */

static void
test_levels_and_order (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *small = add_table (catalog, "small", 10);
  FerryTable *big = add_table (catalog, "big", 1000000);
  FerryTable *medium_b = add_table (catalog, "medium_b", 5000);
  FerryTable *medium_a = add_table (catalog, "medium_a", 5000);
  FerryTable *child_small = add_table (catalog, "child_small", 1);
  FerryTable *child_huge = add_table (catalog, "child_huge", 100000000);
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  GPtrArray *order;

  add_fk (catalog, child_small, small, FALSE, FALSE);
  add_fk (catalog, child_huge, medium_a, FALSE, FALSE);
  analyzer = analyze (catalog);

  order = ferry_analyzer_get_order (analyzer);
  g_assert_true (g_ptr_array_index (order, 0) == big);
  g_assert_true (g_ptr_array_index (order, 1) == medium_a);
  g_assert_true (g_ptr_array_index (order, 2) == medium_b);
  g_assert_true (g_ptr_array_index (order, 3) == small);
  /* A huge child still waits for its level. */
  g_assert_true (g_ptr_array_index (order, 4) == child_huge);
  g_assert_true (g_ptr_array_index (order, 5) == child_small);

  for (guint i = 0; i < order->len; i++)
    {
      FerryTable *table = g_ptr_array_index (order, i);
      g_assert_cmpint (ferry_table_get_level (table), ==, level (analyzer, table));
    }
}

static void
test_is_ready (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *a = add_table (catalog, "a", 10);
  FerryTable *b = add_table (catalog, "b", 10);
  FerryTable *c = add_table (catalog, "c", 10);
  FerryTable *x = add_table (catalog, "x", 10);
  FerryTable *y = add_table (catalog, "y", 10);
  FerryForeignKey *xy, *yx;
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autoptr(GHashTable) completed = g_hash_table_new (NULL, NULL);

  add_fk (catalog, c, a, FALSE, FALSE);
  add_fk (catalog, c, b, FALSE, FALSE);
  add_fk (catalog, c, c, FALSE, TRUE);
  xy = add_fk (catalog, x, y, FALSE, TRUE);
  yx = add_fk (catalog, y, x, FALSE, FALSE);
  analyzer = analyze (catalog);

  g_assert_true (ferry_analyzer_is_ready (analyzer, a, completed));
  g_assert_true (ferry_analyzer_is_ready (analyzer, a, NULL));
  g_assert_false (ferry_analyzer_is_ready (analyzer, c, completed));
  g_assert_false (ferry_analyzer_is_ready (analyzer, c, NULL));

  g_hash_table_add (completed, a);
  g_assert_false (ferry_analyzer_is_ready (analyzer, c, completed));
  g_hash_table_add (completed, b);
  /* Its self-reference is not waited for. */
  g_assert_true (ferry_analyzer_is_ready (analyzer, c, completed));

  /* In the cycle, the broken FK is not waited for; the kept one is. */
  g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, xy));
  g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, yx));
  g_assert_true (ferry_analyzer_is_ready (analyzer, x, completed));
  g_assert_false (ferry_analyzer_is_ready (analyzer, y, completed));
  g_hash_table_add (completed, x);
  g_assert_true (ferry_analyzer_is_ready (analyzer, y, completed));
}

static void
test_external_edges (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *orders = add_table (catalog, "orders", 10);
  FerryTable *audit = add_table (catalog, "audit", 10);
  FerryTable *postgis = add_table (catalog, "spatial_ref_sys", 10);
  FerryTable *uses_ext = add_table (catalog, "places", 10);
  FerryTable *excluded_child = add_table (catalog, "old_orders", 10);
  FerryForeignKey *to_audit, *to_ext, *from_excluded;
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  GPtrArray *external;
  GPtrArray *fks;

  audit->included = FALSE;
  excluded_child->included = FALSE;
  postgis->extension = g_strdup ("postgis");

  to_audit = add_fk (catalog, orders, audit, FALSE, FALSE);
  to_ext = add_fk (catalog, uses_ext, postgis, FALSE, FALSE);
  from_excluded = add_fk (catalog, excluded_child, orders, FALSE, FALSE);
  analyzer = analyze (catalog);

  external = ferry_analyzer_get_external_edges (analyzer);
  g_assert_cmpuint (external->len, ==, 2);
  g_assert_true (g_ptr_array_index (external, 0) == to_audit);
  g_assert_true (g_ptr_array_index (external, 1) == to_ext);
  g_assert_true (ferry_analyzer_is_external_edge (analyzer, to_audit));

  /* Neither excluded nor extension tables are units. */
  g_assert_cmpuint (ferry_analyzer_get_order (analyzer)->len, ==, 2);
  g_assert_null (ferry_analyzer_get_unit (analyzer, audit));
  g_assert_null (ferry_analyzer_get_unit (analyzer, postgis));
  g_assert_cmpint (level (analyzer, audit), ==, -1);
  g_assert_cmpint (ferry_table_get_level (excluded_child), ==, -1);

  /* External parents are not waited for. */
  g_assert_cmpint (level (analyzer, orders), ==, 0);
  g_assert_true (ferry_analyzer_is_ready (analyzer, orders, NULL));
  g_assert_true (ferry_analyzer_is_ready (analyzer, uses_ext, NULL));

  /* An FK from an excluded table is not part of the migration at all. */
  fks = ferry_analyzer_get_foreign_keys (analyzer);
  g_assert_cmpuint (fks->len, ==, 2);
  g_assert_false (g_ptr_array_find (fks, from_excluded, NULL));
}

static void
test_partitions (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *customers = add_table (catalog, "customers", 100);
  FerryTable *events = add_table (catalog, "events", 0);
  FerryTable *events_2024 = add_table (catalog, "events_2024", 3000);
  FerryTable *events_2025 = add_table (catalog, "events_2025", 5000);
  FerryTable *notes = add_table (catalog, "notes", 100);
  FerryForeignKey *self_fk;
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  GPtrArray *order;

  events->kind = FERRY_TABLE_KIND_PARTITIONED;
  events_2024->kind = FERRY_TABLE_KIND_PARTITION;
  events_2025->kind = FERRY_TABLE_KIND_PARTITION;
  events_2024->partition_parent = events;
  events_2025->partition_parent = events;
  g_ptr_array_add (events->partitions, events_2024);
  g_ptr_array_add (events->partitions, events_2025);

  /* An FK on a partition (as pg_constraint lists them for each leaf). */
  add_fk (catalog, events_2024, customers, FALSE, FALSE);
  add_fk (catalog, events, customers, FALSE, FALSE);
  /* A note references an event partition. */
  add_fk (catalog, notes, events_2025, FALSE, FALSE);
  /* One partition references another: a self-reference of the unit. */
  self_fk = add_fk (catalog, events_2025, events_2024, FALSE, TRUE);
  analyzer = analyze (catalog);

  g_assert_true (ferry_analyzer_get_unit (analyzer, events_2024) == events);
  g_assert_true (ferry_analyzer_get_unit (analyzer, events_2025) == events);
  g_assert_true (ferry_analyzer_get_unit (analyzer, events) == events);

  order = ferry_analyzer_get_order (analyzer);
  g_assert_cmpuint (order->len, ==, 3);
  g_assert_false (g_ptr_array_find (order, events_2024, NULL));

  g_assert_cmpint (level (analyzer, customers), ==, 0);
  g_assert_cmpint (level (analyzer, events), ==, 1);
  g_assert_cmpint (level (analyzer, events_2024), ==, 1);
  g_assert_cmpint (ferry_table_get_level (events_2025), ==, 1);
  g_assert_cmpint (level (analyzer, notes), ==, 2);

  g_assert_true (ferry_analyzer_is_self_reference (analyzer, self_fk));
  g_assert_cmpuint (ferry_analyzer_get_cycles (analyzer)->len, ==, 0);

  /* Readiness of a partition is its unit's. */
  g_assert_false (ferry_analyzer_is_ready (analyzer, events_2025, NULL));
}

static void
test_rerun (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *a = add_table (catalog, "a", 10);
  FerryTable *b = add_table (catalog, "b", 10);
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autoptr(GError) error = NULL;

  add_fk (catalog, b, a, FALSE, FALSE);
  analyzer = analyze (catalog);
  g_assert_cmpuint (ferry_analyzer_get_n_levels (analyzer), ==, 2);

  /* The catalog changed: a second run sees the cycle. */
  add_fk (catalog, a, b, FALSE, TRUE);
  g_assert_true (ferry_analyzer_run (analyzer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ferry_analyzer_get_cycles (analyzer)->len, ==, 1);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 1);
  g_assert_cmpuint (ferry_analyzer_get_order (analyzer)->len, ==, 2);
}

/* ------------------------------------------------------------------ */
/* Preferred breaks (tables.break_cycles_at)                          */
/* ------------------------------------------------------------------ */

static FerryAnalyzer *
analyze_preferring (FerryCatalog       *catalog,
                    const char * const *names)
{
  g_autoptr(FerryAnalyzer) analyzer = ferry_analyzer_new (catalog);
  g_autoptr(GError) error = NULL;

  ferry_analyzer_set_preferred_breaks (analyzer, names);
  g_assert_true (ferry_analyzer_run (analyzer, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&analyzer);
}

static char *
path_of (FerryForeignKey *fk)
{
  return ferry_foreign_key_dup_path (fk);
}

/* The sample database's shape: employees → departments → cost centres
 * → employees, and departments ⇄ employees. */
typedef struct {
  FerryCatalog    *catalog;
  FerryTable      *employees, *departments, *cost_centers;
  FerryForeignKey *employee_department;   /* NOT NULL */
  FerryForeignKey *department_cost_center; /* NOT NULL */
  FerryForeignKey *cost_center_owner;     /* nullable */
  FerryForeignKey *department_head;       /* nullable */
} Company;

static void
company_init (Company *c)
{
  c->catalog = ferry_catalog_new ();
  c->employees = add_table (c->catalog, "employees", 100);
  c->departments = add_table (c->catalog, "departments", 10);
  c->cost_centers = add_table (c->catalog, "cost_centers", 10);
  c->employee_department = ferry_catalog_add_foreign_key (c->catalog, "employees_department_id_fkey",
                                                          c->employees, c->departments, FALSE, FALSE);
  c->department_cost_center = ferry_catalog_add_foreign_key (c->catalog, "departments_cost_center_id_fkey",
                                                             c->departments, c->cost_centers, FALSE, FALSE);
  c->cost_center_owner = ferry_catalog_add_foreign_key (c->catalog, "cost_centers_owner_employee_id_fkey",
                                                        c->cost_centers, c->employees, FALSE, TRUE);
  c->department_head = ferry_catalog_add_foreign_key (c->catalog, "departments_head_employee_id_fkey",
                                                      c->departments, c->employees, FALSE, TRUE);
}

static void
company_clear (Company *c)
{
  g_clear_object (&c->catalog);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Company, company_clear)

static void
test_preferred_honoured (void)
{
  g_auto(Company) c = { 0 };
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autofree char *name = NULL;
  FerryForeignKey *fk = NULL;
  const char *names[2] = { NULL, NULL };

  company_init (&c);

  /* Left alone, Ferry breaks the two nullable keys (cost 2 < 3). */
  analyzer = analyze (c.catalog);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 2);
  g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, c.cost_center_owner));
  g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, c.department_head));
  g_assert_false (ferry_analyzer_is_preferred_break (analyzer, c.cost_center_owner));
  g_clear_object (&analyzer);

  /* The NOT NULL key every cycle goes through, preferred: it alone breaks
   * both cycles, and the nullable keys stay (the rest stays minimal). */
  name = path_of (c.employee_department);
  g_assert_cmpstr (name, ==, "public.employees.employees_department_id_fkey");
  names[0] = name;
  analyzer = analyze_preferring (c.catalog, names);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 1);
  g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, c.employee_department));
  g_assert_true (ferry_analyzer_is_preferred_break (analyzer, c.employee_department));
  g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, c.cost_center_owner));
  g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, c.department_head));
  g_assert_cmpint (ferry_analyzer_get_preferred_break_status (analyzer, 0, &fk), ==, FERRY_PREFERRED_BREAK_BROKEN);
  g_assert_true (fk == c.employee_department);
  g_assert_cmpstrv (ferry_analyzer_get_preferred_breaks (analyzer), names);
  /* Employees load first now: their parents wait. */
  g_assert_cmpint (level (analyzer, c.employees), ==, 0);
  g_assert_cmpint (level (analyzer, c.cost_centers), ==, 1);
  g_assert_cmpint (level (analyzer, c.departments), ==, 2);
  assert_acyclic_and_minimal (analyzer);

  /* The cycle is the same whatever breaks it. */
  g_assert_cmpuint (ferry_analyzer_get_cycles (analyzer)->len, ==, 1);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (ferry_analyzer_get_cycles (analyzer), 0))->len, ==, 3);
}

static void
test_preferred_rest_broken_minimally (void)
{
  g_auto(Company) c = { 0 };
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *cost_center = NULL;
  const char *names[3] = { NULL, NULL, NULL };

  company_init (&c);

  /* departments → cost centres, NOT NULL, breaks the three-table cycle
   * only; employees ⇄ departments remains and is broken at its cheap,
   * nullable key, not at the NOT NULL one. */
  cost_center = path_of (c.department_cost_center);
  names[0] = cost_center;
  analyzer = analyze_preferring (c.catalog, names);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 2);
  g_assert_true (ferry_analyzer_is_preferred_break (analyzer, c.department_cost_center));
  g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, c.department_head));
  g_assert_false (ferry_analyzer_is_preferred_break (analyzer, c.department_head));
  g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, c.cost_center_owner));
  g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, c.employee_department));
  assert_acyclic_and_minimal (analyzer);
  g_clear_object (&analyzer);

  /* Two preferred keys, one of which Ferry would have taken anyway: both
   * stay broken, nothing else is. */
  owner = path_of (c.cost_center_owner);
  names[1] = owner;
  analyzer = analyze_preferring (c.catalog, names);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 3);
  g_assert_true (ferry_analyzer_is_preferred_break (analyzer, c.department_cost_center));
  g_assert_true (ferry_analyzer_is_preferred_break (analyzer, c.cost_center_owner));
  g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, c.department_head));
  assert_acyclic_and_minimal (analyzer);
}

static void
test_preferred_not_in_cycle (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *a = add_table (catalog, "a", 10);
  FerryTable *b = add_table (catalog, "b", 10);
  FerryTable *tree = add_table (catalog, "tree", 10);
  FerryTable *left_out = add_table (catalog, "left_out", 10);
  FerryForeignKey *cheap = add_fk (catalog, a, b, FALSE, TRUE);
  FerryForeignKey *strict = add_fk (catalog, b, a, FALSE, FALSE);
  FerryForeignKey *chain = add_fk (catalog, tree, a, FALSE, FALSE);
  FerryForeignKey *self_ref = add_fk (catalog, tree, tree, FALSE, TRUE);
  FerryForeignKey *excluded = add_fk (catalog, left_out, a, FALSE, FALSE);
  g_autofree char *chain_name = path_of (chain);
  g_autofree char *self_name = path_of (self_ref);
  g_autofree char *excluded_name = path_of (excluded);
  const char *names[] = { chain_name, self_name, excluded_name, NULL };
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  FerryForeignKey *fk = NULL;

  left_out->included = FALSE;
  analyzer = analyze_preferring (catalog, names);

  /* None of them is broken; the cycle is broken as without them. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (ferry_analyzer_get_preferred_break_status (analyzer, i, NULL), ==,
                     FERRY_PREFERRED_BREAK_NOT_IN_CYCLE);
  g_assert_cmpint (ferry_analyzer_get_preferred_break_status (analyzer, 0, &fk), ==,
                   FERRY_PREFERRED_BREAK_NOT_IN_CYCLE);
  g_assert_true (fk == chain);
  g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, chain));
  g_assert_false (ferry_analyzer_is_preferred_break (analyzer, chain));
  g_assert_true (ferry_analyzer_is_self_reference (analyzer, self_ref));
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 1);
  g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, cheap));
  g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, strict));
  g_assert_cmpint (level (analyzer, tree), >, level (analyzer, a));
  assert_acyclic_and_minimal (analyzer);
}

static void
test_preferred_unknown (void)
{
  g_auto(Company) c = { 0 };
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  const char * const names[] = {
    "public.employees.no_such_fkey",
    "public.nowhere.employees_department_id_fkey",
    "employees.employees_department_id_fkey",
    NULL,
  };
  FerryForeignKey *fk = GINT_TO_POINTER (1);

  company_init (&c);
  analyzer = analyze_preferring (c.catalog, names);

  for (guint i = 0; names[i] != NULL; i++)
    g_assert_cmpint (ferry_analyzer_get_preferred_break_status (analyzer, i, NULL), ==,
                     FERRY_PREFERRED_BREAK_UNKNOWN);
  g_assert_cmpint (ferry_analyzer_get_preferred_break_status (analyzer, 0, &fk), ==,
                   FERRY_PREFERRED_BREAK_UNKNOWN);
  g_assert_null (fk);

  /* As if nothing were preferred. */
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 2);
  g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, c.cost_center_owner));
  g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, c.department_head));
  assert_acyclic_and_minimal (analyzer);
}

static void
test_preferred_names (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  FerryTable *lines = ferry_catalog_add_table (catalog, "Sales", "Order Lines", 10, 1);
  FerryTable *orders = ferry_catalog_add_table (catalog, "sales", "orders", 10, 1);
  FerryForeignKey *to_orders = ferry_catalog_add_foreign_key (catalog, "Lines → Orders", lines, orders, FALSE, FALSE);
  FerryForeignKey *also_to_orders = ferry_catalog_add_foreign_key (catalog, "lines_orders_2", lines, orders, FALSE, FALSE);
  FerryForeignKey *to_lines = ferry_catalog_add_foreign_key (catalog, "orders_last_line_fkey", orders, lines, FALSE, TRUE);
  g_autofree char *path = ferry_foreign_key_dup_path (to_orders);
  const char * const quoted[] = { "\"Sales\".\"Order Lines\".\"Lines → Orders\"", NULL };
  const char * const plain[] = { "Sales.Order Lines.Lines → Orders", "Sales.Order Lines.Lines → Orders", NULL };
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autoptr(GPtrArray) in_cycle = NULL;

  g_assert_cmpstr (path, ==, "Sales.Order Lines.Lines → Orders");
  g_assert_true (ferry_foreign_key_has_path (to_orders, path));
  g_assert_true (ferry_foreign_key_has_path (to_orders, quoted[0]));
  g_assert_false (ferry_foreign_key_has_path (to_orders, "sales.order lines.lines → orders"));
  g_assert_false (ferry_foreign_key_has_path (to_lines, path));

  for (guint form = 0; form < 2; form++)
    {
      analyzer = analyze_preferring (catalog, form == 0 ? quoted : plain);
      g_assert_cmpint (ferry_analyzer_get_preferred_break_status (analyzer, 0, NULL), ==,
                       FERRY_PREFERRED_BREAK_BROKEN);
      /* Both keys from the lines to the orders break: the pair of tables
       * is kept or broken as a whole. */
      g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 2);
      g_assert_true (ferry_analyzer_is_preferred_break (analyzer, to_orders));
      g_assert_true (ferry_analyzer_is_preferred_break (analyzer, also_to_orders));
      g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, to_lines));
      assert_acyclic_and_minimal (analyzer);
      g_clear_object (&analyzer);
    }

  /* A name listed twice names the same key twice. */
  analyzer = analyze_preferring (catalog, plain);
  g_assert_cmpint (ferry_analyzer_get_preferred_break_status (analyzer, 1, NULL), ==,
                   FERRY_PREFERRED_BREAK_BROKEN);

  /* The keys of the cycle, by child then name. */
  in_cycle = ferry_analyzer_dup_cycle_foreign_keys (analyzer, 0);
  g_assert_cmpuint (in_cycle->len, ==, 3);
  g_assert_true (g_ptr_array_index (in_cycle, 0) == to_orders);
  g_assert_true (g_ptr_array_index (in_cycle, 1) == also_to_orders);
  g_assert_true (g_ptr_array_index (in_cycle, 2) == to_lines);
}

static void
test_preferred_rerun (void)
{
  g_auto(Company) c = { 0 };
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  const char *names[2] = { NULL, NULL };

  company_init (&c);
  head = path_of (c.employee_department);
  names[0] = head;
  analyzer = analyze_preferring (c.catalog, names);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 1);

  /* Taken back: the next run chooses by itself again. */
  ferry_analyzer_set_preferred_breaks (analyzer, NULL);
  g_assert_true (ferry_analyzer_run (analyzer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) ferry_analyzer_get_preferred_breaks (analyzer)), ==, 0);
  g_assert_cmpuint (ferry_analyzer_get_breaking_edges (analyzer)->len, ==, 2);
  g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, c.employee_department));
  g_assert_false (ferry_analyzer_is_preferred_break (analyzer, c.employee_department));
}

/* Any preferred keys, in a graph of every shape: still acyclic, the
 * preferred keys broken when they are in a cycle, the rest needed. */
static void
test_preferred_random (void)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240902);
  g_autoptr(GPtrArray) tables = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  GPtrArray *fks;
  guint n_broken = 0, n_idle = 0;
  const guint n_tables = 2000;

  for (guint i = 0; i < n_tables; i++)
    {
      g_autofree char *name = g_strdup_printf ("t%04u", i);
      g_ptr_array_add (tables, add_table (catalog, name, g_rand_int_range (rand, 1, 1 << 20)));
    }
  for (guint i = 0; i < 4 * n_tables; i++)
    {
      guint p = g_rand_int_range (rand, 0, n_tables);
      guint c = g_rand_int_range (rand, 0, n_tables);

      if ((p > c) != (g_rand_int_range (rand, 0, 100) < 20))
        {
          guint tmp = p;
          p = c;
          c = tmp;
        }
      add_fk (catalog, g_ptr_array_index (tables, c), g_ptr_array_index (tables, p),
              g_rand_boolean (rand), g_rand_boolean (rand));
    }

  fks = ferry_catalog_get_foreign_keys (catalog);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = path_of (g_ptr_array_index (fks, g_rand_int_range (rand, 0, fks->len)));
      g_strv_builder_add (builder, name);
    }
  names = g_strv_builder_end (builder);

  analyzer = analyze_preferring (catalog, (const char * const *) names);
  for (guint i = 0; names[i] != NULL; i++)
    {
      FerryForeignKey *fk = NULL;

      switch (ferry_analyzer_get_preferred_break_status (analyzer, i, &fk))
        {
        case FERRY_PREFERRED_BREAK_BROKEN:
          g_assert_true (ferry_analyzer_is_breaking_edge (analyzer, fk));
          g_assert_true (ferry_analyzer_is_preferred_break (analyzer, fk));
          n_broken++;
          break;
        case FERRY_PREFERRED_BREAK_NOT_IN_CYCLE:
          g_assert_false (ferry_analyzer_is_breaking_edge (analyzer, fk));
          n_idle++;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_test_message ("%u preferred keys broken, %u in no cycle; %u breaking edges in all",
                  n_broken, n_idle, ferry_analyzer_get_breaking_edges (analyzer)->len);
  g_assert_cmpuint (n_broken, >, 0);
  g_assert_cmpuint (n_idle, >, 0);
  assert_acyclic_and_minimal (analyzer);
}

/* ------------------------------------------------------------------ */
/* Scale                                                              */
/* ------------------------------------------------------------------ */

static void
check_random_graph (guint back_percent,
                    guint max_breaking)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  g_autoptr(GPtrArray) tables = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const guint n_tables = 10000;
  const guint n_fks = 20000;
  GPtrArray *breaking;
  guint largest_cycle = 0;
  gint64 started, elapsed;

  for (guint i = 0; i < n_tables; i++)
    {
      g_autofree char *name = g_strdup_printf ("t%05u", i);
      g_ptr_array_add (tables, add_table (catalog, name, g_rand_int_range (rand, 1, 1 << 30)));
    }

  /* "Forward" FKs (child after parent) except back_percent going back:
   * 5% makes cycles of every size in a mostly acyclic graph, 50% a
   * giant strongly connected component. */
  for (guint i = 0; i < n_fks; i++)
    {
      guint p = g_rand_int_range (rand, 0, n_tables);
      guint c = g_rand_int_range (rand, 0, n_tables);

      if (p == c)
        continue;
      if ((p > c) != ((guint) g_rand_int_range (rand, 0, 100) < back_percent))
        {
          guint tmp = p;
          p = c;
          c = tmp;
        }
      add_fk (catalog, g_ptr_array_index (tables, c), g_ptr_array_index (tables, p),
              g_rand_boolean (rand), g_rand_boolean (rand));
    }

  analyzer = ferry_analyzer_new (catalog);
  started = g_get_monotonic_time ();
  g_assert_true (ferry_analyzer_run (analyzer, &error));
  elapsed = g_get_monotonic_time () - started;
  g_assert_no_error (error);

  breaking = ferry_analyzer_get_breaking_edges (analyzer);
  for (guint i = 0; i < ferry_analyzer_get_cycles (analyzer)->len; i++)
    largest_cycle = MAX (largest_cycle,
                         ((GPtrArray *) g_ptr_array_index (ferry_analyzer_get_cycles (analyzer), i))->len);

  g_test_message ("%u tables, %u FKs (%u%% back): %u levels, %u cycles (largest %u), "
                  "%u breaking edges, analysed in %.1f ms",
                  n_tables, ferry_catalog_get_foreign_keys (catalog)->len, back_percent,
                  ferry_analyzer_get_n_levels (analyzer),
                  ferry_analyzer_get_cycles (analyzer)->len, largest_cycle,
                  breaking->len, elapsed / 1000.0);

  g_assert_cmpuint (ferry_analyzer_get_order (analyzer)->len, ==, n_tables);
  g_assert_cmpuint (ferry_analyzer_get_cycles (analyzer)->len, >, 0);
  g_assert_cmpuint (breaking->len, >, 0);
  g_assert_cmpuint (breaking->len, <=, max_breaking);
  assert_acyclic_and_minimal (analyzer);
}

static void
test_random_graph (void)
{
  /* Small compared with the FKs. */
  check_random_graph (5, 20000 / 50);
}

static void
test_random_graph_dense_cycles (void)
{
  /* Even with half the FKs pointing "back", a fraction of them. */
  check_random_graph (50, 20000 / 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/analyzer/chain", test_chain);
  g_test_add_func ("/analyzer/long-chain", test_long_chain);
  g_test_add_func ("/analyzer/diamond", test_diamond);
  g_test_add_func ("/analyzer/disconnected", test_disconnected);
  g_test_add_func ("/analyzer/self-loop", test_self_loop);
  g_test_add_func ("/analyzer/cycles/two", test_two_cycle);
  g_test_add_func ("/analyzer/cycles/three", test_three_cycle);
  g_test_add_func ("/analyzer/cycles/sharing-a-node", test_cycles_sharing_a_node);
  g_test_add_func ("/analyzer/cycles/complete-graph", test_complete_graph);
  g_test_add_func ("/analyzer/cycles/minimal", test_redundant_breaks_are_restored);
  g_test_add_func ("/analyzer/levels-and-order", test_levels_and_order);
  g_test_add_func ("/analyzer/is-ready", test_is_ready);
  g_test_add_func ("/analyzer/external-edges", test_external_edges);
  g_test_add_func ("/analyzer/partitions", test_partitions);
  g_test_add_func ("/analyzer/rerun", test_rerun);
  g_test_add_func ("/analyzer/preferred/honoured", test_preferred_honoured);
  g_test_add_func ("/analyzer/preferred/rest-broken-minimally", test_preferred_rest_broken_minimally);
  g_test_add_func ("/analyzer/preferred/not-in-cycle", test_preferred_not_in_cycle);
  g_test_add_func ("/analyzer/preferred/unknown", test_preferred_unknown);
  g_test_add_func ("/analyzer/preferred/names", test_preferred_names);
  g_test_add_func ("/analyzer/preferred/rerun", test_preferred_rerun);
  g_test_add_func ("/analyzer/preferred/random", test_preferred_random);
  g_test_add_func ("/analyzer/random-graph", test_random_graph);
  g_test_add_func ("/analyzer/random-graph-dense-cycles", test_random_graph_dense_cycles);

  return g_test_run ();
}
