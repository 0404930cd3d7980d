/* test-graph-view.c — the dependency graph of the sample database
 *
 * One throwaway cluster with the bundled sample (scale 1); the validator
 * prepares the plan as the app does, and a real FerryGraphView in a real
 * window (under Xvfb, drawn by GSK's cairo renderer) lays it out. The
 * geometry is checked from the layout the view draws; frames are its
 * snapshot rendered to a texture. Screenshots go to $FERRY_SCREENSHOT_DIR
 * (the test build directory by default): graph-view-*.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "ferry-catalog.h"
#include "ferry-config.h"
#include "ferry-graph-view-private.h"
#include "ferry-plan.h"
#include "ferry-validator.h"
#include "ferry-test-cluster.h"

#define WIDTH  1280
#define HEIGHT  800

static FerryTestCluster *cluster;
static FerryValidator *validator;
static FerryPlan *plan;
static FerryAnalyzer *analyzer;
static GtkWidget *window;
static FerryGraphView *view;
static GskRenderer *renderer;

/* Helpers */

static FerryTable *
table (const char *display_name)
{
  FerryTable *t = ferry_catalog_find (ferry_analyzer_get_catalog (analyzer), display_name);

  g_assert_nonnull (t);
  return t;
}

/* A frame of the view with what it has now. */
static GdkTexture *
render_now (void)
{
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GdkTexture *texture;

  snapshot = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (view)->snapshot (GTK_WIDGET (view), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  gsk_render_node_unref (node);

  return texture;
}

/* A frame of the view, as GTK would draw it once the edge tiles of the
 * view have arrived from the worker. */
static GdkTexture *
render (void)
{
  ferry_graph_view_flush (view);
  return render_now ();
}

static void
screenshot (const char *name)
{
  g_autoptr(GdkTexture) texture = render ();
  const char *dir = g_getenv ("FERRY_SCREENSHOT_DIR");
  g_autofree char *file = g_strdup_printf ("graph-view-%s.png", name);
  g_autofree char *path = g_build_filename (dir ? dir : g_test_get_dir (G_TEST_BUILT), file, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* The pixels of @area (view coordinates) of a frame. */
static GBytes *
pixels (GdkTexture            *texture,
        const graphene_rect_t *area)
{
  gsize stride = (gsize) WIDTH * 4;
  g_autofree guchar *data = g_malloc (stride * HEIGHT);
  GByteArray *out = g_byte_array_new ();
  int x0 = CLAMP ((int) area->origin.x, 0, WIDTH);
  int x1 = CLAMP ((int) (area->origin.x + area->size.width), 0, WIDTH);
  int y0 = CLAMP ((int) area->origin.y, 0, HEIGHT);
  int y1 = CLAMP ((int) (area->origin.y + area->size.height), 0, HEIGHT);

  gdk_texture_download (texture, data, stride);
  for (int y = y0; y < y1; y++)
    g_byte_array_append (out, data + y * stride + x0 * 4, (guint) (x1 - x0) * 4);

  return g_byte_array_free_to_bytes (out);
}

/* Where @node is on screen. */
static graphene_rect_t
node_on_screen (int node)
{
  FerryGraphLayout *layout = ferry_graph_view_get_layout (view);
  graphene_rect_t area, r = layout->rects[node];
  double zoom = ferry_graph_view_get_zoom (view);

  ferry_graph_view_get_visible_area (view, &area);
  return GRAPHENE_RECT_INIT ((float) ((r.origin.x - area.origin.x) * zoom),
                             (float) ((r.origin.y - area.origin.y) * zoom),
                             (float) (r.size.width * zoom),
                             (float) (r.size.height * zoom));
}

static void
reset_statuses (void)
{
  GPtrArray *order = ferry_analyzer_get_order (analyzer);

  for (guint i = 0; i < order->len; i++)
    {
      ferry_table_set_status (g_ptr_array_index (order, i), FERRY_TABLE_STATUS_PENDING);
      ferry_table_set_progress (g_ptr_array_index (order, i), 0, 0);
    }
}

static gboolean
on_rect_edge (const graphene_rect_t  *r,
              const graphene_point_t *p)
{
  const float eps = 1.0f;
  float x0 = r->origin.x, x1 = r->origin.x + r->size.width;
  float y0 = r->origin.y, y1 = r->origin.y + r->size.height;
  gboolean within_x = p->x >= x0 - eps && p->x <= x1 + eps;
  gboolean within_y = p->y >= y0 - eps && p->y <= y1 + eps;

  return (within_y && (fabsf (p->x - x0) <= eps || fabsf (p->x - x1) <= eps)) ||
         (within_x && (fabsf (p->y - y0) <= eps || fabsf (p->y - y1) <= eps));
}

/* The layout on its own */

static FerryGraphLayout *
run_layout (guint                      n_nodes,
            const int                 *levels,
            guint                      n_edges,
            const FerryGraphEdgeInput *edges)
{
  FerryGraphLayout *layout = ferry_graph_layout_new (n_nodes, levels, n_edges, edges);

  ferry_graph_layout_run (layout);
  return layout;
}

static void
assert_no_overlap (FerryGraphLayout *layout)
{
  for (guint a = 0; a < layout->n_nodes; a++)
    {
      g_assert_true (graphene_rect_contains_rect (&layout->bounds, &layout->rects[a]));
      for (guint b = a + 1; b < layout->n_nodes; b++)
        g_assert_false (graphene_rect_intersection (&layout->rects[a], &layout->rects[b], NULL));
    }
}

static void
assert_segments_join (FerryGraphLayout *layout)
{
  for (guint e = 0; e < layout->n_edges; e++)
    {
      const FerryGraphEdge *edge = &layout->edges[e];

      g_assert_cmpuint (edge->n_segments, >, 0);
      for (guint s = edge->first_segment; s + 1 < edge->first_segment + edge->n_segments; s++)
        g_assert_true (graphene_point_near (&g_array_index (layout->segments, FerryGraphSegment, s).p[3],
                                            &g_array_index (layout->segments, FerryGraphSegment, s + 1).p[0],
                                            0.01f));
    }
}

static void
test_layout_empty (void)
{
  g_autoptr(FerryGraphLayout) layout = run_layout (0, NULL, 0, NULL);
  g_autoptr(GArray) found = NULL;

  g_assert_cmpuint (layout->n_columns, ==, 0);
  g_assert_cmpuint (layout->segments->len, ==, 0);
  g_assert_cmpint (ferry_graph_layout_hit (layout, 10, 10), ==, -1);
  found = ferry_graph_layout_query (layout, &GRAPHENE_RECT_INIT (0, 0, 1000, 1000));
  g_assert_cmpuint (found->len, ==, 0);
}

/* Every kind of edge: kept, backward and flat breaking edges, a loop; a
 * table without edges. */
static void
test_layout_kinds (void)
{
  /*        0  1  2  3  4 */
  int levels[] = { 0, 1, 2, 1, 0 };
  FerryGraphEdgeInput edges[] = {
    { 0, 1, FALSE },   /* kept */
    { 1, 2, FALSE },   /* kept */
    { 0, 2, FALSE },   /* kept, over a level: a dummy */
    { 2, 0, TRUE },    /* breaking, backward over two levels */
    { 3, 1, TRUE },    /* breaking, within a level */
    { 1, 1, FALSE },   /* a self-reference */
    { 0, 3, FALSE },   /* kept */
  };
  g_autoptr(FerryGraphLayout) layout = run_layout (5, levels, G_N_ELEMENTS (edges), edges);
  const FerryGraphEdgeKind kinds[] = {
    FERRY_GRAPH_EDGE_FORWARD, FERRY_GRAPH_EDGE_FORWARD, FERRY_GRAPH_EDGE_FORWARD,
    FERRY_GRAPH_EDGE_BACKWARD, FERRY_GRAPH_EDGE_FLAT, FERRY_GRAPH_EDGE_LOOP, FERRY_GRAPH_EDGE_FORWARD,
  };

  assert_no_overlap (layout);
  assert_segments_join (layout);
  g_assert_cmpuint (layout->n_dummies, ==, 2);

  for (guint e = 0; e < G_N_ELEMENTS (edges); e++)
    {
      const FerryGraphEdge *edge = &layout->edges[e];

      g_assert_cmpint (edge->kind, ==, kinds[e]);
      g_assert_cmpint (edge->breaking, ==, edges[e].breaking);
      g_assert_true (on_rect_edge (&layout->rects[edge->parent], &edge->start));
      g_assert_true (on_rect_edge (&layout->rects[edge->child], &edge->tip));
    }

  /* A backward edge points left, into the right side of its child. */
  g_assert_cmpfloat (graphene_vec2_get_x (&layout->edges[3].direction), ==, -1);
  g_assert_cmpfloat (layout->edges[3].tip.x, ==, layout->rects[0].origin.x + FERRY_GRAPH_NODE_WIDTH);
  /* A loop lands on the top of its table, from above. */
  g_assert_cmpfloat (layout->edges[5].tip.y, ==, layout->rects[1].origin.y);
  g_assert_cmpfloat (graphene_vec2_get_y (&layout->edges[5].direction), ==, 1);

  /* The table without edges is below the others. */
  for (guint v = 0; v < 4; v++)
    g_assert_cmpfloat (layout->rects[4].origin.y, >, layout->rects[v].origin.y + FERRY_GRAPH_NODE_HEIGHT);

  /* Hits, and the cells find every segment. */
  for (guint v = 0; v < 5; v++)
    {
      graphene_point_t c;

      graphene_rect_get_center (&layout->rects[v], &c);
      g_assert_cmpint (ferry_graph_layout_hit (layout, c.x, c.y), ==, (int) v);
    }
  g_assert_cmpint (ferry_graph_layout_hit (layout, layout->rects[0].origin.x - 1, layout->rects[0].origin.y + 1), ==, -1);
  {
    g_autoptr(GArray) found = ferry_graph_layout_query (layout, &layout->bounds);

    g_assert_cmpuint (found->len, ==, layout->segments->len);
    for (guint i = 1; i < found->len; i++)
      g_assert_cmpuint (g_array_index (found, guint, i - 1), <, g_array_index (found, guint, i));
  }
}

/* Crossings the input order has, and the sweeps remove. */
static void
test_layout_order (void)
{
  /* Two parents, each with three children, listed interleaved. */
  int levels[] = { 0, 0, 1, 1, 1, 1, 1, 1 };
  FerryGraphEdgeInput edges[] = {
    { 0, 2, FALSE }, { 1, 3, FALSE }, { 0, 4, FALSE },
    { 1, 5, FALSE }, { 0, 6, FALSE }, { 1, 7, FALSE },
  };
  g_autoptr(FerryGraphLayout) layout = run_layout (8, levels, G_N_ELEMENTS (edges), edges);

  assert_no_overlap (layout);
  g_assert_cmpuint (layout->n_crossings, ==, 0);

  /* The children of each parent are together, and parents sit level
   * with their children. */
  for (guint c = 2; c < 8; c++)
    for (guint d = 2; d < 8; d++)
      if (edges[c - 2].parent == 0 && edges[d - 2].parent == 1)
        g_assert_true ((layout->rects[edges[c - 2].child].origin.y < layout->rects[edges[d - 2].child].origin.y) ==
                       (layout->rects[0].origin.y < layout->rects[1].origin.y));
}

/* A level of 300 tables wraps into several columns; kept edges still go
 * from left to right. */
static void
test_layout_wrap (void)
{
  const guint n = 302;
  g_autofree int *levels = g_new (int, n);
  g_autofree FerryGraphEdgeInput *edges = g_new (FerryGraphEdgeInput, n - 1);
  g_autoptr(FerryGraphLayout) layout = NULL;

  levels[0] = 0;
  for (guint v = 1; v < n - 1; v++)
    {
      levels[v] = 1;
      edges[v - 1] = (FerryGraphEdgeInput) { 0, v, FALSE };
    }
  levels[n - 1] = 2;
  edges[n - 2] = (FerryGraphEdgeInput) { 1, n - 1, FALSE };

  layout = run_layout (n, levels, n - 1, edges);
  assert_no_overlap (layout);
  assert_segments_join (layout);
  g_assert_cmpuint (layout->n_columns, >, 3);
  /* Well under half the height of one column of 300. */
  g_assert_cmpfloat (layout->bounds.size.height, <, 300 * (FERRY_GRAPH_NODE_HEIGHT + 16) / 2);

  for (guint e = 0; e < layout->n_edges; e++)
    g_assert_cmpuint (layout->columns[layout->edges[e].parent], <, layout->columns[layout->edges[e].child]);
  for (guint c = 0; c + 1 < layout->n_columns; c++)
    g_assert_cmpfloat (layout->column_x[c] + FERRY_GRAPH_NODE_WIDTH, <, layout->column_x[c + 1]);
}

/* The view, on the sample */

static void
test_layout (void)
{
  FerryGraphLayout *layout = ferry_graph_view_get_layout (view);
  GPtrArray *order = ferry_analyzer_get_order (analyzer);
  GPtrArray *breaking = ferry_analyzer_get_breaking_edges (analyzer);
  GPtrArray *selfrefs = ferry_analyzer_get_self_references (analyzer);
  guint n_dashed = 0, n_loops = 0, n_kept = 0;

  g_assert_nonnull (layout);
  g_assert_cmpuint (ferry_graph_view_get_n_layouts (view), ==, 1);
  g_assert_false (ferry_graph_view_get_loading (view));

  /* Every unit is a node, in its analyzer level, levels as columns. */
  g_assert_cmpuint (layout->n_nodes, ==, order->len);
  g_assert_cmpuint (order->len, >, 140);
  g_assert_cmpuint (layout->n_columns, >=, ferry_analyzer_get_n_levels (analyzer));
  for (guint i = 0; i < order->len; i++)
    {
      FerryTable *t = g_ptr_array_index (order, i);
      int node = ferry_graph_view_get_node (view, t);
      graphene_point_t c;

      g_assert_cmpint (node, >=, 0);
      g_assert_true (ferry_graph_view_get_node_table (view, (guint) node) == t);
      g_assert_cmpint (layout->levels[node], ==, ferry_analyzer_get_level (analyzer, t));
      g_assert_cmpfloat (layout->rects[node].origin.x, ==, layout->column_x[layout->columns[node]]);
      g_assert_true (graphene_rect_contains_rect (&layout->bounds, &layout->rects[node]));

      /* Hit testing finds it. */
      graphene_rect_get_center (&layout->rects[node], &c);
      g_assert_cmpint (ferry_graph_layout_hit (layout, c.x, c.y), ==, node);
    }

  /* A partition is drawn as its partitioned table. */
  {
    FerryTable *events = table ("sales.events");
    GPtrArray *partitions = ferry_table_get_partitions (events);

    g_assert_nonnull (partitions);
    g_assert_cmpuint (partitions->len, >, 0);
    g_assert_cmpint (ferry_graph_view_get_node (view, g_ptr_array_index (partitions, 0)), ==,
                     ferry_graph_view_get_node (view, events));
  }

  /* No two tables overlap. */
  for (guint a = 0; a < layout->n_nodes; a++)
    for (guint b = a + 1; b < layout->n_nodes; b++)
      if (graphene_rect_intersection (&layout->rects[a], &layout->rects[b], NULL))
        g_error ("%s and %s overlap",
                 ferry_table_get_display_name (ferry_graph_view_get_node_table (view, a)),
                 ferry_table_get_display_name (ferry_graph_view_get_node_table (view, b)));

  /* Edges: their ends at their tables, kept edges from a lower level to
   * a higher one, breaking edges dashed, self-references as loops,
   * segments joined end to end. */
  for (guint e = 0; e < layout->n_edges; e++)
    {
      const FerryGraphEdge *edge = &layout->edges[e];
      const graphene_rect_t *pr = &layout->rects[edge->parent];
      const graphene_rect_t *cr = &layout->rects[edge->child];

      g_assert_true (on_rect_edge (pr, &edge->start));
      g_assert_true (on_rect_edge (cr, &edge->tip));
      g_assert_cmpuint (edge->n_segments, >, 0);

      for (guint s = edge->first_segment; s + 1 < edge->first_segment + edge->n_segments; s++)
        {
          const FerryGraphSegment *a = &g_array_index (layout->segments, FerryGraphSegment, s);
          const FerryGraphSegment *b = &g_array_index (layout->segments, FerryGraphSegment, s + 1);

          g_assert_cmpuint (a->edge, ==, e);
          g_assert_true (graphene_point_near (&a->p[3], &b->p[0], 0.01f));
        }

      if (edge->kind == FERRY_GRAPH_EDGE_LOOP)
        {
          g_assert_cmpuint (edge->parent, ==, edge->child);
          n_loops++;
        }
      else if (!edge->breaking)
        {
          g_assert_cmpint (edge->kind, ==, FERRY_GRAPH_EDGE_FORWARD);
          g_assert_cmpint (layout->levels[edge->parent], <, layout->levels[edge->child]);
          g_assert_cmpuint (layout->columns[edge->parent], <, layout->columns[edge->child]);
          g_assert_cmpfloat (pr->origin.x + pr->size.width, <, cr->origin.x);
          /* Forward: leaves on the right of the parent, arrives on the
           * left of the child, pointing right. */
          g_assert_cmpfloat (fabsf (edge->start.x - (pr->origin.x + pr->size.width)), <=, 0.5f);
          g_assert_cmpfloat (fabsf (edge->tip.x - cr->origin.x), <=, 0.5f);
          g_assert_cmpfloat (graphene_vec2_get_x (&edge->direction), ==, 1.0f);
          n_kept++;
        }
      if (edge->breaking)
        n_dashed++;
    }

  /* Every breaking FK is a dashed edge, every self-reference a loop. */
  g_assert_cmpuint (breaking->len, >, 0);
  for (guint i = 0; i < breaking->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (breaking, i);
      int p = ferry_graph_view_get_node (view, fk->parent);
      int c = ferry_graph_view_get_node (view, fk->child);
      gboolean found = FALSE;

      for (guint e = 0; e < layout->n_edges && !found; e++)
        found = layout->edges[e].parent == (guint) p && layout->edges[e].child == (guint) c &&
                layout->edges[e].breaking;
      g_assert_true (found);
    }
  g_assert_cmpuint (n_dashed, >, 0);
  g_assert_cmpuint (n_dashed, <=, breaking->len);
  g_assert_cmpuint (selfrefs->len, >, 0);
  for (guint i = 0; i < selfrefs->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (selfrefs, i);
      int node = ferry_graph_view_get_node (view, fk->child);
      gboolean found = FALSE;

      for (guint e = 0; e < layout->n_edges && !found; e++)
        found = layout->edges[e].kind == FERRY_GRAPH_EDGE_LOOP && layout->edges[e].parent == (guint) node;
      g_assert_true (found);
    }

  g_test_message ("%u tables, %u columns, %u edges (%u kept, %u dashed, %u loops), %u dummies, "
                  "%u crossings, graph %.0f × %.0f, laid out in %.2f ms",
                  layout->n_nodes, layout->n_columns, layout->n_edges, n_kept, n_dashed, n_loops,
                  layout->n_dummies, layout->n_crossings,
                  layout->bounds.size.width, layout->bounds.size.height,
                  layout->elapsed_usec / 1000.0);
}

static void
test_zoom (void)
{
  FerryGraphLayout *layout = ferry_graph_view_get_layout (view);
  graphene_rect_t area;
  double zoom;

  /* Fit: the whole graph on screen, centred. */
  ferry_graph_view_zoom_fit (view);
  ferry_graph_view_get_visible_area (view, &area);
  graphene_rect_inset (&area, -1, -1);
  g_assert_true (graphene_rect_contains_rect (&area, &layout->bounds));
  zoom = ferry_graph_view_get_zoom (view);
  g_assert_cmpfloat (zoom, <=, 1.0);
  /* …and no smaller than it has to be. */
  g_assert_true (fabs (layout->bounds.size.width * zoom - WIDTH) < 2 ||
                 fabs (layout->bounds.size.height * zoom - HEIGHT) < 2);

  /* The actions the page's buttons use. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "graph.zoom-in", NULL));
  g_assert_cmpfloat_with_epsilon (ferry_graph_view_get_zoom (view), zoom * 1.25, 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "graph.zoom-out", NULL));
  g_assert_cmpfloat_with_epsilon (ferry_graph_view_get_zoom (view), zoom, 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "graph.zoom-reset", NULL));
  g_assert_cmpfloat (ferry_graph_view_get_zoom (view), ==, 1.0);

  /* Limits. */
  for (int i = 0; i < 20; i++)
    ferry_graph_view_zoom_in (view);
  g_assert_cmpfloat (ferry_graph_view_get_zoom (view), ==, 4.0);
  for (int i = 0; i < 40; i++)
    ferry_graph_view_zoom_out (view);
  g_assert_cmpfloat (ferry_graph_view_get_zoom (view), <=, zoom + 1e-9);
  g_assert_cmpfloat (ferry_graph_view_get_zoom (view), >, 0);

  /* Zoom is a transform: no new layout. */
  g_assert_cmpuint (ferry_graph_view_get_n_layouts (view), ==, 1);
  ferry_graph_view_zoom_fit (view);
}

static void
count_signal (FerryGraphView *v,
              FerryTable     *t,
              gpointer        user_data)
{
  FerryTable **last = user_data;

  *last = t;
  g_object_set_data (G_OBJECT (v), "count",
                     GUINT_TO_POINTER (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (v), "count")) + 1));
}

static void
test_focus (void)
{
  FerryGraphLayout *layout = ferry_graph_view_get_layout (view);
  FerryTable *journal_lines = table ("billing.journal_lines");
  FerryTable *last = NULL;
  int node = ferry_graph_view_get_node (view, journal_lines);
  graphene_rect_t area;
  graphene_point_t c, vc;
  gulong id;

  ferry_graph_view_zoom_fit (view);
  g_object_set_data (G_OBJECT (view), "count", NULL);
  id = g_signal_connect (view, "table-selected", G_CALLBACK (count_signal), &last);

  ferry_graph_view_focus_table (view, journal_lines);
  g_assert_true (ferry_graph_view_get_selected_table (view) == journal_lines);
  g_assert_true (last == journal_lines);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (view), "count")), ==, 1);

  /* Centred, at a readable zoom. */
  g_assert_cmpfloat (ferry_graph_view_get_zoom (view), >=, 0.6);
  ferry_graph_view_get_visible_area (view, &area);
  graphene_rect_get_center (&area, &vc);
  graphene_rect_get_center (&layout->rects[node], &c);
  g_assert_true (graphene_rect_contains_rect (&area, &layout->rects[node]));
  g_assert_cmpfloat (fabsf (vc.x - c.x), <, 2.0f / ferry_graph_view_get_zoom (view) + 1);
  g_assert_cmpfloat (fabsf (vc.y - c.y), <, 2.0f / ferry_graph_view_get_zoom (view) + 1);
  screenshot ("selected");

  /* A partition focuses its partitioned table; the action signal too. */
  {
    FerryTable *events = table ("sales.events");
    FerryTable *partition = g_ptr_array_index (ferry_table_get_partitions (events), 0);

    g_signal_emit_by_name (view, "focus-table", partition);
    g_assert_true (ferry_graph_view_get_selected_table (view) == events);
    g_assert_true (last == events);
  }

  /* Escape unselects. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "graph.unselect", NULL));
  g_assert_null (ferry_graph_view_get_selected_table (view));
  g_assert_null (last);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (view), "count")), ==, 3);

  /* Selecting without moving. */
  {
    double x0, y0, x1, y1;

    ferry_graph_view_get_center (view, &x0, &y0);
    g_object_set (view, "selected-table", table ("core.currencies"), NULL);
    ferry_graph_view_get_center (view, &x1, &y1);
    g_assert_cmpfloat (x0, ==, x1);
    g_assert_cmpfloat (y0, ==, y1);
    g_assert_true (last == table ("core.currencies"));
    ferry_graph_view_set_selected_table (view, NULL);
  }

  g_signal_handler_disconnect (view, id);
  g_assert_cmpuint (ferry_graph_view_get_n_layouts (view), ==, 1);
}

