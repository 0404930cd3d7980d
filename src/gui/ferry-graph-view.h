/* ferry-graph-view.h — the table dependency graph of a plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ferry-plan.h"

G_BEGIN_DECLS

#define FERRY_TYPE_GRAPH_VIEW (ferry_graph_view_get_type ())

G_DECLARE_FINAL_TYPE (FerryGraphView, ferry_graph_view, FERRY, GRAPH_VIEW, GtkWidget)

GtkWidget  *ferry_graph_view_new                (void);

FerryPlan  *ferry_graph_view_get_plan           (FerryGraphView *self);
void        ferry_graph_view_set_plan           (FerryGraphView *self,
                                                 FerryPlan      *plan);
gboolean    ferry_graph_view_get_loading        (FerryGraphView *self);

FerryTable *ferry_graph_view_get_selected_table (FerryGraphView *self);
void        ferry_graph_view_set_selected_table (FerryGraphView *self,
                                                 FerryTable     *table);
void        ferry_graph_view_focus_table        (FerryGraphView *self,
                                                 FerryTable     *table);

double      ferry_graph_view_get_zoom           (FerryGraphView *self);
void        ferry_graph_view_set_zoom           (FerryGraphView *self,
                                                 double          zoom);
void        ferry_graph_view_zoom_in            (FerryGraphView *self);
void        ferry_graph_view_zoom_out           (FerryGraphView *self);
void        ferry_graph_view_zoom_fit           (FerryGraphView *self);
void        ferry_graph_view_zoom_reset         (FerryGraphView *self);

G_END_DECLS
