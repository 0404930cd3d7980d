/* ferry-graph-tiles.c — the edges of the graph view, as raster tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-graph-tiles"

#include "config.h"

#include <errno.h>
#include <math.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "ferry-graph-tiles.h"

#define TILE_PX        256
#define MAX_PIXELS     (12 * 1024 * 1024)  /* 48 MB of tiles: a few screens */
#define MAX_ENTRIES    8192
#define N_SCALES       8        /* zooms kept at once */
#define SETTLE_USEC    (120 * 1000)
/* Below this zoom a full tile costs more than about 7 ms of CPU (a
 * thousand curves and more): drafts come first. Above, a draft would
 * save little and the extra work slows the frames on a shared core. */
#define DRAFT_BELOW    0.4
/* Urgency: what is in view without a tile, then drafts in view to redo
 * in full, then the ring around the view. */
#define PENALTY_REFINE 1e6f
#define PENALTY_RING   2e6f
/* The worker yields to the main thread (nice 10: about a tenth of a
 * shared core). */
#define WORKER_NICE    10

typedef enum {
  DETAIL_DRAFT = 1,
  DETAIL_FULL,
} Detail;

typedef struct {
  guint64          key;
  GskRenderNode   *node;        /* NULL: no edge there */
  cairo_surface_t *image;       /* what @node paints, for stand-ins */
  graphene_rect_t  bounds;      /* of @node, in the pixels of its zoom */
  gsize            pixels;
  guint64          used;        /* frame it was last drawn in */
  Detail           detail;
} Entry;

typedef struct {
  guint64 key;
  guint   scale;                /* index into scales[] */
  double  zoom;
  guint   tx;
  guint   ty;
  float   distance;             /* from the middle of the view, plus urgency */
  Detail  detail;               /* to render */
} Job;

/* A rendered tile, cropped to what was drawn. */
typedef struct {
  cairo_surface_t *surface;     /* NULL when nothing was drawn */
  int              x, y;        /* of the crop within the tile, pixels */
  int              width, height;
  Detail           detail;      /* a draft without any curve is exact */
} Raster;

typedef struct {
  Job     job;
  guint   generation;
  Raster  raster;
  gint64  usec;
} Result;

/* The worker thread and what it shares with the main thread. It outlives
 * the tiles if it is still rendering a tile when they are freed. */
typedef struct {
  gatomicrefcount      ref;
  FerryGraphLayout    *layout;      /* immutable */
  GMainContext        *context;     /* where results go */
  GThread             *thread;      /* main thread only */
  FerryGraphTiles     *owner;       /* main thread only; NULL once freed */

  GMutex               mutex;
  GCond                cond;
  /* Under the mutex */
  FerryGraphEdgeStyle  style;
  guint                generation;
  GArray              *queue;       /* Job, most urgent first */
  GArray              *done;        /* Result, not yet taken */
  gboolean             busy;
  Job                  current;     /* while busy */
  gboolean             dispatching; /* a source will take @done */
  gboolean             quit;
} Worker;

struct _FerryGraphTiles
{
  FerryGraphLayout    *layout;
  GCallback            ready;
  gpointer             user_data;
  FerryGraphEdgeStyle  style;
  guint                generation;

  GHashTable          *entries;     /* &Entry.key → Entry */
  gsize                n_pixels;    /* in tiles */
  guint                n_textures;
  guint64              frame;
  GArray              *wanted;      /* Job, from the last snapshot */
  Worker              *worker;

  /* Tiles are rendered at the zoom of the view, so that a frame only
   * copies them; the last few zooms stay, to stand in while the tiles of
   * a new zoom are made. */
  double               scales[N_SCALES];
  guint64              scale_used[N_SCALES];
  double               last_zoom;
  gint64               zoom_changed;
  gboolean             shown_whole;  /* a frame at this zoom had every tile */
  guint                settle_source;

  guint                n_rendered;
  guint                n_drafts;
  gint64               render_usec;
};

/* ------------------------------------------------------------------ */
/* Scales and keys                                                    */
/* ------------------------------------------------------------------ */

static float
tile_size (double zoom)
{
  return (float) (TILE_PX / zoom);
}

static guint64
make_key (guint scale,
          guint tx,
          guint ty)
{
  return ((guint64) scale << 48) | ((guint64) tx << 24) | ty;
}

static graphene_rect_t
tile_rect (double zoom,
           guint  tx,
           guint  ty)
{
  float size = tile_size (zoom);

  return GRAPHENE_RECT_INIT (tx * size, ty * size, size, size);
}

