/* ferry-graph-layout.c — a layered layout of the table dependency graph
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-graph-layout"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ferry-graph-layout.h"

/*
 * How the layout works (Sugiyama, Tagawa and Toda; the refinements are
 * the ones of Gansner et al.'s "A technique for drawing directed graphs")
 *
 * Levels. They come from the analyzer: a table's level is the longest
 * chain of parents above it, so every kept edge points to a higher level.
 * Levels become columns, from left to right, because table names are
 * wide and dependency chains are long.
 *
 * Dummies. An edge that spans several levels gets a dummy node in each
 * level it crosses, so that it is routed between the nodes of that
 * column instead of over them. A breaking edge that points backwards is
 * reversed for the layout (and drawn with its arrow on the left end); an
 * edge within one level bends out on the right; a self-reference is a
 * loop over its node, which gets room above it.
 *
 * Order. Within each column, nodes are sorted by the barycentre of their
 * neighbours in the previous column, sweeping left to right, then right
 * to left, a few times; nodes without neighbours on that side keep their
 * slot. Edge crossings are counted after every sweep (with an
 * accumulator tree, O(E log V)) and the best order wins; adjacent nodes
 * are then swapped wherever that removes crossings ("transpose").
 *
 * Coordinates. Each column is placed as close as possible to where its
 * neighbours pull it, keeping the order and the minimum gaps: that is an
 * isotonic regression, solved exactly in linear time by pooling adjacent
 * violators. Dummies weigh more than tables, which keeps long edges
 * straight. A few passes alternate left-to-right and right-to-left.
 */

#define GAP_X          156.0f   /* between levels */
#define GAP_WRAP        64.0f   /* between the columns of one level */
#define ASPECT           1.0f   /* width / height that wrapping aims at */
#define MIN_WRAP        16      /* never wrap columns shorter than this */
#define NO_COLUMN       G_MAXUINT
#define GAP_NODES       16.0f   /* between two tables in a column */
#define GAP_DUMMY       10.0f   /* between a table and an edge */
#define GAP_DUMMIES      6.0f   /* between two edges */
#define LOOP_ROOM       20.0f   /* above a table with a self-reference */
#define MARGIN          32.0f
#define PORT_SPACING     7.0f
#define DUMMY_WEIGHT     4.0f
#define DEFAULT_SWEEPS  24
#define PLACE_PASSES     6
#define TRANSPOSE_PASSES 6
#define SMALL_GRAPH   4000      /* tables and dummies: afford more work */

typedef struct {
  FerryGraphLayout *out;

  guint   n;              /* tables */
  guint   m;              /* tables and dummies */
  guint   n_levels;       /* columns of the layered graph */
  guint  *level;          /* m: column; NO_COLUMN for a table without edges */
  guint  *column;         /* n: the column of each table, for building */
  gboolean *isolated;     /* n: no edge but to itself */
  float  *top;            /* m: extent above the centre */
  float  *bottom;         /* m: extent below the centre */
  gboolean *has_loop;     /* n */

  guint  *chain_start;    /* n_edges + 1 */
  guint  *chain;          /* left node, dummies, right node */

  guint  *up_start;       /* m + 1 */
  guint  *up;             /* neighbours in the level to the left */
  guint  *down_start;     /* m + 1 */
  guint  *down;           /* neighbours in the level to the right */

  guint  *layer_start;    /* n_levels + 1 */
  guint  *layer;          /* nodes by level, in the current order */
  guint  *pos;            /* m: position within its level */
  guint  *best_layer;
  float  *y;              /* m: centre */

  /* scratch */
  float  *key;
  guint  *tmp;
  guint  *tree;
  guint   tree_size;
} Work;


FerryGraphLayout *
ferry_graph_layout_new (guint                      n_nodes,
                        const int                 *levels,
                        guint                      n_edges,
                        const FerryGraphEdgeInput *edges)
{
  FerryGraphLayout *self = g_atomic_rc_box_new0 (FerryGraphLayout);

  self->n_nodes = n_nodes;
  self->levels = g_new (int, MAX (n_nodes, 1));
  if (n_nodes > 0)
    memcpy (self->levels, levels, sizeof (int) * n_nodes);
  self->n_edges = n_edges;
  self->inputs = g_new (FerryGraphEdgeInput, MAX (n_edges, 1));
  if (n_edges > 0)
    memcpy (self->inputs, edges, sizeof (FerryGraphEdgeInput) * n_edges);
  self->max_sweeps = DEFAULT_SWEEPS;
  self->segments = g_array_new (FALSE, FALSE, sizeof (FerryGraphSegment));

  return self;
}

FerryGraphLayout *
ferry_graph_layout_ref (FerryGraphLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
ferry_graph_layout_clear (FerryGraphLayout *self)
{
  g_free (self->levels);
  g_free (self->inputs);
  g_free (self->rects);
  g_free (self->column_start);
  g_free (self->column_x);
  g_free (self->columns);
  g_free (self->column_nodes);
  g_free (self->edges);
  g_free (self->cell_start);
  g_free (self->cell_segments);
  g_clear_pointer (&self->segments, g_array_unref);
}

void
ferry_graph_layout_unref (FerryGraphLayout *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) ferry_graph_layout_clear);
}

/* ------------------------------------------------------------------ */
/* The layered graph                                                  */
/* ------------------------------------------------------------------ */

