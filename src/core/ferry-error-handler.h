/* ferry-error-handler.h — the Error Handler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ferry-types.h"

G_BEGIN_DECLS

/* What to do with a chunk that failed. */
typedef enum {
  FERRY_ERROR_ACTION_RETRY,         /* again, after the backoff delay */
  FERRY_ERROR_ACTION_WAIT_PARENTS,  /* again, once the table's parents are complete */
  FERRY_ERROR_ACTION_SPLIT,         /* split the chunk in two and retry the halves */
  FERRY_ERROR_ACTION_FAIL_TABLE,    /* the table fails; the rest goes on; the user resolves */
  FERRY_ERROR_ACTION_ESCALATE,      /* stop starting work and ask the user */
} FerryErrorAction;

#define FERRY_TYPE_ERROR_HANDLER (ferry_error_handler_get_type ())

G_DECLARE_FINAL_TYPE (FerryErrorHandler, ferry_error_handler, FERRY, ERROR_HANDLER, GObject)

FerryErrorHandler *ferry_error_handler_new        (guint              retry_attempts);
guint              ferry_error_handler_get_retry_attempts
                                                  (FerryErrorHandler *self);
FerryErrorClass    ferry_error_handler_classify   (const GError      *error);
FerryErrorAction   ferry_error_handler_decide     (FerryErrorHandler *self,
                                                   FerryErrorClass    error_class,
                                                   guint              attempts,
                                                   gboolean           parents_complete,
                                                   gboolean           can_split);
guint              ferry_error_handler_backoff_ms (FerryErrorHandler *self,
                                                   guint              attempt);
void               ferry_error_handler_record     (FerryErrorHandler *self,
                                                   FerryErrorClass    error_class);
guint              ferry_error_handler_get_count  (FerryErrorHandler *self,
                                                   FerryErrorClass    error_class);
guint              ferry_error_handler_get_total  (FerryErrorHandler *self);

const char        *ferry_error_class_to_string    (FerryErrorClass    error_class);

G_END_DECLS
