/* ferry-cli-private.h — what the ferry-cli commands share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ferry-config.h"
#include "ferry-report.h"
#include "ferry-validator.h"

G_BEGIN_DECLS

/* Exit codes, documented in README.md and help/C/cli.page. */
typedef enum {
  FERRY_EXIT_OK = 0,
  FERRY_EXIT_NOT_READY = 1,      /* check: a readiness check failed */
  FERRY_EXIT_USAGE = 2,          /* bad arguments or configuration */
  FERRY_EXIT_CONNECTION = 3,     /* the source could not be read */
  FERRY_EXIT_FAILED = 4,         /* anything else */
  FERRY_EXIT_MIGRATION_FAILED = 5, /* run: tables failed or validation differs */
  FERRY_EXIT_STOPPED = 6,        /* run: stopped or paused by the user */
} FerryExit;

typedef struct {
  char     *config_path;
  char     *source;
  char     *target;
  gboolean  json;
  gboolean  no_color;
} FerryCliOptions;

void          ferry_cli_options_clear   (FerryCliOptions   *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FerryCliOptions, ferry_cli_options_clear)
GOptionGroup *ferry_cli_common_group    (FerryCliOptions   *options);
FerryConfig  *ferry_cli_load_config     (FerryCliOptions   *options,
                                         GError           **error);
int           ferry_cli_exit_for_error  (const GError      *error);
void          ferry_cli_print_error     (FerryCliOptions   *options,
                                         const GError      *error);
void          ferry_cli_print_json      (JsonNode          *node);

/* Terminal output */
gboolean      ferry_cli_use_color       (FerryCliOptions   *options);
const char   *ferry_cli_style           (FerryCliOptions   *options,
                                         const char        *style);
void          ferry_cli_print_wrapped   (const char        *text,
                                         guint              indent,
                                         guint              width);
guint         ferry_cli_terminal_width  (void);
char         *ferry_cli_pad             (const char        *text,
                                         int                width);

int           ferry_cli_check           (int                argc,
                                         char             **argv);
int           ferry_cli_plan            (int                argc,
                                         char             **argv);
int           ferry_cli_run             (int                argc,
                                         char             **argv);
int           ferry_cli_status          (int                argc,
                                         char             **argv);
int           ferry_cli_pause           (int                argc,
                                         char             **argv);
int           ferry_cli_resume          (int                argc,
                                         char             **argv);
int           ferry_cli_stop            (int                argc,
                                         char             **argv);
int           ferry_cli_resolve         (int                argc,
                                         char             **argv);
int           ferry_cli_report          (int                argc,
                                         char             **argv);
int           ferry_cli_serve           (int                argc,
                                         char             **argv);
gboolean      ferry_cli_write_report    (FerryConfig       *config,
                                         FerryReport       *report,
                                         FerryReportKind    kind,
                                         FerryReportFormat  format,
                                         const char        *output,
                                         char             **path_out,
                                         GError           **error);

G_END_DECLS