static void
test_status (void)
{
  FerryGraphLayout *layout = ferry_graph_view_get_layout (view);
  FerryTable *orders = table ("sales.orders");
  int node = ferry_graph_view_get_node (view, orders);
  g_autofree graphene_rect_t *rects = g_memdup2 (layout->rects, sizeof (graphene_rect_t) * layout->n_nodes);
  g_autoptr(GdkTexture) before = NULL;
  g_autoptr(GdkTexture) after = NULL;
  g_autoptr(GBytes) pixels_before = NULL;
  g_autoptr(GBytes) pixels_after = NULL;
  g_autoptr(GBytes) others_before = NULL;
  g_autoptr(GBytes) others_after = NULL;
  graphene_rect_t on_screen, elsewhere;
  guint cached, renders;

  reset_statuses ();
  ferry_graph_view_focus_table (view, orders);
  ferry_graph_view_set_selected_table (view, NULL);
  ferry_graph_view_set_zoom (view, 1.0);

  /* The first frame caches what is on screen, and only that. */
  before = render ();
  cached = ferry_graph_view_get_n_cached_nodes (view);
  g_assert_true (ferry_graph_view_is_node_cached (view, (guint) node));
  g_assert_cmpuint (cached, >, 1);
  g_assert_cmpuint (cached, <, layout->n_nodes);

  /* The status changes: only that table's render node is dropped. */
  ferry_table_set_status (orders, FERRY_TABLE_STATUS_RUNNING);
  g_assert_false (ferry_graph_view_is_node_cached (view, (guint) node));
  g_assert_cmpuint (ferry_graph_view_get_n_cached_nodes (view), ==, cached - 1);

  renders = ferry_graph_view_get_n_renders (view);
  after = render ();
  g_assert_cmpuint (ferry_graph_view_get_n_renders (view), ==, renders + 1);
  g_assert_true (ferry_graph_view_is_node_cached (view, (guint) node));

  /* It looks different; nothing else moved. */
  on_screen = node_on_screen (node);
  pixels_before = pixels (before, &on_screen);
  pixels_after = pixels (after, &on_screen);
  g_assert_cmpuint (g_bytes_get_size (pixels_before), >, 0);
  g_assert_false (g_bytes_equal (pixels_before, pixels_after));

  elsewhere = GRAPHENE_RECT_INIT (0, 0, WIDTH, on_screen.origin.y - 20);
  if (elsewhere.size.height < 40)
    elsewhere = GRAPHENE_RECT_INIT (0, on_screen.origin.y + on_screen.size.height + 20,
                                    WIDTH, HEIGHT - on_screen.origin.y - on_screen.size.height - 20);
  others_before = pixels (before, &elsewhere);
  others_after = pixels (after, &elsewhere);
  g_assert_true (g_bytes_equal (others_before, others_after));

  g_assert_cmpuint (ferry_graph_view_get_n_layouts (view), ==, 1);
  g_assert_true (memcmp (rects, layout->rects, sizeof (graphene_rect_t) * layout->n_nodes) == 0);
  g_assert_true (ferry_graph_view_get_layout (view) == layout);

  /* Every status renders. */
  for (guint s = 0; s < FERRY_TABLE_STATUS_LAST; s++)
    {
      g_autoptr(GdkTexture) texture = NULL;

      ferry_table_set_status (orders, s);
      texture = render ();
    }

  reset_statuses ();
}