static int
compare_balance (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const int *balance = user_data;
  guint x = *(const guint *) a, y = *(const guint *) b;

  if (balance[x] != balance[y])
    return balance[x] < balance[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Columns. A level is a column, unless it holds so many tables that the
 * graph would be a tall strip: then it wraps into several adjacent
 * columns, as many as it takes for the whole to be about ASPECT times as
 * wide as tall. Within a level, a table with more edges to the left
 * than to the right takes one of the first columns, one with more to
 * the right one of the last: that is the order that needs the fewest
 * dummies (each edge pays one per column it crosses). Tables without
 * any edge are not part of the layered graph: they go into a grid below
 * it. */
/* Puts the tables in columns for a cap of @cap tables per column; returns
 * the number of columns and fills @wraps (per level). */
static guint
wrap_levels (Work        *w,
             guint        n_levels,
             const guint *size,
             const guint *sorted,
             guint        n_sorted,
             guint        cap,
             guint       *wraps)
{
  FerryGraphLayout *out = w->out;
  g_autofree guint *first = g_new0 (guint, MAX (n_levels, 1));
  g_autofree guint *placed = g_new0 (guint, MAX (n_levels, 1));
  guint n_columns = 0;

  for (guint l = 0; l < n_levels; l++)
    {
      wraps[l] = size[l] > 0 ? (size[l] + cap - 1) / cap : 0;
      first[l] = n_columns;
      n_columns += wraps[l];
    }

  for (guint i = 0; i < n_sorted; i++)
    {
      guint v = sorted[i];
      guint l = (guint) MAX (out->levels[v], 0);
      guint per_column = (size[l] + wraps[l] - 1) / wraps[l];

      w->column[v] = first[l] + placed[l]++ / per_column;
    }

  return n_columns;
}

/* How wide over how tall the drawing of the current columns would be,
 * counting the dummies each column gets. */
static float
estimate_aspect (Work  *w,
                 guint  n_columns)
{
  FerryGraphLayout *out = w->out;
  g_autofree int *through = g_new0 (int, n_columns + 1);
  g_autofree guint *tables = g_new0 (guint, n_columns + 1);
  float height = 0;
  int dummies = 0;

  for (guint v = 0; v < w->n; v++)
    if (w->column[v] != NO_COLUMN)
      tables[w->column[v]]++;

  for (guint e = 0; e < out->n_edges; e++)
    {
      const FerryGraphEdgeInput *in = &out->inputs[e];
      guint a = w->column[in->parent], b = w->column[in->child];

      if (in->parent == in->child || a == b)
        continue;
      through[MIN (a, b) + 1]++;
      through[MAX (a, b)]--;
    }

  for (guint c = 0; c < n_columns; c++)
    {
      dummies += through[c];
      height = MAX (height, tables[c] * (FERRY_GRAPH_NODE_HEIGHT + GAP_NODES) + dummies * (GAP_DUMMIES + 1));
    }

  return n_columns * (FERRY_GRAPH_NODE_WIDTH + (GAP_X + GAP_WRAP) / 2) / MAX (height, 1.0f);
}

/* Columns. A level is a column, unless it holds so many tables that the
 * graph would be a tall strip: then it wraps into several adjacent
 * columns, as many as it takes for the whole to be about ASPECT times as
 * wide as tall (dummies included). Within a level, a table with more
 * edges to the left than to the right takes one of the first columns,
 * one with more to the right one of the last: that is the order that
 * needs the fewest dummies (each edge pays one per column it crosses).
 * Tables without any edge are not part of the layered graph: they go
 * into a grid below it. */
static void
assign_columns (Work *w)
{
  FerryGraphLayout *out = w->out;
  g_autofree guint *size = NULL;
  g_autofree guint *wraps = NULL;
  g_autofree guint *sorted = NULL;
  g_autofree int *balance = NULL;
  guint n_levels = 0, biggest = 0, n_columns, n_sorted = 0;
  guint lo, hi;

  w->isolated = g_new (gboolean, MAX (w->n, 1));
  w->column = g_new (guint, MAX (w->n, 1));
  balance = g_new0 (int, MAX (w->n, 1));

  for (guint v = 0; v < w->n; v++)
    {
      w->isolated[v] = TRUE;
      n_levels = MAX (n_levels, (guint) MAX (out->levels[v], 0) + 1);
    }

  for (guint e = 0; e < out->n_edges; e++)
    {
      const FerryGraphEdgeInput *in = &out->inputs[e];
      int lp = MAX (out->levels[in->parent], 0), lc = MAX (out->levels[in->child], 0);

      if (in->parent == in->child)
        continue;
      w->isolated[in->parent] = w->isolated[in->child] = FALSE;
      /* Edges to the right minus edges to the left. */
      if (lc > lp)
        balance[in->parent]++, balance[in->child]--;
      else if (lp > lc)
        balance[in->child]++, balance[in->parent]--;
    }

  size = g_new0 (guint, MAX (n_levels, 1));
  sorted = g_new (guint, MAX (w->n, 1));
  for (guint v = 0; v < w->n; v++)
    if (w->isolated[v])
      w->column[v] = NO_COLUMN;
    else
      {
        size[MAX (out->levels[v], 0)]++;
        sorted[n_sorted++] = v;
      }
  for (guint l = 0; l < n_levels; l++)
    biggest = MAX (biggest, size[l]);
  /* By balance; ties in input order. */
  g_qsort_with_data (sorted, (int) n_sorted, sizeof (guint), compare_balance, balance);

  /* The smallest cap (tallest columns) whose drawing is still at least
   * ASPECT times as wide as tall; no wrapping when even that is so. */
  wraps = g_new0 (guint, MAX (n_levels, 1));
  lo = MIN (MIN_WRAP, MAX (biggest, 1));
  hi = MAX (biggest, 1);
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      n_columns = wrap_levels (w, n_levels, size, sorted, n_sorted, mid, wraps);
      if (estimate_aspect (w, n_columns) > ASPECT)
        lo = mid + 1;
      else
        hi = mid;
    }
  n_columns = wrap_levels (w, n_levels, size, sorted, n_sorted, lo, wraps);

  /* Where the columns are: the gap between two levels is wider than the
   * one between the columns of a level. */
  out->n_columns = n_columns;
  out->column_x = g_new (float, MAX (n_columns, 1));
  for (guint l = 0, c = 0; l < n_levels; l++)
    for (guint k = 0; k < wraps[l]; k++, c++)
      out->column_x[c] = c == 0 ? MARGIN
                                : out->column_x[c - 1] + FERRY_GRAPH_NODE_WIDTH + (k == 0 ? GAP_X : GAP_WRAP);

  w->n_levels = n_columns;
}

static void
build_layers (Work *w)
{
  FerryGraphLayout *out = w->out;
  guint n_chain = 0;
  guint *fill;

  w->n = out->n_nodes;
  assign_columns (w);

  /* Kinds, and how many dummies. */
  w->m = w->n;
  out->edges = g_new0 (FerryGraphEdge, MAX (out->n_edges, 1));
  w->has_loop = g_new0 (gboolean, MAX (w->n, 1));

  for (guint e = 0; e < out->n_edges; e++)
    {
      const FerryGraphEdgeInput *in = &out->inputs[e];
      FerryGraphEdge *edge = &out->edges[e];
      int lp, lc;

      g_assert (in->parent < w->n && in->child < w->n);

      edge->parent = in->parent;
      edge->child = in->child;
      edge->breaking = in->breaking;

      lp = (int) w->column[in->parent];
      lc = (int) w->column[in->child];

      if (in->parent == in->child)
        {
          edge->kind = FERRY_GRAPH_EDGE_LOOP;
          w->has_loop[in->parent] = TRUE;
        }
      else if (lp == lc)
        edge->kind = FERRY_GRAPH_EDGE_FLAT;
      else
        {
          guint span = (guint) ABS (lc - lp);

          edge->kind = lp < lc ? FERRY_GRAPH_EDGE_FORWARD : FERRY_GRAPH_EDGE_BACKWARD;
          w->m += span - 1;
          n_chain += span + 1;
        }
    }

  out->n_dummies = w->m - w->n;

  w->level = g_new (guint, MAX (w->m, 1));
  w->top = g_new (float, MAX (w->m, 1));
  w->bottom = g_new (float, MAX (w->m, 1));
  w->chain_start = g_new (guint, out->n_edges + 1);
  w->chain = g_new (guint, MAX (n_chain, 1));

  for (guint v = 0; v < w->n; v++)
    {
      w->level[v] = w->column[v];
      w->top[v] = FERRY_GRAPH_NODE_HEIGHT / 2 + (w->has_loop[v] ? LOOP_ROOM : 0);
      w->bottom[v] = FERRY_GRAPH_NODE_HEIGHT / 2;
    }

  /* Chains, with their dummies. */
  {
    guint next_dummy = w->n;
    guint c = 0;

    for (guint e = 0; e < out->n_edges; e++)
      {
        const FerryGraphEdge *edge = &out->edges[e];
        guint left, right;

        w->chain_start[e] = c;

        if (edge->kind != FERRY_GRAPH_EDGE_FORWARD &&
            edge->kind != FERRY_GRAPH_EDGE_BACKWARD)
          continue;

        left = edge->kind == FERRY_GRAPH_EDGE_FORWARD ? edge->parent : edge->child;
        right = edge->kind == FERRY_GRAPH_EDGE_FORWARD ? edge->child : edge->parent;

        w->chain[c++] = left;
        for (guint l = w->level[left] + 1; l < w->level[right]; l++)
          {
            guint d = next_dummy++;

            w->level[d] = l;
            w->top[d] = 0;
            w->bottom[d] = 0;
            w->chain[c++] = d;
          }
        w->chain[c++] = right;
      }
    w->chain_start[out->n_edges] = c;
    g_assert (next_dummy == w->m);
    g_assert (c == n_chain);
  }

  /* Neighbours on each side (CSR). */
  w->up_start = g_new0 (guint, w->m + 1);
  w->down_start = g_new0 (guint, w->m + 1);
  w->up = g_new (guint, MAX (n_chain, 1));
  w->down = g_new (guint, MAX (n_chain, 1));

  for (guint e = 0; e < out->n_edges; e++)
    for (guint c = w->chain_start[e]; c + 1 < w->chain_start[e + 1]; c++)
      {
        w->down_start[w->chain[c] + 1]++;
        w->up_start[w->chain[c + 1] + 1]++;
      }
  for (guint v = 0; v < w->m; v++)
    {
      w->down_start[v + 1] += w->down_start[v];
      w->up_start[v + 1] += w->up_start[v];
    }

  fill = g_new (guint, MAX (w->m, 1) * 2);
  memcpy (fill, w->down_start, sizeof (guint) * w->m);
  memcpy (fill + w->m, w->up_start, sizeof (guint) * w->m);
  for (guint e = 0; e < out->n_edges; e++)
    for (guint c = w->chain_start[e]; c + 1 < w->chain_start[e + 1]; c++)
      {
        guint a = w->chain[c], b = w->chain[c + 1];

        w->down[fill[a]++] = b;
        w->up[fill[w->m + b]++] = a;
      }
  g_free (fill);

  /* Levels: tables in input order, tables without any edge last (so
   * that they do not push the connected ones apart), then dummies. */
  w->layer_start = g_new0 (guint, w->n_levels + 1);
  w->layer = g_new (guint, MAX (w->m, 1));
  w->best_layer = g_new (guint, MAX (w->m, 1));
  w->pos = g_new (guint, MAX (w->m, 1));
  w->y = g_new0 (float, MAX (w->m, 1));
  w->key = g_new (float, MAX (w->m, 1));
  w->tmp = g_new (guint, MAX (w->m, 1));

  for (guint v = 0; v < w->m; v++)
    if (w->level[v] != NO_COLUMN)
      w->layer_start[w->level[v] + 1]++;
  for (guint l = 0; l < w->n_levels; l++)
    w->layer_start[l + 1] += w->layer_start[l];

  fill = g_memdup2 (w->layer_start, sizeof (guint) * (w->n_levels + 1));
  for (guint pass = 0; pass < 3; pass++)
    for (guint v = (pass == 2 ? w->n : 0); v < (pass == 2 ? w->m : w->n); v++)
      {
        gboolean isolated = w->up_start[v] == w->up_start[v + 1] &&
                            w->down_start[v] == w->down_start[v + 1];

        if (w->level[v] == NO_COLUMN || (pass < 2 && isolated != (pass == 1)))
          continue;
        w->pos[v] = fill[w->level[v]] - w->layer_start[w->level[v]];
        w->layer[fill[w->level[v]]++] = v;
      }
  g_free (fill);

  w->tree_size = 1;
  for (guint l = 0; l < w->n_levels; l++)
    while (w->tree_size < w->layer_start[l + 1] - w->layer_start[l])
      w->tree_size *= 2;
  w->tree = g_new (guint, 2 * w->tree_size);
}

static void
work_clear (Work *w)
{
  g_free (w->level);
  g_free (w->column);
  g_free (w->isolated);
  g_free (w->top);
  g_free (w->bottom);
  g_free (w->has_loop);
  g_free (w->chain_start);
  g_free (w->chain);
  g_free (w->up_start);
  g_free (w->up);
  g_free (w->down_start);
  g_free (w->down);
  g_free (w->layer_start);
  g_free (w->layer);
  g_free (w->best_layer);
  g_free (w->pos);
  g_free (w->y);
  g_free (w->key);
  g_free (w->tmp);
  g_free (w->tree);
}

/* ------------------------------------------------------------------ */
/* Crossings                                                          */
/* ------------------------------------------------------------------ */

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Crossings between level @l and level @l + 1: the inversions among the
 * edges' lower ends when they are listed by upper end (Barth, Jünger and
 * Mutzel), counted with an accumulator tree. */