/* The tiles at @zoom that @area touches, within the graph. */
static gboolean
tile_range (FerryGraphTiles       *self,
            double                 zoom,
            const graphene_rect_t *area,
            guint                 *x0,
            guint                 *x1,
            guint                 *y0,
            guint                 *y1)
{
  float size = tile_size (zoom);
  float max_x = ceilf (self->layout->bounds.size.width / size) - 1;
  float max_y = ceilf (self->layout->bounds.size.height / size) - 1;
  float fx0 = floorf (area->origin.x / size), fx1 = floorf ((area->origin.x + area->size.width) / size);
  float fy0 = floorf (area->origin.y / size), fy1 = floorf ((area->origin.y + area->size.height) / size);

  if (fx1 < 0 || fy1 < 0 || fx0 > max_x || fy0 > max_y || max_x < 0 || max_y < 0 ||
      max_x >= (1 << 24) || max_y >= (1 << 24))
    return FALSE;

  *x0 = (guint) MAX (fx0, 0);
  *x1 = (guint) MIN (fx1, max_x);
  *y0 = (guint) MAX (fy0, 0);
  *y1 = (guint) MIN (fy1, max_y);
  return TRUE;
}

static void
drop_scale (FerryGraphTiles *self,
            guint            scale)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if ((entry->key >> 48) == scale)
      {
        if (entry->node != NULL)
          {
            self->n_textures--;
            self->n_pixels -= entry->pixels;
          }
        g_hash_table_iter_remove (&iter);
      }
  self->scales[scale] = 0;
  self->scale_used[scale] = 0;
}

/* The slot of @zoom, taking the least recently used one if need be. */
static guint
scale_for_zoom (FerryGraphTiles *self,
                double           zoom)
{
  guint oldest = 0;

  for (guint i = 0; i < N_SCALES; i++)
    {
      if (self->scales[i] == zoom)
        {
          self->scale_used[i] = self->frame;
          return i;
        }
      if (self->scale_used[i] < self->scale_used[oldest])
        oldest = i;
    }

  drop_scale (self, oldest);
  self->scales[oldest] = zoom;
  self->scale_used[oldest] = self->frame;
  return oldest;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                            */
/* ------------------------------------------------------------------ */

static gboolean
segment_has_arrow (const FerryGraphEdge *edge,
                   guint                 segment)
{
  /* Only a backward edge is drawn from its child's side. */
  if (edge->kind == FERRY_GRAPH_EDGE_BACKWARD)
    return segment == edge->first_segment;
  return segment == edge->first_segment + edge->n_segments - 1;
}

static void
arrow_path (cairo_t              *cr,
            const FerryGraphEdge *edge,
            double                length)
{
  double dx = graphene_vec2_get_x (&edge->direction);
  double dy = graphene_vec2_get_y (&edge->direction);
  double half = length * FERRY_GRAPH_ARROW_WIDTH / FERRY_GRAPH_ARROW_LENGTH / 2;
  double bx = edge->tip.x - dx * length, by = edge->tip.y - dy * length;

  cairo_move_to (cr, edge->tip.x, edge->tip.y);
  cairo_line_to (cr, bx - dy * half, by + dx * half);
  cairo_line_to (cr, bx + dy * half, by - dx * half);
  cairo_close_path (cr);
}

/* Widths and lengths follow the zoom, within what stays legible: lines
 * between 0.75 and 2.5 pixels, arrows of at least 5 pixels (and none
 * when they would be specks), dashes of at least 3.5 pixels. */
void
ferry_graph_draw_edges (cairo_t                   *cr,
                        FerryGraphLayout          *layout,
                        const guint               *segments,
                        guint                      n_segments,
                        double                     scale,
                        const FerryGraphEdgeStyle *style)
{
  double width = CLAMP (style->width * scale, 0.75, 2.5) / scale;
  double arrow = MAX (FERRY_GRAPH_ARROW_LENGTH, 5.0 / scale);
  gboolean arrows = FERRY_GRAPH_ARROW_LENGTH * scale >= 2.5;
  double dashes[2] = { MAX (5.0, 3.5 / scale), MAX (3.5, 2.5 / scale) };
  GdkRGBA solid = style->solid;

  if (scale < 0.15)
    solid.alpha *= 0.75f;

  /* Flattening finer than a third of a pixel does not show. */
  cairo_set_tolerance (cr, 0.3);
  cairo_set_line_width (cr, width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);

  for (int dashed = 0; dashed < 2; dashed++)
    {
      gboolean any = FALSE;
      guint previous = G_MAXUINT;

      for (guint i = 0; i < n_segments; i++)
        {
          const FerryGraphSegment *s = &g_array_index (layout->segments, FerryGraphSegment, segments[i]);

          if (layout->edges[s->edge].breaking != dashed)
            continue;

          /* The pieces of a curve continue one path: smooth joins, and
           * dashes that run on. */
          if (previous == G_MAXUINT || segments[i] != previous + 1 ||
              g_array_index (layout->segments, FerryGraphSegment, previous).edge != s->edge)
            cairo_move_to (cr, s->p[0].x, s->p[0].y);
          if (graphene_point_equal (&s->p[0], &s->p[1]) && graphene_point_equal (&s->p[2], &s->p[3]))
            cairo_line_to (cr, s->p[3].x, s->p[3].y);
          else
            cairo_curve_to (cr, s->p[1].x, s->p[1].y, s->p[2].x, s->p[2].y, s->p[3].x, s->p[3].y);
          previous = segments[i];
          any = TRUE;
        }
      if (!any)
        continue;

      cairo_set_dash (cr, dashed ? dashes : NULL, dashed ? 2 : 0, 0);
      gdk_cairo_set_source_rgba (cr, dashed ? &style->dashed : &solid);
      cairo_stroke (cr);

      if (!arrows)
        continue;

      any = FALSE;
      for (guint i = 0; i < n_segments; i++)
        {
          const FerryGraphSegment *s = &g_array_index (layout->segments, FerryGraphSegment, segments[i]);
          const FerryGraphEdge *edge = &layout->edges[s->edge];

          if (edge->breaking != dashed || !segment_has_arrow (edge, segments[i]))
            continue;
          arrow_path (cr, edge, arrow);
          any = TRUE;
        }
      if (any)
        cairo_fill (cr);
    }
}

/* The box of the pixels that are not transparent. */
static gboolean
crop (cairo_surface_t *surface,
      Raster          *raster)
{
  const guint32 *data = (const guint32 *) cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface) / 4;
  int x0 = TILE_PX, x1 = -1, y0 = TILE_PX, y1 = -1;

  for (int y = 0; y < TILE_PX; y++)
    {
      const guint32 *row = data + y * stride;
      int first = -1, last = -1;

      for (int x = 0; x < TILE_PX; x++)
        if (row[x] != 0)
          {
            first = x;
            break;
          }
      if (first < 0)
        continue;
      for (int x = TILE_PX - 1; x >= first; x--)
        if (row[x] != 0)
          {
            last = x;
            break;
          }

      x0 = MIN (x0, first);
      x1 = MAX (x1, last);
      y0 = MIN (y0, y);
      y1 = y;
    }

  if (x1 < 0)
    return FALSE;

  raster->x = x0;
  raster->y = y0;
  raster->width = x1 - x0 + 1;
  raster->height = y1 - y0 + 1;
  return TRUE;
}

