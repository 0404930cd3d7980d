/* bench-graph-view.c — how fast the dependency graph lays out and draws
 *
 * Builds a catalog of 2,000 tables and 4,000 foreign keys shaped like a
 * real schema (layers of reference data, entities and facts; a few cycles
 * and self-references), plans it, and measures:
 *
 *  - layout: ferry_graph_view_set_plan() from the plan to a laid-out view
 *    (extracting the graph, ordering, placing, routing, tiling the edges),
 *    and the layout algorithm alone;
 *  - frames: the view in a 1280×800 window, its snapshot() turned into a
 *    render node and the node drawn by GSK's cairo renderer (what
 *    GSK_RENDERER=cairo does for each frame), at several zoom levels:
 *    the first frame (render nodes built, edge tiles not there yet), the
 *    following ones (cached), while panning (the main loop runs between
 *    frames, so edge tiles arrive from the worker thread as they would),
 *    while zooming (4 % a frame, out, in and out: the tiles and card
 *    images of other zooms stand in), once the zoom rests until the
 *    cards and edges of the new zoom are all there (settling), after
 *    status changes, while hovering;
 *  - the background work: rasterising the edge tiles of a screen.
 *
 * Each frame is drawn into the same 1280×800 image surface, cleared
 * first: what the cairo renderer does with the buffers of a Wayland
 * surface, which are reused from frame to frame. --fresh-texture renders
 * every frame into a new texture instead (gsk_renderer_render_texture):
 * that also measures malloc handing the 4 MB of each frame back to the
 * system and faulting them in again, which no window does. With another
 * renderer (GSK_RENDERER=gl, …) frames are always rendered to textures.
 *
 * It prints figures; it does not pass or fail. Run it under Xvfb:
 *   GSK_RENDERER=cairo xvfb-run -a -s "-screen 0 1600x1000x24" tests/bench-graph-view
 *
 * The cards of the tables are drawn from images of them at the zoom of
 * the view, made when they first show at that zoom; while the zoom
 * moves, images of another zoom stand in, scaled, and once it rests the
 * images of the new zoom are made over the next frames. --vector-cards
 * draws every card from its render node in every frame instead (the
 * old way).
 *
 * Usage: bench-graph-view [TABLES [FKS [FRAMES]]] [--png FILE] [--fresh-texture] [--vector-cards]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gtk/gtk.h>

#include "ferry-catalog.h"
#include "ferry-config.h"
#include "ferry-graph-view-private.h"
#include "ferry-plan.h"

#define N_LAYERS 10
#define WIDTH    1280
#define HEIGHT    800

static guint64
skewed_size (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-12, 1.0);

  return (guint64) MIN (65536.0 / pow (u, 1.0 / 0.8), 2.0 * 1024 * 1024 * 1024 * 1024);
}

/* Mostly a table one or two layers up; 1.5% of the time the child itself
 * (a self-reference); 1% a descendant, which closes a cycle. */