static void
test_hover (void)
{
  FerryTable *orders = table ("sales.orders");
  g_autoptr(GdkTexture) plain = NULL;
  g_autoptr(GdkTexture) hovered = NULL;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  graphene_rect_t corner = GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT);

  ferry_graph_view_focus_table (view, orders);
  ferry_graph_view_set_selected_table (view, NULL);
  plain = render ();
  ferry_graph_view_set_hover (view, orders);
  hovered = render ();
  a = pixels (plain, &corner);
  b = pixels (hovered, &corner);
  g_assert_false (g_bytes_equal (a, b));
  ferry_graph_view_set_hover (view, NULL);
}

static void
spin (guint msec)
{
  gint64 until = g_get_monotonic_time () + msec * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

/* The largest difference of a channel between two frames in @area. */
static guint
max_difference (GdkTexture            *a,
                GdkTexture            *b,
                const graphene_rect_t *area)
{
  g_autoptr(GBytes) x = pixels (a, area);
  g_autoptr(GBytes) y = pixels (b, area);
  const guchar *p = g_bytes_get_data (x, NULL), *q = g_bytes_get_data (y, NULL);
  guint most = 0;

  g_assert_cmpuint (g_bytes_get_size (x), ==, g_bytes_get_size (y));
  for (gsize i = 0; i < g_bytes_get_size (x); i++)
    most = MAX (most, (guint) ABS (p[i] - q[i]));

  return most;
}

/* Hovering dims the graph but for the table, its parents and children,
 * which look as they did; hovering again is drawn from the same card
 * images, not rasterised anew. */
static void
test_hover_neighbours (void)
{
  FerryTable *orders = table ("sales.orders");
  int node = ferry_graph_view_get_node (view, orders);
  g_autoptr(GPtrArray) parents = ferry_analyzer_dup_parents (analyzer, orders);
  g_autoptr(GdkTexture) plain = NULL;
  g_autoptr(GdkTexture) hovered = NULL;
  FerryGraphLayout *layout = ferry_graph_view_get_layout (view);
  graphene_rect_t area, on_screen;
  int parent, stranger = -1;
  guint images;

  reset_statuses ();
  ferry_graph_view_focus_table (view, orders);
  ferry_graph_view_set_selected_table (view, NULL);
  ferry_graph_view_set_hover (view, NULL);
  ferry_graph_view_set_zoom (view, 0.6);
  plain = render ();

  g_assert_cmpuint (parents->len, >, 0);
  parent = ferry_graph_view_get_node (view, g_ptr_array_index (parents, 0));
  g_assert_cmpint (parent, >=, 0);

  /* A table on screen that is not a neighbour. */
  ferry_graph_view_get_visible_area (view, &area);
  for (guint v = 0; v < layout->n_nodes && stranger < 0; v++)
    {
      FerryTable *t = ferry_graph_view_get_node_table (view, v);
      g_autoptr(GPtrArray) p = ferry_analyzer_dup_parents (analyzer, t);
      g_autoptr(GPtrArray) c = ferry_analyzer_dup_children (analyzer, t);
      graphene_point_t far;

      graphene_rect_get_bottom_right (&layout->rects[v], &far);
      if ((int) v != node &&
          graphene_rect_contains_point (&area, &layout->rects[v].origin) &&
          graphene_rect_contains_point (&area, &far) &&
          !g_ptr_array_find (p, orders, NULL) && !g_ptr_array_find (c, orders, NULL))
        stranger = (int) v;
    }
  g_assert_cmpint (stranger, >=, 0);

  images = ferry_graph_view_get_n_images (view);
  ferry_graph_view_set_hover (view, orders);
  hovered = render ();
  g_assert_cmpuint (ferry_graph_view_get_n_images (view), ==, images);

  on_screen = node_on_screen (parent);
  graphene_rect_inset (&on_screen, 2, 2);
  g_assert_cmpuint (max_difference (plain, hovered, &on_screen), ==, 0);
  on_screen = node_on_screen (stranger);
  graphene_rect_inset (&on_screen, 2, 2);
  g_assert_cmpuint (max_difference (plain, hovered, &on_screen), >, 40);

  ferry_graph_view_set_hover (view, NULL);
}

/* The cards are drawn from images of them at the zoom of the view: the
 * same pixels as drawing their render nodes, but for rounding where a
 * card's antialiased border meets an edge. */
static void
test_card_images (void)
{
  const double zooms[] = { 1.0, 0.6, 0.3 };
  graphene_rect_t everything = GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT);

  reset_statuses ();
  ferry_graph_view_focus_table (view, table ("sales.orders"));
  ferry_graph_view_set_selected_table (view, NULL);
  ferry_graph_view_set_hover (view, NULL);

  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      g_autoptr(GdkTexture) images = NULL;
      g_autoptr(GdkTexture) vectors = NULL;
      guint made;

      ferry_graph_view_set_zoom (view, zooms[z]);
      made = ferry_graph_view_get_n_images (view);
      images = render ();
      g_assert_cmpuint (ferry_graph_view_get_n_images (view), >, made);
      g_assert_cmpuint (ferry_graph_view_get_n_stand_ins (view), ==, 0);

      ferry_graph_view_set_card_images (view, FALSE);
      vectors = render ();
      ferry_graph_view_set_card_images (view, TRUE);

      g_assert_cmpuint (max_difference (images, vectors, &everything), <=, 2);
    }
}

