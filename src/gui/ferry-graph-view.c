/* ferry-graph-view.c — the table dependency graph of a plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-graph-view"

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ferry-graph-tiles.h"
#include "ferry-graph-view.h"
#include "ferry-graph-view-private.h"

/*
 * How the view draws (the way Sysprof's charts do)
 *
 * The layout (ferry-graph-layout.c) is computed once per plan, off the
 * draw path — in a worker thread for large plans — in graph units, which
 * are pixels at zoom 1. Zooming and panning only change the transform
 * that snapshot() pushes; nothing is laid out or rasterised again.
 *
 * What is drawn is cached: a render node per table and level of detail,
 * built the first time the table is on screen and dropped when its
 * status (or progress) changes; that node rasterised at the zoom of the
 * view (a card's rounded borders and text cost tens of microseconds to
 * draw, its image a few to copy); the edges as raster tiles per zoom
 * (ferry-graph-tiles.c: thousands of long antialiased curves cannot be
 * rasterised again in every frame), rendered in a worker thread of low
 * priority, zoomed out as drafts first and then in full detail. The
 * PangoLayouts of the tables are made ahead, in idle time. snapshot()
 * looks up which tables intersect the visible area (a binary search in
 * each column) and appends only those, and only the tiles in view.
 *
 * Levels of detail: at reading zoom a table is a card with its status
 * symbol, name, schema and size; zoomed out it loses the text and then the
 * rounded corners; edges get proportionally wider lines so that the
 * overview stays legible.
 *
 * While the zoom moves, a card's image of an earlier zoom stands in,
 * scaled; once the zoom rests the cards are rasterised again at the new
 * one, a few milliseconds' worth a frame, so that the frame that settles
 * looks as if it had been drawn from the vectors.
 *
 * Hovering a table dims everything else and draws the table, its parents,
 * its children and the edges between them on top; selecting one (click,
 * search) rings it in the accent colour and highlights its edges.
 */

#define ZOOM_MAX        4.0
#define ZOOM_MIN_FLOOR  0.005
#define ZOOM_STEP       1.25
#define ZOOM_READABLE   0.6
#define DRAG_THRESHOLD  4.0
#define CARD_RADIUS     8.0f
#define DEFAULT_ASYNC_THRESHOLD 3000
/* Card images: how long after the last change of zoom it counts as
 * resting (as for the edge tiles), how much time a frame may spend
 * making them, and how many pixels of them to keep (a few screens:
 * 2,000 cards at 100% would be 80 MB). */
#define CARD_SETTLE_USEC  (120 * 1000)
#define CARD_BUDGET_USEC  4000
#define CARD_MAX_PIXELS   (6 * 1024 * 1024)

typedef enum {
  LOD_FULL,   /* cards with text */
  LOD_BOX,    /* rounded boxes, no text */
  LOD_DOT,    /* plain rectangles */
  N_LODS
} Lod;

typedef struct {
  FerryTable       *table;          /* borrowed: the plan holds the catalog */
  FerryTableStatus  status;
  double            fraction;
  char             *title;
  char             *subtitle;
  PangoLayout      *title_layout;
  PangoLayout      *subtitle_layout;
  PangoLayout      *label_layout;   /* zoomed out: the name, large */
  GskRenderNode    *render[N_LODS];
  /* render[image_lod] rasterised at image_zoom, in the pixels of that
   * zoom (graph units × zoom) */
  cairo_surface_t  *image;
  GskRenderNode    *image_node;
  graphene_rect_t   image_bounds;
  double            image_zoom;
  Lod               image_lod;
  guint64           image_used;     /* frame it was last drawn in */
} Node;


typedef struct {
  GdkRGBA fg;
  GdkRGBA fg_dim;
  GdkRGBA card;
  GdkRGBA border;
  GdkRGBA background;
  GdkRGBA edge;
  GdkRGBA breaking;
  GdkRGBA accent;
  GdkRGBA status[FERRY_TABLE_STATUS_LAST];
  GdkRGBA fill[FERRY_TABLE_STATUS_LAST];
  GdkRGBA box[FERRY_TABLE_STATUS_LAST];
} Palette;

struct _FerryGraphView
{
  GtkWidget          parent_instance;

  FerryPlan         *plan;
  FerryAnalyzer     *analyzer;      /* the plan's */

  /* The model */
  Node              *nodes;
  guint              n_nodes;
  GHashTable        *node_of;       /* FerryTable* → node + 1 */
  guint             *adj_start;     /* n_nodes + 1, into adj */
  guint             *adj;           /* edges touching each node */
  FerryGraphLayout  *layout;        /* NULL while computing */
  GCancellable      *cancellable;
  guint              n_layouts;
  guint              async_threshold;

  /* Edges, as tiles; text made ahead */
  FerryGraphTiles   *tiles;
  guint              warm_source;
  guint              warm_next;

  /* Card images */
  guint64            frame;
  gsize              image_pixels;
  double             image_zoom;    /* the zoom of the last frame */
  gint64             zoom_changed;
  gint64             image_usec;    /* spent this frame on images again */
  gint64             image_budget;  /* µs of image-making a frame: CARD_BUDGET_USEC */
  guint              n_stand_ins;   /* cards drawn otherwise this frame */
  guint              refine_source;
  guint              n_images;      /* made since the view was made */
  gboolean           card_images;   /* FALSE: cards drawn as vectors */
  gboolean           no_stand_ins;  /* flushing: every image at this zoom */

  /* The view: the graph point at the centre, and the scale */
  double             zoom;
  double             center_x;
  double             center_y;
  gboolean           fit_pending;
  int                focus_pending; /* node to centre once laid out */

  /* Interaction */
  int                hover;
  int                selected;
  GskRenderNode     *highlight;     /* edges of highlight_node */
  int                highlight_node;
  double             highlight_zoom;
  double             pointer_x;
  double             pointer_y;
  gboolean           pointer_inside;
  double             drag_center_x;
  double             drag_center_y;
  gboolean           dragging;
  double             gesture_zoom;

  /* Looks */
  Palette            palette;
  gboolean           dark;
  guint              n_renders;
};

G_DEFINE_FINAL_TYPE (FerryGraphView, ferry_graph_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PLAN,
  PROP_LOADING,
  PROP_SELECTED_TABLE,
  PROP_ZOOM,
  N_PROPS
};