/* A draft differs from the full tile only in its antialiasing: 4 × 4
 * samples a pixel instead of cairo's finer grid, which costs a third to
 * a quarter as much with a thousand thin curves in a tile. */
static Raster
render_tile (FerryGraphLayout          *layout,
             const FerryGraphEdgeStyle *style,
             double                     zoom,
             guint                      tx,
             guint                      ty,
             Detail                     detail)
{
  graphene_rect_t r = tile_rect (zoom, tx, ty);
  graphene_rect_t query = r;
  g_autoptr(GArray) segments = NULL;
  Raster raster = { NULL, 0, 0, 0, 0, DETAIL_FULL };
  cairo_surface_t *surface;
  cairo_t *cr;
  /* What pokes out of a segment's control polygon: arrowheads and half
   * a line. */
  float margin = (float) (MAX (FERRY_GRAPH_ARROW_LENGTH, 5.0 / zoom) + 3.0 / zoom);

  graphene_rect_inset (&query, -margin, -margin);
  segments = ferry_graph_layout_query (layout, &query);
  if (segments->len == 0)
    return raster;

  raster.detail = detail;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, TILE_PX, TILE_PX);
  cr = cairo_create (surface);
  if (detail == DETAIL_DRAFT)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  cairo_scale (cr, zoom, zoom);
  cairo_translate (cr, -r.origin.x, -r.origin.y);
  ferry_graph_draw_edges (cr, layout, (const guint *) (gpointer) segments->data, segments->len, zoom, style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (!crop (surface, &raster))
    {
      cairo_surface_destroy (surface);
      return raster;
    }

  /* Keep only the crop: every frame composites all of it. */
  if (raster.width < TILE_PX || raster.height < TILE_PX)
    {
      cairo_surface_t *cropped = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, raster.width, raster.height);

      cr = cairo_create (cropped);
      cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
      cairo_set_source_surface (cr, surface, -raster.x, -raster.y);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_flush (cropped);
      cairo_surface_destroy (surface);
      surface = cropped;
    }

  raster.surface = surface;
  return raster;
}