/* While the zoom moves, the cards of the previous zoom stand in, scaled,
 * and no image is made for each step; once it rests, the frames that
 * follow make them, and the settled frame is, pixel for pixel, that of
 * a view that was at this zoom all along. */
static void
test_zoom_settles (void)
{
  g_autoptr(GdkTexture) settled = NULL;
  g_autoptr(GdkTexture) fresh = NULL;
  graphene_rect_t everything = GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT);
  double zoom, cx, cy;
  guint images, frames = 0;
  gint64 deadline;

  reset_statuses ();
  ferry_graph_view_focus_table (view, table ("sales.orders"));
  ferry_graph_view_set_selected_table (view, NULL);
  ferry_graph_view_set_hover (view, NULL);
  ferry_graph_view_set_zoom (view, 0.8);
  g_clear_object (&settled);
  settled = render ();

  /* Ctrl+scroll: 4 % a frame, out. How many images a frame may make
   * in its few milliseconds depends on the machine, and whether the zoom
   * counts as resting on how long a frame takes: with no time for
   * images, every step draws from stand-ins and makes none, whatever
   * the machine. */
  images = ferry_graph_view_get_n_images (view);
  ferry_graph_view_set_image_budget (view, 0);
  for (guint f = 0; f < 6; f++)
    {
      ferry_graph_view_set_zoom (view, ferry_graph_view_get_zoom (view) / 1.04);
      g_clear_object (&settled);
      settled = render_now ();
      g_assert_cmpuint (ferry_graph_view_get_n_stand_ins (view), >, 0);
    }
  g_assert_cmpuint (ferry_graph_view_get_n_images (view), ==, images);
  ferry_graph_view_set_image_budget (view, -1);

  /* At rest: frames go on as the view asks for them. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!ferry_graph_view_is_settled (view) && g_get_monotonic_time () < deadline)
    {
      spin (10);
      g_clear_object (&settled);
      settled = render_now ();
      frames++;
    }
  g_assert_true (ferry_graph_view_is_settled (view));
  g_assert_cmpuint (ferry_graph_view_get_n_stand_ins (view), ==, 0);
  g_assert_cmpuint (frames, >, 1);

  /* The same view laid out again, at this zoom from the start. */
  zoom = ferry_graph_view_get_zoom (view);
  ferry_graph_view_get_center (view, &cx, &cy);
  ferry_graph_view_set_plan (view, NULL);
  ferry_graph_view_set_plan (view, plan);
  ferry_graph_view_set_zoom (view, zoom);
  ferry_graph_view_set_center (view, cx, cy);
  fresh = render ();

  g_assert_cmpuint (max_difference (settled, fresh, &everything), ==, 0);
  ferry_graph_view_zoom_fit (view);
}