enum {
  TABLE_SELECTED,
  TABLE_ACTIVATED,
  FOCUS_TABLE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void ferry_graph_view_update_actions (FerryGraphView *self);
static void status_changed (FerryTable     *table,
                            GParamSpec     *pspec,
                            FerryGraphView *self);

/* ------------------------------------------------------------------ */
/* Colours                                                            */
/* ------------------------------------------------------------------ */

static GdkRGBA
rgba (guint32 rgb,
      float   alpha)
{
  return (GdkRGBA) {
    ((rgb >> 16) & 0xff) / 255.0f,
    ((rgb >> 8) & 0xff) / 255.0f,
    (rgb & 0xff) / 255.0f,
    alpha,
  };
}

static GdkRGBA
mix (const GdkRGBA *a,
     const GdkRGBA *b,
     float          amount)
{
  return (GdkRGBA) {
    a->red + (b->red - a->red) * amount,
    a->green + (b->green - a->green) * amount,
    a->blue + (b->blue - a->blue) * amount,
    a->alpha + (b->alpha - a->alpha) * amount,
  };
}

/* The libadwaita palette: the darker shades for text and icons on a
 * light background, the lighter ones on a dark background. */
static void
palette_init (Palette  *p,
              gboolean  dark)
{
  static const guint32 light_status[FERRY_TABLE_STATUS_LAST] = {
    0x77767b,  /* pending: dark 1 */
    0x9c6e03,  /* waiting: warning */
    0x1c71d8,  /* running: accent */
    0x1b8553,  /* completed: success */
    0xc01c28,  /* failed: error */
    0x813d9c,  /* skipped: purple 4 */
    0x9a9996,  /* excluded: light 5 */
  };
  static const guint32 dark_status[FERRY_TABLE_STATUS_LAST] = {
    0x9a9996,
    0xf8e45c,
    0x78aeed,
    0x8ff0a4,
    0xff7b63,
    0xdc8add,
    0x77767b,
  };

  if (dark)
    {
      p->fg = rgba (0xffffff, 0.92f);
      p->fg_dim = rgba (0xffffff, 0.60f);
      p->card = rgba (0x383838, 1.0f);
      p->border = rgba (0x000000, 0.55f);
      p->background = rgba (0x1e1e1e, 1.0f);
      p->edge = rgba (0xffffff, 0.30f);
      p->breaking = rgba (0xffa348, 0.95f);
      p->accent = rgba (0x78aeed, 1.0f);
    }
  else
    {
      p->fg = rgba (0x000000, 0.82f);
      p->fg_dim = rgba (0x000000, 0.55f);
      p->card = rgba (0xffffff, 1.0f);
      p->border = rgba (0x000000, 0.14f);
      p->background = rgba (0xffffff, 1.0f);
      p->edge = rgba (0x3d3846, 0.34f);
      p->breaking = rgba (0xe66100, 0.95f);
      p->accent = rgba (0x3584e4, 1.0f);
    }

  for (guint s = 0; s < FERRY_TABLE_STATUS_LAST; s++)
    {
      GdkRGBA base = rgba (dark ? dark_status[s] : light_status[s], 1.0f);

      p->status[s] = base;
      p->fill[s] = s == FERRY_TABLE_STATUS_PENDING ? p->card : mix (&p->card, &base, dark ? 0.16f : 0.10f);
      p->box[s] = mix (&p->card, &base, s == FERRY_TABLE_STATUS_PENDING ? 0.25f : 0.45f);
    }
  /* Excluded tables fade into the background. */
  p->fill[FERRY_TABLE_STATUS_EXCLUDED].alpha = 0.6f;
}


static Lod
lod_for_zoom (double zoom)
{
  if (zoom >= 0.42)
    return LOD_FULL;
  if (zoom >= 0.16)
    return LOD_BOX;
  return LOD_DOT;
}


/* ------------------------------------------------------------------ */
/* Caches                                                             */
/* ------------------------------------------------------------------ */

static void
node_drop_image (FerryGraphView *self,
                 Node           *node)
{
  if (node->image == NULL)
    return;

  self->image_pixels -= (gsize) (node->image_bounds.size.width * node->image_bounds.size.height);
  g_clear_pointer (&node->image_node, gsk_render_node_unref);
  g_clear_pointer (&node->image, cairo_surface_destroy);
}

static void
node_drop_render (FerryGraphView *self,
                  Node           *node)
{
  for (guint l = 0; l < N_LODS; l++)
    g_clear_pointer (&node->render[l], gsk_render_node_unref);
  node_drop_image (self, node);
}

static void
drop_highlight (FerryGraphView *self)
{
  g_clear_pointer (&self->highlight, gsk_render_node_unref);
  self->highlight_node = -1;
}

/* Everything drawn: after a change of theme or font. */
static void
drop_renders (FerryGraphView *self)
{
  for (guint i = 0; i < self->n_nodes; i++)
    {
      node_drop_render (self, &self->nodes[i]);
      g_clear_object (&self->nodes[i].title_layout);
      g_clear_object (&self->nodes[i].subtitle_layout);
      g_clear_object (&self->nodes[i].label_layout);
    }
  drop_highlight (self);
}


static void
update_style (FerryGraphView *self)
{
  gboolean dark = FALSE;

  if (adw_is_initialized ())
    dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  self->dark = dark;
  palette_init (&self->palette, dark);
  drop_renders (self);
  if (self->tiles != NULL)
    {
      FerryGraphEdgeStyle style = { self->palette.edge, self->palette.breaking, 1.35 };

      ferry_graph_tiles_set_style (self->tiles, &style);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
clear_model (FerryGraphView *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  for (guint i = 0; i < self->n_nodes; i++)
    {
      Node *node = &self->nodes[i];

      g_signal_handlers_disconnect_by_func (node->table, status_changed, self);
      node_drop_render (self, node);
      g_clear_object (&node->title_layout);
      g_clear_object (&node->subtitle_layout);
      g_clear_object (&node->label_layout);
      g_free (node->title);
      g_free (node->subtitle);
    }
  g_clear_pointer (&self->nodes, g_free);
  self->n_nodes = 0;
  g_hash_table_remove_all (self->node_of);
  g_clear_pointer (&self->adj_start, g_free);
  g_clear_pointer (&self->adj, g_free);
  g_clear_handle_id (&self->warm_source, g_source_remove);
  g_clear_handle_id (&self->refine_source, g_source_remove);
  g_assert (self->image_pixels == 0);
  g_clear_pointer (&self->tiles, ferry_graph_tiles_free);
  g_clear_pointer (&self->layout, ferry_graph_layout_unref);
  drop_highlight (self);
  self->hover = -1;
  self->selected = -1;
  self->focus_pending = -1;
  self->analyzer = NULL;
}

/* ------------------------------------------------------------------ */
/* The transform                                                      */
/* ------------------------------------------------------------------ */

/* View = graph × zoom + origin; the origin is rounded to whole pixels so
 * that text and borders stay sharp at zoom 1. */
static void
get_origin (FerryGraphView *self,
            double         *ox,
            double         *oy)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));

  *ox = round (w / 2.0 - self->center_x * self->zoom);
  *oy = round (h / 2.0 - self->center_y * self->zoom);
}

static void
view_to_graph (FerryGraphView *self,
               double          x,
               double          y,
               float          *gx,
               float          *gy)
{
  double ox, oy;

  get_origin (self, &ox, &oy);
  *gx = (float) ((x - ox) / self->zoom);
  *gy = (float) ((y - oy) / self->zoom);
}

static void
visible_area (FerryGraphView  *self,
              graphene_rect_t *area)
{
  double ox, oy;

  get_origin (self, &ox, &oy);
  graphene_rect_init (area,
                      (float) (-ox / self->zoom),
                      (float) (-oy / self->zoom),
                      (float) (gtk_widget_get_width (GTK_WIDGET (self)) / self->zoom),
                      (float) (gtk_widget_get_height (GTK_WIDGET (self)) / self->zoom));
}

static double
fit_zoom (FerryGraphView *self)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  double zoom;

  if (self->layout == NULL || w <= 0 || h <= 0)
    return 1.0;

  zoom = MIN (w / self->layout->bounds.size.width, h / self->layout->bounds.size.height);
  return CLAMP (zoom, ZOOM_MIN_FLOOR, 1.0);
}

static double
min_zoom (FerryGraphView *self)
{
  return MAX (ZOOM_MIN_FLOOR, MIN (0.25, fit_zoom (self)));
}

static void
clamp_center (FerryGraphView *self)
{
  if (self->layout == NULL)
    return;

  self->center_x = CLAMP (self->center_x, 0, self->layout->bounds.size.width);
  self->center_y = CLAMP (self->center_y, 0, self->layout->bounds.size.height);
}

/* Zooms keeping the graph point under @x, @y (view) where it is. */
static void
zoom_at (FerryGraphView *self,
         double          zoom,
         double          x,
         double          y)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  double gx, gy;

  zoom = CLAMP (zoom, min_zoom (self), ZOOM_MAX);
  if (zoom == self->zoom)
    return;

  gx = self->center_x + (x - w / 2.0) / self->zoom;
  gy = self->center_y + (y - h / 2.0) / self->zoom;
  self->zoom = zoom;
  self->center_x = gx - (x - w / 2.0) / zoom;
  self->center_y = gy - (y - h / 2.0) / zoom;
  clamp_center (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  ferry_graph_view_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
zoom_centered (FerryGraphView *self,
               double          zoom)
{
  zoom_at (self, zoom,
           gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

static void
center_on_node (FerryGraphView *self,
                int             node)
{
  const graphene_rect_t *r = &self->layout->rects[node];

  if (self->zoom < ZOOM_READABLE)
    {
      self->zoom = MIN (1.0, ZOOM_MAX);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  self->center_x = r->origin.x + r->size.width / 2;
  self->center_y = r->origin.y + r->size.height / 2;
  clamp_center (self);
  ferry_graph_view_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* Drawing                                                            */
/* ------------------------------------------------------------------ */

typedef enum {
  TEXT_TITLE,       /* the table's name */
  TEXT_SUBTITLE,    /* schema · size */
  TEXT_LABEL,       /* the name, twice as large, for the boxes zoomed out */
} TextKind;

static PangoLayout *
make_layout (FerryGraphView *self,
             const char     *text,
             TextKind        kind)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();
  float width = FERRY_GRAPH_NODE_WIDTH - 48;

  switch (kind)
    {
    case TEXT_TITLE:
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_SEMIBOLD));
      break;

    case TEXT_SUBTITLE:
      pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
      break;

    case TEXT_LABEL:
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_SEMIBOLD));
      pango_attr_list_insert (attrs, pango_attr_scale_new (1.9));
      width = FERRY_GRAPH_NODE_WIDTH - 24;
      break;

    default:
      g_assert_not_reached ();
    }

  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_single_paragraph_mode (layout, TRUE);

  return layout;
}


/* A filled rounded rectangle, as a border as thick as the shape: one path
 * fill for the cairo renderer, one shader for GL, no clip. */
static void
append_rounded_fill (GtkSnapshot          *snapshot,
                     const GskRoundedRect *rr,
                     const GdkRGBA        *color)
{
  float w = MIN (rr->bounds.size.width, rr->bounds.size.height) / 2;

  gtk_snapshot_append_border (snapshot, rr,
                              (float[4]) { w, w, w, w },
                              (GdkRGBA[4]) { *color, *color, *color, *color });
}

static void
append_outline (GtkSnapshot          *snapshot,
                const GskRoundedRect *rr,
                float                 top,
                float                 right,
                float                 bottom,
                float                 left,
                const GdkRGBA        *color)
{
  gtk_snapshot_append_border (snapshot, rr,
                              (float[4]) { top, right, bottom, left },
                              (GdkRGBA[4]) { *color, *color, *color, *color });
}