static guint
count_crossings_between (Work  *w,
                         guint  l)
{
  guint n_right = w->layer_start[l + 2] - w->layer_start[l + 1];
  guint first_leaf = 1;
  guint crossings = 0;
  guint seen = 0;

  while (first_leaf < n_right)
    first_leaf *= 2;
  memset (w->tree, 0, sizeof (guint) * 2 * first_leaf);

  for (guint i = w->layer_start[l]; i < w->layer_start[l + 1]; i++)
    {
      guint v = w->layer[i];
      guint n_down = w->down_start[v + 1] - w->down_start[v];
      guint *targets = w->tmp;

      for (guint k = 0; k < n_down; k++)
        targets[k] = w->pos[w->down[w->down_start[v] + k]];
      if (n_down > 1)
        qsort (targets, n_down, sizeof (guint), compare_guint);

      for (guint k = 0; k < n_down; k++)
        {
          guint index = targets[k] + first_leaf;
          guint not_greater = w->tree[index];

          /* Sum of the leaves at or left of targets[k]. */
          w->tree[index]++;
          while (index > 1)
            {
              if (index % 2 == 1)
                not_greater += w->tree[index - 1];
              index /= 2;
              w->tree[index]++;
            }
          crossings += seen - not_greater;
          seen++;
        }
    }

  return crossings;
}

