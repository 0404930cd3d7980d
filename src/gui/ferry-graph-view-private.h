/* ferry-graph-view-private.h — what the tests and the benchmark look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ferry-graph-layout.h"
#include "ferry-graph-tiles.h"
#include "ferry-graph-view.h"

G_BEGIN_DECLS

/* The current layout, or NULL (no plan yet, or computing). */
FerryGraphLayout *ferry_graph_view_get_layout          (FerryGraphView  *self);
/* How many layouts have been computed since the view was made. */
guint             ferry_graph_view_get_n_layouts       (FerryGraphView  *self);
/* The node of @table (or of its unit), or -1. */
int               ferry_graph_view_get_node            (FerryGraphView  *self,
                                                        FerryTable      *table);
FerryTable       *ferry_graph_view_get_node_table      (FerryGraphView  *self,
                                                        guint            node);
/* Whether the node has a cached render node at any level of detail. */
gboolean          ferry_graph_view_is_node_cached      (FerryGraphView  *self,
                                                        guint            node);
guint             ferry_graph_view_get_n_cached_nodes  (FerryGraphView  *self);
/* Render nodes built since the view was made (nodes and edge tiles). */
guint             ferry_graph_view_get_n_renders       (FerryGraphView  *self);
/* The part of the graph on screen, in graph units. */
void              ferry_graph_view_get_visible_area    (FerryGraphView  *self,
                                                        graphene_rect_t *area);
void              ferry_graph_view_get_center          (FerryGraphView  *self,
                                                        double          *x,
                                                        double          *y);
void              ferry_graph_view_set_center          (FerryGraphView  *self,
                                                        double           x,
                                                        double           y);
void              ferry_graph_view_set_hover           (FerryGraphView  *self,
                                                        FerryTable      *table);
/* Finishes the work done ahead or in the background (text, edge tiles)
 * for the current view. */
void              ferry_graph_view_flush               (FerryGraphView  *self);
FerryGraphTiles  *ferry_graph_view_get_tiles           (FerryGraphView  *self);
/* Whether the last frame was the settled one: every card from its image
 * at this zoom, every edge tile in view in full. */
gboolean          ferry_graph_view_is_settled          (FerryGraphView  *self);
/* Cards the last frame drew otherwise than from their image at this
 * zoom (scaled from another zoom's, or as vectors). */
guint             ferry_graph_view_get_n_stand_ins     (FerryGraphView  *self);
/* Card images rasterised since the view was made. */
guint             ferry_graph_view_get_n_images        (FerryGraphView  *self);
/* FALSE draws the cards as vectors in every frame (the old way, for
 * comparing). */
void              ferry_graph_view_set_card_images     (FerryGraphView  *self,
                                                        gboolean         card_images);
/* How long a frame may spend making card images, in µs; negative: the
 * default. Tests set 0 to make what a frame draws independent of the
 * machine's speed. */
void              ferry_graph_view_set_image_budget    (FerryGraphView  *self,
                                                        gint64           usec);
/* From how many tables on the layout runs in a worker thread. */
void              ferry_graph_view_set_async_threshold (FerryGraphView  *self,
                                                        guint            n_tables);

G_END_DECLS
