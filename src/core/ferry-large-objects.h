/* ferry-large-objects.h — copying the source's large objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ferry-connection.h"

G_BEGIN_DECLS

/* The batches a copy commits: whichever bound is reached first. An
 * object larger than the byte bound is a batch of its own. */
#define FERRY_LARGE_OBJECTS_BATCH_OBJECTS 1000
#define FERRY_LARGE_OBJECTS_BATCH_BYTES   (G_GINT64_CONSTANT (64) * 1024 * 1024)

/* What the readiness check finds out about the source's large objects. */
typedef struct {
  guint64   n_objects;
  guint64   bytes;
  gboolean  bytes_known;      /* FALSE: some object could not be read */
  guint64   n_on_target;      /* of the source's OIDs, how many the target already has */
  GArray   *on_target;        /* guint32: the first of them (at most 10) */
} FerryLargeObjectsSurvey;

gboolean  ferry_large_objects_survey        (FerryConnection          *source,
                                             FerryConnection          *target,
                                             const char               *journal_schema,
                                             GCancellable             *cancellable,
                                             FerryLargeObjectsSurvey  *survey,
                                             GError                  **error);
void      ferry_large_objects_survey_clear  (FerryLargeObjectsSurvey  *survey);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FerryLargeObjectsSurvey, ferry_large_objects_survey_clear)

G_END_DECLS
