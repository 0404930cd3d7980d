/* ferry-config.h — the Configuration Manager
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ferry-types.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CONFIG (ferry_config_get_type ())

G_DECLARE_FINAL_TYPE (FerryConfig, ferry_config, FERRY, CONFIG, GObject)

/* Defaults and limits, shared with the GUI's preferences and the docs. */
#define FERRY_CONFIG_DEFAULT_BATCH_SIZE            10
#define FERRY_CONFIG_DEFAULT_MAX_PARALLEL           5
#define FERRY_CONFIG_DEFAULT_RETRY_ATTEMPTS         3
#define FERRY_CONFIG_DEFAULT_TIMEOUT_SECONDS     3600
#define FERRY_CONFIG_DEFAULT_CHUNK_SIZE   (G_GUINT64_CONSTANT (256) * 1024 * 1024)
#define FERRY_CONFIG_DEFAULT_INTERVAL_SECONDS      30
#define FERRY_CONFIG_DEFAULT_POOL_SIZE             10
#define FERRY_CONFIG_DEFAULT_QUERY_TIMEOUT        300
#define FERRY_CONFIG_DEFAULT_CONNECT_TIMEOUT       10
#define FERRY_CONFIG_DEFAULT_JOURNAL_SCHEMA   "ferry"
#define FERRY_CONFIG_DEFAULT_CONSTRAINTS      FERRY_CONSTRAINT_STRATEGY_KEEP
#define FERRY_CONFIG_DEFAULT_SCHEMA_MODE      FERRY_SCHEMA_MODE_EXISTING
#define FERRY_CONFIG_DEFAULT_VALIDATION       FERRY_VALIDATION_MODE_COUNTS
#define FERRY_CONFIG_DEFAULT_COPY_FORMAT      FERRY_COPY_FORMAT_BINARY

/* Inclusive ranges; the setters refuse values outside them. */
#define FERRY_CONFIG_MIN_BATCH_SIZE                 1
#define FERRY_CONFIG_MAX_BATCH_SIZE             10000
#define FERRY_CONFIG_MIN_MAX_PARALLEL               1
#define FERRY_CONFIG_MAX_MAX_PARALLEL              64
#define FERRY_CONFIG_MIN_RETRY_ATTEMPTS             0
#define FERRY_CONFIG_MAX_RETRY_ATTEMPTS           100
#define FERRY_CONFIG_MIN_TIMEOUT_SECONDS            1
#define FERRY_CONFIG_MAX_TIMEOUT_SECONDS       604800
#define FERRY_CONFIG_MIN_CHUNK_SIZE       (G_GUINT64_CONSTANT (1) * 1024 * 1024)
#define FERRY_CONFIG_MAX_CHUNK_SIZE       (G_GUINT64_CONSTANT (64) * 1024 * 1024 * 1024)
#define FERRY_CONFIG_MIN_INTERVAL_SECONDS           1
#define FERRY_CONFIG_MAX_INTERVAL_SECONDS        3600
#define FERRY_CONFIG_MIN_POOL_SIZE                  2
#define FERRY_CONFIG_MAX_POOL_SIZE               1000
#define FERRY_CONFIG_MIN_QUERY_TIMEOUT              0   /* 0: no timeout */
#define FERRY_CONFIG_MAX_QUERY_TIMEOUT          86400
#define FERRY_CONFIG_MIN_CONNECT_TIMEOUT            1
#define FERRY_CONFIG_MAX_CONNECT_TIMEOUT         3600

/* Connections Ferry holds on the source besides one per worker: the
 * coordinator's and the one that keeps the exported snapshot open (the
 * target needs one fewer). connection_pool_size must be at least
 * max_parallel + this. */
#define FERRY_CONFIG_POOL_OVERHEAD                  2

FerryConfig  *ferry_config_new                 (void);
FerryConfig  *ferry_config_new_from_file       (const char   *path,
                                                GError      **error);
FerryConfig  *ferry_config_new_from_data       (const char   *data,
                                                gssize        length,
                                                const char   *filename,
                                                GError      **error);
gboolean      ferry_config_validate            (FerryConfig  *self,
                                                GError      **error);
char         *ferry_config_to_yaml             (FerryConfig  *self);
gboolean      ferry_config_save                (FerryConfig  *self,
                                                const char   *path,
                                                GError      **error);
FerryConfig  *ferry_config_copy                (FerryConfig  *self);
const char   *ferry_config_get_filename        (FerryConfig  *self);

/* migration: */
guint         ferry_config_get_batch_size      (FerryConfig  *self);
void          ferry_config_set_batch_size      (FerryConfig  *self, guint value);
guint         ferry_config_get_max_parallel    (FerryConfig  *self);
void          ferry_config_set_max_parallel    (FerryConfig  *self, guint value);
guint         ferry_config_get_retry_attempts  (FerryConfig  *self);
void          ferry_config_set_retry_attempts  (FerryConfig  *self, guint value);
guint         ferry_config_get_timeout_seconds (FerryConfig  *self);
void          ferry_config_set_timeout_seconds (FerryConfig  *self, guint value);
guint64       ferry_config_get_chunk_size      (FerryConfig  *self);
void          ferry_config_set_chunk_size      (FerryConfig  *self, guint64 value);
FerryConstraintStrategy
              ferry_config_get_constraints     (FerryConfig  *self);