static guint
count_crossings (Work *w)
{
  guint total = 0;

  for (guint l = 0; l + 1 < w->n_levels; l++)
    total += count_crossings_between (w, l);

  return total;
}

/* ------------------------------------------------------------------ */
/* Order                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
  float key;
  guint node;
} Keyed;

static int
compare_keyed (gconstpointer a,
               gconstpointer b)
{
  const Keyed *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  /* Stable: by the current position. */
  return x->node < y->node ? -1 : x->node > y->node;
}

/* Sorts level @l by the barycentre of each node's neighbours on one
 * side; nodes without any keep their slot. */
static int
compare_float (gconstpointer a,
               gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return x < y ? -1 : x > y;
}

/* The weighted median of Gansner et al.: the median position, or, for
 * an even count, an interpolation weighted towards the tighter side. */
static float
median_position (Work        *w,
                 const guint *nb,
                 guint        first,
                 guint        count)
{
  float *p = w->key;
  guint m = count / 2;
  float left, right;

  for (guint k = 0; k < count; k++)
    p[k] = w->pos[nb[first + k]];
  qsort (p, count, sizeof (float), compare_float);

  if (count % 2 == 1)
    return p[m];
  if (count == 2)
    return (p[0] + p[1]) / 2;

  left = p[m - 1] - p[0];
  right = p[count - 1] - p[m];
  if (left + right == 0)
    return (p[m - 1] + p[m]) / 2;
  return (p[m - 1] * right + p[m] * left) / (left + right);
}

static void
sweep_layer (Work     *w,
             guint     l,
             gboolean  use_up,
             gboolean  median,
             Keyed    *keyed)
{
  const guint *start = use_up ? w->up_start : w->down_start;
  const guint *nb = use_up ? w->up : w->down;
  guint first = w->layer_start[l];
  guint size = w->layer_start[l + 1] - first;
  guint n_keyed = 0;

  for (guint i = 0; i < size; i++)
    {
      guint v = w->layer[first + i];
      guint count = start[v + 1] - start[v];
      float sum = 0;

      if (count == 0)
        continue;
      if (median)
        keyed[n_keyed].key = median_position (w, nb, start[v], count);
      else
        {
          for (guint k = start[v]; k < start[v + 1]; k++)
            sum += w->pos[nb[k]];
          keyed[n_keyed].key = sum / count;
        }
      /* Ties keep the current order: encode the position. */
      keyed[n_keyed].node = i;
      n_keyed++;
    }

  if (n_keyed == 0)
    return;

  qsort (keyed, n_keyed, sizeof (Keyed), compare_keyed);

  /* Refill: fixed nodes stay, the others take the free slots in order. */
  memcpy (w->tmp, w->layer + first, sizeof (guint) * size);
  {
    guint k = 0;

    for (guint i = 0; i < size; i++)
      {
        guint v = w->tmp[i];

        if (start[v + 1] == start[v])
          continue;
        w->layer[first + i] = w->tmp[keyed[k++].node];
      }
  }

  for (guint i = 0; i < size; i++)
    w->pos[w->layer[first + i]] = i;
}

static guint
pair_crossings (Work        *w,
                guint        a,
                guint        b,
                const guint *start,
                const guint *nb)
{
  guint crossings = 0;

  for (guint i = start[a]; i < start[a + 1]; i++)
    for (guint j = start[b]; j < start[b + 1]; j++)
      if (w->pos[nb[i]] > w->pos[nb[j]])
        crossings++;

  return crossings;
}

/* Swaps neighbours in a level wherever that removes crossings. */
static void
transpose (Work *w)
{
  for (guint pass = 0; pass < TRANSPOSE_PASSES; pass++)
    {
      gboolean improved = FALSE;

      for (guint l = 0; l < w->n_levels; l++)
        for (guint i = w->layer_start[l]; i + 1 < w->layer_start[l + 1]; i++)
          {
            guint a = w->layer[i], b = w->layer[i + 1];
            guint before, after;

            /* Tables without edges stay at the end. */
            if (w->up_start[b] == w->up_start[b + 1] &&
                w->down_start[b] == w->down_start[b + 1])
              continue;

            before = pair_crossings (w, a, b, w->up_start, w->up) +
                     pair_crossings (w, a, b, w->down_start, w->down);
            after = pair_crossings (w, b, a, w->up_start, w->up) +
                    pair_crossings (w, b, a, w->down_start, w->down);

            if (after < before)
              {
                w->layer[i] = b;
                w->layer[i + 1] = a;
                w->pos[a]++;
                w->pos[b]--;
                improved = TRUE;
              }
          }

      if (!improved)
        break;
    }
}