static void
wait_loading (GObject    *object,
              GParamSpec *pspec,
              gboolean   *done)
{
  if (!ferry_graph_view_get_loading (FERRY_GRAPH_VIEW (object)))
    *done = TRUE;
}

static void
test_async (void)
{
  GtkWidget *other = ferry_graph_view_new ();
  FerryGraphLayout *sync_layout = ferry_graph_view_get_layout (view);
  FerryGraphLayout *layout;
  gboolean done = FALSE;
  g_autoptr(GtkWidget) keep = g_object_ref_sink (other);

  ferry_graph_view_set_async_threshold (FERRY_GRAPH_VIEW (other), 1);
  g_signal_connect (other, "notify::loading", G_CALLBACK (wait_loading), &done);
  ferry_graph_view_set_plan (FERRY_GRAPH_VIEW (other), plan);
  g_assert_true (ferry_graph_view_get_loading (FERRY_GRAPH_VIEW (other)));
  g_assert_null (ferry_graph_view_get_layout (FERRY_GRAPH_VIEW (other)));

  while (!done)
    g_main_context_iteration (NULL, TRUE);

  layout = ferry_graph_view_get_layout (FERRY_GRAPH_VIEW (other));
  g_assert_nonnull (layout);
  /* The same layout as on the main thread. */
  g_assert_cmpuint (layout->n_nodes, ==, sync_layout->n_nodes);
  g_assert_true (memcmp (layout->rects, sync_layout->rects, sizeof (graphene_rect_t) * layout->n_nodes) == 0);

  /* Replacing the plan while it computes drops the old result. */
  done = FALSE;
  ferry_graph_view_set_plan (FERRY_GRAPH_VIEW (other), NULL);
  ferry_graph_view_set_plan (FERRY_GRAPH_VIEW (other), plan);
  ferry_graph_view_set_plan (FERRY_GRAPH_VIEW (other), NULL);
  g_assert_false (ferry_graph_view_get_loading (FERRY_GRAPH_VIEW (other)));
  g_assert_null (ferry_graph_view_get_layout (FERRY_GRAPH_VIEW (other)));
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_null (ferry_graph_view_get_layout (FERRY_GRAPH_VIEW (other)));
}