static FerryTable *
pick_parent (GRand      *rand,
             GPtrArray **layers,
             FerryTable *child,
             guint       child_layer)
{
  guint roll = g_rand_int_range (rand, 0, 1000);
  FerryTable *parent;

  if (roll < 15)
    return child;

  if (roll < 25)
    {
      guint steps = g_rand_int_range (rand, 1, 4);

      parent = child;
      for (guint s = 0; s < steps; s++)
        {
          GPtrArray *children = ferry_table_get_children (parent);
          FerryForeignKey *down;

          if (children == NULL || children->len == 0)
            break;
          down = g_ptr_array_index (children, g_rand_int_range (rand, 0, children->len));
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
      guint layer = MIN ((guint) (fabs (g_rand_double (rand) + g_rand_double (rand)) * N_LAYERS / 2.0),
                         N_LAYERS - 1);
      FerryTable *table = ferry_catalog_add_table (catalog, schema, name, size, (gint64) (size / 120));

      ferry_catalog_add_column (catalog, table, "id", "bigint", TRUE);
      g_ptr_array_add (layers[layer], table);
    }

  while (added < n_fks)
    {
      guint child_layer = g_rand_int_range (rand, 1, N_LAYERS);
      g_autofree char *name = NULL;
      FerryTable *child, *parent;

      if (layers[child_layer]->len == 0)
        continue;
      child = g_ptr_array_index (layers[child_layer], g_rand_int_range (rand, 0, layers[child_layer]->len));
      parent = pick_parent (rand, layers, child, child_layer);
      if (parent == NULL)
        continue;

      name = g_strdup_printf ("%s_fk%u", ferry_table_get_name (child), added);
      ferry_catalog_add_foreign_key (catalog, name, child, parent,
                                     g_rand_int_range (rand, 0, 10) == 0, g_rand_boolean (rand));
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
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct {
  gint64 *snapshot;
  gint64 *render;
  gint64 *total;
  gint64 *cpu;      /* of this thread: what the frame cost, whatever the load */
  guint   n;
} Samples;

static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
samples_init (Samples *s,
              guint    n)
{
  s->snapshot = g_new0 (gint64, n);
  s->render = g_new0 (gint64, n);
  s->total = g_new0 (gint64, n);
  s->cpu = g_new0 (gint64, n);
  s->n = 0;
}

static void
samples_clear (Samples *s)
{
  g_free (s->snapshot);
  g_free (s->render);
  g_free (s->total);
  g_free (s->cpu);
}

static double
percentile (gint64 *values,
            guint   n,
            double  p)
{
  g_autofree gint64 *copy = g_memdup2 (values, sizeof (gint64) * n);

  qsort (copy, n, sizeof (gint64), compare_gint64);
  return copy[MIN (n - 1, (guint) (p * n))] / 1000.0;
}

static GskRenderer *renderer;
static GskRenderNode *last_node;
static cairo_surface_t *target;   /* NULL: a new texture each frame */

/* One frame: what GTK does for the widget on each redraw. */
static void
frame (GtkWidget *view,
       Samples   *s)
{
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GdkTexture *texture;
  gint64 t0, t1, t2, c0;

  c0 = thread_cpu_usec ();
  t0 = g_get_monotonic_time ();
  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (view)->snapshot (view, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  t1 = g_get_monotonic_time ();
  if (target != NULL)
    {
      cairo_t *cr = cairo_create (target);

      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_paint (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
      gsk_render_node_draw (node, cr);
      cairo_destroy (cr);
      cairo_surface_flush (target);
      texture = NULL;
    }
  else
    texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  t2 = g_get_monotonic_time ();

  g_clear_object (&texture);
  g_clear_pointer (&last_node, gsk_render_node_unref);
  last_node = node;

  if (s != NULL)
    {
      s->snapshot[s->n] = t1 - t0;
      s->render[s->n] = t2 - t1;
      s->total[s->n] = t2 - t0;
      s->cpu[s->n] = thread_cpu_usec () - c0;
      s->n++;
    }
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
print_row (const char *what,
           double      zoom,
           Samples    *s)
{
  g_print ("  %-9s %6.1f%%  %8.2f %8.2f %8.2f   %8.2f %8.2f   %8.2f %8.2f\n",
           what, zoom * 100,
           percentile (s->snapshot, s->n, 0.5),
           percentile (s->render, s->n, 0.5),
           percentile (s->total, s->n, 0.5),
           percentile (s->total, s->n, 0.95),
           percentile (s->total, s->n, 1.0),
           percentile (s->cpu, s->n, 0.5),
           percentile (s->cpu, s->n, 0.95));
}

static void
wait_for (gboolean (*done) (GtkWidget *), GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!done (widget) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
allocated (GtkWidget *widget)
{
  return gtk_widget_get_width (widget) > 0 && gtk_widget_get_mapped (widget);
}

int
main (int   argc,
      char *argv[])
{
  guint n_tables = 2000, n_fks = 4000, n_frames = 60;
  const char *png = NULL;
  gboolean fresh_texture = FALSE;
  gboolean vector_cards = FALSE;
  g_autoptr(FerryCatalog) catalog = NULL;
  g_autoptr(FerryConfig) config = ferry_config_new ();
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autoptr(FerryPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  FerryGraphLayout *layout;
  GtkWidget *window, *view;
  GPtrArray *order;
  guint positional = 0;
  gint64 started;
  const double all_zooms[] = { 0, 0.1, 0.25, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0 };
  /* BENCH_ZOOM=0.5 measures one zoom only (for profiling). */
  const char *only = g_getenv ("BENCH_ZOOM");
  double one_zoom[1] = { only ? g_ascii_strtod (only, NULL) : 0 };
  const double *zooms = only ? one_zoom : all_zooms;
  const guint n_zooms = only ? 1 : G_N_ELEMENTS (all_zooms);
  const guint reps = 9;
  gint64 tile_usec[G_N_ELEMENTS (all_zooms)];
  gint64 settle_cards[G_N_ELEMENTS (all_zooms)], settle_edges[G_N_ELEMENTS (all_zooms)];
  guint tile_count[G_N_ELEMENTS (all_zooms)];
  gint64 set_plan_us[9], layout_us[9], set_plan_cpu[9];

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--png") && i + 1 < argc)
        png = argv[++i];
      else if (g_str_equal (argv[i], "--fresh-texture"))
        fresh_texture = TRUE;
      else if (g_str_equal (argv[i], "--vector-cards"))
        vector_cards = TRUE;
      else if (positional == 0)
        n_tables = (guint) atoi (argv[i]), positional++;
      else if (positional == 1)
        n_fks = (guint) atoi (argv[i]), positional++;
      else
        n_frames = (guint) atoi (argv[i]);
    }
  if (n_tables < N_LAYERS || n_frames == 0)
    {
      g_printerr ("usage: %s [TABLES (>= %u) [FKS [FRAMES]]] [--png FILE] [--fresh-texture] [--vector-cards]\n", argv[0], N_LAYERS);
      return 2;
    }

  gtk_init ();

  started = g_get_monotonic_time ();
  catalog = build_catalog (n_tables, n_fks);
  analyzer = ferry_analyzer_new (catalog);
  if (!ferry_analyzer_run (analyzer, &error))
    g_error ("analysis failed: %s", error->message);
  plan = ferry_plan_new (analyzer, config, &error);
  if (plan == NULL)
    g_error ("planning failed: %s", error->message);
  order = ferry_analyzer_get_order (analyzer);

  g_print ("Catalog: %u tables, %u foreign keys; %u units, %u levels, %u cycles, "
           "%u breaking FKs, %u self-references (built, analysed, planned in %.0f ms)\n",
           ferry_catalog_get_tables (catalog)->len,
           ferry_catalog_get_foreign_keys (catalog)->len,
           order->len, ferry_analyzer_get_n_levels (analyzer),
           ferry_analyzer_get_cycles (analyzer)->len,
           ferry_analyzer_get_breaking_edges (analyzer)->len,
           ferry_analyzer_get_self_references (analyzer)->len,
           (g_get_monotonic_time () - started) / 1000.0);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  view = ferry_graph_view_new ();
  ferry_graph_view_set_async_threshold (FERRY_GRAPH_VIEW (view), G_MAXUINT);
  ferry_graph_view_set_card_images (FERRY_GRAPH_VIEW (view), !vector_cards);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (allocated, view);
  if (gtk_widget_get_width (view) != WIDTH || gtk_widget_get_height (view) != HEIGHT)
    g_print ("(the window is %d×%d, frames are rendered at %d×%d)\n",
             gtk_widget_get_width (view), gtk_widget_get_height (view), WIDTH, HEIGHT);

  /* Layout */
  for (guint r = 0; r < reps; r++)
    {
      gint64 t0;

      gint64 c0;

      ferry_graph_view_set_plan (FERRY_GRAPH_VIEW (view), NULL);
      c0 = thread_cpu_usec ();
      t0 = g_get_monotonic_time ();
      ferry_graph_view_set_plan (FERRY_GRAPH_VIEW (view), plan);
      set_plan_us[r] = g_get_monotonic_time () - t0;
      set_plan_cpu[r] = thread_cpu_usec () - c0;
      layout_us[r] = ferry_graph_view_get_layout (FERRY_GRAPH_VIEW (view))->elapsed_usec;
    }
  layout = ferry_graph_view_get_layout (FERRY_GRAPH_VIEW (view));

  g_print ("Layout: %u nodes, %u edges, %u dummies, %u segments; %u crossings after %u sweeps;\n"
           "        graph %.0f × %.0f units\n",
           layout->n_nodes, layout->n_edges, layout->n_dummies, layout->segments->len,
           layout->n_crossings, layout->n_sweeps,
           layout->bounds.size.width, layout->bounds.size.height);
  {
    g_autoptr(GString) sizes = g_string_new (NULL);
    g_autofree guint *degree = g_new0 (guint, layout->n_nodes);
    guint isolated = 0;

    for (guint e = 0; e < layout->n_edges; e++)
      if (layout->edges[e].parent != layout->edges[e].child)
        degree[layout->edges[e].parent]++, degree[layout->edges[e].child]++;
    for (guint v = 0; v < layout->n_nodes; v++)
      isolated += degree[v] == 0;
    for (guint l = 0; l < layout->n_columns; l++)
      g_string_append_printf (sizes, " %u", layout->column_start[l + 1] - layout->column_start[l]);
    g_print ("        %u columns, tables per column:%s; %u without foreign keys\n",
             layout->n_columns, sizes->str, isolated);
  }
  g_print ("  %-30s median %7.2f ms   min %7.2f ms   max %7.2f ms\n", "layout algorithm",
           percentile (layout_us, reps, 0.5), percentile (layout_us, reps, 0), percentile (layout_us, reps, 1));
  g_print ("  %-30s layers %.1f, order %.1f, place %.1f, geometry %.1f ms (last run)\n", "phases",
           layout->phase_usec[0] / 1000.0, layout->phase_usec[1] / 1000.0,
           layout->phase_usec[2] / 1000.0, layout->phase_usec[3] / 1000.0);
  g_print ("  %-30s median %7.2f ms   min %7.2f ms   max %7.2f ms\n", "set_plan (model + layout + tiles)",
           percentile (set_plan_us, reps, 0.5), percentile (set_plan_us, reps, 0), percentile (set_plan_us, reps, 1));
  g_print ("  %-30s median %7.2f ms   min %7.2f ms   max %7.2f ms\n", "set_plan, CPU time",
           percentile (set_plan_cpu, reps, 0.5), percentile (set_plan_cpu, reps, 0), percentile (set_plan_cpu, reps, 1));

  /* Frames */
  /* GSK_RENDERER=cairo (as the benchmark is registered) or another. */
  renderer = gsk_renderer_new_for_surface (gtk_native_get_surface (GTK_NATIVE (window)));
  if (renderer == NULL)
    g_error ("no renderer");
  if (GSK_IS_CAIRO_RENDERER (renderer) && !fresh_texture)
    target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);

  /* The very first frame at 100%, before the text was made ahead. */
  {
    Samples cold;

    samples_init (&cold, 1);
    ferry_graph_view_set_plan (FERRY_GRAPH_VIEW (view), NULL);
    ferry_graph_view_set_plan (FERRY_GRAPH_VIEW (view), plan);
    ferry_graph_view_set_zoom (FERRY_GRAPH_VIEW (view), 1.0);
    ferry_graph_view_set_center (FERRY_GRAPH_VIEW (view),
                                 layout->bounds.size.width / 2, layout->bounds.size.height / 2);
    layout = ferry_graph_view_get_layout (FERRY_GRAPH_VIEW (view));
    frame (view, &cold);
    g_print ("First frame at 100%% right after set_plan (text not made ahead yet): %.2f ms\n",
             cold.total[0] / 1000.0);
    samples_clear (&cold);
    started = g_get_monotonic_time ();
    ferry_graph_view_flush (FERRY_GRAPH_VIEW (view));
    g_print ("Text made ahead in idle time and the first screen's edge tiles: %.0f ms of background work\n",
             (g_get_monotonic_time () - started) / 1000.0);
  }

  g_print ("Frames, %d×%d, %s, %s, ms (%u frames each):\n", WIDTH, HEIGHT, G_OBJECT_TYPE_NAME (renderer),
           target != NULL ? "into one reused surface" : "each into a new texture", n_frames);
  g_print ("  %-9s %7s  %8s %8s %8s   %8s %8s   %8s %8s\n", "", "zoom", "snapshot", "render",
           "median", "p95", "max", "cpu med", "cpu p95");

  for (guint z = 0; z < n_zooms; z++)
    {
      double zoom;
      Samples first, warm, pan, zooming, settling, status, hover;
      double cx, cy;

      ferry_graph_view_zoom_fit (FERRY_GRAPH_VIEW (view));
      if (zooms[z] > 0)
        ferry_graph_view_set_zoom (FERRY_GRAPH_VIEW (view), zooms[z]);
      zoom = ferry_graph_view_get_zoom (FERRY_GRAPH_VIEW (view));
      /* Somewhere busy: the middle of the graph. */
      ferry_graph_view_set_center (FERRY_GRAPH_VIEW (view),
                                   layout->bounds.size.width / 2, layout->bounds.size.height / 2);
      ferry_graph_view_get_center (FERRY_GRAPH_VIEW (view), &cx, &cy);

      samples_init (&first, 1);
      samples_init (&warm, n_frames);
      samples_init (&pan, n_frames);
      samples_init (&zooming, n_frames);
      samples_init (&settling, n_frames);
      samples_init (&status, n_frames);
      samples_init (&hover, n_frames);

      {
        FerryGraphTiles *tiles = ferry_graph_view_get_tiles (FERRY_GRAPH_VIEW (view));
        gint64 usec = ferry_graph_tiles_get_render_usec (tiles);
        guint rendered = ferry_graph_tiles_get_n_rendered (tiles);

        frame (view, &first);
        ferry_graph_view_flush (FERRY_GRAPH_VIEW (view));
        tile_usec[z] = ferry_graph_tiles_get_render_usec (tiles) - usec;
        tile_count[z] = ferry_graph_tiles_get_n_rendered (tiles) - rendered;
      }
      for (guint f = 0; f < n_frames; f++)
        frame (view, &warm);

      /* Panning: 40 px a frame, on a zigzag that reaches new tables. */
      for (guint f = 0; f < n_frames; f++)
        {
          double step = 40.0 / zoom;

          ferry_graph_view_set_center (FERRY_GRAPH_VIEW (view),
                                       cx + step * (f % 20), cy + step * 0.6 * f);
          iterate ();
          frame (view, &pan);
        }
      ferry_graph_view_set_center (FERRY_GRAPH_VIEW (view), cx, cy);

      /* Zooming: 4 % a frame around the middle, as Ctrl+scroll does: out
       * for a quarter of the frames, in for half, out again; the tiles
       * of other zooms stand in, shrunk and enlarged. */
      for (guint f = 0; f < n_frames; f++)
        {
          double z_now = ferry_graph_view_get_zoom (FERRY_GRAPH_VIEW (view));
          gboolean in = f >= n_frames / 4 && f < n_frames * 3 / 4;

          ferry_graph_view_set_zoom (FERRY_GRAPH_VIEW (view), in ? z_now * 1.04 : z_now / 1.04);
          iterate ();
          frame (view, &zooming);
        }

      /* The gesture ends: frames every 8 ms, as long as there is
       * something to finish, until the cards are drawn from images of
       * this zoom and the edges from its tiles, in full. */
      {
        gint64 rest = g_get_monotonic_time ();

        settle_cards[z] = settle_edges[z] = -1;
        while (settling.n < n_frames && (settle_cards[z] < 0 || settle_edges[z] < 0) &&
               g_get_monotonic_time () - rest < 10 * G_USEC_PER_SEC)
          {
            gint64 next = g_get_monotonic_time () + 8000;

            while (g_get_monotonic_time () < next)
              {
                iterate ();
                g_usleep (500);
              }
            frame (view, &settling);
            if (settle_cards[z] < 0 && ferry_graph_view_get_n_stand_ins (FERRY_GRAPH_VIEW (view)) == 0)
              settle_cards[z] = g_get_monotonic_time () - rest;
            if (settle_edges[z] < 0 && ferry_graph_view_is_settled (FERRY_GRAPH_VIEW (view)))
              settle_edges[z] = g_get_monotonic_time () - rest;
          }
      }
      ferry_graph_view_set_zoom (FERRY_GRAPH_VIEW (view), zoom);
      ferry_graph_view_set_center (FERRY_GRAPH_VIEW (view), cx, cy);
      ferry_graph_view_flush (FERRY_GRAPH_VIEW (view));

      /* Status changes: 20 tables a frame, as during a busy run. */
      for (guint f = 0; f < n_frames; f++)
        {
          for (guint k = 0; k < 20; k++)
            {
              FerryTable *table = g_ptr_array_index (order, g_rand_int_range (rand, 0, order->len));

              ferry_table_set_status (table, g_rand_int_range (rand, 0, FERRY_TABLE_STATUS_EXCLUDED));
            }
          frame (view, &status);
        }

      /* Hovering the table nearest the middle: the rest dimmed. */
      {
        guint nearest = 0;
        double best = G_MAXDOUBLE;

        for (guint v = 0; v < layout->n_nodes; v++)
          {
            graphene_point_t c;
            double d;

            graphene_rect_get_center (&layout->rects[v], &c);
            d = hypot (c.x - cx, c.y - cy);
            if (d < best)
              best = d, nearest = v;
          }
        ferry_graph_view_set_hover (FERRY_GRAPH_VIEW (view),
                                    ferry_graph_view_get_node_table (FERRY_GRAPH_VIEW (view), nearest));
        for (guint f = 0; f < n_frames; f++)
          frame (view, &hover);
        ferry_graph_view_set_hover (FERRY_GRAPH_VIEW (view), NULL);
      }

      print_row ("first", zoom, &first);
      print_row ("cached", zoom, &warm);
      print_row ("panning", zoom, &pan);
      print_row ("zooming", zoom, &zooming);
      if (settling.n > 0)
        print_row ("settling", zoom, &settling);
      print_row ("status", zoom, &status);
      print_row ("hovering", zoom, &hover);

      samples_clear (&first);
      samples_clear (&warm);
      samples_clear (&pan);
      samples_clear (&zooming);
      samples_clear (&settling);
      samples_clear (&status);
      samples_clear (&hover);
    }

  g_print ("Edge tiles (256×256) rasterised in the worker to fill a screen, after the first frame:\n");
  for (guint z = 0; z < n_zooms; z++)
    {
      g_autofree char *label = zooms[z] > 0 ? g_strdup_printf ("%.0f%%", zooms[z] * 100) : g_strdup ("fit");

      g_print ("  %s: %u tiles, %.1f ms%s", label, tile_count[z], tile_usec[z] / 1000.0,
               z + 1 < n_zooms ? ";" : "\n");
    }
  g_print ("After the zoom gesture, the frames every 8 ms (settling) until the cards are drawn from\n"
           "images at the new zoom / the edges from its tiles in full, ms (-1: not within the frames):\n");
  for (guint z = 0; z < n_zooms; z++)
    {
      g_autofree char *label = zooms[z] > 0 ? g_strdup_printf ("%.0f%%", zooms[z] * 100) : g_strdup ("fit");

      g_print ("  %s: %.0f / %.0f%s", label,
               settle_cards[z] < 0 ? -1 : settle_cards[z] / 1000.0,
               settle_edges[z] < 0 ? -1 : settle_edges[z] / 1000.0,
               z + 1 < n_zooms ? ";" : "\n");
    }
  g_print ("Render nodes built in all: %u; tables cached now: %u of %u\n",
           ferry_graph_view_get_n_renders (FERRY_GRAPH_VIEW (view)),
           ferry_graph_view_get_n_cached_nodes (FERRY_GRAPH_VIEW (view)), order->len);

  if (png != NULL)
    {
      GdkTexture *texture;

      /* BENCH_PNG_ZOOM=0.6: the middle of the graph at that zoom. */
      ferry_graph_view_zoom_fit (FERRY_GRAPH_VIEW (view));
      if (g_getenv ("BENCH_PNG_ZOOM") != NULL)
        {
          ferry_graph_view_set_zoom (FERRY_GRAPH_VIEW (view), g_ascii_strtod (g_getenv ("BENCH_PNG_ZOOM"), NULL));
          ferry_graph_view_set_center (FERRY_GRAPH_VIEW (view),
                                       layout->bounds.size.width / 2, layout->bounds.size.height / 2);
        }
      frame (view, NULL);
      ferry_graph_view_flush (FERRY_GRAPH_VIEW (view));
      frame (view, NULL);
      texture = gsk_renderer_render_texture (renderer, last_node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
      gdk_texture_save_to_png (texture, png);
      g_object_unref (texture);
      g_print ("Wrote %s\n", png);
    }

  g_clear_pointer (&last_node, gsk_render_node_unref);
  g_clear_pointer (&target, cairo_surface_destroy);
  gsk_renderer_unrealize (renderer);
  g_object_unref (renderer);
  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