/* A bar from (@x0, @y0) to (@x1, @y1), @width wide. */
static void
append_bar (GtkSnapshot   *snapshot,
            float          x0,
            float          y0,
            float          x1,
            float          y1,
            float          width,
            const GdkRGBA *color)
{
  float length = hypotf (x1 - x0, y1 - y0);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x0, y0));
  gtk_snapshot_rotate (snapshot, atan2f (y1 - y0, x1 - x0) * 180.0f / G_PI);
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (-width / 2, -width / 2, length + width, width));
  gtk_snapshot_restore (snapshot);
}

/* A triangle pointing right, as a border with only its left side
 * coloured: the way CSS draws them. */
static void
append_play (GtkSnapshot   *snapshot,
             float          x,
             float          y,
             float          width,
             float          height,
             const GdkRGBA *color)
{
  GskRoundedRect rr;
  GdkRGBA clear = { 0, 0, 0, 0 };

  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (x, y, width, height), 0);
  gtk_snapshot_append_border (snapshot, &rr,
                              (float[4]) { height / 2, 0, height / 2, width },
                              (GdkRGBA[4]) { clear, clear, clear, *color });
}

static void
append_ring (GtkSnapshot   *snapshot,
             float          cx,
             float          cy,
             float          radius,
             float          width,
             const GdkRGBA *color)
{
  GskRoundedRect rr;

  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (cx - radius, cy - radius, 2 * radius, 2 * radius), radius);
  append_outline (snapshot, &rr, width, width, width, width, color);
}

/* The status as a symbol, so that it is not told by colour alone: an
 * empty ring (pending), a clock (waiting), play (running), a check
 * mark (completed), a cross (failed), skip (skipped), a barred ring
 * (excluded). Drawn with rectangles and borders, which every renderer
 * draws fast and sharp at any zoom; the box is 16 × 16 at @x, @y. */
static void
append_status_mark (GtkSnapshot      *snapshot,
                    FerryTableStatus  status,
                    float             x,
                    float             y,
                    const GdkRGBA    *c)
{
  float cx = x + 8, cy = y + 8;

  switch (status)
    {
    case FERRY_TABLE_STATUS_PENDING:
      append_ring (snapshot, cx, cy, 6, 1.5f, c);
      break;

    case FERRY_TABLE_STATUS_WAITING:
      append_ring (snapshot, cx, cy, 7, 1.5f, c);
      gtk_snapshot_append_color (snapshot, c, &GRAPHENE_RECT_INIT (cx - 0.75f, cy - 4.5f, 1.5f, 5.25f));
      gtk_snapshot_append_color (snapshot, c, &GRAPHENE_RECT_INIT (cx - 0.75f, cy - 0.75f, 4.25f, 1.5f));
      break;

    case FERRY_TABLE_STATUS_RUNNING:
      append_play (snapshot, x + 3.5f, y + 2, 11, 12, c);
      break;

    case FERRY_TABLE_STATUS_COMPLETED:
      append_bar (snapshot, x + 2.5f, y + 8.5f, x + 6, y + 12, 2, c);
      append_bar (snapshot, x + 6, y + 12, x + 13.5f, y + 4, 2, c);
      break;

    case FERRY_TABLE_STATUS_FAILED:
      append_bar (snapshot, x + 3, y + 3, x + 13, y + 13, 2, c);
      append_bar (snapshot, x + 13, y + 3, x + 3, y + 13, 2, c);
      break;

    case FERRY_TABLE_STATUS_SKIPPED:
      append_play (snapshot, x + 2, y + 3, 9, 10, c);
      gtk_snapshot_append_color (snapshot, c, &GRAPHENE_RECT_INIT (x + 11.5f, y + 3, 2, 10));
      break;

    case FERRY_TABLE_STATUS_EXCLUDED:
      append_ring (snapshot, cx, cy, 7, 1.5f, c);
      append_bar (snapshot, cx - 4.5f, cy + 4.5f, cx + 4.5f, cy - 4.5f, 1.5f, c);
      break;

    default:
      break;
    }
}

static GskRenderNode *
render_node (FerryGraphView        *self,
             Node                  *node,
             const graphene_rect_t *r,
             Lod                    lod)
{
  const Palette *p = &self->palette;
  FerryTableStatus s = node->status;
  gboolean strong = s == FERRY_TABLE_STATUS_RUNNING || s == FERRY_TABLE_STATUS_FAILED;
  GtkSnapshot *snapshot;
  GskRoundedRect rr;

  self->n_renders++;

  if (lod == LOD_DOT)
    return gsk_color_node_new (&p->box[s], r);

  snapshot = gtk_snapshot_new ();
  gsk_rounded_rect_init_from_rect (&rr, r, CARD_RADIUS);

  /* Zoomed out, corners and hairlines do not show: rectangles, which
   * are the cheapest thing to draw, and the name in large type, as on a
   * map. */
  if (lod == LOD_BOX)
    {
      int lh;

      if (s == FERRY_TABLE_STATUS_PENDING || strong)
        {
          graphene_rect_t inner = *r;
          float w = strong ? 6.0f : 3.0f;

          gtk_snapshot_append_color (snapshot, strong ? &p->status[s] : &p->edge, r);
          graphene_rect_inset (&inner, w, w);
          gtk_snapshot_append_color (snapshot, &p->box[s], &inner);
        }
      else
        gtk_snapshot_append_color (snapshot, &p->box[s], r);

      if (node->label_layout == NULL)
        node->label_layout = make_layout (self, node->title, TEXT_LABEL);
      pango_layout_get_pixel_size (node->label_layout, NULL, &lh);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (r->origin.x + 12,
                                                              roundf (r->origin.y + (r->size.height - lh) / 2)));
      gtk_snapshot_append_layout (snapshot, node->label_layout, &p->fg);
      gtk_snapshot_restore (snapshot);

      return gtk_snapshot_free_to_node (snapshot);
    }

  /* A card: the fill tinted by status, a stripe in the status colour
   * along the left edge, the status symbol, the name, the schema and size;
   * running tables show their progress. */
  append_rounded_fill (snapshot, &rr, &p->fill[s]);
  append_outline (snapshot, &rr, 0, 0, 0, 4, &p->status[s]);
  {
    float w = strong ? 1.5f : 1.0f;

    append_outline (snapshot, &rr, w, w, w, w, strong ? &p->status[s] : &p->border);
  }

  if (s == FERRY_TABLE_STATUS_RUNNING)
    {
      graphene_rect_t bar = GRAPHENE_RECT_INIT (r->origin.x + 40, r->origin.y + r->size.height - 7,
                                                r->size.width - 52, 3);
      GdkRGBA track = p->status[s];

      track.alpha = 0.22f;
      gtk_snapshot_append_color (snapshot, &track, &bar);
      bar.size.width *= (float) CLAMP (node->fraction, 0, 1);
      gtk_snapshot_append_color (snapshot, &p->status[s], &bar);
    }

  append_status_mark (snapshot, s, r->origin.x + 15, r->origin.y + (r->size.height - 16) / 2, &p->status[s]);

  if (node->title_layout == NULL)
    node->title_layout = make_layout (self, node->title, TEXT_TITLE);
  if (node->subtitle_layout == NULL)
    node->subtitle_layout = make_layout (self, node->subtitle, TEXT_SUBTITLE);

  {
    int th, sh;
    float top;

    pango_layout_get_pixel_size (node->title_layout, NULL, &th);
    pango_layout_get_pixel_size (node->subtitle_layout, NULL, &sh);
    top = roundf (r->origin.y + (r->size.height - th - sh) / 2);
    if (s == FERRY_TABLE_STATUS_RUNNING)
      top -= 2;

    gtk_snapshot_save (snapshot);
    gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (r->origin.x + 40, top));
    gtk_snapshot_append_layout (snapshot, node->title_layout, &p->fg);
    gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, th));
    gtk_snapshot_append_layout (snapshot, node->subtitle_layout, &p->fg_dim);
    gtk_snapshot_restore (snapshot);
  }

  return gtk_snapshot_free_to_node (snapshot);
}

static GskRenderNode *
get_node_render (FerryGraphView *self,
                 guint           i,
                 Lod             lod)
{
  Node *node = &self->nodes[i];

  if (node->render[lod] == NULL)
    node->render[lod] = render_node (self, node, &self->layout->rects[i], lod);

  return node->render[lod];
}

/* Card images */

static gboolean
zoom_resting (FerryGraphView *self)
{
  return g_get_monotonic_time () - self->zoom_changed >= CARD_SETTLE_USEC;
}

/* The card of node @i at the zoom of the view: its render node drawn
 * with the transform of a frame, but for a whole number of pixels, into
 * an image of its own. Copied to the frame, it gives the same pixels as
 * the render node would. */
static void
make_image (FerryGraphView *self,
            guint           i,
            Lod             lod)
{
  Node *node = &self->nodes[i];
  GskRenderNode *vector = get_node_render (self, i, lod);
  float zoom = (float) self->zoom;
  graphene_rect_t b;
  float x0, y0, x1, y1;
  cairo_t *cr;

  node_drop_image (self, node);

  gsk_render_node_get_bounds (vector, &b);
  x0 = floorf (b.origin.x * zoom);
  y0 = floorf (b.origin.y * zoom);
  x1 = ceilf ((b.origin.x + b.size.width) * zoom);
  y1 = ceilf ((b.origin.y + b.size.height) * zoom);
  node->image_bounds = GRAPHENE_RECT_INIT (x0, y0, MAX (x1 - x0, 1), MAX (y1 - y0, 1));

  node->image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                            (int) node->image_bounds.size.width,
                                            (int) node->image_bounds.size.height);
  cr = cairo_create (node->image);
  cairo_translate (cr, -x0, -y0);
  cairo_scale (cr, zoom, zoom);
  gsk_render_node_draw (vector, cr);
  cairo_destroy (cr);

  node->image_node = ferry_graph_image_node_new (node->image, &node->image_bounds);
  node->image_zoom = self->zoom;
  node->image_lod = lod;
  self->image_pixels += (gsize) (node->image_bounds.size.width * node->image_bounds.size.height);
  self->n_images++;
}