static void
order (Work *w)
{
  FerryGraphLayout *out = w->out;
  g_autofree Keyed *keyed = g_new (Keyed, MAX (w->m, 1));
  guint best, stale = 0;

  /* A first left-to-right sweep turns the input order of each level
   * into one that follows the level before it. */
  for (guint l = 1; l < w->n_levels; l++)
    sweep_layer (w, l, TRUE, FALSE, keyed);

  best = count_crossings (w);
  memcpy (w->best_layer, w->layer, sizeof (guint) * w->m);

  /* Sweeps alternate direction; small graphs also alternate barycentres
   * (pairs of sweeps) with medians, and transpose after each sweep. */
  for (guint s = 0; s < out->max_sweeps && best > 0; s++)
    {
      gboolean down = s % 2 == 1;
      gboolean median = (s / 2) % 2 == 1 && w->m < SMALL_GRAPH;
      guint crossings;

      if (down)
        for (guint l = 1; l < w->n_levels; l++)
          sweep_layer (w, l, TRUE, median, keyed);
      else
        for (guint l = w->n_levels; l-- > 0;)
          if (l + 1 < w->n_levels)
            sweep_layer (w, l, FALSE, median, keyed);
      if (w->m < SMALL_GRAPH)
        transpose (w);

      out->n_sweeps++;
      crossings = count_crossings (w);
      if (crossings < best)
        {
          best = crossings;
          memcpy (w->best_layer, w->layer, sizeof (guint) * w->m);
          stale = 0;
        }
      else if (++stale >= (w->m < SMALL_GRAPH ? 8 : 4))
        break;
    }

  memcpy (w->layer, w->best_layer, sizeof (guint) * w->m);
  for (guint l = 0; l < w->n_levels; l++)
    for (guint i = w->layer_start[l]; i < w->layer_start[l + 1]; i++)
      w->pos[w->layer[i]] = i - w->layer_start[l];

  transpose (w);
  out->n_crossings = count_crossings (w);
}

/* ------------------------------------------------------------------ */
/* Coordinates                                                        */
/* ------------------------------------------------------------------ */

static inline float
gap_between (Work  *w,
             guint  a,
             guint  b)
{
  gboolean real_a = a < w->n, real_b = b < w->n;

  if (real_a && real_b)
    return GAP_NODES;
  if (real_a || real_b)
    return GAP_DUMMY;
  return GAP_DUMMIES;
}

typedef struct {
  double sum;     /* of weight × target */
  double weight;
  guint  count;
} Block;

/* Places level @l as close to @desired as the order and the gaps allow:
 * minimises Σ weight·(y − desired)² subject to y[i+1] − y[i] ≥ sep[i],
 * by pooling adjacent violators. */
static void
place_layer (Work        *w,
             guint        l,
             const float *desired,
             Block       *blocks,
             float       *offset)
{
  guint first = w->layer_start[l];
  guint size = w->layer_start[l + 1] - first;
  guint n_blocks = 0;
  guint i = 0;

  if (size == 0)
    return;

  offset[0] = 0;
  for (guint k = 1; k < size; k++)
    {
      guint a = w->layer[first + k - 1], b = w->layer[first + k];

      offset[k] = offset[k - 1] + w->bottom[a] + gap_between (w, a, b) + w->top[b];
    }

  for (guint k = 0; k < size; k++)
    {
      guint v = w->layer[first + k];
      double weight = v < w->n ? 1.0 : DUMMY_WEIGHT;
      double target = desired[k] - offset[k];

      blocks[n_blocks].sum = weight * target;
      blocks[n_blocks].weight = weight;
      blocks[n_blocks].count = 1;
      n_blocks++;

      while (n_blocks > 1 &&
             blocks[n_blocks - 2].sum / blocks[n_blocks - 2].weight >
             blocks[n_blocks - 1].sum / blocks[n_blocks - 1].weight)
        {
          blocks[n_blocks - 2].sum += blocks[n_blocks - 1].sum;
          blocks[n_blocks - 2].weight += blocks[n_blocks - 1].weight;
          blocks[n_blocks - 2].count += blocks[n_blocks - 1].count;
          n_blocks--;
        }
    }

  for (guint b = 0; b < n_blocks; b++)
    {
      float z = (float) (blocks[b].sum / blocks[b].weight);

      for (guint c = 0; c < blocks[b].count; c++, i++)
        w->y[w->layer[first + i]] = z + offset[i];
    }
}

/* Where the neighbours of level @l pull each of its nodes. */
static void
desire (Work  *w,
        guint  l,
        gboolean use_up,
        gboolean use_down,
        float *desired)
{
  guint first = w->layer_start[l];

  for (guint i = first; i < w->layer_start[l + 1]; i++)
    {
      guint v = w->layer[i];
      double sum = 0;
      guint count = 0;

      if (use_up)
        for (guint k = w->up_start[v]; k < w->up_start[v + 1]; k++, count++)
          sum += w->y[w->up[k]];
      if (use_down)
        for (guint k = w->down_start[v]; k < w->down_start[v + 1]; k++, count++)
          sum += w->y[w->down[k]];

      desired[i - first] = count > 0 ? (float) (sum / count) : w->y[v];
    }
}

static void
place (Work *w)
{
  g_autofree Block *blocks = g_new (Block, MAX (w->m, 1));
  g_autofree float *offset = g_new (float, MAX (w->m, 1));
  g_autofree float *desired = g_new (float, MAX (w->m, 1));

  /* Start packed, each level centred on 0. */
  for (guint l = 0; l < w->n_levels; l++)
    {
      guint first = w->layer_start[l];
      guint size = w->layer_start[l + 1] - first;

      for (guint k = 0; k < size; k++)
        desired[k] = 0;
      place_layer (w, l, desired, blocks, offset);
    }

  for (guint pass = 0; pass < PLACE_PASSES; pass++)
    {
      for (guint l = 1; l < w->n_levels; l++)
        {
          desire (w, l, TRUE, FALSE, desired);
          place_layer (w, l, desired, blocks, offset);
        }
      for (guint l = w->n_levels; l-- > 0;)
        {
          desire (w, l, FALSE, TRUE, desired);
          place_layer (w, l, desired, blocks, offset);
        }
    }

  for (guint l = 0; l < w->n_levels; l++)
    {
      desire (w, l, TRUE, TRUE, desired);
      place_layer (w, l, desired, blocks, offset);
    }
}

/* ------------------------------------------------------------------ */
/* Geometry                                                           */
/* ------------------------------------------------------------------ */

typedef struct {
  guint  edge;
  gboolean child_end;   /* the attachment is the edge's child end */
  float  other_y;       /* where the edge goes: sorts the ports */
} Port;

