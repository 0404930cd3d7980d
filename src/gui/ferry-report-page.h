/* ferry-report-page.h — the completion summary and the reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ferry-figure-source.h"

G_BEGIN_DECLS

#define FERRY_TYPE_REPORT_PAGE (ferry_report_page_get_type ())

G_DECLARE_FINAL_TYPE (FerryReportPage, ferry_report_page, FERRY, REPORT_PAGE, AdwBin)

void ferry_report_page_set_source      (FerryReportPage   *self,
                                        FerryFigureSource *source);
void ferry_report_page_refresh         (FerryReportPage   *self);
void ferry_report_page_set_last_report (FerryReportPage   *self,
                                        const char        *path);

G_END_DECLS