static void
append_vector_card (FerryGraphView *self,
                    GtkSnapshot    *snapshot,
                    guint           i,
                    Lod             lod)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_scale (snapshot, (float) self->zoom, (float) self->zoom);
  gtk_snapshot_append_node (snapshot, get_node_render (self, i, lod));
  gtk_snapshot_restore (snapshot);
}

/* Appends the card of node @i, in the pixels of the view's zoom (the
 * caller translates, but does not scale). A frame makes images for a
 * few milliseconds, not while the zoom moves if another zoom's image can
 * stand in, scaled; a card left without an image is drawn as vectors,
 * which costs half as much as making its image. */
static void
append_card (FerryGraphView *self,
             GtkSnapshot    *snapshot,
             guint           i,
             Lod             lod)
{
  Node *node = &self->nodes[i];
  gboolean has_image, stand_in = FALSE;
  gint64 started;

  if (lod == LOD_DOT || !self->card_images)
    {
      append_vector_card (self, snapshot, i, lod);
      return;
    }

  has_image = node->image != NULL && node->image_lod == lod;
  if (has_image && node->image_zoom == self->zoom)
    {
      node->image_used = self->frame;
      gtk_snapshot_append_node (snapshot, node->image_node);
      return;
    }

  if (has_image && !self->no_stand_ins)
    {
      double ratio = self->zoom / node->image_zoom;

      stand_in = ratio >= 0.5 && ratio <= 2.0;
      if (stand_in && (!zoom_resting (self) || self->image_usec >= self->image_budget))
        {
          GskRenderNode *scaled = ferry_graph_scaled_image_node_new (node->image, &node->image_bounds, ratio);

          node->image_used = self->frame;
          gtk_snapshot_append_node (snapshot, scaled);
          gsk_render_node_unref (scaled);
          self->n_stand_ins++;
          return;
        }
    }

  if (self->image_usec >= self->image_budget && !self->no_stand_ins)
    {
      append_vector_card (self, snapshot, i, lod);
      self->n_stand_ins++;
      return;
    }

  started = g_get_monotonic_time ();
  make_image (self, i, lod);
  self->image_usec += g_get_monotonic_time () - started;
  node->image_used = self->frame;
  gtk_snapshot_append_node (snapshot, node->image_node);
}

static int
compare_image_used (gconstpointer a,
                    gconstpointer b)
{
  const Node *x = *(Node * const *) a, *y = *(Node * const *) b;

  return x->image_used < y->image_used ? -1 : x->image_used > y->image_used;
}

/* Beyond the budget, the images drawn longest ago go; not those of this
 * frame. */
static void
evict_images (FerryGraphView *self)
{
  g_autoptr(GPtrArray) old = NULL;

  if (self->image_pixels <= CARD_MAX_PIXELS)
    return;

  old = g_ptr_array_new ();
  for (guint i = 0; i < self->n_nodes; i++)
    if (self->nodes[i].image != NULL && self->nodes[i].image_used < self->frame)
      g_ptr_array_add (old, &self->nodes[i]);
  g_ptr_array_sort (old, compare_image_used);

  for (guint k = 0; k < old->len && self->image_pixels > CARD_MAX_PIXELS; k++)
    node_drop_image (self, g_ptr_array_index (old, k));
}

static gboolean
refine_images (gpointer user_data)
{
  FerryGraphView *self = user_data;

  self->refine_source = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* Cards drawn scaled get their images at this zoom in the next frames:
 * once the zoom rests, then a budget's worth a frame. */
static void
schedule_refine (FerryGraphView *self)
{
  gint64 wait;

  if (self->n_stand_ins == 0 || self->refine_source != 0)
    return;

  wait = CARD_SETTLE_USEC - (g_get_monotonic_time () - self->zoom_changed);
  self->refine_source = g_timeout_add ((guint) (MAX (wait, 0) / 1000 + 1), refine_images, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->refine_source),
                            "[ferry] card images");
}

/* The edges of @node, in the accent colour and wider, as vectors: they
 * are few. Rebuilt when the zoom changes, so that they stay 2 px wide. */
static GskRenderNode *
get_highlight (FerryGraphView *self,
               int             node)
{
  FerryGraphLayout *layout = self->layout;
  g_autoptr(GArray) segments = NULL;
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  FerryGraphEdgeStyle style = { self->palette.accent, self->palette.breaking, 2.0 / self->zoom };
  GskRenderNode *render;
  cairo_t *cr;
  float margin;

  if (self->highlight != NULL && self->highlight_node == node && self->highlight_zoom == self->zoom)
    return self->highlight;

  drop_highlight (self);

  segments = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = self->adj_start[node]; k < self->adj_start[node + 1]; k++)
    {
      const FerryGraphEdge *edge = &layout->edges[self->adj[k]];

      for (guint s = edge->first_segment; s < edge->first_segment + edge->n_segments; s++)
        {
          const FerryGraphSegment *seg = &g_array_index (layout->segments, FerryGraphSegment, s);

          if (segments->len == 0)
            bounds = seg->bounds;
          else
            graphene_rect_union (&bounds, &seg->bounds, &bounds);
          g_array_append_val (segments, s);
        }
    }

  if (segments->len == 0)
    return NULL;

  margin = (float) (MAX (FERRY_GRAPH_ARROW_LENGTH, 5.0 / self->zoom) + 4.0 / self->zoom);
  graphene_rect_inset (&bounds, -margin, -margin);
  render = gsk_cairo_node_new (&bounds);
  cr = gsk_cairo_node_get_draw_context (render);
  ferry_graph_draw_edges (cr, layout, (const guint *) (gpointer) segments->data, segments->len,
                          self->zoom, &style);
  cairo_destroy (cr);

  self->highlight = render;
  self->highlight_node = node;
  self->highlight_zoom = self->zoom;
  self->n_renders++;

  return self->highlight;
}

/* In the pixels of the view's zoom, as append_card(). Zoomed out, the
 * tables are plain rectangles, cheaper to draw than to copy: under one
 * scale, as vectors. */
static void
append_visible_nodes (FerryGraphView        *self,
                      GtkSnapshot           *snapshot,
                      const graphene_rect_t *area,
                      Lod                    lod)
{
  FerryGraphLayout *layout = self->layout;
  gboolean vector = lod == LOD_DOT || !self->card_images;

  if (vector)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_scale (snapshot, (float) self->zoom, (float) self->zoom);
    }

  for (guint l = 0; l < layout->n_columns; l++)
    {
      float x = layout->column_x[l];
      guint lo, hi;

      if (x > area->origin.x + area->size.width || x + FERRY_GRAPH_NODE_WIDTH < area->origin.x)
        continue;

      /* The first node of the column whose bottom is in view. */
      lo = layout->column_start[l];
      hi = layout->column_start[l + 1];
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;
          const graphene_rect_t *r = &layout->rects[layout->column_nodes[mid]];

          if (r->origin.y + r->size.height < area->origin.y)
            lo = mid + 1;
          else
            hi = mid;
        }

      for (guint k = lo; k < layout->column_start[l + 1]; k++)
        {
          guint v = layout->column_nodes[k];

          if (layout->rects[v].origin.y > area->origin.y + area->size.height)
            break;
          if (vector)
            gtk_snapshot_append_node (snapshot, get_node_render (self, v, lod));
          else
            append_card (self, snapshot, v, lod);
        }
    }

  if (vector)
    gtk_snapshot_restore (snapshot);
}

/* The highlighted edges of @node, in graph units. */
static void
append_highlight (FerryGraphView *self,
                  GtkSnapshot    *snapshot,
                  int             node)
{
  GskRenderNode *edges = get_highlight (self, node);

  if (edges == NULL)
    return;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_scale (snapshot, (float) self->zoom, (float) self->zoom);
  gtk_snapshot_append_node (snapshot, edges);
  gtk_snapshot_restore (snapshot);
}

/* In pixels, as append_card(); only the cards in @area. */
static void
append_neighbourhood (FerryGraphView        *self,
                      GtkSnapshot           *snapshot,
                      const graphene_rect_t *area,
                      int                    node,
                      Lod                    lod)
{
  const graphene_rect_t *rects = self->layout->rects;

  append_highlight (self, snapshot, node);

  for (guint k = self->adj_start[node]; k < self->adj_start[node + 1]; k++)
    {
      const FerryGraphEdge *edge = &self->layout->edges[self->adj[k]];

      if (graphene_rect_intersection (area, &rects[edge->parent], NULL))
        append_card (self, snapshot, edge->parent, lod);
      if (edge->child != edge->parent && graphene_rect_intersection (area, &rects[edge->child], NULL))
        append_card (self, snapshot, edge->child, lod);
    }
  append_card (self, snapshot, (guint) node, lod);
}