/* The sample in the middle of a run, for the eyes. */
static void
test_screenshots (void)
{
  GPtrArray *order = ferry_analyzer_get_order (analyzer);
  guint levels = ferry_analyzer_get_n_levels (analyzer);

  reset_statuses ();
  ferry_graph_view_zoom_fit (view);
  screenshot ("fit");

  /* Levels done, one running, the rest waiting; one failure. */
  for (guint i = 0; i < order->len; i++)
    {
      FerryTable *t = g_ptr_array_index (order, i);
      int level = ferry_analyzer_get_level (analyzer, t);

      if ((guint) level < levels / 3)
        ferry_table_set_status (t, FERRY_TABLE_STATUS_COMPLETED);
      else if ((guint) level == levels / 3)
        {
          ferry_table_set_status (t, i % 3 == 0 ? FERRY_TABLE_STATUS_COMPLETED : FERRY_TABLE_STATUS_RUNNING);
          ferry_table_set_progress (t, 0, ferry_table_get_size_bytes (t) * (i % 5 + 1) / 6);
        }
      else
        ferry_table_set_status (t, FERRY_TABLE_STATUS_WAITING);
    }
  ferry_table_set_status (table ("audit.api_requests"), FERRY_TABLE_STATUS_FAILED);
  ferry_table_set_status (table ("public.schema_migrations"), FERRY_TABLE_STATUS_SKIPPED);
  screenshot ("fit-running");

  ferry_graph_view_focus_table (view, table ("sales.orders"));
  ferry_graph_view_set_selected_table (view, NULL);
  screenshot ("100");
  ferry_graph_view_set_zoom (view, 0.6);
  screenshot ("60");
  ferry_graph_view_set_zoom (view, 0.3);
  screenshot ("30");
  ferry_graph_view_set_zoom (view, 1.0);
  ferry_graph_view_set_hover (view, table ("sales.orders"));
  screenshot ("hover");
  ferry_graph_view_set_hover (view, NULL);

  /* The same in the dark. */
  {
    AdwStyleManager *style = adw_style_manager_get_default ();

    ferry_graph_view_focus_table (view, table ("sales.orders"));
    ferry_graph_view_set_zoom (view, 0.8);
    adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
    g_assert_true (adw_style_manager_get_dark (style));
    screenshot ("dark");
    adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
    ferry_graph_view_set_selected_table (view, NULL);
  }

  /* Around a cycle-breaking edge. */
  {
    GPtrArray *breaking = ferry_analyzer_get_breaking_edges (analyzer);
    FerryForeignKey *fk = g_ptr_array_index (breaking, 0);

    ferry_graph_view_focus_table (view, ferry_analyzer_get_unit (analyzer, fk->child));
    ferry_graph_view_set_selected_table (view, NULL);
    ferry_graph_view_set_zoom (view, 0.8);
    screenshot ("cycle");
  }

  reset_statuses ();
}

