/* ferry-check.h — one readiness check and its outcome
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-types.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CHECK (ferry_check_get_type ())

G_DECLARE_FINAL_TYPE (FerryCheck, ferry_check, FERRY, CHECK, GObject)

/* Fixes Ferry can apply itself (the app offers them as buttons). */
#define FERRY_FIX_CREATE_JOURNAL_SCHEMA  "create-journal-schema"
#define FERRY_FIX_TRUNCATE_TARGET        "truncate-target-tables"
#define FERRY_FIX_COPY_SCHEMA            "copy-schema"
#define FERRY_FIX_CREATE_EXTENSIONS      "create-extensions"
/* A fix that needs a choice: the check's fix data lists the cycles and
 * their foreign keys, ferry_validator_apply_cycle_breaks() applies it. */
#define FERRY_FIX_CHOOSE_CYCLE_BREAKS    "choose-cycle-breaks"

FerryCheck       *ferry_check_new             (const char       *id,
                                               FerryCheckGroup   group,
                                               const char       *title);
const char       *ferry_check_get_id          (FerryCheck       *self);
FerryCheckGroup   ferry_check_get_group       (FerryCheck       *self);
const char       *ferry_check_get_title       (FerryCheck       *self);
FerryCheckStatus  ferry_check_get_status      (FerryCheck       *self);
const char       *ferry_check_get_summary     (FerryCheck       *self);
const char       *ferry_check_get_explanation (FerryCheck       *self);
const char       *ferry_check_get_fix         (FerryCheck       *self);
const char       *ferry_check_get_fix_id      (FerryCheck       *self);
const char * const *
                  ferry_check_get_items       (FerryCheck       *self);
JsonNode         *ferry_check_get_fix_data    (FerryCheck       *self);

void              ferry_check_set_result      (FerryCheck       *self,
                                               FerryCheckStatus  status,
                                               const char       *summary,
                                               const char       *explanation);
void              ferry_check_set_fix         (FerryCheck       *self,
                                               const char       *fix,
                                               const char       *fix_id);
void              ferry_check_add_item        (FerryCheck       *self,
                                               const char       *item);
void              ferry_check_set_fix_data    (FerryCheck       *self,
                                               JsonNode         *data);

JsonNode         *ferry_check_to_json         (FerryCheck       *self);

const char       *ferry_check_status_to_string (FerryCheckStatus status);
const char       *ferry_check_group_to_string  (FerryCheckGroup  group);

G_END_DECLS