static void
snapshot_message (FerryGraphView *self,
                  GtkSnapshot    *snapshot,
                  const char     *message)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), message);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT ((gtk_widget_get_width (GTK_WIDGET (self)) - w) / 2,
                                                (gtk_widget_get_height (GTK_WIDGET (self)) - h) / 2));
  gtk_snapshot_append_layout (snapshot, layout, &self->palette.fg_dim);
  gtk_snapshot_restore (snapshot);
}

static void
ferry_graph_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (widget);
  FerryGraphLayout *layout = self->layout;
  graphene_rect_t area;
  double ox, oy;
  Lod lod;
  int focus;

  /* The view's own background: the veil that dims it on hover must be
   * of the same colour. */
  gtk_snapshot_append_color (snapshot, &self->palette.background,
                             &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget), gtk_widget_get_height (widget)));

  if (layout == NULL)
    {
      if (self->cancellable != NULL)
        {
          g_autofree char *message = g_strdup_printf (ngettext ("Laying out %u table…",
                                                                "Laying out %u tables…",
                                                                self->n_nodes),
                                                      self->n_nodes);
          snapshot_message (self, snapshot, message);
        }
      return;
    }

  lod = lod_for_zoom (self->zoom);
  visible_area (self, &area);
  get_origin (self, &ox, &oy);

  self->frame++;
  self->image_usec = 0;
  self->n_stand_ins = 0;
  if (self->zoom != self->image_zoom)
    {
      self->image_zoom = self->zoom;
      self->zoom_changed = g_get_monotonic_time ();
    }

  /* Cards are drawn in pixels, the rest in graph units. */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) ox, (float) oy));

  focus = self->hover >= 0 ? self->hover : -1;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_scale (snapshot, (float) self->zoom, (float) self->zoom);
  ferry_graph_tiles_snapshot (self->tiles, snapshot, &area, self->zoom);
  gtk_snapshot_restore (snapshot);

  append_visible_nodes (self, snapshot, &area, lod);

  /* Hovering dims everything but the table and its neighbours: a veil of
   * the background over what is drawn (cheaper than an opacity group),
   * and the neighbourhood drawn again on top, from the same images. */
  if (focus >= 0)
    {
      GdkRGBA veil = self->palette.background;

      veil.alpha = 0.72f;
      gtk_snapshot_append_color (snapshot, &veil,
                                 &GRAPHENE_RECT_INIT ((float) -ox, (float) -oy,
                                                      gtk_widget_get_width (widget),
                                                      gtk_widget_get_height (widget)));
      append_neighbourhood (self, snapshot, &area, focus, lod);
    }
  else if (self->selected >= 0)
    {
      append_highlight (self, snapshot, self->selected);
      append_card (self, snapshot, (guint) self->selected, lod);
    }

  schedule_refine (self);
  evict_images (self);

  gtk_snapshot_scale (snapshot, (float) self->zoom, (float) self->zoom);

  /* The table under the pointer, outlined. */
  if (focus >= 0)
    {
      GskRoundedRect rr;
      float w = (float) MAX (1.5, 1.5 / self->zoom);

      gsk_rounded_rect_init_from_rect (&rr, &layout->rects[focus], CARD_RADIUS);
      append_outline (snapshot, &rr, w, w, w, w, &self->palette.accent);
    }

  if (self->selected >= 0)
    {
      graphene_rect_t r = layout->rects[self->selected];
      float width = (float) MAX (2.0, 2.0 / self->zoom);
      GskRoundedRect ring;
      GdkRGBA c = self->palette.accent;

      graphene_rect_inset (&r, -(width + 1.5f), -(width + 1.5f));
      gsk_rounded_rect_init_from_rect (&ring, &r, CARD_RADIUS + width + 1.5f);
      gtk_snapshot_append_border (snapshot, &ring, (float[4]) { width, width, width, width },
                                  (GdkRGBA[4]) { c, c, c, c });
    }

  gtk_snapshot_restore (snapshot);
}

/* ------------------------------------------------------------------ */
/* The model                                                          */
/* ------------------------------------------------------------------ */

static gboolean
status_changed_in_main (gpointer data)
{
  GObject **pair = data;

  status_changed (FERRY_TABLE (pair[1]), NULL, FERRY_GRAPH_VIEW (pair[0]));
  g_object_unref (pair[0]);
  g_object_unref (pair[1]);
  g_free (pair);
  return G_SOURCE_REMOVE;
}

static void
status_changed (FerryTable     *table,
                GParamSpec     *pspec,
                FerryGraphView *self)
{
  guint i;
  FerryTableStatus status;
  double fraction;
  Node *node;

  /* The coordinator sets statuses on the main context; should anything
   * else do it from a thread, the widget is only touched there. */
  if (!g_main_context_is_owner (g_main_context_default ()))
    {
      GObject **pair = g_new (GObject *, 2);

      pair[0] = g_object_ref (G_OBJECT (self));
      pair[1] = g_object_ref (G_OBJECT (table));
      g_main_context_invoke (NULL, status_changed_in_main, pair);
      return;
    }

  i = GPOINTER_TO_UINT (g_hash_table_lookup (self->node_of, table));
  if (i == 0 || self->nodes == NULL)
    return;
  node = &self->nodes[i - 1];

  status = ferry_table_get_status (table);
  fraction = ferry_table_get_fraction (table);

  /* Progress only shows while running; at most one redraw per percent. */
  if (status == node->status &&
      (status != FERRY_TABLE_STATUS_RUNNING || floor (fraction * 100) == floor (node->fraction * 100)))
    return;

  node->status = status;
  node->fraction = fraction;
  node_drop_render (self, node);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static guint64
unit_size (FerryTable *table)
{
  GPtrArray *partitions = ferry_table_get_partitions (table);
  guint64 size = 0;

  if (ferry_table_get_kind (table) != FERRY_TABLE_KIND_PARTITIONED ||
      partitions == NULL || partitions->len == 0)
    return ferry_table_get_size_bytes (table);

  for (guint i = 0; i < partitions->len; i++)
    size += ferry_table_get_size_bytes (g_ptr_array_index (partitions, i));

  return MAX (size, ferry_table_get_size_bytes (table));
}

static void
tiles_ready (FerryGraphView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Makes the PangoLayouts of the tables ahead of the first frame that
 * shows them, a few milliseconds at a time. */
static gboolean
warm_text (gpointer user_data)
{
  FerryGraphView *self = user_data;
  gint64 until = g_get_monotonic_time () + 3000;

  while (self->warm_next < self->n_nodes)
    {
      Node *node = &self->nodes[self->warm_next++];

      if (node->title_layout == NULL)
        node->title_layout = make_layout (self, node->title, TEXT_TITLE);
      if (node->subtitle_layout == NULL)
        node->subtitle_layout = make_layout (self, node->subtitle, TEXT_SUBTITLE);
      if (node->label_layout == NULL)
        node->label_layout = make_layout (self, node->title, TEXT_LABEL);

      if (g_get_monotonic_time () >= until)
        return G_SOURCE_CONTINUE;
    }

  self->warm_source = 0;
  return G_SOURCE_REMOVE;
}

static void
layout_ready (FerryGraphView   *self,
              FerryGraphLayout *layout)
{
  FerryGraphEdgeStyle style = { self->palette.edge, self->palette.breaking, 1.35 };

  self->layout = layout;
  self->n_layouts++;
  self->tiles = ferry_graph_tiles_new (layout, G_CALLBACK (tiles_ready), self);
  ferry_graph_tiles_set_style (self->tiles, &style);

  self->warm_next = 0;
  self->warm_source = g_idle_add_full (G_PRIORITY_LOW, warm_text, self, NULL);

  g_debug ("Laid out %u tables, %u edges (%u dummies) in %.1f ms: %u crossings after %u sweeps",
           layout->n_nodes, layout->n_edges, layout->n_dummies,
           layout->elapsed_usec / 1000.0, layout->n_crossings, layout->n_sweeps);

  if (self->focus_pending >= 0)
    {
      center_on_node (self, self->focus_pending);
      self->focus_pending = -1;
      self->fit_pending = FALSE;
    }
  else if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    {
      ferry_graph_view_zoom_fit (self);
      self->fit_pending = FALSE;
    }

  ferry_graph_view_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
layout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FerryGraphLayout *layout = task_data;

  ferry_graph_layout_run (layout);
  g_task_return_pointer (task, layout, (GDestroyNotify) ferry_graph_layout_unref);
}

static void
layout_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (object);
  FerryGraphLayout *layout;

  /* NULL when cancelled: the plan was replaced, or the view disposed. */
  layout = g_task_propagate_pointer (G_TASK (result), NULL);
  if (layout == NULL)
    return;

  g_clear_object (&self->cancellable);
  layout_ready (self, layout);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
build_model (FerryGraphView *self)
{
  GPtrArray *order, *fks;
  g_autoptr(GHashTable) edge_of = NULL;
  g_autoptr(GArray) edges = NULL;
  g_autofree int *levels = NULL;
  FerryGraphLayout *layout;

  self->analyzer = ferry_plan_get_analyzer (self->plan);
  order = ferry_analyzer_get_order (self->analyzer);

  self->n_nodes = order->len;
  self->nodes = g_new0 (Node, MAX (order->len, 1));
  levels = g_new (int, MAX (order->len, 1));

  for (guint i = 0; i < order->len; i++)
    {
      FerryTable *table = g_ptr_array_index (order, i);
      Node *node = &self->nodes[i];
      g_autofree char *size = ferry_format_bytes (unit_size (table));

      node->table = table;
      node->status = ferry_table_get_status (table);
      node->fraction = ferry_table_get_fraction (table);
      node->title = g_strdup (ferry_table_get_name (table));
      node->subtitle = g_strdup_printf ("%s · %s", ferry_table_get_schema (table), size);
      levels[i] = ferry_analyzer_get_level (self->analyzer, table);
      g_hash_table_insert (self->node_of, table, GUINT_TO_POINTER (i + 1));

      g_signal_connect_object (table, "notify::status", G_CALLBACK (status_changed), self, 0);
      g_signal_connect_object (table, "notify::fraction", G_CALLBACK (status_changed), self, 0);
    }

  /* One edge per pair of tables, whatever the number of FKs; dashed
   * when the analyzer breaks it. External edges have no node to go to. */
  edges = g_array_new (FALSE, FALSE, sizeof (FerryGraphEdgeInput));
  edge_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  fks = ferry_analyzer_get_foreign_keys (self->analyzer);

  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);
      FerryTable *parent, *child;
      guint p, c;
      gint64 key;
      gpointer found;

      if (ferry_analyzer_is_external_edge (self->analyzer, fk))
        continue;

      parent = ferry_analyzer_get_unit (self->analyzer, fk->parent);
      child = ferry_analyzer_get_unit (self->analyzer, fk->child);
      if (parent == NULL || child == NULL)
        continue;

      p = GPOINTER_TO_UINT (g_hash_table_lookup (self->node_of, parent));
      c = GPOINTER_TO_UINT (g_hash_table_lookup (self->node_of, child));
      if (p == 0 || c == 0)
        continue;

      key = ((gint64) p << 32) | c;
      if (g_hash_table_lookup_extended (edge_of, &key, NULL, &found))
        {
          FerryGraphEdgeInput *in = &g_array_index (edges, FerryGraphEdgeInput, GPOINTER_TO_UINT (found));

          in->breaking |= ferry_analyzer_is_breaking_edge (self->analyzer, fk);
        }
      else
        {
          FerryGraphEdgeInput in = {
            .parent = p - 1,
            .child = c - 1,
            .breaking = ferry_analyzer_is_breaking_edge (self->analyzer, fk),
          };

          g_hash_table_insert (edge_of, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (edges->len));
          g_array_append_val (edges, in);
        }
    }

  /* The edges of each node, for hovering. */
  self->adj_start = g_new0 (guint, self->n_nodes + 1);
  self->adj = g_new (guint, MAX (edges->len, 1) * 2);
  for (guint e = 0; e < edges->len; e++)
    {
      const FerryGraphEdgeInput *in = &g_array_index (edges, FerryGraphEdgeInput, e);

      self->adj_start[in->parent + 1]++;
      if (in->child != in->parent)
        self->adj_start[in->child + 1]++;
    }
  for (guint i = 0; i < self->n_nodes; i++)
    self->adj_start[i + 1] += self->adj_start[i];
  {
    g_autofree guint *fill = g_memdup2 (self->adj_start, sizeof (guint) * MAX (self->n_nodes, 1));

    for (guint e = 0; e < edges->len; e++)
      {
        const FerryGraphEdgeInput *in = &g_array_index (edges, FerryGraphEdgeInput, e);

        self->adj[fill[in->parent]++] = e;
        if (in->child != in->parent)
          self->adj[fill[in->child]++] = e;
      }
  }

  layout = ferry_graph_layout_new (self->n_nodes, levels, edges->len,
                                   (const FerryGraphEdgeInput *) (gpointer) edges->data);

  if (self->n_nodes >= self->async_threshold)
    {
      g_autoptr(GTask) task = NULL;

      self->cancellable = g_cancellable_new ();
      task = g_task_new (self, self->cancellable, layout_done, NULL);
      g_task_set_source_tag (task, build_model);
      g_task_set_task_data (task, layout, NULL);
      g_task_run_in_thread (task, layout_thread);
    }
  else
    {
      ferry_graph_layout_run (layout);
      layout_ready (self, layout);
    }
}