/* ------------------------------------------------------------------ */
/* The cache                                                          */
/* ------------------------------------------------------------------ */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->node, gsk_render_node_unref);
  g_clear_pointer (&entry->image, cairo_surface_destroy);
  g_free (entry);
}

static void
forget (FerryGraphTiles *self,
        Entry           *entry)
{
  if (entry->node != NULL)
    {
      self->n_textures--;
      self->n_pixels -= entry->pixels;
    }
  g_hash_table_remove (self->entries, &entry->key);
}

static void
evict (FerryGraphTiles *self)
{
  while (self->n_pixels > MAX_PIXELS || g_hash_table_size (self->entries) > MAX_ENTRIES)
    {
      gboolean textures_only = self->n_pixels > MAX_PIXELS;
      GHashTableIter iter;
      Entry *entry, *oldest = NULL;

      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
        if ((!textures_only || entry->node != NULL) &&
            entry->used < self->frame &&
            (oldest == NULL || entry->used < oldest->used))
          oldest = entry;

      /* Everything is on screen: keep it. */
      if (oldest == NULL)
        break;

      forget (self, oldest);
    }
}

static void
insert (FerryGraphTiles *self,
        const Job       *job,
        Raster          *raster)
{
  Entry *entry, *old;

  /* The zoom of that slot changed meanwhile. */
  if (self->scales[job->scale] != job->zoom)
    return;

  old = g_hash_table_lookup (self->entries, &job->key);
  if (old != NULL)
    {
      /* A draft arriving after the full tile (made by a flush). */
      if (old->detail >= raster->detail)
        return;
      forget (self, old);
    }

  entry = g_new0 (Entry, 1);
  entry->key = job->key;
  entry->used = self->frame;
  entry->detail = raster->detail;

  /* The node is in the pixels of its zoom (see append_entry): whole
   * numbers, so that nothing is resampled and tiles meet exactly. */
  if (raster->surface != NULL)
    {
      graphene_rect_t bounds = GRAPHENE_RECT_INIT ((float) (job->tx * TILE_PX + raster->x),
                                                   (float) (job->ty * TILE_PX + raster->y),
                                                   (float) raster->width,
                                                   (float) raster->height);

      entry->node = ferry_graph_image_node_new (raster->surface, &bounds);
      entry->image = g_steal_pointer (&raster->surface);
      entry->bounds = bounds;

      entry->pixels = (gsize) raster->width * raster->height;
      self->n_textures++;
      self->n_pixels += entry->pixels;
    }

  g_hash_table_insert (self->entries, &entry->key, entry);
  evict (self);
}

/* ------------------------------------------------------------------ */
/* The worker                                                         */
/* ------------------------------------------------------------------ */

static Worker *
worker_ref (Worker *w)
{
  g_atomic_ref_count_inc (&w->ref);
  return w;
}

static void
worker_unref (Worker *w)
{
  if (!g_atomic_ref_count_dec (&w->ref))
    return;

  for (guint i = 0; i < w->done->len; i++)
    g_clear_pointer (&g_array_index (w->done, Result, i).raster.surface, cairo_surface_destroy);
  g_array_unref (w->done);
  g_array_unref (w->queue);
  g_mutex_clear (&w->mutex);
  g_cond_clear (&w->cond);
  g_main_context_unref (w->context);
  ferry_graph_layout_unref (w->layout);
  g_free (w);
}

static Worker *
worker_new (FerryGraphTiles *owner)
{
  Worker *w = g_new0 (Worker, 1);

  g_atomic_ref_count_init (&w->ref);
  w->layout = ferry_graph_layout_ref (owner->layout);
  w->context = g_main_context_ref_thread_default ();
  w->owner = owner;
  g_mutex_init (&w->mutex);
  g_cond_init (&w->cond);
  w->style = owner->style;
  w->generation = owner->generation;
  w->queue = g_array_new (FALSE, FALSE, sizeof (Job));
  w->done = g_array_new (FALSE, FALSE, sizeof (Result));

  return w;
}

