/* ferry-report-private.h — what the report's renderers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ferry-report.h"

G_BEGIN_DECLS

/* ferry-report-html.c */
GBytes     *ferry_report_render_html      (JsonObject  *document);

/* ferry-report-csv.c */
GBytes     *ferry_report_render_csv       (JsonObject  *document,
                                           GError     **error);

/* ferry-report.c: formatting shared by the renderers */
char       *ferry_report_format_duration  (double       seconds);
char       *ferry_report_format_count     (gint64       value);
char       *ferry_report_format_rate      (double       bytes_per_second);
char       *ferry_report_format_time      (const char  *iso8601);
const char *ferry_report_phase_to_string  (const char  *phase);

/* JSON accessors that accept missing members and nulls. */
const char *ferry_report_get_string       (JsonObject  *object,
                                           const char  *member);
gint64      ferry_report_get_int          (JsonObject  *object,
                                           const char  *member,
                                           gint64       fallback);
double      ferry_report_get_double       (JsonObject  *object,
                                           const char  *member,
                                           double       fallback);
gboolean    ferry_report_get_boolean      (JsonObject  *object,
                                           const char  *member,
                                           gboolean     fallback);
gboolean    ferry_report_has_value        (JsonObject  *object,
                                           const char  *member);
JsonObject *ferry_report_get_object       (JsonObject  *object,
                                           const char  *member);
JsonArray  *ferry_report_get_array        (JsonObject  *object,
                                           const char  *member);

G_END_DECLS