static int
compare_ports (gconstpointer a,
               gconstpointer b)
{
  const Port *x = a, *y = b;

  if (x->other_y != y->other_y)
    return x->other_y < y->other_y ? -1 : 1;
  return x->edge < y->edge ? -1 : x->edge > y->edge;
}

static void
segment_bounds (FerryGraphSegment *s)
{
  float x0 = s->p[0].x, x1 = s->p[0].x, y0 = s->p[0].y, y1 = s->p[0].y;

  for (guint i = 1; i < 4; i++)
    {
      x0 = MIN (x0, s->p[i].x);
      x1 = MAX (x1, s->p[i].x);
      y0 = MIN (y0, s->p[i].y);
      y1 = MAX (y1, s->p[i].y);
    }
  graphene_rect_init (&s->bounds, x0, y0, x1 - x0, y1 - y0);
}

/* Long curves are cut into pieces of at most MAX_PIECE graph units
 * across (de Casteljau at t = ½), so that drawing a part of the graph
 * only flattens and strokes what is in that part. */
#define MAX_PIECE 400.0f

static void
add_piece (FerryGraphLayout       *out,
           guint                   edge,
           const graphene_point_t *p)
{
  FerryGraphSegment s;

  memcpy (s.p, p, sizeof s.p);
  s.edge = edge;
  segment_bounds (&s);

  if (MAX (s.bounds.size.width, s.bounds.size.height) > MAX_PIECE)
    {
      graphene_point_t ab, bc, cd, abc, bcd, m;
      graphene_point_t left[4], right[4];

      graphene_point_interpolate (&p[0], &p[1], 0.5, &ab);
      graphene_point_interpolate (&p[1], &p[2], 0.5, &bc);
      graphene_point_interpolate (&p[2], &p[3], 0.5, &cd);
      graphene_point_interpolate (&ab, &bc, 0.5, &abc);
      graphene_point_interpolate (&bc, &cd, 0.5, &bcd);
      graphene_point_interpolate (&abc, &bcd, 0.5, &m);

      left[0] = p[0]; left[1] = ab; left[2] = abc; left[3] = m;
      right[0] = m; right[1] = bcd; right[2] = cd; right[3] = p[3];
      add_piece (out, edge, left);
      add_piece (out, edge, right);
      return;
    }

  g_array_append_val (out->segments, s);
}

static void
add_segment (FerryGraphLayout *out,
             guint             edge,
             float x0, float y0,
             float x1, float y1,
             float x2, float y2,
             float x3, float y3)
{
  graphene_point_t p[4] = {
    GRAPHENE_POINT_INIT (x0, y0),
    GRAPHENE_POINT_INIT (x1, y1),
    GRAPHENE_POINT_INIT (x2, y2),
    GRAPHENE_POINT_INIT (x3, y3),
  };

  add_piece (out, edge, p);
}

/* A curve between two columns, horizontal at both ends. */
static void
add_s_curve (FerryGraphLayout *out,
             guint             edge,
             float x0, float y0,
             float x1, float y1)
{
  float half = (x1 - x0) / 2;

  if (y0 == y1)
    add_segment (out, edge, x0, y0, x0, y0, x1, y1, x1, y1);
  else
    add_segment (out, edge, x0, y0, x0 + half, y0, x1 - half, y1, x1, y1);
}