/* ------------------------------------------------------------------ */
/* Selection and hovering                                             */
/* ------------------------------------------------------------------ */

static void
select_node (FerryGraphView *self,
             int             node)
{
  if (self->selected == node)
    return;

  self->selected = node;
  drop_highlight (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TABLE]);
  g_signal_emit (self, signals[TABLE_SELECTED], 0,
                 node >= 0 ? self->nodes[node].table : NULL);
}

static void
set_hover (FerryGraphView *self,
           int             node)
{
  if (self->hover == node)
    return;

  self->hover = node;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   self->dragging ? "grabbing" : node >= 0 ? "pointer" : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static int
node_at (FerryGraphView *self,
         double          x,
         double          y)
{
  float gx, gy;

  if (self->layout == NULL)
    return -1;

  view_to_graph (self, x, y, &gx, &gy);
  return ferry_graph_layout_hit (self->layout, gx, gy);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           FerryGraphView           *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  if (!self->dragging)
    set_hover (self, node_at (self, x, y));
}

static void
leave_cb (GtkEventControllerMotion *controller,
          FerryGraphView           *self)
{
  self->pointer_inside = FALSE;
  if (!self->dragging)
    set_hover (self, -1);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  FerryGraphView  *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   FerryGraphView  *self)
{
  int node = node_at (self, x, y);

  select_node (self, node);
  if (n_press == 2 && node >= 0)
    g_signal_emit (self, signals[TABLE_ACTIVATED], 0, self->nodes[node].table);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               FerryGraphView *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (button != GDK_BUTTON_PRIMARY && button != GDK_BUTTON_MIDDLE)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_center_x = self->center_x;
  self->drag_center_y = self->center_y;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                FerryGraphView *self)
{
  if (!self->dragging)
    {
      if (hypot (dx, dy) < DRAG_THRESHOLD)
        return;
      self->dragging = TRUE;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
      set_hover (self, -1);
    }

  self->center_x = self->drag_center_x - dx / self->zoom;
  self->center_y = self->drag_center_y - dy / self->zoom;
  clamp_center (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             FerryGraphView *self)
{
  if (!self->dragging)
    return;

  self->dragging = FALSE;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), NULL);
  if (self->pointer_inside)
    set_hover (self, node_at (self, self->pointer_x, self->pointer_y));
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           FerryGraphView           *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;

  if (self->layout == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      double x = self->pointer_inside ? self->pointer_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      double y = self->pointer_inside ? self->pointer_y : gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
      double factor = pow (wheel ? 1.2 : 1.01, -dy);

      zoom_at (self, self->zoom * factor, x, y);
      return TRUE;
    }

  /* Without Ctrl, scrolling pans; Shift turns a wheel sideways. */
  if (wheel)
    {
      dx *= 48;
      dy *= 48;
    }
  if ((state & GDK_SHIFT_MASK) && dx == 0)
    {
      dx = dy;
      dy = 0;
    }
  self->center_x += dx / self->zoom;
  self->center_y += dy / self->zoom;
  clamp_center (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->pointer_inside)
    set_hover (self, node_at (self, self->pointer_x, self->pointer_y));

  return TRUE;
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               FerryGraphView   *self)
{
  self->gesture_zoom = self->zoom;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       FerryGraphView *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  zoom_at (self, self->gesture_zoom * scale, x, y);
}

