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
 * frame allows, so the edges are rasterised once per scale into 256-pixel
 * tiles, in a worker thread, and each frame only composites the tiles in
 * view. Scales go in steps of √2; a zoom between two steps draws the
 * tiles of the step above, scaled down a little. A tile not ready yet is
 * drawn from the tiles of a neighbouring scale, if any; when it arrives
 * the ready callback asks for a redraw. The least recently drawn tiles
 * are dropped beyond a fixed budget.
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
 * when tiles were missing (they are being rendered). */
gboolean         ferry_graph_tiles_snapshot     (FerryGraphTiles           *self,
                                                 GtkSnapshot               *snapshot,
                                                 const graphene_rect_t     *area,
                                                 double                     zoom);
/* Renders what the last snapshot missed, now, in this thread. */
void             ferry_graph_tiles_flush        (FerryGraphTiles           *self);
guint            ferry_graph_tiles_get_n_cached (FerryGraphTiles           *self);
guint            ferry_graph_tiles_get_n_rendered (FerryGraphTiles         *self);
gint64           ferry_graph_tiles_get_render_usec (FerryGraphTiles        *self);

/* Vector drawing of @segments at @scale pixels per graph unit; also what
 * the view uses for highlighted edges. */
void             ferry_graph_draw_edges         (cairo_t                   *cr,
                                                 FerryGraphLayout          *layout,
                                                 const guint               *segments,
                                                 guint                      n_segments,
                                                 double                     scale,
                                                 const FerryGraphEdgeStyle *style);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryGraphTiles, ferry_graph_tiles_free)

G_END_DECLS
