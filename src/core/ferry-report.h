/* ferry-report.h — readiness, progress, performance and completion reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ferry-coordinator.h"
#include "ferry-journal.h"
#include "ferry-validator.h"

G_BEGIN_DECLS

/* The version of the JSON documents (data/report.schema.json). Fields
 * may be added without raising it; never changed or removed. */
#define FERRY_REPORT_FORMAT_VERSION 1

/* The four reports of the specification. */
typedef enum {
  FERRY_REPORT_KIND_READINESS,    /*< nick=readiness >*/
  FERRY_REPORT_KIND_PROGRESS,     /*< nick=progress >*/
  FERRY_REPORT_KIND_PERFORMANCE,  /*< nick=performance >*/
  FERRY_REPORT_KIND_COMPLETION,   /*< nick=completion >*/
} FerryReportKind;

typedef enum {
  FERRY_REPORT_FORMAT_HTML,  /*< nick=html >*/
  FERRY_REPORT_FORMAT_JSON,  /*< nick=json >*/
  FERRY_REPORT_FORMAT_CSV,   /*< nick=csv >*/
} FerryReportFormat;

#define FERRY_TYPE_REPORT (ferry_report_get_type ())

G_DECLARE_FINAL_TYPE (FerryReport, ferry_report, FERRY, REPORT, GObject)

FerryReport      *ferry_report_new                  (void);
FerryReport      *ferry_report_new_from_journal     (FerryJournal       *journal,
                                                     gint64              migration_id,
                                                     GError            **error);
FerryReport      *ferry_report_new_from_coordinator (FerryCoordinator   *coordinator);
FerryReport      *ferry_report_new_from_validator   (FerryValidator     *validator);

void              ferry_report_set_journal          (FerryReport        *self,
                                                     FerryJournal       *journal,
                                                     gint64              migration_id);
FerryJournal     *ferry_report_get_journal          (FerryReport        *self);
gint64            ferry_report_get_migration_id     (FerryReport        *self);
void              ferry_report_set_validator        (FerryReport        *self,
                                                     FerryValidator     *validator);
FerryValidator   *ferry_report_get_validator        (FerryReport        *self);
void              ferry_report_set_coordinator      (FerryReport        *self,
                                                     FerryCoordinator   *coordinator);
FerryCoordinator *ferry_report_get_coordinator      (FerryReport        *self);

gboolean          ferry_report_can_build            (FerryReport        *self,
                                                     FerryReportKind     kind);

/* The report as data: what the JSON format writes and what the HTML and
 * CSV formats are rendered from. Blocks while it reads the journal. */
JsonNode         *ferry_report_build                (FerryReport        *self,
                                                     FerryReportKind     kind,
                                                     GError            **error);
GBytes           *ferry_report_render               (FerryReport        *self,
                                                     FerryReportKind     kind,
                                                     FerryReportFormat   format,
                                                     GError            **error);
gboolean          ferry_report_write                (FerryReport        *self,
                                                     FerryReportKind     kind,
                                                     FerryReportFormat   format,
                                                     const char         *path,
                                                     GError            **error);

/* The same off the calling thread: what lives in memory (the validator,
 * the coordinator) is read now, the journal in a worker thread. */
void              ferry_report_render_async         (FerryReport        *self,
                                                     FerryReportKind     kind,
                                                     FerryReportFormat   format,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
GBytes           *ferry_report_render_finish        (FerryReport        *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);

/* Renders a document made by ferry_report_build(). */
GBytes           *ferry_report_render_document      (JsonNode           *document,
                                                     FerryReportFormat   format,
                                                     GError            **error);

char             *ferry_report_suggest_filename     (FerryReport        *self,
                                                     FerryReportKind     kind,
                                                     FerryReportFormat   format);
const char       *ferry_report_kind_to_string       (FerryReportKind     kind);
const char       *ferry_report_format_get_extension (FerryReportFormat   format);
const char       *ferry_report_format_get_content_type
                                                    (FerryReportFormat   format);

G_END_DECLS
