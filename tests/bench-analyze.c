/* bench-analyze.c — how long analysing and planning a large database takes
 *
 * Builds a catalog of 10,000 tables and 20,000 foreign keys shaped like a
 * real schema (layers of reference data, entities and facts; a few cycles
 * and self-references; sizes from a heavy-tailed distribution) and times
 * ferry_analyzer_run() and ferry_plan_new(), separately and together;
 * then the analysis again with a preferred break (tables.break_cycles_at)
 * in every cycle, at a key Ferry would not have chosen.
 *
 * Usage: bench-analyze [TABLES [FKS [REPETITIONS]]]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "ferry-analyzer.h"
#include "ferry-catalog.h"
#include "ferry-config.h"
#include "ferry-plan.h"
#include "ferry-table-private.h"

#define N_LAYERS 12

static guint64
skewed_size (GRand *rand)
{
  /* Pareto with alpha 0.8 from 64 kB: most tables are small, a few
   * hold most of the data (capped at 2 TB). */
  double u = g_rand_double_range (rand, 1e-12, 1.0);
  double size = 65536.0 / pow (u, 1.0 / 0.8);

  return (guint64) MIN (size, 2.0 * 1024 * 1024 * 1024 * 1024);
}

/* The parent of a new FK of @child: mostly a table one or two layers
 * up; 1.5% of the time @child itself; 1% a descendant of @child, which
 * closes a cycle. NULL to try again. */
static FerryTable *
pick_parent (GRand       *rand,
             GPtrArray  **layers,
             FerryTable  *child,
             guint        child_layer)
{
  guint roll = g_rand_int_range (rand, 0, 1000);
  FerryTable *parent;

  if (roll < 15)
    return child;

  if (roll < 25)
    {
      guint steps = g_rand_int_range (rand, 1, 5);

      parent = child;
      for (guint s = 0; s < steps && parent->children->len > 0; s++)
        {
          FerryForeignKey *down = g_ptr_array_index (parent->children,
                                                     g_rand_int_range (rand, 0, parent->children->len));
          parent = down->child;
        }
    }
  else
    {
      guint up = g_rand_int_range (rand, 1, 3);
      GPtrArray *layer = layers[child_layer - MIN (child_layer, up)];

      if (layer->len == 0)
        return NULL;
      parent = g_ptr_array_index (layer, g_rand_int_range (rand, 0, layer->len));
    }

  return parent != child ? parent : NULL;
}