void          ferry_config_set_constraints     (FerryConfig  *self, FerryConstraintStrategy value);
FerrySchemaMode
              ferry_config_get_schema_mode     (FerryConfig  *self);
void          ferry_config_set_schema_mode     (FerryConfig  *self, FerrySchemaMode value);
FerryValidationMode
              ferry_config_get_validation      (FerryConfig  *self);
void          ferry_config_set_validation      (FerryConfig  *self, FerryValidationMode value);
FerryCopyFormat
              ferry_config_get_copy_format     (FerryConfig  *self);
void          ferry_config_set_copy_format     (FerryConfig  *self, FerryCopyFormat value);
gboolean      ferry_config_get_fire_triggers   (FerryConfig  *self);
void          ferry_config_set_fire_triggers   (FerryConfig  *self, gboolean value);

/* monitoring: */
guint         ferry_config_get_interval_seconds   (FerryConfig *self);
void          ferry_config_set_interval_seconds   (FerryConfig *self, guint value);
gboolean      ferry_config_get_real_time_enabled  (FerryConfig *self);
void          ferry_config_set_real_time_enabled  (FerryConfig *self, gboolean value);
gboolean      ferry_config_get_dashboard_enabled  (FerryConfig *self);
void          ferry_config_set_dashboard_enabled  (FerryConfig *self, gboolean value);

/* notifications: */
gboolean      ferry_config_get_notifications_enabled (FerryConfig *self);
void          ferry_config_set_notifications_enabled (FerryConfig *self, gboolean value);
gboolean      ferry_config_get_email_enabled      (FerryConfig *self);
void          ferry_config_set_email_enabled      (FerryConfig *self, gboolean value);
gboolean      ferry_config_get_slack_enabled      (FerryConfig *self);
void          ferry_config_set_slack_enabled      (FerryConfig *self, gboolean value);
const char * const *
              ferry_config_get_webhooks           (FerryConfig *self);
void          ferry_config_set_webhooks           (FerryConfig *self, const char * const *urls);

/* database: */
guint         ferry_config_get_connection_pool_size (FerryConfig *self);
void          ferry_config_set_connection_pool_size (FerryConfig *self, guint value);
guint         ferry_config_get_query_timeout      (FerryConfig *self);
void          ferry_config_set_query_timeout      (FerryConfig *self, guint value);
guint         ferry_config_get_connect_timeout    (FerryConfig *self);
void          ferry_config_set_connect_timeout    (FerryConfig *self, guint value);

/* source: / target: (libpq conninfo strings, never with a password) */
const char   *ferry_config_get_source          (FerryConfig  *self);
void          ferry_config_set_source          (FerryConfig  *self, const char *conninfo);
const char   *ferry_config_get_target          (FerryConfig  *self);
void          ferry_config_set_target          (FerryConfig  *self, const char *conninfo);

/* tables: */
const char * const *
              ferry_config_get_include         (FerryConfig  *self);
void          ferry_config_set_include         (FerryConfig  *self, const char * const *patterns);
const char * const *
              ferry_config_get_exclude         (FerryConfig  *self);
void          ferry_config_set_exclude         (FerryConfig  *self, const char * const *patterns);
gboolean      ferry_config_table_is_included   (FerryConfig  *self,
                                                const char   *schema,
                                                const char   *name);
/* Foreign keys as "schema.table.constraint": where cycles are broken. */
const char * const *
              ferry_config_get_break_cycles_at (FerryConfig  *self);
void          ferry_config_set_break_cycles_at (FerryConfig  *self, const char * const *foreign_keys);

/* journal: */
const char   *ferry_config_get_journal_schema  (FerryConfig  *self);
void          ferry_config_set_journal_schema  (FerryConfig  *self, const char *schema);

/* reports: */
const char   *ferry_config_get_reports_directory (FerryConfig *self);
void          ferry_config_set_reports_directory (FerryConfig *self, const char *directory);
char         *ferry_config_dup_reports_path    (FerryConfig  *self);

/* The checks the loader applies to single values, for the GUI and the
 * CLI to validate input before calling a setter. The messages name
 * neither the key nor a position; they never echo a password. */
gboolean      ferry_config_check_conninfo      (const char   *conninfo,
                                                GError      **error);
gboolean      ferry_config_check_journal_schema (const char  *schema,
                                                GError      **error);
gboolean      ferry_config_check_reports_directory (const char *directory,
                                                GError      **error);
gboolean      ferry_config_check_pattern       (const char   *pattern,
                                                GError      **error);
gboolean      ferry_config_check_foreign_key   (const char   *name,
                                                GError      **error);
gboolean      ferry_config_check_webhook       (const char   *url,
                                                GError      **error);

/* Sizes such as "256MB", "1.5 GiB", "65536": 1 kB = 1024 bytes, as in
 * PostgreSQL's own settings. */
gboolean      ferry_parse_size                 (const char   *text,
                                                guint64      *bytes,
                                                GError      **error);
char         *ferry_format_size                (guint64       bytes);

G_END_DECLS