static gboolean
query_tooltip_cb (GtkWidget      *widget,
                  int             x,
                  int             y,
                  gboolean        keyboard,
                  GtkTooltip     *tooltip,
                  FerryGraphView *self)
{
  int i = node_at (self, x, y);
  FerryTable *table;
  g_autofree char *size = NULL;
  g_autofree char *markup = NULL;
  g_autoptr(GPtrArray) parents = NULL;
  g_autoptr(GPtrArray) children = NULL;

  if (i < 0 || self->dragging)
    return FALSE;

  table = self->nodes[i].table;
  size = ferry_format_bytes (unit_size (table));
  parents = ferry_analyzer_dup_parents (self->analyzer, table);
  children = ferry_analyzer_dup_children (self->analyzer, table);
  markup = g_markup_printf_escaped ("<b>%s</b>\n%s · ~%" G_GINT64_FORMAT " rows\n"
                                    "%s · %s %d\n%s %u · %s %u",
                                    ferry_table_get_display_name (table),
                                    size, MAX (ferry_table_get_row_estimate (table), 0),
                                    ferry_table_status_to_string (self->nodes[i].status),
                                    _("level"), ferry_analyzer_get_level (self->analyzer, table),
                                    _("parents"), parents->len,
                                    _("children"), children->len);
  gtk_tooltip_set_markup (tooltip, markup);

  {
    graphene_rect_t r = self->layout->rects[i];
    double ox, oy;

    get_origin (self, &ox, &oy);
    gtk_tooltip_set_tip_area (tooltip,
                              &(GdkRectangle) {
                                (int) floor (ox + r.origin.x * self->zoom),
                                (int) floor (oy + r.origin.y * self->zoom),
                                (int) ceil (r.size.width * self->zoom),
                                (int) ceil (r.size.height * self->zoom),
                              });
  }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Actions                                                            */
/* ------------------------------------------------------------------ */

static void
ferry_graph_view_update_actions (FerryGraphView *self)
{
  gboolean laid_out = self->layout != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "graph.zoom-in",
                                 laid_out && self->zoom < ZOOM_MAX);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "graph.zoom-out",
                                 laid_out && self->zoom > min_zoom (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "graph.zoom-fit", laid_out);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "graph.zoom-reset", laid_out);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "graph.unselect", self->selected >= 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "graph.activate", self->selected >= 0);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (widget);

  if (g_str_equal (action_name, "graph.zoom-in"))
    ferry_graph_view_zoom_in (self);
  else if (g_str_equal (action_name, "graph.zoom-out"))
    ferry_graph_view_zoom_out (self);
  else if (g_str_equal (action_name, "graph.zoom-fit"))
    ferry_graph_view_zoom_fit (self);
  else if (g_str_equal (action_name, "graph.zoom-reset"))
    ferry_graph_view_zoom_reset (self);
}

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (widget);
  double dx, dy;

  g_variant_get (parameter, "(dd)", &dx, &dy);
  self->center_x += dx / self->zoom;
  self->center_y += dy / self->zoom;
  clamp_center (self);
  gtk_widget_queue_draw (widget);
}

static void
selection_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (widget);

  if (g_str_equal (action_name, "graph.unselect"))
    select_node (self, -1);
  else if (self->selected >= 0)
    g_signal_emit (self, signals[TABLE_ACTIVATED], 0, self->nodes[self->selected].table);
}

/* ------------------------------------------------------------------ */
/* GObject                                                            */
/* ------------------------------------------------------------------ */

static void
ferry_graph_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (widget);

  if (self->fit_pending && self->layout != NULL && width > 0 && height > 0)
    {
      self->fit_pending = FALSE;
      ferry_graph_view_zoom_fit (self);
    }
  else if (self->layout != NULL && self->zoom < min_zoom (self))
    zoom_centered (self, min_zoom (self));

  ferry_graph_view_update_actions (self);
}

static void
ferry_graph_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 600;
}

static void
ferry_graph_view_system_setting_changed (GtkWidget        *widget,
                                         GtkSystemSetting  setting)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (widget);

  GTK_WIDGET_CLASS (ferry_graph_view_parent_class)->system_setting_changed (widget, setting);

  if (setting == GTK_SYSTEM_SETTING_FONT_NAME ||
      setting == GTK_SYSTEM_SETTING_FONT_CONFIG ||
      setting == GTK_SYSTEM_SETTING_DPI)
    drop_renders (self);
  gtk_widget_queue_draw (widget);
}

static void
ferry_graph_view_dispose (GObject *object)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (object);

  clear_model (self);
  g_clear_object (&self->plan);

  G_OBJECT_CLASS (ferry_graph_view_parent_class)->dispose (object);
}

static void
ferry_graph_view_finalize (GObject *object)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (object);

  g_clear_pointer (&self->node_of, g_hash_table_unref);

  G_OBJECT_CLASS (ferry_graph_view_parent_class)->finalize (object);
}

static void
ferry_graph_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (object);

  switch (prop_id)
    {
    case PROP_PLAN:
      g_value_set_object (value, self->plan);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, ferry_graph_view_get_loading (self));
      break;

    case PROP_SELECTED_TABLE:
      g_value_set_object (value, ferry_graph_view_get_selected_table (self));
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_graph_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FerryGraphView *self = FERRY_GRAPH_VIEW (object);

  switch (prop_id)
    {
    case PROP_PLAN:
      ferry_graph_view_set_plan (self, g_value_get_object (value));
      break;

    case PROP_SELECTED_TABLE:
      ferry_graph_view_set_selected_table (self, g_value_get_object (value));
      break;

    case PROP_ZOOM:
      ferry_graph_view_set_zoom (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_graph_view_class_init (FerryGraphViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_graph_view_dispose;
  object_class->finalize = ferry_graph_view_finalize;
  object_class->get_property = ferry_graph_view_get_property;
  object_class->set_property = ferry_graph_view_set_property;

  widget_class->snapshot = ferry_graph_view_snapshot;
  widget_class->size_allocate = ferry_graph_view_size_allocate;
  widget_class->measure = ferry_graph_view_measure;
  widget_class->system_setting_changed = ferry_graph_view_system_setting_changed;

  /**
   * FerryGraphView:plan:
   *
   * The plan whose tables and foreign keys are drawn.
   */
  properties[PROP_PLAN] =
    g_param_spec_object ("plan", NULL, NULL,
                         FERRY_TYPE_PLAN,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryGraphView:loading:
   *
   * Whether the layout of a large plan is being computed.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FerryGraphView:selected-table:
   *
   * The table clicked, focused or set, or %NULL.
   */
  properties[PROP_SELECTED_TABLE] =
    g_param_spec_object ("selected-table", NULL, NULL,
                         FERRY_TYPE_TABLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * FerryGraphView:zoom:
   *
   * The scale: 1.0 is 100%.
   */
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         ZOOM_MIN_FLOOR, ZOOM_MAX, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryGraphView::table-selected:
   * @table: (nullable): the table now selected, or %NULL
   *
   * The selection changed: a click on a table (or the background),
   * ferry_graph_view_focus_table() or ferry_graph_view_set_selected_table().
   */
  signals[TABLE_SELECTED] =
    g_signal_new ("table-selected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FERRY_TYPE_TABLE);

  /**
   * FerryGraphView::table-activated:
   * @table: the table
   *
   * A double click on a table, or Enter with a table selected.
   */
  signals[TABLE_ACTIVATED] =
    g_signal_new ("table-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FERRY_TYPE_TABLE);

  /**
   * FerryGraphView::focus-table:
   * @table: a table of the plan
   *
   * An action signal: ferry_graph_view_focus_table() for those who only
   * know the view by its type name.
   */
  signals[FOCUS_TABLE] =
    g_signal_new_class_handler ("focus-table",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                G_CALLBACK (ferry_graph_view_focus_table),
                                NULL, NULL, NULL,
                                G_TYPE_NONE, 1, FERRY_TYPE_TABLE);

  gtk_widget_class_install_action (widget_class, "graph.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "graph.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "graph.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "graph.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "graph.pan", "(dd)", pan_action);
  gtk_widget_class_install_action (widget_class, "graph.unselect", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "graph.activate", NULL, selection_action);

  /* As in Image Viewer: Ctrl+0 fits, Ctrl+1 is 100%. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "graph.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "graph.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "graph.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "graph.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "graph.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "graph.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "graph.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "graph.pan", "(dd)", -64.0, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "graph.pan", "(dd)", 64.0, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "graph.pan", "(dd)", 0.0, -64.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "graph.pan", "(dd)", 0.0, 64.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "graph.unselect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "graph.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "graph.activate", NULL);

  gtk_widget_class_set_css_name (widget_class, "ferrygraphview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ferry_graph_view_init (FerryGraphView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->node_of = g_hash_table_new (NULL, NULL);
  self->zoom = 1.0;
  self->hover = -1;
  self->selected = -1;
  self->focus_pending = -1;
  self->highlight_node = -1;
  self->async_threshold = DEFAULT_ASYNC_THRESHOLD;
  self->card_images = TRUE;
  self->image_budget = CARD_BUDGET_USEC;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  g_signal_connect (gesture, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  if (adw_is_initialized ())
    g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                             G_CALLBACK (update_style), self, G_CONNECT_SWAPPED);
  update_style (self);
  ferry_graph_view_update_actions (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */
/* ------------------------------------------------------------------ */

/**
 * ferry_graph_view_new:
 *
 * Returns: (transfer floating): a new, empty #FerryGraphView
 */
GtkWidget *
ferry_graph_view_new (void)
{
  return g_object_new (FERRY_TYPE_GRAPH_VIEW, NULL);
}

FerryPlan *
ferry_graph_view_get_plan (FerryGraphView *self)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), NULL);

  return self->plan;
}

/**
 * ferry_graph_view_set_plan:
 * @self: a #FerryGraphView
 * @plan: (nullable): the plan to draw
 *
 * Lays out the plan's tables (the analyzer's units) and foreign keys
 * and fits them in the view. Small plans are laid out right away; from
 * a few thousand tables on, in a worker thread, with #FerryGraphView:loading
 * set meanwhile. The view follows the tables' status from then on.
 */
void
ferry_graph_view_set_plan (FerryGraphView *self,
                           FerryPlan      *plan)
{
  gboolean was_selected, was_loading;

  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));
  g_return_if_fail (plan == NULL || FERRY_IS_PLAN (plan));

  if (self->plan == plan)
    return;

  was_selected = self->selected >= 0;
  was_loading = ferry_graph_view_get_loading (self);

  clear_model (self);
  g_set_object (&self->plan, plan);
  self->fit_pending = TRUE;

  if (plan != NULL)
    build_model (self);

  ferry_graph_view_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
  if (was_loading != ferry_graph_view_get_loading (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  if (was_selected)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TABLE]);
      g_signal_emit (self, signals[TABLE_SELECTED], 0, NULL);
    }
}

gboolean
ferry_graph_view_get_loading (FerryGraphView *self)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * ferry_graph_view_get_selected_table:
 *
 * Returns: (transfer none) (nullable): the selected table
 */
FerryTable *
ferry_graph_view_get_selected_table (FerryGraphView *self)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), NULL);

  return self->selected >= 0 ? self->nodes[self->selected].table : NULL;
}