static void
geometry (Work *w)
{
  FerryGraphLayout *out = w->out;
  const float W = FERRY_GRAPH_NODE_WIDTH;
  const float H = FERRY_GRAPH_NODE_HEIGHT;
  const float A = FERRY_GRAPH_ARROW_LENGTH - 0.5f;
  g_autofree float *port_y = g_new (float, MAX (out->n_edges, 1) * 2);
  g_autofree guint *side_start = NULL;
  g_autofree Port *ports = NULL;
  float min_y = G_MAXFLOAT;
  float shift;

  /* Normalise: the topmost extent at MARGIN. */
  for (guint v = 0; v < w->m; v++)
    if (w->level[v] != NO_COLUMN)
      min_y = MIN (min_y, w->y[v] - w->top[v]);
  shift = min_y < G_MAXFLOAT ? MARGIN - min_y : 0;
  for (guint v = 0; v < w->m; v++)
    w->y[v] += shift;

  out->rects = g_new (graphene_rect_t, MAX (w->n, 1));
  out->columns = g_new (guint, MAX (w->n, 1));
  for (guint v = 0; v < w->n; v++)
    if (w->level[v] != NO_COLUMN)
      {
        graphene_rect_init (&out->rects[v], out->column_x[w->level[v]], roundf (w->y[v] - H / 2), W, H);
        out->columns[v] = w->level[v];
      }

  /* Tables without edges: a grid below the graph, in the columns of the
   * graph (more if there are no others), row by row. */
  {
    guint n_isolated = 0, grid, k = 0;
    gboolean loops = FALSE;
    float top = MARGIN, pitch;

    for (guint v = 0; v < w->n; v++)
      if (w->level[v] == NO_COLUMN)
        {
          n_isolated++;
          loops |= w->has_loop[v];
        }
      else
        top = MAX (top, out->rects[v].origin.y + H + 3 * GAP_NODES);

    grid = (guint) ceil (sqrt (n_isolated * (H + GAP_NODES) * ASPECT / (W + GAP_X)));
    grid = MIN (MAX (grid, out->n_columns), n_isolated);
    if (grid > out->n_columns)
      {
        out->column_x = g_renew (float, out->column_x, grid);
        for (guint c = out->n_columns; c < grid; c++)
          out->column_x[c] = c == 0 ? MARGIN : out->column_x[c - 1] + W + GAP_X;
        out->n_columns = grid;
      }

    pitch = H + GAP_NODES + (loops ? LOOP_ROOM : 0);
    top += loops ? LOOP_ROOM : 0;
    for (guint v = 0; v < w->n; v++)
      if (w->level[v] == NO_COLUMN)
        {
          out->columns[v] = k % grid;
          graphene_rect_init (&out->rects[v], out->column_x[k % grid], top + (k / grid) * pitch, W, H);
          k++;
        }
  }

  /* Columns: tables only, top to bottom (the grid at the end). */
  out->column_start = g_new0 (guint, out->n_columns + 1);
  out->column_nodes = g_new (guint, MAX (w->n, 1));
  for (guint c = 0, i = 0; c < out->n_columns; c++)
    {
      out->column_start[c] = i;
      if (c < w->n_levels)
        for (guint j = w->layer_start[c]; j < w->layer_start[c + 1]; j++)
          if (w->layer[j] < w->n)
            out->column_nodes[i++] = w->layer[j];
      for (guint v = 0; v < w->n; v++)
        if (w->level[v] == NO_COLUMN && out->columns[v] == c)
          out->column_nodes[i++] = v;
      out->column_start[c + 1] = i;
    }

  /* Ports: the ends of the edges on each side of a table, spread out
   * and sorted by where the edges go so that they do not cross there.
   * Side 2v is the left one, 2v + 1 the right one. */
  side_start = g_new0 (guint, 2 * MAX (w->n, 1) + 1);
  ports = g_new (Port, MAX (out->n_edges, 1) * 2);

  for (int pass = 0; pass < 2; pass++)
    {
      g_autofree guint *fill = NULL;

      if (pass == 1)
        {
          for (guint s = 0; s < 2 * w->n; s++)
            side_start[s + 1] += side_start[s];
          fill = g_memdup2 (side_start, sizeof (guint) * 2 * MAX (w->n, 1));
        }

      for (guint e = 0; e < out->n_edges; e++)
        {
          const FerryGraphEdge *edge = &out->edges[e];
          guint sides[2];
          Port p[2];

          if (edge->kind == FERRY_GRAPH_EDGE_LOOP)
            continue;

          if (edge->kind == FERRY_GRAPH_EDGE_FLAT)
            {
              sides[0] = 2 * edge->parent + 1;
              p[0] = (Port) { e, FALSE, w->y[edge->child] };
              sides[1] = 2 * edge->child + 1;
              p[1] = (Port) { e, TRUE, w->y[edge->parent] };
            }
          else
            {
              guint c0 = w->chain_start[e], c1 = w->chain_start[e + 1] - 1;
              gboolean forward = edge->kind == FERRY_GRAPH_EDGE_FORWARD;

              sides[0] = 2 * w->chain[c0] + 1;
              p[0] = (Port) { e, !forward, w->y[w->chain[c0 + 1]] };
              sides[1] = 2 * w->chain[c1];
              p[1] = (Port) { e, forward, w->y[w->chain[c1 - 1]] };
            }

          for (guint k = 0; k < 2; k++)
            {
              if (pass == 0)
                side_start[sides[k] + 1]++;
              else
                ports[fill[sides[k]]++] = p[k];
            }
        }
    }

  for (guint s = 0; s < 2 * w->n; s++)
    {
      guint count = side_start[s + 1] - side_start[s];
      guint v = s / 2;
      float cy = out->rects[v].origin.y + H / 2;
      float spacing = count > 1 ? MIN (PORT_SPACING, (H - 14) / (count - 1)) : 0;

      if (count > 1)
        qsort (ports + side_start[s], count, sizeof (Port), compare_ports);

      for (guint k = 0; k < count; k++)
        {
          const Port *p = &ports[side_start[s] + k];

          port_y[2 * p->edge + (p->child_end ? 1 : 0)] =
            roundf (cy + ((float) k - (count - 1) / 2.0f) * spacing) + 0.5f;
        }
    }

  /* Segments. */
  for (guint e = 0; e < out->n_edges; e++)
    {
      FerryGraphEdge *edge = &out->edges[e];
      const graphene_rect_t *pr = &out->rects[edge->parent];
      const graphene_rect_t *cr = &out->rects[edge->child];
      float py = port_y[2 * e], cy = port_y[2 * e + 1];

      edge->first_segment = out->segments->len;

      switch (edge->kind)
        {
        case FERRY_GRAPH_EDGE_LOOP:
          {
            float x0 = pr->origin.x + W - 52, x1 = pr->origin.x + W - 18;
            float top = pr->origin.y;

            add_segment (out, e, x0, top, x0, top - 24, x1, top - 24, x1, top - A);
            graphene_point_init (&edge->start, x0, top);
            graphene_point_init (&edge->tip, x1, top);
            graphene_vec2_init (&edge->direction, 0, 1);
          }
          break;

        case FERRY_GRAPH_EDGE_FLAT:
          {
            float right = pr->origin.x + W;
            float bulge = MIN (GAP_X * 0.55f, 30 + 0.2f * fabsf (cy - py));

            add_segment (out, e, right, py, right + bulge, py, right + bulge, cy, right + A, cy);
            graphene_point_init (&edge->start, right, py);
            graphene_point_init (&edge->tip, right, cy);
            graphene_vec2_init (&edge->direction, -1, 0);
          }
          break;

        case FERRY_GRAPH_EDGE_FORWARD:
        case FERRY_GRAPH_EDGE_BACKWARD:
          {
            gboolean forward = edge->kind == FERRY_GRAPH_EDGE_FORWARD;
            guint c0 = w->chain_start[e], c1 = w->chain_start[e + 1] - 1;
            const graphene_rect_t *lr = forward ? pr : cr;
            const graphene_rect_t *rr = forward ? cr : pr;
            float ly = forward ? py : cy;
            float ry = forward ? cy : py;
            float x = lr->origin.x + W + (forward ? 0 : A);
            float y = ly;

            for (guint c = c0 + 1; c < c1; c++)
              {
                guint d = w->chain[c];
                float dx = out->column_x[w->level[d]];
                float dy = roundf (w->y[d]) + 0.5f;

                add_s_curve (out, e, x, y, dx, dy);
                add_segment (out, e, dx, dy, dx, dy, dx + W, dy, dx + W, dy);
                x = dx + W;
                y = dy;
              }
            add_s_curve (out, e, x, y, rr->origin.x - (forward ? A : 0), ry);

            if (forward)
              {
                graphene_point_init (&edge->start, lr->origin.x + W, ly);
                graphene_point_init (&edge->tip, rr->origin.x, ry);
                graphene_vec2_init (&edge->direction, 1, 0);
              }
            else
              {
                graphene_point_init (&edge->start, rr->origin.x, ry);
                graphene_point_init (&edge->tip, lr->origin.x + W, ly);
                graphene_vec2_init (&edge->direction, -1, 0);
              }
          }
          break;

        default:
          g_assert_not_reached ();
        }

      edge->n_segments = out->segments->len - edge->first_segment;
    }

  /* Bounds of everything, with a margin. */
  {
    float x1 = 0, y1 = 0;

    for (guint v = 0; v < w->n; v++)
      {
        x1 = MAX (x1, out->rects[v].origin.x + W);
        y1 = MAX (y1, out->rects[v].origin.y + H);
      }
    for (guint i = 0; i < out->segments->len; i++)
      {
        const FerryGraphSegment *s = &g_array_index (out->segments, FerryGraphSegment, i);

        x1 = MAX (x1, s->bounds.origin.x + s->bounds.size.width);
        y1 = MAX (y1, s->bounds.origin.y + s->bounds.size.height);
      }
    graphene_rect_init (&out->bounds, 0, 0, x1 + MARGIN, y1 + MARGIN);
  }
}

