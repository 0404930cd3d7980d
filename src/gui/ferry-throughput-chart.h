/* ferry-throughput-chart.h — throughput over time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ferry-figure-source.h"
#include "ferry-monitor.h"

G_BEGIN_DECLS

#define FERRY_TYPE_THROUGHPUT_CHART (ferry_throughput_chart_get_type ())

G_DECLARE_FINAL_TYPE (FerryThroughputChart, ferry_throughput_chart, FERRY, THROUGHPUT_CHART, GtkWidget)

GtkWidget         *ferry_throughput_chart_new        (void);
void               ferry_throughput_chart_set_source (FerryThroughputChart *self,
                                                      FerryFigureSource    *source);
FerryFigureSource *ferry_throughput_chart_get_source (FerryThroughputChart *self);

G_END_DECLS
