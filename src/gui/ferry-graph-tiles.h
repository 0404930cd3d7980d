/* ferry-graph-tiles.h — the edges of the graph view, as raster tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ferry-graph-layout.h"

G_BEGIN_DECLS

/*
 * Thousands of long antialiased curves cost far more to rasterise than a
 * frame allows, so the edges are rasterised once per zoom into 256-pixel
 * tiles, in a worker thread of low priority, and each frame only
 * composites the tiles in view. The worker always takes the most urgent
 * tile of the last frame: those in view, nearest the middle first, then
 * the ring around the view (made ahead for panning, while idle).
 *
 * Zoomed out, where a tile crosses a thousand curves and costs tens of
 * milliseconds, a tile first comes as a draft (the same curves, coarser
 * antialiasing: a few times cheaper) and then in full detail; a settled
 * view only shows full tiles. Until the tiles of a new zoom are there,
 * those of the other zooms stand in, scaled. When a tile arrives the
 * ready callback asks for a redraw. The least recently drawn tiles are
 * dropped beyond a fixed budget.
 */

typedef struct {
  GdkRGBA  solid;       /* kept edges */
  GdkRGBA  dashed;      /* cycle-breaking edges */
  double   width;       /* pixels at zoom 1 */
} FerryGraphEdgeStyle;

typedef struct _FerryGraphTiles FerryGraphTiles;

FerryGraphTiles *ferry_graph_tiles_new          (FerryGraphLayout          *layout,
                                                 GCallback                  ready,
                                                 gpointer                   user_data);
void             ferry_graph_tiles_free         (FerryGraphTiles           *self);
void             ferry_graph_tiles_set_style    (FerryGraphTiles           *self,
                                                 const FerryGraphEdgeStyle *style);
/* Appends what is ready for @area (graph units) at @zoom. Returns FALSE
 * when tiles were missing or drafts (they are being rendered). */
gboolean         ferry_graph_tiles_snapshot     (FerryGraphTiles           *self,
                                                 GtkSnapshot               *snapshot,
                                                 const graphene_rect_t     *area,
                                                 double                     zoom);
/* Renders what the last snapshot missed, now, in this thread, in full
 * detail. */
void             ferry_graph_tiles_flush        (FerryGraphTiles           *self);
/* Whether every tile of @area at @zoom is there in full detail. */
gboolean         ferry_graph_tiles_is_settled   (FerryGraphTiles           *self,
                                                 const graphene_rect_t     *area,
                                                 double                     zoom);
guint            ferry_graph_tiles_get_n_cached (FerryGraphTiles           *self);
/* Tiles rasterised (drafts included), of them drafts, and the time it
 * took. */
guint            ferry_graph_tiles_get_n_rendered (FerryGraphTiles         *self);
guint            ferry_graph_tiles_get_n_drafts (FerryGraphTiles           *self);
gint64           ferry_graph_tiles_get_render_usec (FerryGraphTiles        *self);

/* Vector drawing of @segments at @scale pixels per graph unit; also what
 * the view uses for highlighted edges. */
void             ferry_graph_draw_edges         (cairo_t                   *cr,
                                                 FerryGraphLayout          *layout,
                                                 const guint               *segments,
                                                 guint                      n_segments,
                                                 double                     scale,
                                                 const FerryGraphEdgeStyle *style);

/* A node that paints @image where @bounds says (in the image's pixels),
 * and one that paints it scaled by @ratio, bilinear: what the tiles and
 * the view's card images are drawn with. */
GskRenderNode   *ferry_graph_image_node_new     (cairo_surface_t           *image,
                                                 const graphene_rect_t     *bounds);
GskRenderNode   *ferry_graph_scaled_image_node_new (cairo_surface_t        *image,
                                                 const graphene_rect_t     *bounds,
                                                 double                     ratio);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryGraphTiles, ferry_graph_tiles_free)

G_END_DECLS