static void
notify_ready (FerryGraphTiles *self)
{
  if (self->ready != NULL)
    ((void (*) (gpointer)) self->ready) (self->user_data);
}

/* On the main context: what the worker made goes into the cache. */
static gboolean
take_results (gpointer user_data)
{
  Worker *w = user_data;
  FerryGraphTiles *self = w->owner;
  g_autoptr(GArray) done = NULL;

  g_mutex_lock (&w->mutex);
  done = w->done;
  w->done = g_array_new (FALSE, FALSE, sizeof (Result));
  w->dispatching = FALSE;
  g_mutex_unlock (&w->mutex);

  for (guint i = 0; i < done->len; i++)
    {
      Result *result = &g_array_index (done, Result, i);

      if (self != NULL && result->generation == self->generation)
        {
          insert (self, &result->job, &result->raster);
          self->n_rendered++;
          self->n_drafts += result->job.detail == DETAIL_DRAFT;
          self->render_usec += result->usec;
        }
      g_clear_pointer (&result->raster.surface, cairo_surface_destroy);
    }

  if (self != NULL && done->len > 0)
    notify_ready (self);

  return G_SOURCE_REMOVE;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;

#ifdef __linux__
  /* On Linux the nice value is the thread's own. */
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), WORKER_NICE) != 0)
    g_debug ("Could not lower the priority of the tile worker: %s", g_strerror (errno));
#endif

  g_mutex_lock (&w->mutex);
  for (;;)
    {
      FerryGraphEdgeStyle style;
      Result result;
      gint64 started;

      while (!w->quit && w->queue->len == 0)
        g_cond_wait (&w->cond, &w->mutex);
      if (w->quit)
        break;

      result.job = w->current = g_array_index (w->queue, Job, 0);
      g_array_remove_index (w->queue, 0);
      w->busy = TRUE;
      style = w->style;
      result.generation = w->generation;
      g_mutex_unlock (&w->mutex);

      started = g_get_monotonic_time ();
      result.raster = render_tile (w->layout, &style, result.job.zoom, result.job.tx, result.job.ty,
                                   result.job.detail);
      result.usec = g_get_monotonic_time () - started;

      g_mutex_lock (&w->mutex);
      w->busy = FALSE;
      g_array_append_val (w->done, result);
      if (!w->dispatching)
        {
          GSource *source = g_idle_source_new ();

          /* After the frame being drawn, before idle work. */
          g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE - 10);
          g_source_set_callback (source, take_results, worker_ref (w), (GDestroyNotify) worker_unref);
          g_source_set_static_name (source, "[ferry] edge tiles");
          g_source_attach (source, w->context);
          g_source_unref (source);
          w->dispatching = TRUE;
        }
    }
  g_mutex_unlock (&w->mutex);

  worker_unref (w);
  return NULL;
}

static gboolean
same_job (const Job *a,
          const Job *b)
{
  return a->key == b->key && a->detail == b->detail && a->zoom == b->zoom;
}

/* Hands the worker what the last snapshot wanted, most urgent first,
 * instead of what it wanted before. */
static void
submit (FerryGraphTiles *self,
        const Job       *jobs,
        guint            n_jobs)
{
  Worker *w = self->worker;

  if (w == NULL)
    {
      if (n_jobs == 0)
        return;
      w = self->worker = worker_new (self);
    }

  g_mutex_lock (&w->mutex);
  g_array_set_size (w->queue, 0);
  for (guint i = 0; i < n_jobs; i++)
    {
      const Job *job = &jobs[i];
      gboolean pending = w->busy && same_job (job, &w->current);

      /* Made, but not taken yet. */
      for (guint k = 0; k < w->done->len && !pending; k++)
        pending = same_job (job, &g_array_index (w->done, Result, k).job);

      if (!pending)
        g_array_append_val (w->queue, *job);
    }
  if (w->queue->len > 0)
    g_cond_signal (&w->cond);
  g_mutex_unlock (&w->mutex);

  if (w->thread == NULL && n_jobs > 0)
    w->thread = g_thread_new ("ferry-edge-tiles", worker_thread, worker_ref (w));
}

