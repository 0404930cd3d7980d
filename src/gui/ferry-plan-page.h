/* ferry-plan-page.h — the dependency graph and the batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ferry-figure-source.h"
#include "ferry-plan.h"

G_BEGIN_DECLS

#define FERRY_TYPE_PLAN_PAGE (ferry_plan_page_get_type ())

G_DECLARE_FINAL_TYPE (FerryPlanPage, ferry_plan_page, FERRY, PLAN_PAGE, AdwBin)

void        ferry_plan_page_set_source    (FerryPlanPage     *self,
                                           FerryFigureSource *source);
void        ferry_plan_page_set_plan      (FerryPlanPage *self,
                                           FerryPlan     *plan);
FerryPlan  *ferry_plan_page_get_plan      (FerryPlanPage *self);
void        ferry_plan_page_select_table  (FerryPlanPage *self,
                                           FerryTable    *table);
FerryTable *ferry_plan_page_get_selected  (FerryPlanPage *self);
void        ferry_plan_page_focus_search  (FerryPlanPage *self);
GtkWidget  *ferry_plan_page_get_graph     (FerryPlanPage *self);

G_END_DECLS