static FerryCatalog *
build_catalog (guint n_tables,
               guint n_fks)
{
  FerryCatalog *catalog = ferry_catalog_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  GPtrArray *layers[N_LAYERS];
  guint added = 0;

  for (guint l = 0; l < N_LAYERS; l++)
    layers[l] = g_ptr_array_new ();

  for (guint i = 0; i < n_tables; i++)
    {
      g_autofree char *schema = g_strdup_printf ("app%02u", i % 20);
      g_autofree char *name = g_strdup_printf ("table_%05u", i);
      guint64 size = skewed_size (rand);
      FerryTable *table;
      /* Few tables at the top, most in the middle layers. */
      guint layer = MIN ((guint) (fabs (g_rand_double (rand) + g_rand_double (rand)) * N_LAYERS / 2.0),
                         N_LAYERS - 1);

      table = ferry_catalog_add_table (catalog, schema, name, size, (gint64) (size / 120));
      ferry_catalog_add_column (catalog, table, "id", "bigint", TRUE);
      if (size > 64 * 1024 * 1024)
        {
          table->has_key_range = TRUE;
          table->key_min = 1;
          table->key_max = (gint64) (size / 120) + g_rand_int_range (rand, 0, 100000);
        }
      g_ptr_array_add (layers[layer], table);
    }

  while (added < n_fks)
    {
      guint child_layer = g_rand_int_range (rand, 1, N_LAYERS);
      g_autofree char *name = NULL;
      FerryTable *child, *parent;

      if (layers[child_layer]->len == 0)
        continue;
      child = g_ptr_array_index (layers[child_layer],
                                 g_rand_int_range (rand, 0, layers[child_layer]->len));
      parent = pick_parent (rand, layers, child, child_layer);
      if (parent == NULL)
        continue;

      name = g_strdup_printf ("%s_fk%u", child->name, added);
      ferry_catalog_add_foreign_key (catalog, name, child, parent,
                                     g_rand_int_range (rand, 0, 10) == 0,
                                     g_rand_boolean (rand));
      added++;
    }

  for (guint l = 0; l < N_LAYERS; l++)
    g_ptr_array_unref (layers[l]);

  return catalog;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        gint64     *samples,
        guint       n)
{
  qsort (samples, n, sizeof (gint64), compare_gint64);
  g_print ("  %-18s median %8.2f ms   min %8.2f ms   max %8.2f ms\n",
           what, samples[n / 2] / 1000.0, samples[0] / 1000.0, samples[n - 1] / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  guint n_tables = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  guint n_fks = argc > 2 ? (guint) atoi (argv[2]) : 20000;
  guint reps = argc > 3 ? (guint) atoi (argv[3]) : 9;
  g_autoptr(FerryCatalog) catalog = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new ();
  g_autofree gint64 *analyze_us = NULL;
  g_autofree gint64 *plan_us = NULL;
  g_autofree gint64 *total_us = NULL;
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autoptr(FerryPlan) plan = NULL;
  gint64 started;
  guint largest_cycle = 0;
  GPtrArray *cycles;

  if (n_tables < N_LAYERS || reps == 0)
    {
      g_printerr ("usage: %s [TABLES (>= %u) [FKS [REPETITIONS (>= 1)]]]\n", argv[0], N_LAYERS);
      return 2;
    }

  analyze_us = g_new (gint64, reps);
  plan_us = g_new (gint64, reps);
  total_us = g_new (gint64, reps);

  started = g_get_monotonic_time ();
  catalog = build_catalog (n_tables, n_fks);
  g_print ("Catalog: %u tables, %u foreign keys, %.1f GB (built in %.0f ms)\n",
           ferry_catalog_get_tables (catalog)->len,
           ferry_catalog_get_foreign_keys (catalog)->len,
           ferry_catalog_get_total_bytes (catalog) / 1e9,
           (g_get_monotonic_time () - started) / 1000.0);
  g_print ("Chunk size %.0f MB, batch size %u, %u repetitions\n",
           ferry_config_get_chunk_size (config) / 1048576.0,
           ferry_config_get_batch_size (config), reps);

  for (guint r = 0; r < reps; r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t0, t1, t2;

      g_clear_object (&plan);
      g_clear_object (&analyzer);

      t0 = g_get_monotonic_time ();
      analyzer = ferry_analyzer_new (catalog);
      if (!ferry_analyzer_run (analyzer, &error))
        g_error ("analysis failed: %s", error->message);
      t1 = g_get_monotonic_time ();
      plan = ferry_plan_new (analyzer, config, &error);
      if (plan == NULL)
        g_error ("planning failed: %s", error->message);
      t2 = g_get_monotonic_time ();

      analyze_us[r] = t1 - t0;
      plan_us[r] = t2 - t1;
      total_us[r] = t2 - t0;
    }

  cycles = ferry_analyzer_get_cycles (analyzer);
  for (guint i = 0; i < cycles->len; i++)
    largest_cycle = MAX (largest_cycle, ((GPtrArray *) g_ptr_array_index (cycles, i))->len);

  g_print ("Results:\n");
  g_print ("  units %u, levels %u, cycles %u (largest %u tables), breaking edges %u,\n"
           "  self-references %u, batches %u, chunks %u\n",
           ferry_plan_get_n_tables (plan),
           ferry_analyzer_get_n_levels (analyzer),
           cycles->len, largest_cycle,
           ferry_analyzer_get_breaking_edges (analyzer)->len,
           ferry_analyzer_get_self_references (analyzer)->len,
           ferry_plan_get_batches (plan)->len,
           ferry_plan_get_chunks (plan)->len);
  g_print ("Timings:\n");
  report ("analyze", analyze_us, reps);
  report ("plan (+validate)", plan_us, reps);
  report ("analyze + plan", total_us, reps);

  /* Preferred breaks: in each cycle, a key the analysis kept. */
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) names = NULL;
    g_autoptr(FerryAnalyzer) preferring = ferry_analyzer_new (catalog);
    g_autoptr(GError) error = NULL;
    g_autofree gint64 *preferred_us = g_new (gint64, reps);
    guint n_names;
    guint n_preferred = 0;

    for (guint i = 0; i < cycles->len; i++)
      {
        g_autoptr(GPtrArray) fks = ferry_analyzer_dup_cycle_foreign_keys (analyzer, i);

        for (guint k = 0; k < fks->len; k++)
          if (!ferry_analyzer_is_breaking_edge (analyzer, g_ptr_array_index (fks, k)))
            {
              g_autofree char *path = ferry_foreign_key_dup_path (g_ptr_array_index (fks, k));

              g_strv_builder_add (builder, path);
              break;
            }
      }
    names = g_strv_builder_end (builder);
    n_names = g_strv_length (names);
    ferry_analyzer_set_preferred_breaks (preferring, (const char * const *) names);

    for (guint r = 0; r < reps; r++)
      {
        gint64 t0 = g_get_monotonic_time ();

        if (!ferry_analyzer_run (preferring, &error))
          g_error ("analysis with preferred breaks failed: %s", error->message);
        preferred_us[r] = g_get_monotonic_time () - t0;
      }

    for (guint i = 0; i < ferry_analyzer_get_breaking_edges (preferring)->len; i++)
      n_preferred += ferry_analyzer_is_preferred_break (preferring,
                                                        g_ptr_array_index (ferry_analyzer_get_breaking_edges (preferring), i));
    g_print ("With %u preferred breaks: breaking edges %u (%u preferred)\n", n_names,
             ferry_analyzer_get_breaking_edges (preferring)->len, n_preferred);
    report ("analyze, preferred", preferred_us, reps);
  }

  return 0;
}