static gboolean
settled (gpointer user_data)
{
  FerryGraphTiles *self = user_data;

  self->settle_source = 0;
  notify_ready (self);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ */
/* Snapshot                                                           */
/* ------------------------------------------------------------------ */

static int
compare_jobs (gconstpointer a,
              gconstpointer b)
{
  const Job *x = a, *y = b;

  return x->distance < y->distance ? -1 : x->distance > y->distance;
}

static void
want (FerryGraphTiles        *self,
      guint                   scale,
      guint                   tx,
      guint                   ty,
      const graphene_point_t *center,
      float                   penalty,
      Detail                  detail)
{
  double zoom = self->scales[scale];
  graphene_rect_t r = tile_rect (zoom, tx, ty);
  graphene_point_t c;
  Job job = { make_key (scale, tx, ty), scale, zoom, tx, ty, 0, detail };

  graphene_rect_get_center (&r, &c);
  job.distance = graphene_point_distance (&c, center, NULL, NULL) + penalty;
  g_array_append_val (self->wanted, job);
}

/* Tile nodes are in the pixels of their zoom: drawn under a scale by
 * 1 / zoom, which the view's scale by zoom cancels. */
static void
append_entry (GtkSnapshot *snapshot,
              Entry       *entry,
              double       zoom)
{
  if (entry->node == NULL)
    return;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_scale (snapshot, (float) (1.0 / zoom), (float) (1.0 / zoom));
  gtk_snapshot_append_node (snapshot, entry->node);
  gtk_snapshot_restore (snapshot);
}

/* A tile of another zoom, standing in at @zoom. */
static void
append_scaled_entry (GtkSnapshot *snapshot,
                     Entry       *entry,
                     double       entry_zoom,
                     double       zoom)
{
  GskRenderNode *node;

  if (entry->node == NULL)
    return;

  node = ferry_graph_scaled_image_node_new (entry->image, &entry->bounds, zoom / entry_zoom);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_scale (snapshot, (float) (1.0 / zoom), (float) (1.0 / zoom));
  gtk_snapshot_append_node (snapshot, node);
  gtk_snapshot_restore (snapshot);
  gsk_render_node_unref (node);
}

/* A tile that is not ready: what the other zooms have of that place,
 * the closest zoom first. */
static void
append_fallback (FerryGraphTiles       *self,
                 GtkSnapshot           *snapshot,
                 guint                  current,
                 const graphene_rect_t *missing)
{
  double zoom = self->scales[current];
  gboolean tried[N_SCALES] = { FALSE, };

  tried[current] = TRUE;

  for (guint round = 1; round < N_SCALES; round++)
    {
      guint best = N_SCALES;
      gboolean drawn = FALSE;
      guint x0, x1, y0, y1;

      for (guint i = 0; i < N_SCALES; i++)
        if (!tried[i] && self->scales[i] > 0 &&
            (best == N_SCALES || fabs (log (self->scales[i] / zoom)) < fabs (log (self->scales[best] / zoom))))
          best = i;
      if (best == N_SCALES)
        return;
      tried[best] = TRUE;

      if (!tile_range (self, self->scales[best], missing, &x0, &x1, &y0, &y1))
        continue;

      gtk_snapshot_push_clip (snapshot, missing);
      for (guint y = y0; y <= y1; y++)
        for (guint x = x0; x <= x1; x++)
          {
            guint64 key = make_key (best, x, y);
            Entry *entry = g_hash_table_lookup (self->entries, &key);

            if (entry == NULL)
              continue;
            entry->used = self->frame;
            drawn = TRUE;
            append_scaled_entry (snapshot, entry, self->scales[best], zoom);
          }
      gtk_snapshot_pop (snapshot);

      if (drawn)
        {
          self->scale_used[best] = self->frame;
          return;
        }
    }
}

gboolean
ferry_graph_tiles_snapshot (FerryGraphTiles       *self,
                            GtkSnapshot           *snapshot,
                            const graphene_rect_t *area,
                            double                 zoom)
{
  gboolean complete = TRUE;
  gboolean refine = FALSE;
  graphene_point_t center;
  guint x0, x1, y0, y1;
  guint scale;

  g_return_val_if_fail (self != NULL, TRUE);

  self->frame++;
  g_array_set_size (self->wanted, 0);
  graphene_rect_get_center (area, &center);

  if (zoom != self->last_zoom)
    {
      self->last_zoom = zoom;
      self->zoom_changed = g_get_monotonic_time ();
      self->shown_whole = FALSE;
    }

  scale = scale_for_zoom (self, zoom);
  if (!tile_range (self, zoom, area, &x0, &x1, &y0, &y1))
    {
      submit (self, NULL, 0);
      return TRUE;
    }

  for (guint y = y0; y <= y1; y++)
    for (guint x = x0; x <= x1; x++)
      {
        guint64 key = make_key (scale, x, y);
        Entry *entry = g_hash_table_lookup (self->entries, &key);

        if (entry != NULL)
          {
            entry->used = self->frame;
            append_entry (snapshot, entry, zoom);
            if (entry->detail != DETAIL_FULL)
              {
                refine = TRUE;
                want (self, scale, x, y, &center, PENALTY_REFINE, DETAIL_FULL);
              }
            continue;
          }

        complete = FALSE;
        want (self, scale, x, y, &center, 0, zoom < DRAFT_BELOW ? DETAIL_DRAFT : DETAIL_FULL);
      }

  /* Until the tiles of a new zoom are there, the other zooms stand in,
   * scaled. Once they have been (panning from then on), tiles missing at
   * the border come in a frame or two, drafts first: scaling stand-ins
   * costs more than it shows. */
  if (complete)
    self->shown_whole = TRUE;
  else if (!self->shown_whole)
    for (guint i = 0; i < self->wanted->len; i++)
      {
        const Job *job = &g_array_index (self->wanted, Job, i);
        graphene_rect_t r = tile_rect (zoom, job->tx, job->ty);

        if (job->distance < PENALTY_REFINE)
          append_fallback (self, snapshot, scale, &r);
      }

  /* All there: get the ring around the view ready for panning, in full
   * detail (after the drafts in view). */
  if (complete)
    {
      guint rx0 = x0 > 0 ? x0 - 1 : x0, ry0 = y0 > 0 ? y0 - 1 : y0;
      guint rx1 = x1 + 1, ry1 = y1 + 1;
      guint mx0, mx1, my0, my1;
      graphene_rect_t everything = self->layout->bounds;

      tile_range (self, zoom, &everything, &mx0, &mx1, &my0, &my1);
      rx1 = MIN (rx1, mx1);
      ry1 = MIN (ry1, my1);

      for (guint y = ry0; y <= ry1; y++)
        for (guint x = rx0; x <= rx1; x++)
          {
            guint64 key = make_key (scale, x, y);

            if (x >= x0 && x <= x1 && y >= y0 && y <= y1)
              continue;
            if (!g_hash_table_contains (self->entries, &key))
              want (self, scale, x, y, &center, PENALTY_RING, DETAIL_FULL);
          }
    }

  g_array_sort (self->wanted, compare_jobs);

  /* While the zoom moves, the other zooms stand in, and the worker stops
   * on zooms already left; the tiles of the zoom it settles on are made
   * once it rests. */
  if (g_get_monotonic_time () - self->zoom_changed < SETTLE_USEC)
    {
      submit (self, NULL, 0);
      if (self->settle_source == 0 && self->wanted->len > 0)
        self->settle_source = g_timeout_add (SETTLE_USEC / 1000, settled, self);
    }
  else
    submit (self, (const Job *) (gpointer) self->wanted->data, self->wanted->len);

  return complete && !refine;
}

/* ------------------------------------------------------------------ */
/* Public                                                             */
/* ------------------------------------------------------------------ */

/* A cairo node that paints the image, rather than a texture node: in
 * GTK 4.8 the cairo renderer converts every pixel of a texture through
 * floats in each frame, while it paints an image surface straight away;
 * the GL renderer caches either. The node holds a snapshot of the image,
 * which shares its pixels while the image stays unchanged. */
GskRenderNode *
ferry_graph_image_node_new (cairo_surface_t       *image,
                            const graphene_rect_t *bounds)
{
  GskRenderNode *node = gsk_cairo_node_new (bounds);
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);

  cairo_set_source_surface (cr, image, bounds->origin.x, bounds->origin.y);
  cairo_paint (cr);
  cairo_destroy (cr);

  return node;
}

