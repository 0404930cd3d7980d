/* ferry-local-source.h — a migration that runs in this process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ferry-coordinator.h"
#include "ferry-figure-source.h"

G_BEGIN_DECLS

#define FERRY_TYPE_LOCAL_SOURCE (ferry_local_source_get_type ())

G_DECLARE_FINAL_TYPE (FerryLocalSource, ferry_local_source, FERRY, LOCAL_SOURCE, GObject)

FerryLocalSource *ferry_local_source_new             (FerryCoordinator *coordinator);
FerryCoordinator *ferry_local_source_get_coordinator (FerryLocalSource *self);

G_END_DECLS