/* Zoomed out, panning: the edge tiles coming into view arrive as drafts
 * first, from the worker, while frames go on; once the view rests every
 * tile in view is the full one, and the frame is, pixel for pixel, what
 * rendering every tile from scratch, in full, gives. */
static void
test_tiles (void)
{
  FerryGraphLayout *layout = ferry_graph_view_get_layout (view);
  FerryGraphTiles *tiles;
  g_autoptr(GdkTexture) settled = NULL;
  g_autoptr(GdkTexture) fresh = NULL;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  graphene_rect_t area;
  graphene_rect_t everything = GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT);
  double zoom, cx, cy, x0, y0;
  guint drafts, rendered;
  gint64 deadline;

  reset_statuses ();
  ferry_graph_view_set_selected_table (view, NULL);
  ferry_graph_view_set_hover (view, NULL);
  ferry_graph_view_set_zoom (view, 0.3);
  zoom = ferry_graph_view_get_zoom (view);
  g_assert_cmpfloat (zoom, <, 0.4);   /* where drafts come first */
  x0 = layout->bounds.size.width / 4;
  y0 = layout->bounds.size.height / 4;
  ferry_graph_view_set_center (view, x0, y0);

  tiles = ferry_graph_view_get_tiles (view);
  drafts = ferry_graph_tiles_get_n_drafts (tiles);
  rendered = ferry_graph_tiles_get_n_rendered (tiles);

  /* The zoom settles; then 40 px a frame, right and down. */
  g_clear_object (&settled);
  settled = render_now ();
  spin (200);
  for (guint f = 0; f < 24; f++)
    {
      g_clear_object (&settled);
      ferry_graph_view_set_center (view, x0 + 40 / zoom * f, y0 + 20 / zoom * f);
      settled = render_now ();
      spin (5);
    }
  ferry_graph_view_get_center (view, &cx, &cy);

  /* At rest: frames go on until the worker is done. */
  ferry_graph_view_get_visible_area (view, &area);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!ferry_graph_tiles_is_settled (tiles, &area, zoom) && g_get_monotonic_time () < deadline)
    {
      g_clear_object (&settled);
      settled = render_now ();
      spin (10);
    }
  g_assert_true (ferry_graph_tiles_is_settled (tiles, &area, zoom));
  g_assert_cmpuint (ferry_graph_tiles_get_n_drafts (tiles), >, drafts);
  g_assert_cmpuint (ferry_graph_tiles_get_n_rendered (tiles), >, rendered);
  g_clear_object (&settled);
  settled = render_now ();
  /* Nothing more to make for what is in view. */
  g_assert_true (ferry_graph_tiles_is_settled (tiles, &area, zoom));

  /* The same view laid out again, every tile rendered now, in full. */
  ferry_graph_view_set_plan (view, NULL);
  ferry_graph_view_set_plan (view, plan);
  ferry_graph_view_set_zoom (view, zoom);
  ferry_graph_view_set_center (view, cx, cy);
  g_assert_cmpfloat (ferry_graph_view_get_zoom (view), ==, zoom);
  fresh = render ();
  g_assert_cmpuint (ferry_graph_tiles_get_n_drafts (ferry_graph_view_get_tiles (view)), ==, 0);

  a = pixels (settled, &everything);
  b = pixels (fresh, &everything);
  g_assert_true (g_bytes_equal (a, b));

  ferry_graph_view_zoom_fit (view);
}

