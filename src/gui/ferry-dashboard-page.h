/* ferry-dashboard-page.h — the migration as it runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ferry-figure-source.h"

G_BEGIN_DECLS

#define FERRY_TYPE_DASHBOARD_PAGE (ferry_dashboard_page_get_type ())

G_DECLARE_FINAL_TYPE (FerryDashboardPage, ferry_dashboard_page, FERRY, DASHBOARD_PAGE, AdwBin)

void               ferry_dashboard_page_set_source      (FerryDashboardPage *self,
                                                         FerryFigureSource  *source);
FerryFigureSource *ferry_dashboard_page_get_source      (FerryDashboardPage *self);
GtkColumnView     *ferry_dashboard_page_get_column_view (FerryDashboardPage *self);
void               ferry_dashboard_page_set_filter      (FerryDashboardPage *self,
                                                         const char         *filter);
void               ferry_dashboard_page_update          (FerryDashboardPage *self);

G_END_DECLS