/* Not the image's node under a scale: the cairo renderer would filter
 * it with cairo's default, which shrinking by more than a third turns
 * into a convolution (a screen of tiles takes 60 to 90 ms). A node of
 * its own paints the image scaled, bilinear: a few milliseconds. */
GskRenderNode *
ferry_graph_scaled_image_node_new (cairo_surface_t       *image,
                                   const graphene_rect_t *bounds,
                                   double                 ratio)
{
  graphene_rect_t scaled;
  GskRenderNode *node;
  cairo_t *cr;

  scaled.origin.x = floorf ((float) (bounds->origin.x * ratio));
  scaled.origin.y = floorf ((float) (bounds->origin.y * ratio));
  scaled.size.width = ceilf ((float) ((bounds->origin.x + bounds->size.width) * ratio)) - scaled.origin.x;
  scaled.size.height = ceilf ((float) ((bounds->origin.y + bounds->size.height) * ratio)) - scaled.origin.y;

  node = gsk_cairo_node_new (&scaled);
  cr = gsk_cairo_node_get_draw_context (node);
  cairo_scale (cr, ratio, ratio);
  cairo_set_source_surface (cr, image, bounds->origin.x, bounds->origin.y);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_paint (cr);
  cairo_destroy (cr);

  return node;
}

FerryGraphTiles *
ferry_graph_tiles_new (FerryGraphLayout *layout,
                       GCallback         ready,
                       gpointer          user_data)
{
  FerryGraphTiles *self = g_new0 (FerryGraphTiles, 1);

  self->layout = ferry_graph_layout_ref (layout);
  self->ready = ready;
  self->user_data = user_data;
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, entry_free);
  self->wanted = g_array_new (FALSE, FALSE, sizeof (Job));
  self->style.width = 1.35;

  return self;
}