/* ------------------------------------------------------------------ */
/* Cells                                                              */
/* ------------------------------------------------------------------ */

static void
cell_range (FerryGraphLayout      *self,
            const graphene_rect_t *r,
            guint                 *x0,
            guint                 *x1,
            guint                 *y0,
            guint                 *y1)
{
  const float size = FERRY_GRAPH_CELL_SIZE;

  *x0 = (guint) CLAMP (floorf (r->origin.x / size), 0, self->n_cells_x - 1);
  *x1 = (guint) CLAMP (floorf ((r->origin.x + r->size.width) / size), 0, self->n_cells_x - 1);
  *y0 = (guint) CLAMP (floorf (r->origin.y / size), 0, self->n_cells_y - 1);
  *y1 = (guint) CLAMP (floorf ((r->origin.y + r->size.height) / size), 0, self->n_cells_y - 1);
}

static void
index_cells (FerryGraphLayout *self)
{
  guint n_cells, *fill;

  self->n_cells_x = MAX (1, (guint) ceilf (self->bounds.size.width / FERRY_GRAPH_CELL_SIZE));
  self->n_cells_y = MAX (1, (guint) ceilf (self->bounds.size.height / FERRY_GRAPH_CELL_SIZE));
  n_cells = self->n_cells_x * self->n_cells_y;
  self->cell_start = g_new0 (guint, n_cells + 1);

  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          for (guint c = 0; c < n_cells; c++)
            self->cell_start[c + 1] += self->cell_start[c];
          self->cell_segments = g_new (guint, MAX (self->cell_start[n_cells], 1));
          fill = g_memdup2 (self->cell_start, sizeof (guint) * n_cells);
        }

      for (guint i = 0; i < self->segments->len; i++)
        {
          const FerryGraphSegment *s = &g_array_index (self->segments, FerryGraphSegment, i);
          guint x0, x1, y0, y1;

          cell_range (self, &s->bounds, &x0, &x1, &y0, &y1);
          for (guint y = y0; y <= y1; y++)
            for (guint x = x0; x <= x1; x++)
              {
                guint c = y * self->n_cells_x + x;

                if (pass == 0)
                  self->cell_start[c + 1]++;
                else
                  self->cell_segments[fill[c]++] = i;
              }
        }
    }

  g_free (fill);
}

GArray *
ferry_graph_layout_query (FerryGraphLayout      *self,
                          const graphene_rect_t *area)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint64 *seen = NULL;
  guint n = self->segments->len;
  guint x0, x1, y0, y1;

  g_return_val_if_fail (self != NULL, found);

  if (self->cell_start == NULL || n == 0)
    return found;

  seen = g_new0 (guint64, (n + 63) / 64);
  cell_range (self, area, &x0, &x1, &y0, &y1);
  for (guint y = y0; y <= y1; y++)
    for (guint x = x0; x <= x1; x++)
      {
        guint c = y * self->n_cells_x + x;

        for (guint k = self->cell_start[c]; k < self->cell_start[c + 1]; k++)
          {
            guint i = self->cell_segments[k];
            const FerryGraphSegment *s = &g_array_index (self->segments, FerryGraphSegment, i);

            /* Inclusive: a straight segment has no height. */
            if (s->bounds.origin.x <= area->origin.x + area->size.width &&
                s->bounds.origin.x + s->bounds.size.width >= area->origin.x &&
                s->bounds.origin.y <= area->origin.y + area->size.height &&
                s->bounds.origin.y + s->bounds.size.height >= area->origin.y)
              seen[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
          }
      }

  /* In segment order: the pieces of a curve stay consecutive. */
  for (guint w = 0; w < (n + 63) / 64; w++)
    for (guint64 bits = seen[w]; bits != 0; bits &= bits - 1)
      {
        guint i = w * 64 + (guint) __builtin_ctzll (bits);

        g_array_append_val (found, i);
      }

  return found;
}

void
ferry_graph_layout_run (FerryGraphLayout *self)
{
  Work w = { .out = self };
  gint64 started = g_get_monotonic_time ();

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->rects == NULL);

  build_layers (&w);
  self->phase_usec[0] = g_get_monotonic_time () - started;
  order (&w);
  self->phase_usec[1] = g_get_monotonic_time () - started;
  place (&w);
  self->phase_usec[2] = g_get_monotonic_time () - started;
  geometry (&w);
  work_clear (&w);
  index_cells (self);
  self->phase_usec[3] = g_get_monotonic_time () - started;
  for (guint i = 3; i > 0; i--)
    self->phase_usec[i] -= self->phase_usec[i - 1];

  self->elapsed_usec = g_get_monotonic_time () - started;
}

int
ferry_graph_layout_hit (FerryGraphLayout *self,
                        float             x,
                        float             y)
{
  guint column, lo, hi;

  g_return_val_if_fail (self != NULL, -1);

  if (self->rects == NULL || self->n_columns == 0 || x < self->column_x[0])
    return -1;

  /* The last column starting left of x. */
  lo = 0;
  hi = self->n_columns;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (self->column_x[mid] <= x)
        lo = mid;
      else
        hi = mid;
    }
  column = lo;
  if (x > self->column_x[column] + FERRY_GRAPH_NODE_WIDTH)
    return -1;

  /* The first node whose bottom is below y. */
  lo = self->column_start[column];
  hi = self->column_start[column + 1];
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const graphene_rect_t *r = &self->rects[self->column_nodes[mid]];

      if (r->origin.y + r->size.height < y)
        lo = mid + 1;
      else
        hi = mid;
    }

  if (lo < self->column_start[column + 1])
    {
      guint v = self->column_nodes[lo];

      if (graphene_rect_contains_point (&self->rects[v], &GRAPHENE_POINT_INIT (x, y)))
        return (int) v;
    }

  return -1;
}