/* The node of @table: its own, or its unit's for a partition. */
static int
lookup_node (FerryGraphView *self,
             FerryTable     *table)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (self->node_of, table));

  if (i == 0 && self->analyzer != NULL)
    {
      FerryTable *unit = ferry_analyzer_get_unit (self->analyzer, table);

      if (unit != NULL)
        i = GPOINTER_TO_UINT (g_hash_table_lookup (self->node_of, unit));
    }

  return (int) i - 1;
}

/**
 * ferry_graph_view_set_selected_table:
 * @table: (nullable): a table of the plan (a partition selects its
 *   partitioned table), or %NULL
 *
 * Selects @table without moving the view.
 */
void
ferry_graph_view_set_selected_table (FerryGraphView *self,
                                     FerryTable     *table)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));
  g_return_if_fail (table == NULL || FERRY_IS_TABLE (table));

  select_node (self, table != NULL ? lookup_node (self, table) : -1);
  ferry_graph_view_update_actions (self);
}

/**
 * ferry_graph_view_focus_table:
 * @table: a table of the plan
 *
 * Selects @table and centres the view on it, zooming in to a readable
 * size if the view is zoomed out further: what the page's search does.
 */
void
ferry_graph_view_focus_table (FerryGraphView *self,
                              FerryTable     *table)
{
  int node;

  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));
  g_return_if_fail (FERRY_IS_TABLE (table));

  node = lookup_node (self, table);
  if (node < 0)
    return;

  select_node (self, node);
  ferry_graph_view_update_actions (self);

  if (self->layout != NULL)
    {
      self->fit_pending = FALSE;
      center_on_node (self, node);
    }
  else
    self->focus_pending = node;
}

double
ferry_graph_view_get_zoom (FerryGraphView *self)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), 1.0);

  return self->zoom;
}

/**
 * ferry_graph_view_set_zoom:
 * @zoom: the scale, 1.0 for 100%
 *
 * Zooms around the centre of the view. The zoom is clamped between
 * what fits the whole graph (or 25%, if that is smaller) and 400%.
 */
void
ferry_graph_view_set_zoom (FerryGraphView *self,
                           double          zoom)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  zoom_centered (self, zoom);
}

void
ferry_graph_view_zoom_in (FerryGraphView *self)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  zoom_centered (self, self->zoom * ZOOM_STEP);
}

void
ferry_graph_view_zoom_out (FerryGraphView *self)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  zoom_centered (self, self->zoom / ZOOM_STEP);
}

/**
 * ferry_graph_view_zoom_fit:
 *
 * Shows the whole graph (at 100% at most), centred.
 */
void
ferry_graph_view_zoom_fit (FerryGraphView *self)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  if (self->layout == NULL)
    {
      self->fit_pending = TRUE;
      return;
    }

  self->center_x = self->layout->bounds.size.width / 2.0;
  self->center_y = self->layout->bounds.size.height / 2.0;
  if (self->zoom != fit_zoom (self))
    {
      self->zoom = fit_zoom (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  ferry_graph_view_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * ferry_graph_view_zoom_reset:
 *
 * Zooms to 100%, around the selected table if it is on screen.
 */
void
ferry_graph_view_zoom_reset (FerryGraphView *self)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  if (self->selected >= 0 && self->layout != NULL)
    {
      graphene_rect_t area;

      visible_area (self, &area);
      if (graphene_rect_intersection (&area, &self->layout->rects[self->selected], NULL))
        {
          if (self->zoom != 1.0)
            {
              self->zoom = 1.0;
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
            }
          center_on_node (self, self->selected);
          return;
        }
    }

  zoom_centered (self, 1.0);
}

/* ------------------------------------------------------------------ */
/* For the tests and the benchmark                                    */
/* ------------------------------------------------------------------ */

FerryGraphLayout *
ferry_graph_view_get_layout (FerryGraphView *self)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), NULL);

  return self->layout;
}

guint
ferry_graph_view_get_n_layouts (FerryGraphView *self)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), 0);

  return self->n_layouts;
}

int
ferry_graph_view_get_node (FerryGraphView *self,
                           FerryTable     *table)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), -1);

  return lookup_node (self, table);
}

FerryTable *
ferry_graph_view_get_node_table (FerryGraphView *self,
                                 guint           node)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), NULL);
  g_return_val_if_fail (node < self->n_nodes, NULL);

  return self->nodes[node].table;
}

gboolean
ferry_graph_view_is_node_cached (FerryGraphView *self,
                                 guint           node)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), FALSE);
  g_return_val_if_fail (node < self->n_nodes, FALSE);

  for (guint l = 0; l < N_LODS; l++)
    if (self->nodes[node].render[l] != NULL)
      return TRUE;
  return FALSE;
}

guint
ferry_graph_view_get_n_cached_nodes (FerryGraphView *self)
{
  guint n = 0;

  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), 0);

  for (guint i = 0; i < self->n_nodes; i++)
    n += ferry_graph_view_is_node_cached (self, i);
  return n;
}

guint
ferry_graph_view_get_n_renders (FerryGraphView *self)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), 0);

  return self->n_renders;
}

void
ferry_graph_view_get_visible_area (FerryGraphView  *self,
                                   graphene_rect_t *area)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  visible_area (self, area);
}

void
ferry_graph_view_get_center (FerryGraphView *self,
                             double         *x,
                             double         *y)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  *x = self->center_x;
  *y = self->center_y;
}

void
ferry_graph_view_set_center (FerryGraphView *self,
                             double          x,
                             double          y)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  self->center_x = x;
  self->center_y = y;
  clamp_center (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ferry_graph_view_set_hover (FerryGraphView *self,
                            FerryTable     *table)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  set_hover (self, table != NULL ? lookup_node (self, table) : -1);
}

void
ferry_graph_view_set_async_threshold (FerryGraphView *self,
                                      guint           n_tables)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  self->async_threshold = n_tables;
}

/* Finishes what is done ahead or in the background: the text of the
 * tables, the card images and the edge tiles of the current view. */
void
ferry_graph_view_flush (FerryGraphView *self)
{
  graphene_rect_t area;

  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  while (self->warm_source != 0)
    g_main_context_iteration (NULL, TRUE);

  if (self->tiles == NULL)
    return;

  {
    GtkSnapshot *snapshot = gtk_snapshot_new ();
    GskRenderNode *node;

    self->no_stand_ins = TRUE;
    ferry_graph_view_snapshot (GTK_WIDGET (self), snapshot);
    self->no_stand_ins = FALSE;
    node = gtk_snapshot_free_to_node (snapshot);
    g_clear_pointer (&node, gsk_render_node_unref);
  }

  visible_area (self, &area);
  for (guint i = 0; i < 4; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      gboolean complete = ferry_graph_tiles_snapshot (self->tiles, snapshot, &area, self->zoom);
      GskRenderNode *node = gtk_snapshot_free_to_node (snapshot);

      g_clear_pointer (&node, gsk_render_node_unref);
      ferry_graph_tiles_flush (self->tiles);
      if (complete)
        break;
    }
}

/* Whether the last frame drew every card from an image of its zoom (or
 * as vectors), and every edge tile in full. */
gboolean
ferry_graph_view_is_settled (FerryGraphView *self)
{
  graphene_rect_t area;

  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), FALSE);

  if (self->layout == NULL)
    return FALSE;

  visible_area (self, &area);
  return self->n_stand_ins == 0 && self->image_zoom == self->zoom &&
         ferry_graph_tiles_is_settled (self->tiles, &area, self->zoom);
}

guint
ferry_graph_view_get_n_stand_ins (FerryGraphView *self)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), 0);

  return self->n_stand_ins;
}

guint
ferry_graph_view_get_n_images (FerryGraphView *self)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), 0);

  return self->n_images;
}

void
ferry_graph_view_set_card_images (FerryGraphView *self,
                                  gboolean        card_images)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  if (self->card_images == !!card_images)
    return;

  self->card_images = !!card_images;
  for (guint i = 0; i < self->n_nodes; i++)
    node_drop_image (self, &self->nodes[i]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ferry_graph_view_set_image_budget (FerryGraphView *self,
                                   gint64          usec)
{
  g_return_if_fail (FERRY_IS_GRAPH_VIEW (self));

  self->image_budget = usec < 0 ? CARD_BUDGET_USEC : usec;
}

FerryGraphTiles *
ferry_graph_view_get_tiles (FerryGraphView *self)
{
  g_return_val_if_fail (FERRY_IS_GRAPH_VIEW (self), NULL);

  return self->tiles;
}
