/* ferry-graph-layout.h — a layered layout of the table dependency graph
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <graphene.h>

G_BEGIN_DECLS

/*
 * The geometry behind FerryGraphView, kept apart from GTK so that it can
 * run in a worker thread and be tested on its own. Input: nodes with a
 * level each, and edges parent → child between node numbers (a
 * self-reference has parent == child). Output, in graph units (pixels at
 * zoom 1): a rectangle per node, levels as columns from left to right (a
 * level with very many nodes wraps into several adjacent columns; nodes
 * without edges go into a grid below),
 * and each edge as a chain of cubic Bézier segments with an arrowhead at
 * the child, and a grid of cells listing the segments that cross each.
 * Once run, a layout is immutable and may be shared between threads
 * (it is reference counted).
 */

/* Sizes in graph units. */
#define FERRY_GRAPH_NODE_WIDTH   208.0f
#define FERRY_GRAPH_NODE_HEIGHT   46.0f
#define FERRY_GRAPH_ARROW_LENGTH   9.0f
#define FERRY_GRAPH_ARROW_WIDTH    7.0f
#define FERRY_GRAPH_CELL_SIZE    256.0f

typedef enum {
  FERRY_GRAPH_EDGE_FORWARD,   /* parent in a lower level: left to right */
  FERRY_GRAPH_EDGE_BACKWARD,  /* parent in a higher level: right to left */
  FERRY_GRAPH_EDGE_FLAT,      /* both in one level: a bend on the right */
  FERRY_GRAPH_EDGE_LOOP,      /* a self-reference: a loop over the node */
} FerryGraphEdgeKind;

typedef struct {
  guint    parent;
  guint    child;
  gboolean breaking;    /* drawn dashed */
} FerryGraphEdgeInput;

/* One cubic Bézier: p0, c1, c2, p3. A straight line has c1 = p0 and
 * c2 = p3. */
typedef struct {
  graphene_point_t p[4];
  graphene_rect_t  bounds;   /* of the control polygon */
  guint            edge;
} FerryGraphSegment;

typedef struct {
  guint               parent;
  guint               child;
  FerryGraphEdgeKind  kind;
  gboolean            breaking;
  guint               first_segment;
  guint               n_segments;
  graphene_point_t    start;      /* where it leaves the parent */
  graphene_point_t    tip;        /* the arrow's tip, on the child */
  graphene_vec2_t     direction;  /* of the arrow, unit length */
} FerryGraphEdge;

typedef struct _FerryGraphLayout FerryGraphLayout;

struct _FerryGraphLayout
{
  /* Input */
  guint                n_nodes;
  int                 *levels;          /* n_nodes */
  guint                n_edges;
  FerryGraphEdgeInput *inputs;          /* n_edges */
  guint                max_sweeps;

  /* Output */
  graphene_rect_t     *rects;           /* n_nodes */
  guint               *columns;         /* n_nodes: the column of each */
  guint                n_columns;
  float               *column_x;        /* n_columns, left edges */
  guint               *column_start;    /* n_columns + 1, into column_nodes */
  guint               *column_nodes;    /* nodes by column, top to bottom */
  FerryGraphEdge      *edges;           /* n_edges, in input order */
  GArray              *segments;        /* FerryGraphSegment */
  graphene_rect_t      bounds;          /* everything drawn */
  guint                n_cells_x;       /* FERRY_GRAPH_CELL_SIZE squares */
  guint                n_cells_y;
  guint               *cell_start;      /* n_cells + 1, into cell_segments */
  guint               *cell_segments;
  guint                n_dummies;
  guint                n_crossings;     /* between adjacent levels */
  guint                n_sweeps;        /* ordering sweeps done */
  gint64               elapsed_usec;
  gint64               phase_usec[4];   /* layers, order, place, geometry */
};

FerryGraphLayout *ferry_graph_layout_new       (guint                      n_nodes,
                                                const int                 *levels,
                                                guint                      n_edges,
                                                const FerryGraphEdgeInput *edges);
FerryGraphLayout *ferry_graph_layout_ref       (FerryGraphLayout          *self);
void              ferry_graph_layout_unref     (FerryGraphLayout          *self);
void              ferry_graph_layout_run       (FerryGraphLayout          *self);

/* The node at @x, @y (graph units), or -1. */
int               ferry_graph_layout_hit       (FerryGraphLayout          *self,
                                                float                      x,
                                                float                      y);

/* The segments that may touch @area, in order, each once. */
GArray           *ferry_graph_layout_query     (FerryGraphLayout          *self,
                                                const graphene_rect_t     *area);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryGraphLayout, ferry_graph_layout_unref)

G_END_DECLS
