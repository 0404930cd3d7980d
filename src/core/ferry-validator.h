/* ferry-validator.h — readiness before a migration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ferry-check.h"
#include "ferry-plan.h"

G_BEGIN_DECLS

#define FERRY_TYPE_VALIDATOR (ferry_validator_get_type ())

G_DECLARE_FINAL_TYPE (FerryValidator, ferry_validator, FERRY, VALIDATOR, GObject)

FerryValidator  *ferry_validator_new                 (FerryConfig      *config);
FerryConfig     *ferry_validator_get_config          (FerryValidator   *self);

/* Connects to both servers, reads both catalogs, analyses the source's
 * dependencies and plans. Fails when the source cannot be read (there
 * is nothing to plan); a target that cannot be reached is reported by
 * the checks, not as an error. Blocks: use a thread or the _async form. */
gboolean         ferry_validator_prepare             (FerryValidator   *self,
                                                      GCancellable     *cancellable,
                                                      GError          **error);
/* prepare() if not done yet, then every readiness check. Returns FALSE
 * only on cancellation or an internal failure: problems with the
 * servers or the data are failed checks. */
gboolean         ferry_validator_run                 (FerryValidator   *self,
                                                      GCancellable     *cancellable,
                                                      GError          **error);
void             ferry_validator_run_async           (FerryValidator   *self,
                                                      GCancellable     *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer          user_data);
gboolean         ferry_validator_run_finish          (FerryValidator   *self,
                                                      GAsyncResult     *result,
                                                      GError          **error);

/* Applies a fix a check offered (FERRY_FIX_*) on the target; not
 * FERRY_FIX_CHOOSE_CYCLE_BREAKS, which needs a choice (below). */
gboolean         ferry_validator_apply_fix           (FerryValidator   *self,
                                                      const char       *fix_id,
                                                      GCancellable     *cancellable,
                                                      GError          **error);

/* Applies FERRY_FIX_CHOOSE_CYCLE_BREAKS: sets tables.break_cycles_at of
 * the configuration to @foreign_keys, keys the fix data offered. The
 * next run analyses the cycles again. Does not block. */
gboolean         ferry_validator_apply_cycle_breaks  (FerryValidator   *self,
                                                      const char * const *foreign_keys,
                                                      GError          **error);

GListModel      *ferry_validator_get_checks          (FerryValidator   *self);
FerryCheck      *ferry_validator_lookup_check        (FerryValidator   *self,
                                                      const char       *id);
guint            ferry_validator_count               (FerryValidator   *self,
                                                      FerryCheckStatus  status);
/* passed / (passed + warnings + failed) × 100; skipped checks count
 * neither way, a warning counts as not passed; 0 before a run. */
double           ferry_validator_get_score           (FerryValidator   *self);
/* The checks ran and none failed (warnings allowed). */
gboolean         ferry_validator_is_ready            (FerryValidator   *self);

FerryConnection *ferry_validator_get_source          (FerryValidator   *self);
FerryConnection *ferry_validator_get_target          (FerryValidator   *self);
FerryCatalog    *ferry_validator_get_source_catalog  (FerryValidator   *self);
FerryCatalog    *ferry_validator_get_target_catalog  (FerryValidator   *self);
FerryAnalyzer   *ferry_validator_get_analyzer        (FerryValidator   *self);
FerryPlan       *ferry_validator_get_plan            (FerryValidator   *self);

JsonNode        *ferry_validator_to_json             (FerryValidator   *self);

G_END_DECLS