static FerryConfig *
config_new (void)
{
  FerryConfig *config = ferry_config_new ();
  g_autofree char *source = ferry_test_cluster_conninfo (cluster, "source");
  g_autofree char *target = ferry_test_cluster_conninfo (cluster, "target");

  ferry_config_set_source (config, source);
  ferry_config_set_target (config, target);
  ferry_config_set_connect_timeout (config, 5);
  return config;
}

static gboolean
allocated (void)
{
  return gtk_widget_get_mapped (GTK_WIDGET (view)) && gtk_widget_get_width (GTK_WIDGET (view)) > 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryConfig) config = NULL;
  gint64 deadline;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* The layout alone: no display, no server. */
  g_test_add_func ("/graph-layout/empty", test_layout_empty);
  g_test_add_func ("/graph-layout/kinds", test_layout_kinds);
  g_test_add_func ("/graph-layout/order", test_layout_order);
  g_test_add_func ("/graph-layout/wrap", test_layout_wrap);

  /* Without a session bus (tests/run-tests provides one), accessibility
   * would warn, and warnings are fatal here. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("GTK_A11Y", "none", TRUE);

  if (!gtk_init_check ())
    {
      g_test_message ("no display: the view's tests are left out (run under xvfb-run)");
      return g_test_run ();
    }
  adw_init ();

  if (ferry_test_skip_unless_postgres ())
    return g_test_run ();

  cluster = ferry_test_cluster_start_with_sample ("source", 1.0, NULL);
  ferry_test_cluster_create_database (cluster, "target", &error);
  g_assert_no_error (error);

  config = config_new ();
  validator = ferry_validator_new (config);
  ferry_validator_prepare (validator, NULL, &error);
  g_assert_no_error (error);
  plan = ferry_validator_get_plan (validator);
  analyzer = ferry_plan_get_analyzer (plan);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  view = FERRY_GRAPH_VIEW (ferry_graph_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!allocated () && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (allocated ());
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view)), ==, WIDTH);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (view)), ==, HEIGHT);

  renderer = gsk_cairo_renderer_new ();
  gsk_renderer_realize (renderer, gtk_native_get_surface (GTK_NATIVE (window)), &error);
  g_assert_no_error (error);

  g_object_set (view, "plan", plan, NULL);

  g_test_add_func ("/graph-view/layout", test_layout);
  g_test_add_func ("/graph-view/zoom", test_zoom);
  g_test_add_func ("/graph-view/focus", test_focus);
  g_test_add_func ("/graph-view/status", test_status);
  g_test_add_func ("/graph-view/hover", test_hover);
  g_test_add_func ("/graph-view/hover-neighbours", test_hover_neighbours);
  g_test_add_func ("/graph-view/card-images", test_card_images);
  g_test_add_func ("/graph-view/zoom-settles", test_zoom_settles);
  g_test_add_func ("/graph-view/async", test_async);
  g_test_add_func ("/graph-view/screenshots", test_screenshots);
  g_test_add_func ("/graph-view/tiles", test_tiles);

  ret = g_test_run ();

  gsk_renderer_unrealize (renderer);
  g_clear_object (&renderer);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&validator);
  g_clear_pointer (&cluster, ferry_test_cluster_free);

  return ret;
}