void
ferry_graph_tiles_free (FerryGraphTiles *self)
{
  if (self == NULL)
    return;

  /* The worker finishes the tile it is on, if any, and ends; what it
   * made and did not hand over yet is dropped. */
  if (self->worker != NULL)
    {
      Worker *w = g_steal_pointer (&self->worker);

      w->owner = NULL;
      g_mutex_lock (&w->mutex);
      w->quit = TRUE;
      g_array_set_size (w->queue, 0);
      g_cond_signal (&w->cond);
      g_mutex_unlock (&w->mutex);
      g_clear_pointer (&w->thread, g_thread_unref);
      worker_unref (w);
    }
  g_clear_handle_id (&self->settle_source, g_source_remove);

  g_hash_table_unref (self->entries);
  g_array_unref (self->wanted);
  ferry_graph_layout_unref (self->layout);
  g_free (self);
}

void
ferry_graph_tiles_set_style (FerryGraphTiles           *self,
                             const FerryGraphEdgeStyle *style)
{
  g_return_if_fail (self != NULL);

  if (gdk_rgba_equal (&self->style.solid, &style->solid) &&
      gdk_rgba_equal (&self->style.dashed, &style->dashed) &&
      self->style.width == style->width)
    return;

  self->style = *style;
  self->generation++;
  g_hash_table_remove_all (self->entries);
  self->n_textures = 0;
  self->n_pixels = 0;

  if (self->worker != NULL)
    {
      g_mutex_lock (&self->worker->mutex);
      self->worker->style = self->style;
      self->worker->generation = self->generation;
      g_array_set_size (self->worker->queue, 0);
      g_mutex_unlock (&self->worker->mutex);
    }
}

void
ferry_graph_tiles_flush (FerryGraphTiles *self)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->wanted->len; i++)
    {
      Job job = g_array_index (self->wanted, Job, i);
      Entry *entry = g_hash_table_lookup (self->entries, &job.key);
      gint64 started;
      Raster raster;

      if (entry != NULL && entry->detail == DETAIL_FULL)
        continue;

      job.detail = DETAIL_FULL;
      started = g_get_monotonic_time ();
      raster = render_tile (self->layout, &self->style, job.zoom, job.tx, job.ty, job.detail);
      insert (self, &job, &raster);
      g_clear_pointer (&raster.surface, cairo_surface_destroy);
      self->render_usec += g_get_monotonic_time () - started;
      self->n_rendered++;
    }
  g_array_set_size (self->wanted, 0);
}

guint
ferry_graph_tiles_get_n_cached (FerryGraphTiles *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_textures;
}

guint
ferry_graph_tiles_get_n_rendered (FerryGraphTiles *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_rendered;
}

guint
ferry_graph_tiles_get_n_drafts (FerryGraphTiles *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_drafts;
}

gboolean
ferry_graph_tiles_is_settled (FerryGraphTiles       *self,
                              const graphene_rect_t *area,
                              double                 zoom)
{
  guint x0, x1, y0, y1;
  guint scale = N_SCALES;

  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < N_SCALES; i++)
    if (self->scales[i] == zoom)
      scale = i;
  if (scale == N_SCALES)
    return FALSE;
  if (!tile_range (self, zoom, area, &x0, &x1, &y0, &y1))
    return TRUE;

  for (guint y = y0; y <= y1; y++)
    for (guint x = x0; x <= x1; x++)
      {
        guint64 key = make_key (scale, x, y);
        Entry *entry = g_hash_table_lookup (self->entries, &key);

        if (entry == NULL || entry->detail != DETAIL_FULL)
          return FALSE;
      }

  return TRUE;
}

gint64
ferry_graph_tiles_get_render_usec (FerryGraphTiles *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->render_usec;
}
