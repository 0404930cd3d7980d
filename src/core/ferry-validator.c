/* ferry-validator.c
 *
 * The readiness checks a DBA reads before a migration starts.
 *
 * prepare() connects to both servers, reads both catalogs, analyses the
 * source's foreign keys and plans. run() turns what it read into
 * FerryChecks: a verdict, a one-line summary with counts, an explanation
 * of why it matters and what Ferry will do, the affected objects and,
 * where possible, a fix — some of which apply_fix() carries out itself.
 *
 * Every check gets its facts from the catalogs already read or from one
 * set-based query (per-table probes are batched, a few hundred tables
 * per query), never from one round trip per table: ten thousand tables
 * are checked in seconds.
 *
 * The score is passed / (passed + warnings + failed) × 100: the share of
 * the checks that ran and found nothing to look at. Skipped checks do not
 * count either way. "Ready" means that no check failed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-validator"

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ferry-analyzer.h"
#include "ferry-catalog.h"
#include "ferry-config.h"
#include "ferry-large-objects.h"
#include "ferry-plan.h"
#include "ferry-table-private.h"
#include "ferry-validator.h"

/* Oldest server Ferry supports (pg_partition_root(), generated columns). */
#define MIN_SERVER_VERSION 120000

/* An assumption, and stated as one in the check that uses it: what one
 * worker moves per second with COPY between two servers on a decent
 * network. Real numbers depend on rows, indexes, disks and the network. */
#define ASSUMED_MB_PER_SECOND_PER_WORKER 40
#define ASSUMED_BYTES_PER_SECOND_PER_WORKER \
  ((guint64)ASSUMED_MB_PER_SECOND_PER_WORKER * 1024 * 1024)

/* Built-in types have the same OID everywhere; user types do not. */
#define FIRST_NORMAL_OBJECT_ID 16384

/* Tables per batched probe query. */
#define PROBE_BATCH 200

/* Statements listed in a fix before "… and N more". */
#define MAX_FIX_STATEMENTS 40

typedef struct
{
  gboolean  valid;
  char     *user;
  gboolean  superuser;
  gboolean  bypassrls;
  gboolean  can_create;       /* CREATE on the current database */
  char     *start_time;       /* pg_postmaster_start_time() as an epoch */
  char     *port;             /* inet_server_port(); NULL on a Unix socket */
  int       max_connections;
  int       reserved;         /* slots this user may not take */
  int       in_use;           /* client backends, this one included */
  int       db_limit;         /* datconnlimit, -1: none */
  int       db_in_use;
  int       role_limit;       /* rolconnlimit, -1: none */
  int       role_in_use;
} ServerInfo;

/* What a run found that a fix needs afterwards. */
typedef struct
{
  GPtrArray  *checks;          /* FerryCheck*, in order */
  char       *truncate_sql;    /* FERRY_FIX_TRUNCATE_TARGET */
  char       *journal_sql;     /* FERRY_FIX_CREATE_JOURNAL_SCHEMA */
  char       *extensions_sql;  /* FERRY_FIX_CREATE_EXTENSIONS */
  GStrv       copy_tables;     /* FERRY_FIX_COPY_SCHEMA: pg_dump -t patterns */
  GStrv       copy_schemas;    /* schemas to create first */
  GStrv       copy_exclude;    /* pg_dump -T patterns, for a whole-schema copy */
  gboolean    copy_whole;      /* no copied table exists on the target yet */
  char       *copy_partitions_sql; /* partitions whose parent is on the target */
} Outcome;

struct _FerryValidator
{
  GObject          parent_instance;

  FerryConfig     *config;

  FerryConnection *source;
  FerryConnection *target;
  FerryCatalog    *source_catalog;
  FerryCatalog    *target_catalog;
  FerryAnalyzer   *analyzer;
  FerryPlan       *plan;
  GError          *source_error;   /* why prepare() failed on the source */
  GError          *target_error;   /* why the target could not be used */
  ServerInfo       source_info;
  ServerInfo       target_info;
  gboolean         prepared;       /* prepare() succeeded … */
  gboolean         fresh;          /* … and no run() consumed it yet */
  gint             running;        /* atomic: a run is under way */

  GListStore      *checks;
  GHashTable      *by_id;          /* id → FerryCheck*, borrowed from checks */
  Outcome         *outcome;        /* of the last run */
};

G_DEFINE_FINAL_TYPE (FerryValidator, ferry_validator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
server_info_clear (ServerInfo *info)
{
  g_clear_pointer (&info->user, g_free);
  g_clear_pointer (&info->start_time, g_free);
  g_clear_pointer (&info->port, g_free);
  memset (info, 0, sizeof *info);
}

static void
outcome_free (Outcome *outcome)
{
  g_clear_pointer (&outcome->checks, g_ptr_array_unref);
  g_free (outcome->truncate_sql);
  g_free (outcome->journal_sql);
  g_free (outcome->extensions_sql);
  g_strfreev (outcome->copy_tables);
  g_strfreev (outcome->copy_schemas);
  g_strfreev (outcome->copy_exclude);
  g_free (outcome->copy_partitions_sql);
  g_free (outcome);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Outcome, outcome_free)

static void
ferry_validator_dispose (GObject *object)
{
  FerryValidator *self = (FerryValidator *)object;

  g_clear_object (&self->plan);
  g_clear_object (&self->analyzer);
  g_clear_object (&self->source_catalog);
  g_clear_object (&self->target_catalog);
  g_clear_object (&self->source);
  g_clear_object (&self->target);
  g_clear_object (&self->config);
  if (self->by_id != NULL)
    g_hash_table_remove_all (self->by_id);
  if (self->checks != NULL)
    g_list_store_remove_all (self->checks);

  G_OBJECT_CLASS (ferry_validator_parent_class)->dispose (object);
}

static void
ferry_validator_finalize (GObject *object)
{
  FerryValidator *self = (FerryValidator *)object;

  g_clear_error (&self->source_error);
  g_clear_error (&self->target_error);
  server_info_clear (&self->source_info);
  server_info_clear (&self->target_info);
  g_clear_pointer (&self->outcome, outcome_free);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_object (&self->checks);

  G_OBJECT_CLASS (ferry_validator_parent_class)->finalize (object);
}

static void
ferry_validator_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FerryValidator *self = FERRY_VALIDATOR (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_validator_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FerryValidator *self = FERRY_VALIDATOR (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      self->config = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_validator_class_init (FerryValidatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_validator_dispose;
  object_class->finalize = ferry_validator_finalize;
  object_class->get_property = ferry_validator_get_property;
  object_class->set_property = ferry_validator_set_property;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, FERRY_TYPE_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_validator_init (FerryValidator *self)
{
  self->checks = g_list_store_new (FERRY_TYPE_CHECK);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * ferry_validator_new:
 * @config: the migration's configuration; the validator keeps a reference
 *   and reads it when it prepares and runs
 */
FerryValidator *
ferry_validator_new (FerryConfig *config)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (config), NULL);

  return g_object_new (FERRY_TYPE_VALIDATOR, "config", config, NULL);
}

FerryConfig *
ferry_validator_get_config (FerryValidator *self)
{
  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), NULL);
  return self->config;
}

/* Result helpers */

static inline const char *
pq_value (PGresult *result,
          int       row,
          int       col)
{
  return PQgetisnull (result, row, col) ? NULL : PQgetvalue (result, row, col);
}

static inline gboolean
pq_bool (PGresult *result,
         int       row,
         int       col)
{
  const char *v = pq_value (result, row, col);
  return v != NULL && v[0] == 't';
}

static inline gint64
pq_int (PGresult *result,
        int       row,
        int       col,
        gint64    fallback)
{
  const char *v = pq_value (result, row, col);
  return v != NULL ? g_ascii_strtoll (v, NULL, 10) : fallback;
}

/* "{1,2,3}", for a $n::pg_catalog.oid[] parameter. */
static char *
oid_array_literal (GPtrArray *tables)
{
  GString *str = g_string_new ("{");

  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);
      g_string_append_printf (str, "%s%u", i > 0 ? "," : "", table->oid);
    }
  g_string_append_c (str, '}');
  return g_string_free (str, FALSE);
}

/* Runs a query with one oid[] parameter listing @tables. */
static PGresult *
query_tables (FerryConnection  *connection,
              const char       *sql,
              GPtrArray        *tables,
              GError          **error)
{
  g_autofree char *oids = oid_array_literal (tables);
  const char *params[] = { oids };

  return ferry_connection_query_params (connection, sql, 1, params, error);
}

/* Server facts */

static const char *server_info_sql =
  "SELECT current_user::pg_catalog.text, r.rolsuper, r.rolbypassrls, "
  "       pg_catalog.has_database_privilege(d.oid, 'CREATE'), "
  "       EXTRACT(epoch FROM pg_catalog.pg_postmaster_start_time())::pg_catalog.text, "
  "       pg_catalog.inet_server_port(), "
  "       pg_catalog.current_setting('max_connections')::pg_catalog.int4, "
  "       CASE WHEN r.rolsuper THEN 0 ELSE "
  "         pg_catalog.current_setting('superuser_reserved_connections')::pg_catalog.int4 + "
  "         CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles "
  "                            WHERE rolname = 'pg_use_reserved_connections') "
  "              AND pg_catalog.pg_has_role('pg_use_reserved_connections', 'MEMBER') THEN 0 "
  "              ELSE COALESCE(NULLIF(pg_catalog.current_setting('reserved_connections', true), '')::pg_catalog.int4, 0) "
  "         END "
  "       END, "
  "       (SELECT count(*) FROM pg_catalog.pg_stat_activity a WHERE a.backend_type = 'client backend'), "
  "       CASE WHEN r.rolsuper THEN -1 ELSE d.datconnlimit END, "
  "       (SELECT count(*) FROM pg_catalog.pg_stat_activity a "
  "         WHERE a.backend_type = 'client backend' AND a.datid = d.oid), "
  "       CASE WHEN r.rolsuper THEN -1 ELSE r.rolconnlimit END, "
  "       (SELECT count(*) FROM pg_catalog.pg_stat_activity a "
  "         WHERE a.backend_type = 'client backend' AND a.usesysid = r.oid) "
  "FROM pg_catalog.pg_roles r, pg_catalog.pg_database d "
  "WHERE r.rolname = current_user AND d.datname = pg_catalog.current_database()";

static gboolean
read_server_info (FerryConnection  *connection,
                  ServerInfo       *info,
                  GError          **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) local_error = NULL;

  server_info_clear (info);

  result = ferry_connection_query (connection, server_info_sql, &local_error);
  if (result == NULL || PQntuples (result) != 1)
    {
      if (local_error == NULL)
        g_set_error (&local_error, FERRY_ERROR, FERRY_ERROR_CATALOG,
                     _("the current role or database is not in the catalog"));
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the settings of the %s: "),
                                  ferry_connection_get_label (connection));
      return FALSE;
    }

  info->valid = TRUE;
  info->user = g_strdup (pq_value (result, 0, 0));
  info->superuser = pq_bool (result, 0, 1);
  info->bypassrls = pq_bool (result, 0, 2);
  info->can_create = pq_bool (result, 0, 3);
  info->start_time = g_strdup (pq_value (result, 0, 4));
  info->port = g_strdup (pq_value (result, 0, 5));
  info->max_connections = pq_int (result, 0, 6, 0);
  info->reserved = pq_int (result, 0, 7, 0);
  info->in_use = pq_int (result, 0, 8, 0);
  info->db_limit = pq_int (result, 0, 9, -1);
  info->db_in_use = pq_int (result, 0, 10, 0);
  info->role_limit = pq_int (result, 0, 11, -1);
  info->role_in_use = pq_int (result, 0, 12, 0);
  return TRUE;
}

/* prepare() */

static gboolean
open_connection (FerryValidator   *self,
                 FerryConnection **connection,
                 const char       *conninfo,
                 const char       *label,
                 GCancellable     *cancellable,
                 GError          **error)
{
  if (*connection != NULL &&
      g_strcmp0 (ferry_connection_get_conninfo (*connection), conninfo ? conninfo : "") == 0 &&
      ferry_connection_is_open (*connection))
    return TRUE;

  g_clear_object (connection);
  *connection = ferry_connection_new (conninfo, label);
  return ferry_connection_open (*connection,
                                ferry_config_get_connect_timeout (self->config),
                                ferry_config_get_query_timeout (self->config),
                                cancellable, error);
}

static gboolean
is_cancellation (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CANCELLED);
}

/* The target: recorded, not fatal. FALSE only on cancellation. */
static gboolean
prepare_target (FerryValidator  *self,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(FerryCatalog) catalog = ferry_catalog_new ();
  g_autoptr(GError) local_error = NULL;

  g_clear_error (&self->target_error);
  server_info_clear (&self->target_info);
  g_clear_object (&self->target_catalog);

  if (!open_connection (self, &self->target, ferry_config_get_target (self->config),
                        _("target"), cancellable, &local_error) ||
      !read_server_info (self->target, &self->target_info, &local_error) ||
      !ferry_catalog_load (catalog, self->target, self->config, cancellable, &local_error))
    {
      if (is_cancellation (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Target not usable: %s", local_error->message);
      self->target_error = g_steal_pointer (&local_error);
      return TRUE;
    }

  self->target_catalog = g_steal_pointer (&catalog);
  return TRUE;
}

/**
 * ferry_validator_prepare:
 *
 * Connects to the source and the target, reads both catalogs and the key
 * ranges of the source, runs the dependency analysis and builds the plan.
 * Fails when the source cannot be reached or read; a target that cannot
 * be reached is remembered and reported by the checks.
 */
gboolean
ferry_validator_prepare (FerryValidator  *self,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_autoptr(FerryCatalog) catalog = NULL;
  g_autoptr(FerryAnalyzer) analyzer = NULL;
  g_autoptr(GError) local_error = NULL;
  FerryPlan *plan;

  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), FALSE);

  self->prepared = FALSE;
  self->fresh = FALSE;
  g_clear_error (&self->source_error);
  g_clear_object (&self->plan);
  g_clear_object (&self->analyzer);
  g_clear_object (&self->source_catalog);
  server_info_clear (&self->source_info);

  catalog = ferry_catalog_new ();
  if (!open_connection (self, &self->source, ferry_config_get_source (self->config),
                        _("source"), cancellable, &local_error) ||
      !read_server_info (self->source, &self->source_info, &local_error) ||
      !ferry_catalog_load (catalog, self->source, self->config, cancellable, &local_error) ||
      !ferry_catalog_load_key_ranges (catalog, self->source,
                                      ferry_config_get_chunk_size (self->config),
                                      cancellable, &local_error))
    {
      if (!is_cancellation (local_error))
        self->source_error = g_error_copy (local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!prepare_target (self, cancellable, error))
    return FALSE;

  analyzer = ferry_analyzer_new (catalog);
  ferry_analyzer_set_preferred_breaks (analyzer, ferry_config_get_break_cycles_at (self->config));
  if (!ferry_analyzer_run (analyzer, error))
    return FALSE;

  if (!(plan = ferry_plan_new (analyzer, self->config, error)))
    return FALSE;

  self->source_catalog = g_steal_pointer (&catalog);
  self->analyzer = g_steal_pointer (&analyzer);
  self->plan = plan;
  self->prepared = TRUE;
  self->fresh = TRUE;
  return TRUE;
}

/* The checks */

typedef struct
{
  FerryTable *source;        /* a copied source table */
  FerryTable *target;        /* its counterpart on the target, or NULL */
  gboolean    schema_usage;  /* on the target */
  gboolean    can_select;
  gboolean    can_insert;
  gboolean    can_truncate;
  gboolean    owns;
  char       *owner;
  gboolean    probed;        /* the emptiness probe ran */
  gboolean    not_empty;
} Pair;

typedef struct
{
  FerryValidator *self;
  FerryConfig    *config;
  FerryCatalog   *source;
  FerryCatalog   *target;    /* NULL when the target is not usable */
  GCancellable   *cancellable;
  Outcome        *outcome;

  gboolean        existing;  /* schema: existing */
  GPtrArray      *copied;    /* source FerryTable*: included, not owned by an extension */
  GArray         *pairs;     /* Pair, parallel to copied */
  GHashTable     *pair_index;/* source FerryTable* → index in pairs + 1 */
  guint           n_units;   /* copied tables that are not partitions */
  guint           n_on_target;
} Run;

typedef void (*CheckFunc) (Run *run, FerryCheck *check);

enum {
  NEEDS_SOURCE = 1 << 0,
  NEEDS_TARGET = 1 << 1,
};

static void
set_result (FerryCheck       *check,
            FerryCheckStatus  status,
            const char       *explanation,
            const char       *format,
            ...) G_GNUC_PRINTF (4, 5);

static void
set_result (FerryCheck       *check,
            FerryCheckStatus  status,
            const char       *explanation,
            const char       *format,
            ...)
{
  g_autofree char *summary = NULL;
  va_list args;

  va_start (args, format);
  summary = g_strdup_vprintf (format, args);
  va_end (args);

  ferry_check_set_result (check, status, summary, explanation);
}

static void
add_item (FerryCheck *check,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
add_item (FerryCheck *check,
          const char *format,
          ...)
{
  g_autofree char *item = NULL;
  va_list args;

  va_start (args, format);
  item = g_strdup_vprintf (format, args);
  va_end (args);

  ferry_check_add_item (check, item);
}

/* Appends statements to a fix, stopping at MAX_FIX_STATEMENTS. */
static void
append_statement (GString    *fix,
                  guint      *n,
                  const char *statement)
{
  if (*n < MAX_FIX_STATEMENTS)
    g_string_append_printf (fix, "\n%s", statement);
  (*n)++;
}

static void
finish_statements (GString *fix,
                   guint    n)
{
  if (n > MAX_FIX_STATEMENTS)
    {
      g_string_append_c (fix, '\n');
      g_string_append_printf (fix,
                              g_dngettext (GETTEXT_PACKAGE, "-- … and %u more statement like these",
                                                            "-- … and %u more statements like these",
                                                            n - MAX_FIX_STATEMENTS),
                              n - MAX_FIX_STATEMENTS);
    }
}

static char *
format_duration (guint64 seconds)
{
  if (seconds < 60)
    return g_strdup (_("under a minute"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u minute", "about %u minutes", (guint)(seconds / 60)),
                            (guint)(seconds / 60));
  if (seconds < 48 * 3600)
    {
      guint hours = seconds / 3600;
      guint minutes = (seconds % 3600) / 60;
      /* Translators: a duration, e.g. "about 3 h 20 min" */
      return g_strdup_printf (_("about %u h %02u min"), hours, minutes);
    }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u day", "about %u days", (guint)(seconds / 86400)),
                          (guint)(seconds / 86400));
}

static Pair *
pair_at (Run   *run,
         guint  i)
{
  return &g_array_index (run->pairs, Pair, i);
}

static Pair *
pair_for (Run        *run,
          FerryTable *source)
{
  gpointer index = g_hash_table_lookup (run->pair_index, source);

  return index != NULL ? pair_at (run, GPOINTER_TO_UINT (index) - 1) : NULL;
}

static gboolean
is_copied (FerryTable *table)
{
  return table->included && table->extension == NULL;
}

/* Connectivity */

static void
check_source_reachable (Run        *run,
                        FerryCheck *check)
{
  FerryValidator *self = run->self;

  ferry_check_add_item (check, ferry_connection_get_display_name (self->source));
  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Ferry reads every table through connections like this one, all inside one "
                "consistent snapshot of the source, so that parent and child tables agree "
                "with each other. Nothing on the source is changed."),
              _("Connected to “%s” on PostgreSQL %s as %s"),
              ferry_catalog_get_database (run->source),
              ferry_connection_get_server_version_string (self->source),
              self->source_info.user);
}

static void
fail_source_reachable (FerryValidator *self,
                       FerryCheck     *check)
{
  g_autofree char *fix = NULL;
  const char *display = self->source ? ferry_connection_get_display_name (self->source)
                                     : ferry_config_get_source (self->config);

  if (display != NULL)
    ferry_check_add_item (check, display);
  set_result (check, FERRY_CHECK_STATUS_FAIL,
              _("Ferry cannot plan or copy anything without reading the source's catalog. "
                "The message above is what the server or libpq reported."),
              "%s", self->source_error->message);
  fix = g_strdup_printf (_("Check that the server is running and accepts connections from this "
                           "machine (listen_addresses, pg_hba.conf), that the connection string is "
                           "right, and that the role may connect to the database. Try it with:\n"
                           "psql '%s'"),
                         display ? display : "");
  ferry_check_set_fix (check, fix, NULL);
}

static void
check_target_reachable (Run        *run,
                        FerryCheck *check)
{
  FerryValidator *self = run->self;
  const char *display = ferry_connection_get_display_name (self->target);

  ferry_check_add_item (check, display);

  if (self->target_error != NULL)
    {
      g_autofree char *fix = NULL;

      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("Ferry writes every row, and its journal, to the target. The checks that "
                    "need to read the target were skipped until it can be reached."),
                  "%s", self->target_error->message);
      fix = g_strdup_printf (_("Check that the server is running and accepts connections from "
                               "this machine (listen_addresses, pg_hba.conf), that the connection "
                               "string is right, and that the role may connect to the database. "
                               "Try it with:\npsql '%s'"),
                             display);
      ferry_check_set_fix (check, fix, NULL);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Ferry writes every row through connections like this one, and keeps its journal "
                "in this database so that an interrupted migration can resume."),
              _("Connected to “%s” on PostgreSQL %s as %s"),
              ferry_catalog_get_database (run->target),
              ferry_connection_get_server_version_string (self->target),
              self->target_info.user);
}

static void
check_distinct_databases (Run        *run,
                          FerryCheck *check)
{
  ServerInfo *s = &run->self->source_info;
  ServerInfo *t = &run->self->target_info;
  gboolean same_server = g_strcmp0 (s->start_time, t->start_time) == 0 &&
                         g_strcmp0 (s->port, t->port) == 0;
  gboolean same_database = same_server &&
                           g_strcmp0 (ferry_catalog_get_database (run->source),
                                      ferry_catalog_get_database (run->target)) == 0;

  if (same_database)
    {
      add_item (check, "%s", ferry_catalog_get_database (run->source));
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("The source and the target connection strings lead to the same database on "
                    "the same server (same postmaster start time, port and database name). A "
                    "migration onto itself would truncate or duplicate the very rows it reads. "
                    "Ferry refuses to start."),
                  _("Source and target are the same database, “%s”"),
                  ferry_catalog_get_database (run->source));
      ferry_check_set_fix (check,
                           _("Point the target connection string at the new server or database."),
                           NULL);
      return;
    }

  if (same_server)
    set_result (check, FERRY_CHECK_STATUS_PASS,
                _("The source and the target are different databases on the same server. That "
                  "works, but both sides share the server's CPU, memory, disks and "
                  "connection slots during the migration."),
                _("Different databases (“%s” → “%s”) on the same server"),
                ferry_catalog_get_database (run->source),
                ferry_catalog_get_database (run->target));
  else
    set_result (check, FERRY_CHECK_STATUS_PASS,
                _("Ferry compared the postmaster start time, the port and the database name of "
                  "both connections: they lead to different servers."),
                _("Different servers (“%s” → “%s”)"),
                ferry_catalog_get_database (run->source),
                ferry_catalog_get_database (run->target));
}

static void
check_server_versions (Run        *run,
                       FerryCheck *check)
{
  int sv = ferry_catalog_get_server_version (run->source);
  int tv = ferry_catalog_get_server_version (run->target);
  const char *ss = ferry_connection_get_server_version_string (run->self->source);
  const char *ts = ferry_connection_get_server_version_string (run->self->target);

  add_item (check, _("source: PostgreSQL %s"), ss);
  add_item (check, _("target: PostgreSQL %s"), ts);

  if (sv < MIN_SERVER_VERSION || tv < MIN_SERVER_VERSION)
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("Ferry needs PostgreSQL 12 or newer on both sides: it relies on catalog "
                    "functions and columns (partition roots, generated columns) that older "
                    "servers do not have."),
                  _("PostgreSQL %s → %s: Ferry supports PostgreSQL 12 and newer"), ss, ts);
      ferry_check_set_fix (check, _("Upgrade the older server to PostgreSQL 12 or newer first "
                                    "(pg_upgrade), or use pg_dump and pg_restore."), NULL);
      return;
    }

  if (tv / 10000 < sv / 10000)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("The target runs an older major version than the source. Ferry copies the "
                    "rows with COPY, which works across versions, but the schema that pg_dump "
                    "produces from a newer server may use syntax or features the older server "
                    "does not have, and restoring it there is not supported by PostgreSQL."),
                  _("The target (PostgreSQL %s) is older than the source (PostgreSQL %s)"), ts, ss);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              tv / 10000 > sv / 10000
                ? _("Moving to a newer major version is supported: rows travel with COPY, and "
                    "pg_dump's output of an older server restores on a newer one.")
                : _("Both servers run the same major version."),
              _("PostgreSQL %s → %s"), ss, ts);
}

static void
check_encodings (Run        *run,
                 FerryCheck *check)
{
  const char *se = ferry_catalog_get_encoding (run->source);
  const char *te = ferry_catalog_get_encoding (run->target);

  if (g_strcmp0 (se, te) == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("Text travels unchanged when both databases use the same encoding."),
                  _("Both databases use %s"), se);
      return;
    }

  add_item (check, _("source: %s"), se);
  add_item (check, _("target: %s"), te);

  if (g_strcmp0 (te, "UTF8") == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("Text is converted to UTF8 on the way. Every character of a server "
                    "encoding exists in UTF8, but a source in SQL_ASCII may hold bytes that are "
                    "not valid in any encoding: the first such value makes its table fail, "
                    "and binary COPY is less forgiving than text."),
                  _("Different encodings: %s on the source, %s on the target"), se, te);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_FAIL,
              _("Text has to be converted into an encoding that cannot represent every "
                "character of the source's: the first value that has no equivalent makes its "
                "table fail with “character has no equivalent”."),
              _("Different encodings: %s on the source, %s on the target"), se, te);
  ferry_check_set_fix (check,
                       _("Create the target database with the source's encoding or with UTF8, "
                         "e.g. CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0."),
                       NULL);
}

static void
check_collations (Run        *run,
                  FerryCheck *check)
{
  const char *sc = ferry_catalog_get_collate (run->source);
  const char *tc = ferry_catalog_get_collate (run->target);
  const char *sct = ferry_catalog_get_ctype (run->source);
  const char *tct = ferry_catalog_get_ctype (run->target);

  if (g_strcmp0 (sc, tc) == 0 && g_strcmp0 (sct, tct) == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("Text sorts and compares the same way on both sides."),
                  _("Both databases use LC_COLLATE %s and LC_CTYPE %s"), sc, sct);
      return;
    }

  if (g_strcmp0 (sc, tc) != 0)
    add_item (check, _("LC_COLLATE: %s on the source, %s on the target"), sc, tc);
  if (g_strcmp0 (sct, tct) != 0)
    add_item (check, _("LC_CTYPE: %s on the source, %s on the target"), sct, tct);

  set_result (check, FERRY_CHECK_STATUS_WARNING,
              _("The rows arrive unchanged, but text sorts and compares differently on the "
                "target: ORDER BY results change, and a unique index on text may reject rows "
                "that the source considered distinct (or accept rows it did not). Indexes on "
                "text are built with the target's rules."),
              _("Different collation settings (%s → %s)"), sc, tc);
}

/* Privileges */

static void
check_source_select (Run        *run,
                     FerryCheck *check)
{
  static const char *sql =
    "SELECT u.i, pg_catalog.has_schema_privilege(c.relnamespace, 'USAGE'), "
    "       pg_catalog.has_table_privilege(c.oid, 'SELECT') "
    "FROM pg_catalog.unnest($1::pg_catalog.oid[]) WITH ORDINALITY AS u(o, i) "
    "JOIN pg_catalog.pg_class c ON c.oid = u.o "
    "ORDER BY u.i";
  FerryValidator *self = run->self;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) fix = g_string_new (NULL);
  g_autoptr(GHashTable) schemas = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *user = ferry_quote_ident (self->source_info.user);
  guint n_denied = 0;
  guint n_statements = 0;

  if (run->copied->len == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS, NULL, _("No tables to read"));
      return;
    }

  if (!(result = query_tables (self->source, sql, run->copied, &error)))
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL, NULL,
                  _("Could not check the privileges: %s"), error->message);
      return;
    }

  g_string_append (fix, _("As the owner of the tables or a superuser, on the source:"));

  for (int row = 0; row < PQntuples (result); row++)
    {
      FerryTable *table = g_ptr_array_index (run->copied, pq_int (result, row, 0, 1) - 1);
      gboolean usage = pq_bool (result, row, 1);
      gboolean select = pq_bool (result, row, 2);
      g_autofree char *statement = NULL;

      if (usage && select)
        continue;

      n_denied++;
      if (!usage && !g_hash_table_contains (schemas, table->schema))
        {
          g_autofree char *schema = ferry_quote_ident (table->schema);
          g_autofree char *grant = g_strdup_printf ("GRANT USAGE ON SCHEMA %s TO %s;", schema, user);

          g_hash_table_add (schemas, table->schema);
          append_statement (fix, &n_statements, grant);
        }
      if (!select)
        {
          statement = g_strdup_printf ("GRANT SELECT ON %s TO %s;", table->quoted_name, user);
          append_statement (fix, &n_statements, statement);
        }

      if (!usage)
        add_item (check, _("%s (no USAGE on schema %s)"), table->display_name, table->schema);
      else
        add_item (check, "%s", table->display_name);
    }
  finish_statements (fix, n_statements);

  if (n_denied > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("Ferry reads every row of every selected table with COPY (SELECT …) TO STDOUT. "
                    "A table the source role may not read would fail in the middle of the "
                    "migration; reading one also needs USAGE on its schema."),
                  g_dngettext (GETTEXT_PACKAGE, "%s may not read %u of %u tables",
                                                "%s may not read %u of %u tables", n_denied),
                  self->source_info.user, n_denied, run->copied->len);
      ferry_check_set_fix (check, fix->str, NULL);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Ferry reads every row of every selected table with COPY (SELECT …) TO STDOUT; "
                "the source role has SELECT on all of them and USAGE on their schemas."),
              g_dngettext (GETTEXT_PACKAGE, "%s may read the %u selected table",
                                            "%s may read all %u selected tables", run->copied->len),
              self->source_info.user, run->copied->len);
}

static void
check_source_rls (Run        *run,
                  FerryCheck *check)
{
  static const char *sql =
    "SELECT u.i, pg_catalog.pg_has_role(c.relowner, 'USAGE') "
    "FROM pg_catalog.unnest($1::pg_catalog.oid[]) WITH ORDINALITY AS u(o, i) "
    "JOIN pg_catalog.pg_class c ON c.oid = u.o "
    "ORDER BY u.i";
  FerryValidator *self = run->self;
  ServerInfo *info = &self->source_info;
  g_autoptr(GPtrArray) rls = g_ptr_array_new ();
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_hidden = 0;

  for (guint i = 0; i < run->copied->len; i++)
    {
      FerryTable *table = g_ptr_array_index (run->copied, i);
      if (table->rls_enabled)
        g_ptr_array_add (rls, table);
    }

  if (rls->len == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("Row-level security can make a table look smaller to a role than it is. None "
                    "of the selected tables has it enabled, so every role sees every row."),
                  _("No selected table has row-level security enabled"));
      return;
    }

  if (info->superuser || info->bypassrls)
    {
      for (guint i = 0; i < rls->len; i++)
        add_item (check, "%s", ((FerryTable *)g_ptr_array_index (rls, i))->display_name);
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("Row-level security policies filter the rows a role sees. The source role "
                    "bypasses them (it is a superuser or has BYPASSRLS), so Ferry reads every "
                    "row of these tables."),
                  g_dngettext (GETTEXT_PACKAGE, "%u table has row-level security; %s bypasses it",
                                                "%u tables have row-level security; %s bypasses it", rls->len),
                  rls->len, info->user);
      return;
    }

  if (!(result = query_tables (self->source, sql, rls, &error)))
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL, NULL,
                  _("Could not check row-level security: %s"), error->message);
      return;
    }

  for (int row = 0; row < PQntuples (result); row++)
    {
      FerryTable *table = g_ptr_array_index (rls, pq_int (result, row, 0, 1) - 1);
      gboolean owner = pq_bool (result, row, 1);

      /* Owners are exempt unless the table forces row security. */
      if (owner && !table->rls_forced)
        continue;

      n_hidden++;
      if (table->n_policies == 0)
        add_item (check, _("%s (no policy: every row is hidden)"), table->display_name);
      else if (owner)
        add_item (check, g_dngettext (GETTEXT_PACKAGE, "%s (FORCE ROW LEVEL SECURITY, %u policy)",
                                                       "%s (FORCE ROW LEVEL SECURITY, %u policies)", table->n_policies),
                  table->display_name, table->n_policies);
      else
        add_item (check, g_dngettext (GETTEXT_PACKAGE, "%s (%u policy)", "%s (%u policies)", table->n_policies),
                  table->display_name, table->n_policies);
    }

  if (n_hidden > 0)
    {
      g_autofree char *role = ferry_quote_ident (info->user);
      g_autofree char *fix =
        g_strdup_printf (_("As a superuser, on the source:\nALTER ROLE %s BYPASSRLS;\n"
                           "or run Ferry as the tables' owner (for tables without FORCE ROW "
                           "LEVEL SECURITY) or as a superuser."),
                         role);

      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("Row-level security policies filter the rows the source role sees: Ferry "
                    "would copy only the rows the policies let it see, and since the row counts "
                    "and checksums are taken through the same filter, the validation would not "
                    "notice the missing rows. The role must bypass row-level security to copy "
                    "these tables completely."),
                  g_dngettext (GETTEXT_PACKAGE, "Row-level security hides rows of %u table from %s",
                                                "Row-level security hides rows of %u tables from %s", n_hidden),
                  n_hidden, info->user);
      ferry_check_set_fix (check, fix, NULL);
      return;
    }

  for (guint i = 0; i < rls->len; i++)
    add_item (check, "%s", ((FerryTable *)g_ptr_array_index (rls, i))->display_name);
  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Row-level security policies filter the rows a role sees, but not for the table's "
                "owner unless the table forces them. The source role owns these tables and none "
                "of them forces row security, so Ferry reads every row."),
              g_dngettext (GETTEXT_PACKAGE, "%u table has row-level security; %s owns it",
                                            "%u tables have row-level security; %s owns them", rls->len),
              rls->len, info->user);
}

/* Reads, in one query, what the target role may do with the target's
 * counterparts of the copied tables. */
static gboolean
load_target_privileges (Run     *run,
                        GError **error)
{
  static const char *sql =
    "SELECT u.i, pg_catalog.has_schema_privilege(c.relnamespace, 'USAGE'), "
    "       pg_catalog.has_table_privilege(c.oid, 'SELECT'), "
    "       pg_catalog.has_table_privilege(c.oid, 'INSERT'), "
    "       pg_catalog.has_table_privilege(c.oid, 'TRUNCATE'), "
    "       pg_catalog.pg_has_role(c.relowner, 'USAGE'), "
    "       pg_catalog.pg_get_userbyid(c.relowner) "
    "FROM pg_catalog.unnest($1::pg_catalog.oid[]) WITH ORDINALITY AS u(o, i) "
    "JOIN pg_catalog.pg_class c ON c.oid = u.o "
    "ORDER BY u.i";
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autoptr(GArray) index = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(PGresult) result = NULL;

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);
      if (pair->target != NULL)
        {
          g_ptr_array_add (targets, pair->target);
          g_array_append_val (index, i);
        }
    }

  if (targets->len == 0)
    return TRUE;

  if (!(result = query_tables (run->self->target, sql, targets, error)))
    return FALSE;

  for (int row = 0; row < PQntuples (result); row++)
    {
      guint i = g_array_index (index, guint, pq_int (result, row, 0, 1) - 1);
      Pair *pair = pair_at (run, i);

      pair->schema_usage = pq_bool (result, row, 1);
      pair->can_select = pq_bool (result, row, 2);
      pair->can_insert = pq_bool (result, row, 3);
      pair->can_truncate = pq_bool (result, row, 4);
      pair->owns = pq_bool (result, row, 5);
      g_free (pair->owner);
      pair->owner = g_strdup (pq_value (result, row, 6));
    }

  return TRUE;
}

static void
check_target_write (Run        *run,
                    FerryCheck *check)
{
  FerryValidator *self = run->self;
  gboolean need_select = ferry_config_get_validation (run->config) != FERRY_VALIDATION_MODE_NONE;
  g_autoptr(GString) fix = g_string_new (_("As the owner of the tables or a superuser, on the target:"));
  g_autoptr(GHashTable) schemas = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *user = ferry_quote_ident (self->target_info.user);
  guint n_denied = 0;
  guint n_statements = 0;

  if (run->n_on_target == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  run->existing
                    ? _("None of the selected tables exists on the target yet, so there is "
                        "nothing to check here; see “Tables exist on the target”.")
                    : _("Ferry creates the tables on the target with pg_dump's schema, as the "
                        "target role, which then owns them and may write to them."),
                  _("No selected table exists on the target yet"));
      return;
    }

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);
      g_autoptr(GPtrArray) missing = g_ptr_array_new ();
      g_autofree char *list = NULL;

      if (pair->target == NULL)
        continue;

      if (!pair->can_insert)
        g_ptr_array_add (missing, (char *)"INSERT");
      if (!pair->can_truncate)
        g_ptr_array_add (missing, (char *)"TRUNCATE");
      if (need_select && !pair->can_select)
        g_ptr_array_add (missing, (char *)"SELECT");

      if (missing->len == 0 && pair->schema_usage)
        continue;

      n_denied++;
      if (!pair->schema_usage && !g_hash_table_contains (schemas, pair->target->schema))
        {
          g_autofree char *schema = ferry_quote_ident (pair->target->schema);
          g_autofree char *grant = g_strdup_printf ("GRANT USAGE ON SCHEMA %s TO %s;", schema, user);

          g_hash_table_add (schemas, pair->target->schema);
          append_statement (fix, &n_statements, grant);
        }

      if (missing->len > 0)
        {
          g_autofree char *grant = NULL;

          g_ptr_array_add (missing, NULL);
          list = g_strjoinv (", ", (char **)missing->pdata);
          grant = g_strdup_printf ("GRANT %s ON %s TO %s;", list, pair->target->quoted_name, user);
          append_statement (fix, &n_statements, grant);
        }

      if (!pair->schema_usage)
        add_item (check, _("%s: no USAGE on schema %s"), pair->target->display_name,
                  pair->target->schema);
      else
        add_item (check, _("%s: no %s"), pair->target->display_name, list);
    }
  finish_statements (fix, n_statements);

  if (n_denied > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  need_select
                    ? _("Ferry loads each table with COPY … FROM STDIN (INSERT privilege), empties "
                        "a table before it loads it again after a failure (TRUNCATE), and reads "
                        "the target's rows back to validate them (SELECT).")
                    : _("Ferry loads each table with COPY … FROM STDIN (INSERT privilege) and "
                        "empties a table before it loads it again after a failure (TRUNCATE)."),
                  g_dngettext (GETTEXT_PACKAGE, "%s lacks privileges on %u of %u target tables",
                                                "%s lacks privileges on %u of %u target tables", n_denied),
                  self->target_info.user, n_denied, run->n_on_target);
      ferry_check_set_fix (check, fix->str, NULL);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              need_select
                ? _("The target role may load (INSERT), empty (TRUNCATE) and read back (SELECT) "
                    "every selected table that exists on the target.")
                : _("The target role may load (INSERT) and empty (TRUNCATE) every selected table "
                    "that exists on the target."),
              g_dngettext (GETTEXT_PACKAGE, "%s may write to the %u target table",
                                            "%s may write to all %u target tables", run->n_on_target),
              self->target_info.user, run->n_on_target);
}

static void
check_target_ownership (Run        *run,
                        FerryCheck *check)
{
  FerryValidator *self = run->self;
  gboolean rebuild = ferry_config_get_constraints (run->config) == FERRY_CONSTRAINT_STRATEGY_REBUILD;
  gboolean fire = ferry_config_get_fire_triggers (run->config);
  g_autoptr(GHashTable) reasons = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) owners = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) fix = NULL;
  g_autofree char *user = ferry_quote_ident (self->target_info.user);
  GPtrArray *fks = ferry_catalog_get_foreign_keys (run->source);
  guint n_needed = 0;
  guint n_denied = 0;
  guint n_statements = 0;

  if (!run->existing)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("Ferry creates the tables on the target as the target role, which then owns "
                    "them and may drop and re-create their constraints, indexes and triggers."),
                  _("Ferry creates the tables and will own them (schema: copy)"));
      return;
    }

  /* Which target tables does the plan alter? */
  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);
      Pair *pair;

      if (!is_copied (fk->child) || ferry_plan_get_fk_action (self->plan, fk) == FERRY_FK_ACTION_KEEP)
        continue;
      if ((pair = pair_for (run, fk->child)) == NULL || pair->target == NULL)
        continue;
      if (!g_hash_table_contains (reasons, pair))
        g_hash_table_insert (reasons, pair, g_strdup (_("drops and re-creates foreign keys")));
    }

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);

      if (pair->target == NULL || g_hash_table_contains (reasons, pair))
        continue;
      if (rebuild && pair->source->kind != FERRY_TABLE_KIND_PARTITION)
        g_hash_table_insert (reasons, pair, g_strdup (_("drops and rebuilds indexes and foreign keys")));
      else if (!fire && pair->target->triggers != NULL && pair->target->triggers[0] != NULL)
        g_hash_table_insert (reasons, pair, g_strdup (_("disables its triggers during the load")));
    }

  fix = g_string_new (_("As a superuser or the current owner, on the target, either make the "
                        "target role a member of the owning role:"));

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);
      const char *reason = g_hash_table_lookup (reasons, pair);

      if (reason == NULL)
        continue;
      n_needed++;
      if (pair->owns)
        continue;

      n_denied++;
      add_item (check, _("%s (owned by %s): Ferry %s"), pair->target->display_name,
                pair->owner, reason);
      if (pair->owner != NULL && !g_hash_table_contains (owners, pair->owner))
        {
          g_autofree char *owner = ferry_quote_ident (pair->owner);
          g_autofree char *grant = g_strdup_printf ("GRANT %s TO %s;", owner, user);

          g_hash_table_add (owners, pair->owner);
          append_statement (fix, &n_statements, grant);
        }
    }
  finish_statements (fix, n_statements);

  if (n_denied > 0)
    {
      g_string_append_printf (fix, "\n%s", _("or transfer the tables with ALTER TABLE … OWNER TO "
                                             "the target role."));
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("Only a table's owner (or a member of the owning role, or a superuser) may "
                    "drop and re-create its constraints and indexes or disable its triggers. "
                    "The plan does that for these tables, so the target role must own them."),
                  g_dngettext (GETTEXT_PACKAGE, "%s does not own %u table the plan alters",
                                                "%s does not own %u tables the plan alters", n_denied),
                  self->target_info.user, n_denied);
      ferry_check_set_fix (check, fix->str, NULL);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              n_needed > 0
                ? _("The plan drops and re-creates constraints or indexes, or disables triggers, "
                    "on some target tables; the target role owns all of them.")
                : _("The plan changes no table definition on the target (no foreign key is "
                    "dropped, no trigger disabled), so ownership does not matter."),
              g_dngettext (GETTEXT_PACKAGE, "%u target table needs its owner's privileges; %s has them",
                                            "%u target tables need their owner's privileges; %s has them", n_needed),
              n_needed, self->target_info.user);
}

static void
check_journal_schema (Run        *run,
                      FerryCheck *check)
{
  static const char *sql =
    "SELECT n.oid IS NOT NULL, "
    "       COALESCE(pg_catalog.has_schema_privilege(n.oid, 'USAGE'), false), "
    "       COALESCE(pg_catalog.has_schema_privilege(n.oid, 'CREATE'), false), "
    "       (SELECT pg_catalog.json_agg(c.relname ORDER BY c.relname) "
    "          FROM pg_catalog.pg_class c "
    "         WHERE c.relnamespace = n.oid AND c.relkind = 'r' "
    "           AND NOT (pg_catalog.has_table_privilege(c.oid, 'SELECT') "
    "                AND pg_catalog.has_table_privilege(c.oid, 'INSERT') "
    "                AND pg_catalog.has_table_privilege(c.oid, 'UPDATE') "
    "                AND pg_catalog.has_table_privilege(c.oid, 'DELETE'))), "
    "       pg_catalog.pg_get_userbyid(n.nspowner) "
    "FROM (SELECT $1::pg_catalog.text AS name) AS s "
    "LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = s.name";
  FerryValidator *self = run->self;
  const char *journal = ferry_config_get_journal_schema (run->config);
  const char *params[] = { journal };
  g_autofree char *schema = ferry_quote_ident (journal);
  g_autofree char *user = ferry_quote_ident (self->target_info.user);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *denied_tables;

  add_item (check, "%s", journal);

  if (!(result = ferry_connection_query_params (self->target, sql, 1, params, &error)))
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL, NULL,
                  _("Could not check the journal schema: %s"), error->message);
      return;
    }

  if (!pq_bool (result, 0, 0))
    {
      if (self->target_info.can_create)
        {
          set_result (check, FERRY_CHECK_STATUS_PASS,
                      _("Ferry records every migration, every finished chunk and every dropped "
                        "constraint in its journal, in the target database, in the same "
                        "transaction as the rows. The schema does not exist yet; the target "
                        "role may create schemas in this database, so Ferry will create it "
                        "when the migration starts."),
                      _("Schema “%s” will be created on the target"), journal);
          return;
        }

      run->outcome->journal_sql =
        g_strdup_printf ("CREATE SCHEMA IF NOT EXISTS %s AUTHORIZATION %s", schema, user);
      {
        g_autofree char *database = ferry_quote_ident (ferry_catalog_get_database (run->target));
        g_autofree char *fix =
          g_strdup_printf (_("As a superuser or the database owner, on the target:\n"
                             "CREATE SCHEMA %s AUTHORIZATION %s;\n"
                             "or allow the role to create schemas:\n"
                             "GRANT CREATE ON DATABASE %s TO %s;"),
                           schema, user, database, user);

        set_result (check, FERRY_CHECK_STATUS_FAIL,
                    _("Ferry records every migration, every finished chunk and every dropped "
                      "constraint in its journal, in the target database, in the same "
                      "transaction as the rows: that is what makes a migration resumable after "
                      "a crash. The schema does not exist and the target role may not create "
                      "schemas in this database."),
                    _("Schema “%s” does not exist and %s may not create it"),
                    journal, self->target_info.user);
        ferry_check_set_fix (check, fix, FERRY_FIX_CREATE_JOURNAL_SCHEMA);
      }
      return;
    }

  denied_tables = pq_value (result, 0, 3);
  if (!pq_bool (result, 0, 1) || !pq_bool (result, 0, 2) || denied_tables != NULL)
    {
      g_autofree char *fix = NULL;

      if (denied_tables != NULL)
        add_item (check, _("tables Ferry may not write: %s"), denied_tables);
      fix = g_strdup_printf (_("As a superuser or the schema's owner (%s), on the target:\n"
                               "GRANT USAGE, CREATE ON SCHEMA %s TO %s;\n"
                               "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO %s;\n"
                               "GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA %s TO %s;"),
                             pq_value (result, 0, 4), schema, user, schema, user, schema, user);
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("Ferry records every migration, every finished chunk and every dropped "
                    "constraint in its journal schema on the target. The schema exists, but the "
                    "target role may not create its tables in it (USAGE and CREATE on the "
                    "schema) or write to the ones that exist."),
                  _("%s may not use the journal schema “%s”"), self->target_info.user, journal);
      ferry_check_set_fix (check, fix, NULL);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Ferry records every migration, every finished chunk and every dropped constraint "
                "in its journal, in this schema on the target, in the same transaction as the rows. "
                "The schema exists and the target role may use it."),
              _("Schema “%s” exists and is usable"), journal);
}

static void
check_sequences (Run        *run,
                 FerryCheck *check)
{
  static const char *sql =
    "SELECT s.i, c.oid IS NOT NULL, "
    "       COALESCE(pg_catalog.has_schema_privilege(n.oid, 'USAGE') "
    "                AND pg_catalog.has_sequence_privilege(c.oid, 'UPDATE'), false) "
    "FROM pg_catalog.json_to_recordset($1::pg_catalog.json) AS s(i pg_catalog.int4, nsp pg_catalog.text, rel pg_catalog.text) "
    "LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = s.nsp "
    "LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s.rel AND c.relkind = 'S' "
    "ORDER BY s.i";
  FerryValidator *self = run->self;
  GPtrArray *all = ferry_catalog_get_sequences (run->source);
  g_autoptr(GPtrArray) seqs = g_ptr_array_new ();
  g_autoptr(GHashTable) schemas = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) fix = g_string_new (NULL);
  g_autofree char *source_user = ferry_quote_ident (self->source_info.user);
  g_autofree char *target_user = ferry_quote_ident (self->target_info.user);
  guint n_unreadable = 0, n_missing = 0, n_denied = 0, n_statements = 0;

  /* The sequences Ferry sets: those of the copied tables, and the
   * free-standing ones in the schemas the migration touches. */
  for (guint i = 0; i < run->copied->len; i++)
    {
      FerryTable *table = g_ptr_array_index (run->copied, i);
      if (table->kind != FERRY_TABLE_KIND_PARTITION)
        g_hash_table_add (schemas, table->schema);
    }
  for (guint i = 0; i < all->len; i++)
    {
      FerrySequence *seq = g_ptr_array_index (all, i);
      if (seq->owner_table != NULL ? is_copied (seq->owner_table)
                                   : g_hash_table_contains (schemas, seq->schema))
        g_ptr_array_add (seqs, seq);
    }

  if (seqs->len == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("After the rows, Ferry sets every sequence on the target to the source's "
                    "value, so that new rows do not collide with copied ones. There are no "
                    "sequences to carry over."),
                  _("No sequences to carry over"));
      return;
    }

  for (guint i = 0; i < seqs->len; i++)
    {
      FerrySequence *seq = g_ptr_array_index (seqs, i);

      if (seq->has_value)
        continue;
      if (n_unreadable++ == 0)
        g_string_append (fix, _("On the source:"));
      {
        g_autofree char *grant = g_strdup_printf ("GRANT SELECT ON SEQUENCE %s TO %s;",
                                                  seq->quoted_name, source_user);
        append_statement (fix, &n_statements, grant);
      }
      add_item (check, _("%s.%s: the source role may not read its value"), seq->schema, seq->name);
    }

  if (run->existing)
    {
      json_builder_begin_array (builder);
      for (guint i = 0; i < seqs->len; i++)
        {
          FerrySequence *seq = g_ptr_array_index (seqs, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "i");
          json_builder_add_int_value (builder, i);
          json_builder_set_member_name (builder, "nsp");
          json_builder_add_string_value (builder, seq->schema);
          json_builder_set_member_name (builder, "rel");
          json_builder_add_string_value (builder, seq->name);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json = json_generator_to_data (generator, NULL);

      {
        const char *params[] = { json };
        result = ferry_connection_query_params (self->target, sql, 1, params, &error);
      }
      if (result == NULL)
        {
          set_result (check, FERRY_CHECK_STATUS_FAIL, NULL,
                      _("Could not check the sequences on the target: %s"), error->message);
          return;
        }

      for (int row = 0; row < PQntuples (result); row++)
        {
          FerrySequence *seq = g_ptr_array_index (seqs, pq_int (result, row, 0, 0));

          if (!pq_bool (result, row, 1))
            {
              n_missing++;
              add_item (check, _("%s.%s: missing on the target"), seq->schema, seq->name);
            }
          else if (!pq_bool (result, row, 2))
            {
              g_autofree char *schema = ferry_quote_ident (seq->schema);
              g_autofree char *grant = g_strdup_printf ("GRANT USAGE ON SCHEMA %s TO %s; "
                                                        "GRANT UPDATE ON SEQUENCE %s TO %s;",
                                                        schema, target_user,
                                                        seq->quoted_name, target_user);

              if (n_denied++ == 0)
                g_string_append_printf (fix, "%s%s", fix->len > 0 ? "\n" : "", _("On the target:"));
              append_statement (fix, &n_statements, grant);
              add_item (check, _("%s.%s: the target role may not set it"), seq->schema, seq->name);
            }
        }
    }
  finish_statements (fix, n_statements);

  if (n_unreadable > 0 || n_denied > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("After the rows, Ferry sets every sequence on the target to the source's "
                    "value with setval(), so that new rows do not collide with copied ones. That "
                    "needs SELECT on the sequence on the source and UPDATE on the target. A "
                    "sequence left behind hands out values that already exist: the first "
                    "INSERTs after the switch-over fail with duplicate keys."),
                  _("%u of %u sequences cannot be carried over"),
                  n_unreadable + n_denied, seqs->len);
      ferry_check_set_fix (check, fix->str, NULL);
      return;
    }

  if (n_missing > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("After the rows, Ferry sets every sequence on the target to the source's "
                    "value. These sequences do not exist on the target, so nothing there uses "
                    "them yet, and their values are not carried over; create them before the "
                    "applications need them."),
                  g_dngettext (GETTEXT_PACKAGE, "%u of %u sequences does not exist on the target",
                                                "%u of %u sequences do not exist on the target", n_missing),
                  n_missing, seqs->len);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              run->existing
                ? _("After the rows, Ferry sets every sequence on the target to the source's "
                    "value (setval), so that new rows do not collide with copied ones. Every "
                    "sequence exists on the target and may be set.")
                : _("After the rows, Ferry sets every sequence on the target to the source's "
                    "value (setval). pg_dump's schema creates the sequences, owned by the target "
                    "role, which may then set them."),
              g_dngettext (GETTEXT_PACKAGE, "%u sequence will be set to the source's value",
                                            "%u sequences will be set to the source's values", seqs->len),
              seqs->len);
}

/* Schema */

static void
check_table_selection (Run        *run,
                       FerryCheck *check)
{
  GPtrArray *tables = ferry_catalog_get_tables (run->source);
  guint n_excluded = 0;
  guint n_extension = 0;

  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);

      if (table->extension != NULL)
        n_extension++;
      else if (!table->included)
        {
          n_excluded++;
          add_item (check, "%s", table->display_name);
        }
    }

  if (run->copied->len == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("The table filters (tables: include and exclude in the configuration) leave "
                    "nothing to migrate."),
                  _("No table is selected (%u tables on the source)"), tables->len);
      ferry_check_set_fix (check,
                           _("Check the include and exclude patterns in the configuration: "
                             "patterns are schema.table, and * matches any characters."),
                           NULL);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              n_excluded > 0
                ? _("The table filters in the configuration leave out the tables listed here; "
                    "Ferry does not read or write them.")
                : _("Every table of the source is part of the migration."),
              g_dngettext (GETTEXT_PACKAGE, "%u of %u tables is selected (%u excluded by the filters, %u owned by extensions)",
                                            "%u of %u tables are selected (%u excluded by the filters, %u owned by extensions)",
                                            run->copied->len),
              run->copied->len, tables->len, n_excluded, n_extension);
}

static void
check_target_tables_exist (Run        *run,
                           FerryCheck *check)
{
  g_autoptr(GStrvBuilder) patterns = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) schemas = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) exclude = g_strv_builder_new ();
  g_autoptr(GHashTable) seen_schemas = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) partitions = g_ptr_array_new ();
  g_autoptr(GString) fix = NULL;
  GPtrArray *tables = ferry_catalog_get_tables (run->source);
  guint n_missing = 0;

  if (!run->existing)
    {
      set_result (check, FERRY_CHECK_STATUS_SKIPPED,
                  _("With schema: copy, Ferry creates the tables on the target from the source's "
                    "definitions (pg_dump --section=pre-data); see “Target is ready for the "
                    "schema copy”."),
                  _("Not needed: the schema is copied from the source (schema: copy)"));
      return;
    }

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);

      if (pair->target != NULL)
        continue;
      n_missing++;
      ferry_check_add_item (check, pair->source->display_name);
      if (pair->source->kind == FERRY_TABLE_KIND_PARTITION)
        {
          g_ptr_array_add (partitions, pair->source);
          continue;
        }
      g_strv_builder_add (patterns, pair->source->quoted_name);
      if (!g_hash_table_contains (seen_schemas, pair->source->schema))
        {
          g_hash_table_add (seen_schemas, pair->source->schema);
          g_strv_builder_add (schemas, pair->source->schema);
        }
    }

  /* A partition whose parent is on the target is created with CREATE
   * TABLE … PARTITION OF, which gives it the parent's columns, indexes,
   * keys and triggers. (pg_dump --table of a partition alone would add a
   * primary key that attaching it has already created.) The others go
   * through pg_dump with their parent. */
  if (partitions->len > 0)
    {
      static const char *sql =
        "SELECT u.i, pn.nspname, pc.relname, pg_catalog.pg_get_expr(c.relpartbound, c.oid) "
        "FROM pg_catalog.unnest($1::pg_catalog.oid[]) WITH ORDINALITY AS u(o, i) "
        "JOIN pg_catalog.pg_class c ON c.oid = u.o "
        "JOIN pg_catalog.pg_inherits inh ON inh.inhrelid = c.oid "
        "JOIN pg_catalog.pg_class pc ON pc.oid = inh.inhparent "
        "JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
        "ORDER BY u.i";
      g_autoptr(PGresult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) create = g_string_new (NULL);
      g_autoptr(GHashTable) handled = g_hash_table_new (NULL, NULL);

      if ((result = query_tables (run->self->source, sql, partitions, &error)) == NULL)
        g_debug ("Could not read the partition bounds: %s", error->message);

      for (int row = 0; result != NULL && row < PQntuples (result); row++)
        {
          FerryTable *partition = g_ptr_array_index (partitions, pq_int (result, row, 0, 1) - 1);
          const char *parent_schema = pq_value (result, row, 1);
          const char *parent_name = pq_value (result, row, 2);
          g_autofree char *parent = NULL;

          if (ferry_catalog_lookup (run->target, parent_schema, parent_name) == NULL)
            continue;
          parent = ferry_quote_qualified (parent_schema, parent_name);
          g_string_append_printf (create, "CREATE TABLE %s PARTITION OF %s %s;\n",
                                  partition->quoted_name, parent, pq_value (result, row, 3));
          g_hash_table_add (handled, partition);
        }

      for (guint i = 0; i < partitions->len; i++)
        {
          FerryTable *partition = g_ptr_array_index (partitions, i);

          if (g_hash_table_contains (handled, partition))
            continue;
          g_strv_builder_add (patterns, partition->quoted_name);
          if (!g_hash_table_contains (seen_schemas, partition->schema))
            {
              g_hash_table_add (seen_schemas, partition->schema);
              g_strv_builder_add (schemas, partition->schema);
            }
        }

      g_clear_pointer (&run->outcome->copy_partitions_sql, g_free);
      if (create->len > 0)
        run->outcome->copy_partitions_sql = g_strdup (create->str);
    }

  if (n_missing == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("With schema: existing, Ferry loads into the tables that are on the target "
                    "and does not create any; every selected table is there."),
                  g_dngettext (GETTEXT_PACKAGE, "The %u selected table exists on the target",
                                                "All %u selected tables exist on the target", run->copied->len),
                  run->copied->len);
      return;
    }

  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);
      if (!is_copied (table) && table->extension == NULL)
        g_strv_builder_add (exclude, table->quoted_name);
    }

  g_clear_pointer (&run->outcome->copy_tables, g_strfreev);
  g_clear_pointer (&run->outcome->copy_schemas, g_strfreev);
  g_clear_pointer (&run->outcome->copy_exclude, g_strfreev);
  run->outcome->copy_tables = g_strv_builder_end (patterns);
  run->outcome->copy_schemas = g_strv_builder_end (schemas);
  run->outcome->copy_exclude = g_strv_builder_end (exclude);
  run->outcome->copy_whole = run->n_on_target == 0;

  fix = g_string_new (NULL);
  if (run->outcome->copy_whole)
    g_string_append (fix, _("Ferry can create the whole schema on the target from the source "
                            "(pg_dump --schema-only --no-owner --no-privileges, leaving out the "
                            "excluded tables), or set schema: copy in the configuration. "
                            "By hand:\n"));
  else
    g_string_append (fix, _("Ferry can create the missing tables from the source's definitions "
                            "(pg_dump --schema-only --no-owner --no-privileges --table=… for each "
                            "of them; CREATE TABLE … PARTITION OF for a partition whose parent "
                            "exists). Types, functions and other objects the tables use must "
                            "already exist on the target. By hand:\n"));
  g_string_append_printf (fix, "pg_dump --schema-only --no-owner --no-privileges%s '%s' | psql '%s'",
                          run->outcome->copy_whole ? "" : " --table=…",
                          ferry_connection_get_display_name (run->self->source),
                          ferry_connection_get_display_name (run->self->target));

  set_result (check, FERRY_CHECK_STATUS_FAIL,
              _("With schema: existing, Ferry loads into tables that must already exist on the "
                "target; it stops at the first table that does not. Create them first, or let "
                "Ferry copy the schema."),
              g_dngettext (GETTEXT_PACKAGE, "%u of %u selected tables is missing on the target",
                                            "%u of %u selected tables are missing on the target", n_missing),
              n_missing, run->copied->len);
  ferry_check_set_fix (check, fix->str, FERRY_FIX_COPY_SCHEMA);
}

static FerryColumn *
find_column (FerryTable *table,
             const char *name)
{
  for (guint i = 0; i < table->columns->len; i++)
    {
      FerryColumn *column = g_ptr_array_index (table->columns, i);
      if (g_str_equal (column->name, name))
        return column;
    }
  return NULL;
}

static void
check_column_compatibility (Run        *run,
                            FerryCheck *check)
{
  gboolean binary = ferry_config_get_copy_format (run->config) == FERRY_COPY_FORMAT_BINARY;
  guint n_failures = 0;
  guint n_warnings = 0;
  guint n_tables = 0;
  guint n_columns = 0;

  if (!run->existing)
    {
      set_result (check, FERRY_CHECK_STATUS_SKIPPED,
                  _("With schema: copy, the target's tables are created from the source's "
                    "definitions, so their columns match by construction."),
                  _("Not needed: the schema is copied from the source (schema: copy)"));
      return;
    }

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);
      FerryTable *s = pair->source;
      FerryTable *t = pair->target;

      /* Partitions share their root's columns on both sides. */
      if (t == NULL || s->kind == FERRY_TABLE_KIND_PARTITION)
        continue;
      n_tables++;

      for (guint c = 0; c < s->columns->len; c++)
        {
          FerryColumn *sc = g_ptr_array_index (s->columns, c);
          FerryColumn *tc = find_column (t, sc->name);

          if (sc->generated)
            {
              if (tc != NULL && !tc->generated && tc->not_null && !tc->has_default)
                {
                  n_failures++;
                  add_item (check, _("%s.%s: generated on the source, a plain NOT NULL column "
                                     "without a default on the target (every row would be rejected)"),
                            t->display_name, sc->name);
                }
              else if (tc != NULL && !tc->generated)
                {
                  n_warnings++;
                  add_item (check, _("%s.%s: generated on the source, a plain column on the target "
                                     "(it will hold its default or NULL, not the computed value)"),
                            t->display_name, sc->name);
                }
              continue;
            }

          n_columns++;
          if (tc == NULL)
            {
              n_failures++;
              add_item (check, _("%s.%s: missing on the target"), t->display_name, sc->name);
              continue;
            }

          if (tc->generated)
            {
              n_failures++;
              add_item (check, _("%s.%s: a generated column on the target; COPY cannot write "
                                 "into it"), t->display_name, sc->name);
              continue;
            }

          if (g_strcmp0 (sc->type, tc->type) != 0)
            {
              gboolean same_base = sc->type_oid == tc->type_oid &&
                                   sc->type_oid < FIRST_NORMAL_OBJECT_ID;

              if (same_base || !binary)
                {
                  n_warnings++;
                  add_item (check, same_base
                                     ? _("%s.%s: %s on the source, %s on the target (values that "
                                         "do not fit are rejected)")
                                     : _("%s.%s: %s on the source, %s on the target (converted "
                                         "as text; values that do not convert are rejected)"),
                            t->display_name, sc->name, sc->type, tc->type);
                }
              else
                {
                  n_failures++;
                  add_item (check, _("%s.%s: %s on the source, %s on the target"),
                            t->display_name, sc->name, sc->type, tc->type);
                }
            }
        }

      /* Target columns every row must fill but the source cannot. */
      for (guint c = 0; c < t->columns->len; c++)
        {
          FerryColumn *tc = g_ptr_array_index (t->columns, c);
          FerryColumn *sc = find_column (s, tc->name);

          if (tc->generated || !tc->not_null || tc->has_default || tc->identity != '\0')
            continue;
          if (sc != NULL && !sc->generated)
            continue;
          if (sc != NULL && sc->generated)
            continue; /* reported above */

          n_failures++;
          add_item (check, _("%s.%s: NOT NULL without a default on the target and absent on the "
                             "source (every row would be rejected)"), t->display_name, tc->name);
        }
    }

  if (n_failures > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  binary
                    ? _("Ferry copies every source column, except generated ones, into the column "
                        "of the same name on the target, in binary COPY format, which needs the "
                        "same type on both sides. Target columns the source lacks get their "
                        "default, or NULL. The columns listed here would make their tables fail.")
                    : _("Ferry copies every source column, except generated ones, into the column "
                        "of the same name on the target. Target columns the source lacks get "
                        "their default, or NULL. The columns listed here would make their tables "
                        "fail."),
                  g_dngettext (GETTEXT_PACKAGE, "%u column problem would make tables fail (%u more to review)",
                                                "%u column problems would make tables fail (%u more to review)", n_failures),
                  n_failures, n_warnings);
      ferry_check_set_fix (check,
                           _("Align the target's tables with the source's (ALTER TABLE … ADD COLUMN, "
                             "ALTER COLUMN … TYPE, ALTER COLUMN … DROP NOT NULL or SET DEFAULT), "
                             "or recreate them from the source's schema."),
                           NULL);
      return;
    }

  if (n_warnings > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("These columns differ between the source and the target in a way COPY can "
                    "handle, but values may be converted, truncated to a narrower type modifier "
                    "(and then rejected) or not computed."),
                  g_dngettext (GETTEXT_PACKAGE, "%u column differs between the source and the target",
                                                "%u columns differ between the source and the target", n_warnings),
                  n_warnings);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Every copied source column exists on the target with the same type, and every "
                "target column that the source does not fill has a default or allows NULL."),
              g_dngettext (GETTEXT_PACKAGE, "%u column of %u tables matches", "%u columns of %u tables match", n_columns),
              n_columns, n_tables);
}

static void
check_target_partitioning (Run        *run,
                           FerryCheck *check)
{
  guint n_partitioned = 0;
  guint n_differ = 0;

  if (!run->existing)
    {
      set_result (check, FERRY_CHECK_STATUS_SKIPPED,
                  _("With schema: copy, partitioned tables are created partitioned, with the "
                    "same partitions, from the source's definitions."),
                  _("Not needed: the schema is copied from the source (schema: copy)"));
      return;
    }

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);
      FerryTable *s = pair->source;
      FerryTable *t = pair->target;

      if (t == NULL || s->kind == FERRY_TABLE_KIND_PARTITION)
        continue;
      if (s->kind == FERRY_TABLE_KIND_PARTITIONED)
        n_partitioned++;

      if (s->kind == FERRY_TABLE_KIND_PARTITIONED && t->kind != FERRY_TABLE_KIND_PARTITIONED)
        {
          n_differ++;
          add_item (check, g_dngettext (GETTEXT_PACKAGE, "%s: partitioned on the source (%u partition), a plain table on "
                                                         "the target",
                                                         "%s: partitioned on the source (%u partitions), a plain table on "
                                                         "the target", s->partitions->len),
                    s->display_name, s->partitions->len);
        }
      else if (s->kind != FERRY_TABLE_KIND_PARTITIONED && t->kind == FERRY_TABLE_KIND_PARTITIONED)
        {
          n_differ++;
          add_item (check, _("%s: a plain table on the source, partitioned on the target"),
                    s->display_name);
        }
    }

  if (n_differ > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("A partitioned table on the source that is a plain table on the target "
                    "receives the rows of all its partitions in one table; partitions that "
                    "exist on the target as separate tables are then loaded twice. A table that "
                    "is partitioned only on the target routes each row to its partition, and a "
                    "row no partition accepts makes the table fail."),
                  g_dngettext (GETTEXT_PACKAGE, "%u table is partitioned differently on the target",
                                                "%u tables are partitioned differently on the target", n_differ),
                  n_differ);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              n_partitioned > 0
                ? _("Every partitioned table of the source is partitioned on the target too; Ferry "
                    "copies each partition as its own set of chunks.")
                : _("The source has no partitioned tables among the selected ones, and the target "
                    "partitions none of them."),
              g_dngettext (GETTEXT_PACKAGE, "%u partitioned table is partitioned on the target too",
                                            "%u partitioned tables are partitioned on the target too", n_partitioned),
              n_partitioned);
}

static void
check_schema_copy_target (Run        *run,
                          FerryCheck *check)
{
  g_autoptr(GHashTable) missing_schemas = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_existing = 0;

  if (run->existing)
    {
      set_result (check, FERRY_CHECK_STATUS_SKIPPED,
                  _("With schema: existing, Ferry uses the tables on the target as they are; "
                    "see “Tables exist on the target”."),
                  _("Not needed: the target's schema is used as it is (schema: existing)"));
      return;
    }

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);
      const char * const *target_schemas = ferry_catalog_get_schemas (run->target);

      if (pair->target != NULL)
        {
          n_existing++;
          ferry_check_add_item (check, pair->target->display_name);
        }
      if (!g_strv_contains (target_schemas, pair->source->schema))
        g_hash_table_add (missing_schemas, pair->source->schema);
    }

  if (n_existing > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("With schema: copy, Ferry creates the tables with pg_dump --section=pre-data "
                    "before the load and adds indexes and constraints (post-data) after it. These "
                    "tables exist on the target already: creating them again fails. Drop them "
                    "first, or use schema: existing to load into them as they are."),
                  g_dngettext (GETTEXT_PACKAGE, "%u of %u tables exists on the target already",
                                                "%u of %u tables exist on the target already", n_existing),
                  n_existing, run->copied->len);
      ferry_check_set_fix (check, _("Drop the listed tables on the target, or set schema: existing "
                                    "in the configuration."), NULL);
      return;
    }

  if (g_hash_table_size (missing_schemas) > 0 && !run->self->target_info.can_create)
    {
      g_autofree char *database = ferry_quote_ident (ferry_catalog_get_database (run->target));
      g_autofree char *user = ferry_quote_ident (run->self->target_info.user);
      g_autofree char *fix = g_strdup_printf (_("As a superuser or the database owner, on the "
                                                "target:\nGRANT CREATE ON DATABASE %s TO %s;"),
                                              database, user);
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, missing_schemas);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        add_item (check, _("schema %s"), (const char *)key);
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("With schema: copy, Ferry creates the source's schemas and tables on the "
                    "target; the target role may not create schemas in this database."),
                  g_dngettext (GETTEXT_PACKAGE, "%s may not create the %u missing schema",
                                                "%s may not create the %u missing schemas",
                                                g_hash_table_size (missing_schemas)),
                  run->self->target_info.user, g_hash_table_size (missing_schemas));
      ferry_check_set_fix (check, fix, NULL);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("With schema: copy, Ferry creates the tables with pg_dump --section=pre-data "
                "before the load (without indexes, so that the load is fast) and adds indexes, "
                "constraints and triggers (post-data) after it. None of the tables exists on the "
                "target yet."),
              g_dngettext (GETTEXT_PACKAGE, "None of the %u table exists on the target yet: pg_dump will create it",
                                            "None of the %u tables exists on the target yet: pg_dump will create them",
                                            run->copied->len),
              run->copied->len);
}

static void
check_extensions (Run        *run,
                  FerryCheck *check)
{
  static const char *sql =
    "SELECT name, default_version FROM pg_catalog.pg_available_extensions";
  FerryValidator *self = run->self;
  GPtrArray *source_exts = ferry_catalog_get_extensions (run->source);
  GPtrArray *target_exts = ferry_catalog_get_extensions (run->target);
  g_autoptr(GHashTable) installed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) available = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) sql_fix = g_string_new (NULL);
  g_autoptr(GString) fix = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_unavailable = 0, n_missing = 0, n_versions = 0;

  if (!(result = ferry_connection_query (self->target, sql, &error)))
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL, NULL,
                  _("Could not read the target's available extensions: %s"), error->message);
      return;
    }
  for (int row = 0; row < PQntuples (result); row++)
    g_hash_table_insert (available, g_strdup (pq_value (result, row, 0)),
                         g_strdup (pq_value (result, row, 1)));

  for (guint i = 0; i < target_exts->len; i++)
    {
      FerryExtension *ext = g_ptr_array_index (target_exts, i);
      g_hash_table_insert (installed, ext->name, ext);
    }

  for (guint i = 0; i < source_exts->len; i++)
    {
      FerryExtension *ext = g_ptr_array_index (source_exts, i);
      FerryExtension *there = g_hash_table_lookup (installed, ext->name);

      if (there != NULL)
        {
          if (g_strcmp0 (there->version, ext->version) != 0)
            {
              n_versions++;
              add_item (check, _("%s: version %s on the source, %s on the target"),
                        ext->name, ext->version, there->version);
            }
          continue;
        }

      if (!g_hash_table_contains (available, ext->name))
        {
          n_unavailable++;
          add_item (check, _("%s %s: not installed on the target server, cannot be created"),
                    ext->name, ext->version);
          continue;
        }

      n_missing++;
      add_item (check, _("%s %s: missing on the target (version %s available)"),
                ext->name, ext->version, (const char *)g_hash_table_lookup (available, ext->name));
      {
        g_autofree char *name = ferry_quote_ident (ext->name);
        g_autofree char *schema = ferry_quote_ident (ext->schema);

        g_string_append_printf (sql_fix, "CREATE SCHEMA IF NOT EXISTS %s;\n"
                                         "CREATE EXTENSION IF NOT EXISTS %s WITH SCHEMA %s CASCADE;\n",
                                schema, name, schema);
      }
    }

  if (n_unavailable > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("Extensions provide types, functions and operators that the tables use. "
                    "These are not even installed on the target server (they are not in "
                    "pg_available_extensions), so they cannot be created in the database, and "
                    "tables or columns that depend on them cannot exist there."),
                  g_dngettext (GETTEXT_PACKAGE, "%u extension is not available on the target server",
                                                "%u extensions are not available on the target server", n_unavailable),
                  n_unavailable);
      ferry_check_set_fix (check, _("Install the extensions' packages on the target server "
                                    "(e.g. the postgresql-NN-… package of the same version), "
                                    "then create them in the target database."), NULL);
      return;
    }

  if (n_missing > 0 && run->existing)
    {
      run->outcome->extensions_sql = g_strdup (sql_fix->str);
      fix = g_string_new (_("Ferry can create them, as the target role (which needs the "
                            "privilege to create them: a superuser, or the database owner for "
                            "trusted extensions). On the target:\n"));
      g_string_append (fix, sql_fix->str);
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("Extensions provide types, functions and operators that the tables use. "
                    "These are installed in the source database but not in the target one: "
                    "columns of their types cannot exist on the target, and functions the "
                    "applications call are missing."),
                  g_dngettext (GETTEXT_PACKAGE, "%u extension is missing on the target",
                                                "%u extensions are missing on the target", n_missing),
                  n_missing);
      ferry_check_set_fix (check, g_strchomp (fix->str), FERRY_FIX_CREATE_EXTENSIONS);
      return;
    }

  if (n_versions > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("The same extensions are installed on both sides, but in different versions. "
                    "Their types usually keep their format between versions; check the "
                    "extensions' release notes, and ALTER EXTENSION … UPDATE where needed."),
                  g_dngettext (GETTEXT_PACKAGE, "%u extension has a different version on the target",
                                                "%u extensions have a different version on the target", n_versions),
                  n_versions);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              n_missing > 0
                ? _("pg_dump's schema creates the missing extensions on the target (they are "
                    "available there); the target role needs the privilege to create them.")
                : _("Every extension installed in the source database is installed in the target "
                    "database, in the same version."),
              g_dngettext (GETTEXT_PACKAGE, "%u extension, all present or available on the target",
                                            "%u extensions, all present or available on the target", source_exts->len),
              source_exts->len);
}

static void
check_extension_tables (Run        *run,
                        FerryCheck *check)
{
  static const char *sql =
    "SELECT c.oid FROM pg_catalog.pg_extension e, pg_catalog.unnest(e.extconfig) AS c(oid)";
  GPtrArray *tables = ferry_catalog_get_tables (run->source);
  g_autoptr(GHashTable) config_tables = g_hash_table_new (NULL, NULL);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_owned = 0;
  guint n_config = 0;

  if ((result = ferry_connection_query (run->self->source, sql, &error)) != NULL)
    for (int row = 0; row < PQntuples (result); row++)
      g_hash_table_add (config_tables, GUINT_TO_POINTER ((guint)pq_int (result, row, 0, 0)));
  else
    g_debug ("Could not read the extensions' configuration tables: %s", error->message);

  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);

      if (table->extension == NULL)
        continue;
      n_owned++;
      if (g_hash_table_contains (config_tables, GUINT_TO_POINTER (table->oid)) &&
          table->row_estimate != 0)
        {
          n_config++;
          add_item (check, _("%s (extension %s; a configuration table that may hold rows users "
                             "added)"), table->display_name, table->extension);
        }
      else
        add_item (check, _("%s (extension %s)"), table->display_name, table->extension);
    }

  if (n_config > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("Tables that belong to an extension are created and filled by CREATE "
                    "EXTENSION on the target; Ferry does not copy them. Some are configuration "
                    "tables, where users may have added rows of their own (pg_dump would dump "
                    "those): copy such rows yourself."),
                  g_dngettext (GETTEXT_PACKAGE, "%u table belongs to an extension and is not copied (%u configuration table)",
                                                "%u tables belong to extensions and are not copied (%u configuration tables)",
                                                n_owned),
                  n_owned, n_config);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              n_owned > 0
                ? _("Tables that belong to an extension are created and filled by CREATE "
                    "EXTENSION on the target; Ferry does not copy them.")
                : _("No table belongs to an extension."),
              g_dngettext (GETTEXT_PACKAGE, "%u table belongs to an extension and is not copied",
                                            "%u tables belong to extensions and are not copied", n_owned),
              n_owned);
}

/* Data */

static gboolean
probe_target_rows (Run     *run,
                   GError **error)
{
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);

      if (pair->target != NULL && pair->target->kind != FERRY_TABLE_KIND_PARTITIONED &&
          pair->schema_usage && pair->can_select)
        g_array_append_val (wanted, i);
    }

  for (guint start = 0; start < wanted->len; start += PROBE_BATCH)
    {
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(PGresult) result = NULL;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;

      for (guint k = start; k < MIN (start + PROBE_BATCH, wanted->len); k++)
        {
          Pair *pair = pair_at (run, g_array_index (wanted, guint, k));

          if (sql->len > 0)
            g_string_append (sql, " UNION ALL ");
          g_string_append_printf (sql, "SELECT %u::pg_catalog.int4, EXISTS (SELECT 1 FROM ONLY %s)",
                                  k, pair->target->quoted_name);
        }

      if (!(result = ferry_connection_query (run->self->target, sql->str, error)))
        return FALSE;

      for (int row = 0; row < PQntuples (result); row++)
        {
          Pair *pair = pair_at (run, g_array_index (wanted, guint, pq_int (result, row, 0, 0)));

          pair->probed = TRUE;
          pair->not_empty = pq_bool (result, row, 1);
        }
    }

  return TRUE;
}

/* Adds to @set the included target tables that reference @table, and
 * theirs, so that one TRUNCATE can empty them all. */
static void
add_referencing (Run        *run,
                 FerryTable *table,
                 GHashTable *set,
                 GPtrArray  *order)
{
  for (guint i = 0; i < table->children->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (table->children, i);
      FerryTable *source;

      if (g_hash_table_contains (set, fk->child))
        continue;
      source = ferry_catalog_lookup (run->source, fk->child->schema, fk->child->name);
      if (source == NULL || !is_copied (source))
        continue;
      g_hash_table_add (set, fk->child);
      g_ptr_array_add (order, fk->child);
      add_referencing (run, fk->child, set, order);
    }
}

static void
check_target_tables_empty (Run        *run,
                           FerryCheck *check)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) set = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  guint n_probed = 0, n_not_empty = 0, n_unreadable = 0;

  if (run->n_on_target == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("Ferry loads into empty tables, so that the target ends up with exactly the "
                    "source's rows. None of the selected tables exists on the target yet."),
                  _("No selected table exists on the target yet"));
      return;
    }

  if (!probe_target_rows (run, &error))
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL, NULL,
                  _("Could not look into the target's tables: %s"), error->message);
      return;
    }

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);
      FerryTable *t = pair->target;

      if (t == NULL || t->kind == FERRY_TABLE_KIND_PARTITIONED)
        continue;
      if (!pair->probed)
        {
          n_unreadable++;
          continue;
        }
      n_probed++;
      if (!pair->not_empty)
        continue;

      n_not_empty++;
      if (t->row_estimate > 0)
        add_item (check, g_dngettext (GETTEXT_PACKAGE, "%s (about %" PRId64 " row)",
                                                       "%s (about %" PRId64 " rows)", (gulong)t->row_estimate),
                  t->display_name, t->row_estimate);
      else
        add_item (check, _("%s (has rows; not analyzed yet)"), t->display_name);

      g_hash_table_add (set, t);
      g_ptr_array_add (order, t);
    }

  if (n_not_empty > 0)
    {
      g_autoptr(GString) sql = g_string_new ("TRUNCATE TABLE ");
      g_autoptr(GString) shown = g_string_new ("TRUNCATE TABLE ");
      g_autoptr(GString) fix = NULL;
      guint n_referencing;

      /* TRUNCATE refuses to empty a table that another one references
       * unless that one is emptied in the same statement. */
      for (guint i = 0; i < n_not_empty; i++)
        {
          FerryTable *t = g_ptr_array_index (order, i);

          add_referencing (run, t, set, order);
          /* A partition's rows are also referenced through its root. */
          if (t->partition_parent != NULL)
            add_referencing (run, t->partition_parent, set, order);
        }
      n_referencing = order->len - n_not_empty;

      for (guint i = 0; i < order->len; i++)
        {
          FerryTable *t = g_ptr_array_index (order, i);
          g_autofree char *name = g_strdup_printf ("%s%s%s", i > 0 ? ", " : "",
                                                   t->kind != FERRY_TABLE_KIND_PARTITIONED ? "ONLY " : "",
                                                   t->quoted_name);

          g_string_append (sql, name);
          if (i < MAX_FIX_STATEMENTS / 2)
            g_string_append (shown, name);
          else if (i == MAX_FIX_STATEMENTS / 2)
            g_string_append_printf (shown, g_dngettext (GETTEXT_PACKAGE, ", … (%u table in all)", ", … (%u tables in all)",
                                                                         order->len),
                                    order->len);
        }
      run->outcome->truncate_sql = g_strdup (sql->str);

      fix = g_string_new (NULL);
      if (n_referencing > 0)
        g_string_append_printf (fix,
                                g_dngettext (GETTEXT_PACKAGE, "Ferry can empty them in one TRUNCATE, together with the %u "
                                                              "selected table on the target that references them through a "
                                                              "foreign key (TRUNCATE refuses to empty a referenced table on "
                                                              "its own; such tables must be empty before the load anyway). "
                                                              "This deletes their rows on the target for good. The statement:\n",
                                                              "Ferry can empty them in one TRUNCATE, together with the %u "
                                                              "selected tables on the target that reference them through "
                                                              "foreign keys (TRUNCATE refuses to empty a referenced table on "
                                                              "its own; such tables must be empty before the load anyway). "
                                                              "This deletes their rows on the target for good. The statement:\n",
                                                              n_referencing),
                                n_referencing);
      else
        g_string_append (fix, _("Ferry can empty them in one TRUNCATE. This deletes their rows on "
                                "the target for good. The statement:\n"));
      g_string_append_printf (fix, "%s;", shown->str);

      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("Ferry loads into empty tables so that the target ends up with exactly the "
                    "source's rows: rows already there would be duplicated, collide with the "
                    "copied ones on unique keys, or make the row counts disagree. (To continue an "
                    "interrupted migration, resume it: the journal knows which chunks arrived.)"),
                  g_dngettext (GETTEXT_PACKAGE, "%u of %u tables is not empty on the target",
                                                "%u of %u tables are not empty on the target", n_not_empty),
                  n_not_empty, n_probed + n_unreadable);
      ferry_check_set_fix (check, fix->str, FERRY_FIX_TRUNCATE_TARGET);
      return;
    }

  if (n_unreadable > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("Ferry loads into empty tables. The target role may not read some of them "
                    "(see “Privileges on the target tables”), so Ferry could not tell whether "
                    "they are empty."),
                  g_dngettext (GETTEXT_PACKAGE, "%u table could not be looked into; the other %u are empty",
                                                "%u tables could not be looked into; the other %u are empty", n_unreadable),
                  n_unreadable, n_probed);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Ferry loads into empty tables, so that the target ends up with exactly the "
                "source's rows; every selected table on the target is empty."),
              g_dngettext (GETTEXT_PACKAGE, "The %u target table is empty", "All %u target tables are empty", n_probed),
              n_probed);
}

static void
check_primary_keys (Run        *run,
                    FerryCheck *check)
{
  guint n_without = 0;

  for (guint i = 0; i < run->copied->len; i++)
    {
      FerryTable *table = g_ptr_array_index (run->copied, i);

      if (table->kind == FERRY_TABLE_KIND_PARTITION || table->primary_key != NULL)
        continue;
      n_without++;
      if (table->unique_keys->len > 0)
        add_item (check, _("%s (has a unique key: %s)"), table->display_name,
                  ((FerryKey *)g_ptr_array_index (table->unique_keys, 0))->name);
      else
        ferry_check_add_item (check, table->display_name);
    }

  if (n_without > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("These tables are copied all the same: Ferry splits a large one into chunks "
                    "by physical block ranges (ctid) instead of key ranges, and validates it by "
                    "row counts and checksums. But without a key, duplicate rows cannot be told "
                    "apart: a row the applications changed cannot be found again reliably, and a "
                    "validation difference cannot be narrowed down to the rows that differ."),
                  g_dngettext (GETTEXT_PACKAGE, "%u of %u tables has no primary key",
                                                "%u of %u tables have no primary key", n_without),
                  n_without, run->n_units);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Every selected table has a primary key: large tables with a single integer key "
                "are split into chunks by key range, the others by physical block range."),
              g_dngettext (GETTEXT_PACKAGE, "The %u table has a primary key", "All %u tables have a primary key", run->n_units),
              run->n_units);
}

static void
check_generated_columns (Run        *run,
                         FerryCheck *check)
{
  guint n = 0;

  for (guint i = 0; i < run->copied->len; i++)
    {
      FerryTable *table = g_ptr_array_index (run->copied, i);

      if (table->kind == FERRY_TABLE_KIND_PARTITION)
        continue;
      for (guint c = 0; c < table->columns->len; c++)
        {
          FerryColumn *column = g_ptr_array_index (table->columns, c);
          if (column->generated)
            {
              n++;
              add_item (check, "%s.%s", table->display_name, column->name);
            }
        }
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              n > 0
                ? _("Generated columns (GENERATED ALWAYS AS … STORED) are left out of the COPY: "
                    "PostgreSQL computes them again on the target from the copied columns, so "
                    "they end up equal to the source's as long as the expressions are the same.")
                : _("No selected table has generated columns."),
              g_dngettext (GETTEXT_PACKAGE, "%u generated column, recomputed on the target",
                                            "%u generated columns, recomputed on the target", n),
              n);
}

static void
check_identity_columns (Run        *run,
                        FerryCheck *check)
{
  guint n = 0;

  for (guint i = 0; i < run->copied->len; i++)
    {
      FerryTable *table = g_ptr_array_index (run->copied, i);

      if (table->kind == FERRY_TABLE_KIND_PARTITION)
        continue;
      for (guint c = 0; c < table->columns->len; c++)
        {
          FerryColumn *column = g_ptr_array_index (table->columns, c);
          if (column->identity != '\0')
            {
              n++;
              add_item (check, "%s.%s (%s)", table->display_name, column->name,
                        column->identity == 'a' ? "GENERATED ALWAYS" : "GENERATED BY DEFAULT");
            }
        }
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              n > 0
                ? _("Identity columns keep their values: COPY writes them as they are, even "
                    "GENERATED ALWAYS ones. After the load, Ferry sets each identity sequence "
                    "past the source's last value, so that new rows get new numbers.")
                : _("No selected table has identity columns."),
              g_dngettext (GETTEXT_PACKAGE, "%u identity column keeps its values",
                                            "%u identity columns keep their values", n),
              n);
}

static void
check_large_objects (Run        *run,
                     FerryCheck *check)
{
  FerryValidator *self = run->self;
  g_auto(FerryLargeObjectsSurvey) survey = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) explanation = NULL;
  g_autofree char *size = NULL;

  if (ferry_catalog_get_n_large_objects (run->source) == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("Large objects (lo_import, lo_create) live in pg_largeobject, outside every "
                    "table; Ferry copies them after the tables. The source has none."),
                  _("The source has no large objects"));
      return;
    }

  /* The source's OIDs against the target's, in bulk: Ferry keeps them. */
  if (!ferry_large_objects_survey (self->source, run->target != NULL ? self->target : NULL,
                                   ferry_config_get_journal_schema (run->config),
                                   run->cancellable, &survey, &error))
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("Ferry copies the large objects after the tables, keeping their OIDs; it "
                    "could not look at them beforehand."),
                  _("Could not look at the large objects: %s"), error->message);
      return;
    }

  if (survey.n_on_target > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);
      g_autoptr(GString) fix = g_string_new (NULL);

      for (guint i = 0; i < survey.on_target->len; i++)
        {
          guint32 oid = g_array_index (survey.on_target, guint32, i);

          add_item (check, _("Large object %u is on both servers"), oid);
          g_string_append_printf (list, "%s%u", i > 0 ? ", " : "", oid);
        }
      if (survey.n_on_target > survey.on_target->len)
        g_string_append (list, ", …");

      g_string_append (fix, _("If the target’s objects are leftovers (of an earlier attempt, say), "
                              "remove them on the target:\n"));
      g_string_append_printf (fix, "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata"
                                   " WHERE oid IN (%s);", list->str);
      if (survey.n_on_target > survey.on_target->len)
        g_string_append (fix, _("\n(Only the first OIDs are listed: compare the OIDs of "
                                "pg_largeobject_metadata on both servers for the others.)"));
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("Large objects (lo_import, lo_create) live in pg_largeobject, outside every "
                    "table; columns of type oid or lo hold their numbers, so Ferry copies each "
                    "object with its OID. The target already has large objects with some of "
                    "the source’s OIDs: the copy would stop at the first of them."),
                  g_dngettext (GETTEXT_PACKAGE,
                               "The target already has %" PRIu64 " of the source’s large object OIDs: %s",
                               "The target already has %" PRIu64 " of the source’s large object OIDs: %s",
                               (gulong)survey.n_on_target),
                  survey.n_on_target, list->str);
      ferry_check_set_fix (check, fix->str, NULL);
      return;
    }

  explanation = g_string_new (_("Large objects (lo_import, lo_create) live in pg_largeobject, outside "
                                 "every table; columns of type oid or lo hold their numbers. Ferry copies "
                                 "them after the tables, in batches recorded in the journal, keeping each "
                                 "object’s OID, owner, grants and comment."));
  g_string_append_c (explanation, ' ');
  g_string_append (explanation, run->target != NULL
                                  ? _("None of their OIDs is taken on the target.")
                                  : _("The target could not be checked for large objects with the same OIDs."));
  if (!survey.bytes_known)
    {
      g_string_append_c (explanation, ' ');
      g_string_append (explanation, _("The source role may not read some of them, so their size is not "
                                      "known; the copy needs to read them all."));
    }

  size = ferry_format_bytes (survey.bytes);
  if (survey.bytes_known)
    set_result (check, FERRY_CHECK_STATUS_PASS, explanation->str,
                g_dngettext (GETTEXT_PACKAGE,
                             "%" PRIu64 " large object (%s) is copied after the tables",
                             "%" PRIu64 " large objects (%s) are copied after the tables",
                             (gulong)survey.n_objects),
                survey.n_objects, size);
  else
    set_result (check, FERRY_CHECK_STATUS_PASS, explanation->str,
                g_dngettext (GETTEXT_PACKAGE,
                             "%" PRIu64 " large object is copied after the tables",
                             "%" PRIu64 " large objects are copied after the tables",
                             (gulong)survey.n_objects),
                survey.n_objects);
}

static void
check_unlogged_tables (Run        *run,
                       FerryCheck *check)
{
  guint n = 0;

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);

      if (pair->source->unlogged)
        {
          n++;
          add_item (check, _("%s (unlogged on the source)"), pair->source->display_name);
        }
      else if (pair->target != NULL && pair->target->unlogged)
        {
          n++;
          add_item (check, _("%s (unlogged on the target)"), pair->target->display_name);
        }
    }

  if (n > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("Unlogged tables are copied like any other, but they are not crash-safe: "
                    "after a crash of its server, an unlogged table is empty. On the source, "
                    "that means it may hold less than you expect; on the target, that the copied "
                    "rows are lost if the server crashes before you make the table logged "
                    "(ALTER TABLE … SET LOGGED). They are not replicated to standbys either."),
                  g_dngettext (GETTEXT_PACKAGE, "%u table is unlogged", "%u tables are unlogged", n),
                  n);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Every selected table is logged on both sides: crash-safe and replicated."),
              _("No selected table is unlogged"));
}

/* Binary COPY sends the OID of the element type of an array and of every
 * field of a composite value, and the receiving server insists that they
 * are its own OIDs. Types created separately on the target (every user
 * and extension type) have other OIDs there. */
static void
check_binary_copy_types (Run        *run,
                         FerryCheck *check)
{
  static const char *sql =
    "WITH RECURSIVE base (oid, base) AS ("
    "  SELECT t.oid, t.oid FROM pg_catalog.unnest($1::pg_catalog.oid[]) AS u(oid) "
    "  JOIN pg_catalog.pg_type t ON t.oid = u.oid "
    "  UNION ALL "
    "  SELECT b.oid, t.typbasetype FROM base b "
    "  JOIN pg_catalog.pg_type t ON t.oid = b.base WHERE t.typtype = 'd'"
    ") "
    "SELECT b.oid FROM base b "
    "JOIN pg_catalog.pg_type t ON t.oid = b.base "
    "LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem AND t.typlen = -1 "
    "WHERE t.typtype = 'c' "
    "   OR (e.oid IS NOT NULL AND (e.oid >= 16384 OR e.typtype IN ('c', 'd')))";
  g_autoptr(GHashTable) type_oids = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) unsafe = g_hash_table_new (NULL, NULL);
  g_autoptr(GString) oids = g_string_new ("{");
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tables = g_hash_table_new (NULL, NULL);
  guint n_columns = 0;

  if (ferry_config_get_copy_format (run->config) != FERRY_COPY_FORMAT_BINARY)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("Ferry copies in text format (copy_format: text), which carries every type by "
                    "its text representation, whatever its OID on either server."),
                  _("Text format: every column type can be copied"));
      return;
    }

  for (guint i = 0; i < run->copied->len; i++)
    {
      FerryTable *table = g_ptr_array_index (run->copied, i);

      for (guint c = 0; c < table->columns->len; c++)
        {
          FerryColumn *column = g_ptr_array_index (table->columns, c);
          gpointer key = GUINT_TO_POINTER (column->type_oid);

          if (!g_hash_table_contains (type_oids, key))
            {
              g_string_append_printf (oids, "%s%u", oids->len > 1 ? "," : "", column->type_oid);
              g_hash_table_add (type_oids, key);
            }
        }
    }
  g_string_append_c (oids, '}');

  {
    const char *params[] = { oids->str };
    result = ferry_connection_query_params (run->self->source, sql, 1, params, &error);
  }
  if (result == NULL)
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL, NULL,
                  _("Could not read the column types: %s"), error->message);
      return;
    }
  for (int row = 0; row < PQntuples (result); row++)
    g_hash_table_add (unsafe, GUINT_TO_POINTER ((guint)pq_int (result, row, 0, 0)));

  for (guint i = 0; i < run->copied->len; i++)
    {
      FerryTable *table = g_ptr_array_index (run->copied, i);

      /* Partitions repeat their root's columns. */
      if (table->kind == FERRY_TABLE_KIND_PARTITION)
        continue;
      for (guint c = 0; c < table->columns->len; c++)
        {
          FerryColumn *column = g_ptr_array_index (table->columns, c);

          if (column->generated || !g_hash_table_contains (unsafe, GUINT_TO_POINTER (column->type_oid)))
            continue;
          n_columns++;
          g_hash_table_add (tables, table);
          add_item (check, "%s.%s (%s)", table->display_name, column->name, column->type);
        }
    }

  if (n_columns > 0)
    {
      /* The engine copies every table with a user-defined column type in
       * text format (ferry-coordinator-jobs.c, format_for_heap): these
       * tables are safe, only somewhat slower. */
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  _("In binary COPY format, an array carries the OID of its element type and a "
                    "composite value the OID of each field's type, and the target rejects any OID "
                    "that is not its own (“wrong element type”, “wrong data type”). Types created "
                    "separately on the target — every user-defined and extension type — have other "
                    "OIDs there. Ferry therefore copies the tables with such columns in text format, "
                    "which carries every value by its text form; the others stay in binary format."),
                  g_dngettext (GETTEXT_PACKAGE, "%u table is copied in text format because of its column types",
                                                "%u tables are copied in text format because of their column types",
                               g_hash_table_size (tables)),
                  g_hash_table_size (tables));
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("In binary COPY format, arrays and composite values carry type OIDs that must be "
                "the same on the target. No selected column has such a type with a user-defined "
                "element or field, so binary format is safe."),
              _("Every column can be copied in binary format"));
}

static void
check_target_triggers (Run        *run,
                       FerryCheck *check)
{
  gboolean fire = ferry_config_get_fire_triggers (run->config);
  guint n_tables = 0, n_triggers = 0;

  for (guint i = 0; i < run->pairs->len; i++)
    {
      Pair *pair = pair_at (run, i);
      g_autofree char *list = NULL;
      guint n;

      if (pair->target == NULL || pair->target->triggers == NULL ||
          (n = g_strv_length (pair->target->triggers)) == 0)
        continue;
      n_tables++;
      n_triggers += n;
      list = g_strjoinv (", ", pair->target->triggers);
      add_item (check, "%s: %s", pair->target->display_name, list);
    }

  if (n_tables == 0)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS,
                  run->existing
                    ? _("No selected table on the target has user triggers, so nothing but the "
                        "copied rows is written during the load.")
                    : _("With schema: copy, triggers are created with the indexes and constraints "
                        "after the load, so they never fire for copied rows."),
                  _("No user triggers on the target tables"));
      return;
    }

  if (fire)
    set_result (check, FERRY_CHECK_STATUS_WARNING,
                _("fire_triggers is on: these triggers fire for every copied row. They slow the "
                  "load down, may change the rows on the way in (so the checksums differ from "
                  "the source's), and may write to other tables (audit logs, counters) — possibly "
                  "tables that Ferry also loads."),
                g_dngettext (GETTEXT_PACKAGE, "%u trigger on %u target table fires for every copied row",
                                              "%u triggers on %u target tables fire for every copied row", n_triggers),
                n_triggers, n_tables);
  else
    set_result (check, FERRY_CHECK_STATUS_WARNING,
                _("fire_triggers is off: Ferry disables these triggers while it loads each table "
                  "and enables them again afterwards (the change is recorded in the journal and "
                  "undone even after a crash). Whatever the triggers would have done for the "
                  "copied rows — audit rows, denormalised counters, notifications — does not "
                  "happen; the source's rows already carry its effects."),
                g_dngettext (GETTEXT_PACKAGE, "%u trigger on %u target table is disabled during the load",
                                              "%u triggers on %u target tables are disabled during the load", n_triggers),
                n_triggers, n_tables);
}

/* Dependencies */

static const char *
fk_action_text (FerryPlan       *plan,
                FerryForeignKey *fk)
{
  switch (ferry_plan_get_fk_action (plan, fk))
    {
    case FERRY_FK_ACTION_KEEP:
      return _("kept during the load");
    case FERRY_FK_ACTION_DROP_READD:
      return _("dropped before the load, re-added NOT VALID and validated afterwards");
    case FERRY_FK_ACTION_REBUILD:
      return _("dropped before the load and rebuilt afterwards");
    default:
      return "";
    }
}

/* One foreign key of a cycle, for the data of the fix. */
static void
add_fk_json (JsonBuilder     *b,
             FerryAnalyzer   *analyzer,
             FerryForeignKey *fk)
{
  g_autofree char *path = ferry_foreign_key_dup_path (fk);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, fk->name);
  json_builder_set_member_name (b, "child");
  json_builder_add_string_value (b, fk->child->display_name);
  json_builder_set_member_name (b, "parent");
  json_builder_add_string_value (b, fk->parent->display_name);
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint i = 0; fk->child_columns != NULL && fk->child_columns[i] != NULL; i++)
    json_builder_add_string_value (b, fk->child_columns[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "parent_columns");
  json_builder_begin_array (b);
  for (guint i = 0; fk->parent_columns != NULL && fk->parent_columns[i] != NULL; i++)
    json_builder_add_string_value (b, fk->parent_columns[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "nullable");
  json_builder_add_boolean_value (b, fk->nullable);
  json_builder_set_member_name (b, "deferrable");
  json_builder_add_boolean_value (b, fk->deferrable);
  json_builder_set_member_name (b, "breaking");
  json_builder_add_boolean_value (b, ferry_analyzer_is_breaking_edge (analyzer, fk));
  json_builder_set_member_name (b, "preferred");
  json_builder_add_boolean_value (b, ferry_analyzer_is_preferred_break (analyzer, fk));
  json_builder_end_object (b);
}

static const char *
preferred_status_nick (FerryPreferredBreak status)
{
  switch (status)
    {
    case FERRY_PREFERRED_BREAK_BROKEN:       return "broken";
    case FERRY_PREFERRED_BREAK_NOT_IN_CYCLE: return "not-in-cycle";
    case FERRY_PREFERRED_BREAK_UNKNOWN:
    default:                                 return "unknown";
    }
}

/* A foreign key of the source that @name probably meant: the same
 * constraint on another table, or the same name in another case. */
static FerryForeignKey *
suggest_foreign_key (FerryCatalog *catalog,
                     const char   *name)
{
  GPtrArray *fks = ferry_catalog_get_foreign_keys (catalog);
  const char *last = strrchr (name, '.');
  FerryForeignKey *same_name = NULL;

  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);
      g_autofree char *path = ferry_foreign_key_dup_path (fk);

      if (g_ascii_strcasecmp (path, name) == 0)
        return fk;
      if (same_name == NULL && last != NULL && g_str_equal (fk->name, last + 1))
        same_name = fk;
    }

  return same_name;
}

/* What the fix FERRY_FIX_CHOOSE_CYCLE_BREAKS offers:
 *
 * { "key": "tables.break_cycles_at",
 *   "cycles": [ { "tables": [ name … ],
 *                 "foreign_keys": [ { "path", "name", "child", "parent",
 *                                     "columns", "parent_columns",
 *                                     "nullable", "deferrable",
 *                                     "breaking", "preferred" } … ] } … ],
 *   "preferred": [ { "path", "status": "broken" | "not-in-cycle" |
 *                    "unknown" } … ] }
 */
static JsonNode *
cycle_breaks_fix_data (FerryAnalyzer *analyzer)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GPtrArray *cycles = ferry_analyzer_get_cycles (analyzer);
  const char * const *preferred = ferry_analyzer_get_preferred_breaks (analyzer);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, "tables.break_cycles_at");

  json_builder_set_member_name (b, "cycles");
  json_builder_begin_array (b);
  for (guint i = 0; i < cycles->len; i++)
    {
      GPtrArray *cycle = g_ptr_array_index (cycles, i);
      g_autoptr(GPtrArray) fks = ferry_analyzer_dup_cycle_foreign_keys (analyzer, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "tables");
      json_builder_begin_array (b);
      for (guint k = 0; k < cycle->len; k++)
        json_builder_add_string_value (b, ((FerryTable *)g_ptr_array_index (cycle, k))->display_name);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "foreign_keys");
      json_builder_begin_array (b);
      for (guint k = 0; k < fks->len; k++)
        add_fk_json (b, analyzer, g_ptr_array_index (fks, k));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "preferred");
  json_builder_begin_array (b);
  for (guint i = 0; preferred[i] != NULL; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, preferred[i]);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, preferred_status_nick (ferry_analyzer_get_preferred_break_status (analyzer, i, NULL)));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Items for the names of tables.break_cycles_at that break nothing;
 * counts the unknown ones and those in no cycle. */
static void
check_preferred_breaks (Run        *run,
                        FerryCheck *check,
                        guint      *n_unknown,
                        guint      *n_idle)
{
  FerryAnalyzer *analyzer = run->self->analyzer;
  const char * const *preferred = ferry_analyzer_get_preferred_breaks (analyzer);

  *n_unknown = *n_idle = 0;

  for (guint i = 0; preferred[i] != NULL; i++)
    {
      FerryForeignKey *fk = NULL;

      switch (ferry_analyzer_get_preferred_break_status (analyzer, i, &fk))
        {
        case FERRY_PREFERRED_BREAK_UNKNOWN:
          {
            FerryForeignKey *guess = suggest_foreign_key (run->source, preferred[i]);
            g_autofree char *path = guess ? ferry_foreign_key_dup_path (guess) : NULL;

            (*n_unknown)++;
            if (path != NULL)
              add_item (check, _("tables.break_cycles_at: %s is not a foreign key of the source; did you mean %s?"),
                        preferred[i], path);
            else
              add_item (check, _("tables.break_cycles_at: %s is not a foreign key of the source"),
                        preferred[i]);
          }
          break;

        case FERRY_PREFERRED_BREAK_NOT_IN_CYCLE:
          (*n_idle)++;
          if (ferry_analyzer_get_unit (analyzer, fk->child) == NULL)
            add_item (check, _("tables.break_cycles_at: %s is not migrated (its table is left out): ignored"),
                      preferred[i]);
          else
            add_item (check, _("tables.break_cycles_at: %s (%s → %s) is in no cycle: it stays in place"),
                      preferred[i], fk->child->display_name, fk->parent->display_name);
          break;

        case FERRY_PREFERRED_BREAK_BROKEN:
        default:
          break;
        }
    }
}

static void
check_fk_cycles (Run        *run,
                 FerryCheck *check)
{
  FerryAnalyzer *analyzer = run->self->analyzer;
  GPtrArray *cycles = ferry_analyzer_get_cycles (analyzer);
  GPtrArray *breaking = ferry_analyzer_get_breaking_edges (analyzer);
  gboolean rebuild = ferry_config_get_constraints (run->config) == FERRY_CONSTRAINT_STRATEGY_REBUILD;
  /* With schema: copy the foreign keys are created after the load, as
   * with rebuild: no cycle needs breaking. */
  gboolean created_after = !run->existing;
  guint n_cycles = cycles != NULL ? cycles->len : 0;
  guint n_chosen = 0;
  guint n_unknown, n_idle;

  for (guint i = 0; i < n_cycles; i++)
    {
      GPtrArray *cycle = g_ptr_array_index (cycles, i);
      g_autoptr(GString) item = g_string_new (NULL);
      g_autoptr(GHashTable) members = g_hash_table_new (NULL, NULL);
      guint n_breaking = 0;

      for (guint k = 0; k < cycle->len; k++)
        {
          FerryTable *table = g_ptr_array_index (cycle, k);
          g_hash_table_add (members, table);
          g_string_append_printf (item, "%s%s", k > 0 ? ", " : "", table->display_name);
        }

      for (guint k = 0; !rebuild && !created_after && breaking != NULL && k < breaking->len; k++)
        {
          FerryForeignKey *fk = g_ptr_array_index (breaking, k);
          gboolean chosen = ferry_analyzer_is_preferred_break (analyzer, fk);

          if (!g_hash_table_contains (members, ferry_analyzer_get_unit (analyzer, fk->child)) ||
              !g_hash_table_contains (members, ferry_analyzer_get_unit (analyzer, fk->parent)))
            continue;
          g_string_append (item, n_breaking++ == 0 ? _(" — broken at ") : ", ");
          g_string_append_printf (item, chosen ? _("%s (%s → %s, as configured)") : _("%s (%s → %s)"),
                                  fk->name, fk->child->display_name, fk->parent->display_name);
          n_chosen += chosen;
        }

      add_item (check, _("Cycle %u: %s"), i + 1, item->str);
    }

  check_preferred_breaks (run, check, &n_unknown, &n_idle);

  /* Choosing is worth offering where there is a choice to make, or a
   * list to correct. */
  if ((n_cycles > 0 && !rebuild && !created_after) || n_unknown + n_idle > 0)
    {
      g_autoptr(JsonNode) data = cycle_breaks_fix_data (analyzer);

      ferry_check_set_fix (check,
                           n_unknown + n_idle > 0
                           ? _("Correct or remove the names under tables.break_cycles_at that break "
                               "no cycle: in the app, press Choose… to choose again; or edit the "
                               "configuration file.")
                           : _("To break a cycle at other foreign keys: in the app, press Choose… "
                               "and check them; or list them in the configuration file as "
                               "tables: {break_cycles_at: [schema.table.constraint, …]}."),
                           FERRY_FIX_CHOOSE_CYCLE_BREAKS);
      ferry_check_set_fix_data (check, data);
    }

  if (n_unknown > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("tables.break_cycles_at lists the foreign keys to break cycles at, as "
                    "schema.table.constraint (the table that holds the key, without quotes, with "
                    "the case of the catalog). A name that matches no foreign key of the source is "
                    "most likely a typing error, or a key that was renamed or dropped; Ferry does "
                    "not break a cycle at a key it would have to guess."),
                  g_dngettext (GETTEXT_PACKAGE, "tables.break_cycles_at names %u foreign key the source does not have",
                                                "tables.break_cycles_at names %u foreign keys the source does not have", n_unknown),
                  n_unknown);
      return;
    }

  if (n_cycles == 0)
    {
      if (n_idle > 0)
        set_result (check, FERRY_CHECK_STATUS_WARNING,
                    _("The foreign keys between the selected tables form no cycle: Ferry loads "
                      "parents before children, level by level, with every foreign key in place. "
                      "The keys listed under tables.break_cycles_at are left in place too."),
                    _("No foreign-key cycles; tables.break_cycles_at is not needed"));
      else
        set_result (check, FERRY_CHECK_STATUS_PASS,
                    _("The foreign keys between the selected tables form no cycle: Ferry loads "
                      "parents before children, level by level, with every foreign key in place."),
                    _("No foreign-key cycles"));
      return;
    }

  if (created_after)
    {
      set_result (check, n_idle > 0 ? FERRY_CHECK_STATUS_WARNING : FERRY_CHECK_STATUS_PASS,
                  _("Some foreign keys form cycles, but with schema: copy Ferry creates every "
                    "foreign key on the target after the data of its tables is loaded, so the "
                    "cycles do not constrain the order of the load (and tables.break_cycles_at "
                    "has no effect)."),
                  g_dngettext (GETTEXT_PACKAGE, "%u foreign-key cycle; every foreign key is created after the load",
                                                "%u foreign-key cycles; every foreign key is created after the load", n_cycles),
                  n_cycles);
      return;
    }

  if (rebuild)
    {
      set_result (check, n_idle > 0 ? FERRY_CHECK_STATUS_WARNING : FERRY_CHECK_STATUS_PASS,
                  _("Some foreign keys form cycles, but with constraints: rebuild Ferry drops "
                    "every foreign key before the load and re-creates them afterwards, so the "
                    "cycles do not constrain the order of the load (and tables.break_cycles_at "
                    "has no effect)."),
                  g_dngettext (GETTEXT_PACKAGE, "%u foreign-key cycle; every foreign key is rebuilt anyway",
                                                "%u foreign-key cycles; every foreign key is rebuilt anyway", n_cycles),
                  n_cycles);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_WARNING,
              _("Tables whose foreign keys form a cycle cannot be loaded parents-first. Ferry "
                "breaks each cycle at the foreign keys listed: it drops them on the target "
                "before the load, records them in the journal, and re-adds them NOT VALID "
                "followed by VALIDATE CONSTRAINT once the tables are loaded. While they are "
                "dropped, the target does not enforce them. Unless told otherwise it breaks as "
                "few keys as it can, deferrable and nullable ones first; to choose, list keys "
                "under tables.break_cycles_at (schema.table.constraint): Ferry breaks those "
                "first and whatever cycles they leave at as few other keys as it can."),
              n_chosen > 0
              ? g_dngettext (GETTEXT_PACKAGE, "%u foreign-key cycle, broken at %u foreign key (%u as configured)",
                                              "%u foreign-key cycles, broken at %u foreign keys (%u as configured)", n_cycles)
              : g_dngettext (GETTEXT_PACKAGE, "%u foreign-key cycle, broken at %u foreign key",
                                              "%u foreign-key cycles, broken at %u foreign keys", n_cycles),
              n_cycles, breaking ? breaking->len : 0, n_chosen);
}

static void
check_self_references (Run        *run,
                       FerryCheck *check)
{
  GPtrArray *fks = ferry_analyzer_get_self_references (run->self->analyzer);
  guint n = fks ? fks->len : 0;

  for (guint i = 0; i < n; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);
      g_autofree char *columns = g_strjoinv (", ", fk->child_columns);

      add_item (check, _("%s: %s (%s), %s"), fk->child->display_name, fk->name, columns,
                fk_action_text (run->self->plan, fk));
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              n > 0
                ? _("A foreign key from a table to itself (a parent row in the same table, as in "
                    "a tree) does not affect the order of the tables. Within one COPY, PostgreSQL "
                    "checks the foreign key at the end of the statement, so the order of the rows "
                    "does not matter; across chunks, the plan handles each such key as listed.")
                : _("No selected table references itself."),
              g_dngettext (GETTEXT_PACKAGE, "%u self-referencing foreign key", "%u self-referencing foreign keys", n),
              n);
}

static void
check_excluded_references (Run        *run,
                           FerryCheck *check)
{
  GPtrArray *fks = ferry_analyzer_get_external_edges (run->self->analyzer);
  guint n = fks ? fks->len : 0;

  for (guint i = 0; i < n; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);
      add_item (check, _("%s → %s (%s)"), fk->child->display_name, fk->parent->display_name,
                fk->name);
    }

  if (n > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("These foreign keys point from a selected table to a table the filters leave "
                    "out. Ferry does not copy the referenced rows: they must already be on the "
                    "target, or the foreign key rejects the rows that reference them (and "
                    "validation fails when the key is re-added)."),
                  g_dngettext (GETTEXT_PACKAGE, "%u foreign key references a table that is not copied",
                                                "%u foreign keys reference tables that are not copied", n),
                  n);
      ferry_check_set_fix (check, _("Include the referenced tables, or make sure the target "
                                    "holds the referenced rows before the migration."), NULL);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Every foreign key of a selected table points to a table that is copied too."),
              _("No foreign key references an excluded table"));
}

static void
check_not_valid_constraints (Run        *run,
                             FerryCheck *check)
{
  static const char *sql =
    "SELECT u.i, con.conname, pg_catalog.pg_get_constraintdef(con.oid) "
    "FROM pg_catalog.unnest($1::pg_catalog.oid[]) WITH ORDINALITY AS u(o, i) "
    "JOIN pg_catalog.pg_constraint con ON con.conrelid = u.o "
    "WHERE con.contype = 'c' AND NOT con.convalidated "
    "ORDER BY u.i, con.conname";
  GPtrArray *fks = ferry_catalog_get_foreign_keys (run->source);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_fks = 0;
  guint n_checks = 0;

  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);

      if (fk->validated || !is_copied (fk->child))
        continue;
      n_fks++;
      add_item (check, _("%s: foreign key %s → %s"), fk->child->display_name, fk->name,
                fk->parent->display_name);
    }

  if (run->copied->len > 0)
    {
      if (!(result = query_tables (run->self->source, sql, run->copied, &error)))
        {
          set_result (check, FERRY_CHECK_STATUS_FAIL, NULL,
                      _("Could not read the constraints: %s"), error->message);
          return;
        }
      for (int row = 0; row < PQntuples (result); row++)
        {
          FerryTable *table = g_ptr_array_index (run->copied, pq_int (result, row, 0, 1) - 1);

          /* Partitions inherit their root's constraints: name them once. */
          if (table->kind == FERRY_TABLE_KIND_PARTITION)
            continue;
          n_checks++;
          add_item (check, _("%s: check %s, %s"), table->display_name,
                    pq_value (result, row, 1), pq_value (result, row, 2));
        }
    }

  if (n_fks + n_checks > 0)
    {
      set_result (check, FERRY_CHECK_STATUS_WARNING,
                  _("These constraints were added NOT VALID on the source and never validated: "
                    "rows that existed before may violate them. Ferry copies the rows as they "
                    "are; where the target enforces such a constraint (a validated copy of it on "
                    "an existing target, or a VALIDATE after the load) those rows make the load "
                    "or the validation fail. Find them on the source first with ALTER TABLE … "
                    "VALIDATE CONSTRAINT, which fails on the first violating row."),
                  g_dngettext (GETTEXT_PACKAGE, "%u constraint on the source is NOT VALID",
                                                "%u constraints on the source are NOT VALID", n_fks + n_checks),
                  n_fks + n_checks);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("Every foreign key and check constraint of the selected tables is validated on "
                "the source: the rows satisfy them."),
              _("Every constraint is validated"));
}

/* Capacity */

/* Ferry holds one connection per worker and the coordinator's on each
 * server, and on the source also the one that keeps the exported
 * snapshot open (ferry-coordinator.c). @extra: the connections besides
 * the workers'. */
static void
check_connection_capacity (Run             *run,
                           FerryCheck      *check,
                           FerryConnection *connection,
                           ServerInfo      *info,
                           int              extra)
{
  guint workers = ferry_config_get_max_parallel (run->config);
  int need = workers + extra;
  /* What this role may still open, plus the connection this check holds
   * (it is closed before the migration starts). */
  int server_free = info->max_connections - info->reserved - info->in_use + 1;
  int have = server_free;
  const char *limit_by = _("max_connections");

  add_item (check, _("max_connections %d, %d in use, %d reserved for superusers"),
            info->max_connections, info->in_use, info->reserved);

  if (info->db_limit >= 0)
    {
      int db_free = info->db_limit - info->db_in_use + 1;
      add_item (check, _("database connection limit %d, %d in use"), info->db_limit, info->db_in_use);
      if (db_free < have)
        {
          have = db_free;
          limit_by = _("the database's CONNECTION LIMIT");
        }
    }
  if (info->role_limit >= 0)
    {
      int role_free = info->role_limit - info->role_in_use + 1;
      add_item (check, _("role connection limit %d, %d in use"), info->role_limit, info->role_in_use);
      if (role_free < have)
        {
          have = role_free;
          limit_by = _("the role's CONNECTION LIMIT");
        }
    }
  have = MAX (have, 0);

  if (have < need)
    {
      g_autofree char *fix =
        g_strdup_printf (_("Lower max_parallel to %d or less, or raise the limit (%s) on the %s, "
                           "or close other connections."),
                         MAX (have - extra, 1), limit_by, ferry_connection_get_label (connection));

      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("For the whole migration Ferry holds one connection per worker "
                    "(max_parallel) and one for the coordinator on each server, and on the "
                    "source one more that keeps the snapshot every worker reads. When the server "
                    "refuses a connection, workers fail and retry instead of copying."),
                  _("Ferry needs %d connections to the %s but only %d are free (limited by %s)"),
                  need, ferry_connection_get_label (connection), have, limit_by);
      ferry_check_set_fix (check, fix, NULL);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              _("For the whole migration Ferry holds one connection per worker "
                "(max_parallel) and one for the coordinator on each server, and on the source "
                "one more that keeps the snapshot every worker reads; the server has room for "
                "them, counting the connections in use now."),
              _("Ferry needs %d connections to the %s; %d are free"),
              need, ferry_connection_get_label (connection), have);
}

static void
check_source_connections (Run        *run,
                          FerryCheck *check)
{
  check_connection_capacity (run, check, run->self->source, &run->self->source_info,
                             FERRY_CONFIG_POOL_OVERHEAD);
}

static void
check_target_connections (Run        *run,
                          FerryCheck *check)
{
  check_connection_capacity (run, check, run->self->target, &run->self->target_info,
                             FERRY_CONFIG_POOL_OVERHEAD - 1);
}

static void
check_connection_pool (Run        *run,
                       FerryCheck *check)
{
  guint workers = ferry_config_get_max_parallel (run->config);
  guint pool = ferry_config_get_connection_pool_size (run->config);
  guint n_chunks = ferry_plan_get_chunks (run->self->plan)->len;

  add_item (check, _("max_parallel: %u"), workers);
  add_item (check, _("connection_pool_size: %u"), pool);

  if (pool < workers + FERRY_CONFIG_POOL_OVERHEAD)
    {
      guint needed = workers + FERRY_CONFIG_POOL_OVERHEAD;
      g_autofree char *fix =
        pool > FERRY_CONFIG_POOL_OVERHEAD
        ? g_strdup_printf (_("Set database.connection_pool_size to at least %u, or "
                             "migration.max_parallel to at most %u."),
                           needed, pool - FERRY_CONFIG_POOL_OVERHEAD)
        : g_strdup_printf (_("Set database.connection_pool_size to at least %u."), needed);

      set_result (check, FERRY_CHECK_STATUS_FAIL,
                  _("connection_pool_size caps the connections Ferry opens to each server. On "
                    "the source it holds one per worker, one for the coordinator and one that "
                    "keeps the snapshot every worker reads, so the pool must be at least "
                    "max_parallel + 2 (the target needs one fewer). The configuration is "
                    "rejected when the migration starts."),
                  _("database.connection_pool_size %u is less than migration.max_parallel %u + 2 = %u"),
                  pool, workers, needed);
      ferry_check_set_fix (check, fix, NULL);
      return;
    }

  set_result (check, FERRY_CHECK_STATUS_PASS,
              workers > n_chunks && n_chunks > 0
                ? _("The connection pool has room for every worker, the coordinator and the "
                    "snapshot. The plan has fewer chunks than workers, so not every worker will "
                    "have work.")
                : _("The connection pool has room for every worker, the coordinator and the "
                    "snapshot."),
              _("%u workers, pool of %u connections per server"), workers, pool);
}

static guint
effective_workers (Run *run)
{
  guint workers = MAX (ferry_config_get_max_parallel (run->config), 1);
  guint n_chunks = ferry_plan_get_chunks (run->self->plan)->len;

  return MAX (MIN (workers, n_chunks), 1);
}

static void
check_estimated_duration (Run        *run,
                          FerryCheck *check)
{
  FerryPlan *plan = run->self->plan;
  guint64 bytes = ferry_plan_get_total_bytes (plan);
  gint64 rows = ferry_plan_get_total_rows (plan);
  guint n_chunks = ferry_plan_get_chunks (plan)->len;
  guint workers = effective_workers (run);
  guint64 seconds = bytes / (ASSUMED_BYTES_PER_SECOND_PER_WORKER * workers);
  g_autofree char *size = ferry_format_size (bytes);
  g_autofree char *duration = format_duration (seconds);
  g_autofree char *explanation = NULL;

  add_item (check, g_dngettext (GETTEXT_PACKAGE, "%u table to copy", "%u tables to copy", ferry_plan_get_n_tables (plan)),
            ferry_plan_get_n_tables (plan));
  add_item (check, _("%s of table data (heap and TOAST, without indexes)"), size);
  add_item (check, _("about %" PRId64 " rows (from the statistics)"), rows);
  add_item (check, g_dngettext (GETTEXT_PACKAGE, "%u chunk", "%u chunks", n_chunks), n_chunks);

  explanation = g_strdup_printf (_("An estimate, not a promise: it assumes that each worker "
                                   "moves about %u MB/s, with %u workers at once, and counts "
                                   "neither index builds, nor the validation, nor time spent "
                                   "waiting for parent tables. Row counts come from the "
                                   "statistics (ANALYZE); tables never analyzed count as empty."),
                                 ASSUMED_MB_PER_SECOND_PER_WORKER, workers);
  set_result (check, FERRY_CHECK_STATUS_PASS, explanation,
              _("%s in %u chunks: %s with %u workers"), size, n_chunks, duration, workers);
}

static void
check_largest_chunk (Run        *run,
                     FerryCheck *check)
{
  GPtrArray *chunks = ferry_plan_get_chunks (run->self->plan);
  guint limit = ferry_config_get_timeout_seconds (run->config);
  FerryChunk *largest = NULL;
  double seconds;
  g_autofree char *size = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *explanation = NULL;

  for (guint i = 0; i < chunks->len; i++)
    {
      FerryChunk *chunk = g_ptr_array_index (chunks, i);
      if (largest == NULL || chunk->est_bytes > largest->est_bytes)
        largest = chunk;
    }

  if (largest == NULL)
    {
      set_result (check, FERRY_CHECK_STATUS_PASS, NULL, _("No chunks to copy"));
      return;
    }

  seconds = (double)largest->est_bytes / ASSUMED_BYTES_PER_SECOND_PER_WORKER;
  size = ferry_format_size (largest->est_bytes);
  duration = format_duration ((guint64)seconds);
  add_item (check, _("%s, chunk %u of %u: %s"), largest->heap->display_name,
            largest->number, largest->n_chunks, size);

  if (seconds > limit)
    {
      explanation =
        g_strdup_printf (_("At an assumed %u MB/s per worker, this chunk takes longer than "
                           "timeout_seconds (%u s). A chunk that runs over it is cancelled, split "
                           "and retried, and the work done so far is lost; a chunk that cannot "
                           "be split (a table without a usable key, read in one piece) runs into "
                           "the limit again. Raise timeout_seconds, or lower chunk_size so that "
                           "large tables are split further."),
                         ASSUMED_MB_PER_SECOND_PER_WORKER, limit);
      set_result (check, FERRY_CHECK_STATUS_WARNING, explanation,
                  _("The largest chunk (%s) may take %s, more than timeout_seconds (%u s)"),
                  size, duration, limit);
      return;
    }

  explanation =
    g_strdup_printf (_("At an assumed %u MB/s per worker, the largest chunk finishes within "
                       "timeout_seconds (%u s); a chunk that ran over it would be cancelled, "
                       "split and retried."),
                     ASSUMED_MB_PER_SECOND_PER_WORKER, limit);
  set_result (check, FERRY_CHECK_STATUS_PASS, explanation,
              _("The largest chunk (%s) takes %s"), size, duration);
}

/* The checks, in the order they are shown. The titles say what a
 * passed check means. */
static const struct {
  const char      *id;
  FerryCheckGroup  group;
  const char      *title;
  guint            needs;
  CheckFunc        func;
} check_defs[] = {
  { "source-reachable", FERRY_CHECK_GROUP_CONNECTIVITY, N_("Source is reachable"), NEEDS_SOURCE, check_source_reachable },
  { "target-reachable", FERRY_CHECK_GROUP_CONNECTIVITY, N_("Target is reachable"), NEEDS_SOURCE, check_target_reachable },
  { "distinct-databases", FERRY_CHECK_GROUP_CONNECTIVITY, N_("Source and target are different databases"), NEEDS_SOURCE | NEEDS_TARGET, check_distinct_databases },
  { "server-versions", FERRY_CHECK_GROUP_CONNECTIVITY, N_("Server versions are supported"), NEEDS_SOURCE | NEEDS_TARGET, check_server_versions },
  { "encodings", FERRY_CHECK_GROUP_CONNECTIVITY, N_("Encodings are compatible"), NEEDS_SOURCE | NEEDS_TARGET, check_encodings },
  { "collations", FERRY_CHECK_GROUP_CONNECTIVITY, N_("Collations match"), NEEDS_SOURCE | NEEDS_TARGET, check_collations },

  { "source-select-privilege", FERRY_CHECK_GROUP_PRIVILEGES, N_("Source tables can be read"), NEEDS_SOURCE, check_source_select },
  { "source-row-level-security", FERRY_CHECK_GROUP_PRIVILEGES, N_("Row-level security hides no rows"), NEEDS_SOURCE, check_source_rls },
  { "target-write-privileges", FERRY_CHECK_GROUP_PRIVILEGES, N_("Privileges on the target tables"), NEEDS_SOURCE | NEEDS_TARGET, check_target_write },
  { "target-table-ownership", FERRY_CHECK_GROUP_PRIVILEGES, N_("Target tables the plan alters are owned"), NEEDS_SOURCE | NEEDS_TARGET, check_target_ownership },
  { "journal-schema", FERRY_CHECK_GROUP_PRIVILEGES, N_("Journal schema is usable"), NEEDS_SOURCE | NEEDS_TARGET, check_journal_schema },
  { "sequences", FERRY_CHECK_GROUP_PRIVILEGES, N_("Sequences can be carried over"), NEEDS_SOURCE | NEEDS_TARGET, check_sequences },

  { "table-selection", FERRY_CHECK_GROUP_SCHEMA, N_("Tables are selected"), NEEDS_SOURCE, check_table_selection },
  { "target-tables-exist", FERRY_CHECK_GROUP_SCHEMA, N_("Tables exist on the target"), NEEDS_SOURCE | NEEDS_TARGET, check_target_tables_exist },
  { "column-compatibility", FERRY_CHECK_GROUP_SCHEMA, N_("Columns are compatible"), NEEDS_SOURCE | NEEDS_TARGET, check_column_compatibility },
  { "target-partitioning", FERRY_CHECK_GROUP_SCHEMA, N_("Partitioning matches"), NEEDS_SOURCE | NEEDS_TARGET, check_target_partitioning },
  { "schema-copy-target", FERRY_CHECK_GROUP_SCHEMA, N_("Target is ready for the schema copy"), NEEDS_SOURCE | NEEDS_TARGET, check_schema_copy_target },
  { "extensions", FERRY_CHECK_GROUP_SCHEMA, N_("Extensions are installed on the target"), NEEDS_SOURCE | NEEDS_TARGET, check_extensions },
  { "extension-tables", FERRY_CHECK_GROUP_SCHEMA, N_("Tables owned by extensions"), NEEDS_SOURCE, check_extension_tables },

  { "target-tables-empty", FERRY_CHECK_GROUP_DATA, N_("Target tables are empty"), NEEDS_SOURCE | NEEDS_TARGET, check_target_tables_empty },
  { "primary-keys", FERRY_CHECK_GROUP_DATA, N_("Tables have primary keys"), NEEDS_SOURCE, check_primary_keys },
  { "generated-columns", FERRY_CHECK_GROUP_DATA, N_("Generated columns"), NEEDS_SOURCE, check_generated_columns },
  { "identity-columns", FERRY_CHECK_GROUP_DATA, N_("Identity columns"), NEEDS_SOURCE, check_identity_columns },
  { "large-objects", FERRY_CHECK_GROUP_DATA, N_("Large objects"), NEEDS_SOURCE, check_large_objects },
  { "unlogged-tables", FERRY_CHECK_GROUP_DATA, N_("Unlogged tables"), NEEDS_SOURCE, check_unlogged_tables },
  { "binary-copy-types", FERRY_CHECK_GROUP_DATA, N_("Column types suit the COPY format"), NEEDS_SOURCE, check_binary_copy_types },
  { "target-triggers", FERRY_CHECK_GROUP_DATA, N_("Triggers on the target tables"), NEEDS_SOURCE | NEEDS_TARGET, check_target_triggers },

  { "fk-cycles", FERRY_CHECK_GROUP_DEPENDENCIES, N_("Foreign-key cycles"), NEEDS_SOURCE, check_fk_cycles },
  { "self-references", FERRY_CHECK_GROUP_DEPENDENCIES, N_("Self-referencing tables"), NEEDS_SOURCE, check_self_references },
  { "excluded-references", FERRY_CHECK_GROUP_DEPENDENCIES, N_("References to excluded tables"), NEEDS_SOURCE, check_excluded_references },
  { "not-valid-constraints", FERRY_CHECK_GROUP_DEPENDENCIES, N_("Constraints are validated"), NEEDS_SOURCE, check_not_valid_constraints },

  { "source-connection-capacity", FERRY_CHECK_GROUP_CAPACITY, N_("Source has free connections"), NEEDS_SOURCE, check_source_connections },
  { "target-connection-capacity", FERRY_CHECK_GROUP_CAPACITY, N_("Target has free connections"), NEEDS_SOURCE | NEEDS_TARGET, check_target_connections },
  { "connection-pool", FERRY_CHECK_GROUP_CAPACITY, N_("Connection pool fits the workers"), NEEDS_SOURCE, check_connection_pool },
  { "estimated-duration", FERRY_CHECK_GROUP_CAPACITY, N_("Estimated size and duration"), NEEDS_SOURCE, check_estimated_duration },
  { "largest-chunk", FERRY_CHECK_GROUP_CAPACITY, N_("Largest chunk fits the time limit"), NEEDS_SOURCE, check_largest_chunk },
};

static void
run_clear (Run *run)
{
  if (run->pairs != NULL)
    for (guint i = 0; i < run->pairs->len; i++)
      g_free (pair_at (run, i)->owner);
  g_clear_pointer (&run->pairs, g_array_unref);
  g_clear_pointer (&run->pair_index, g_hash_table_unref);
  g_clear_pointer (&run->copied, g_ptr_array_unref);
}

static Outcome *
compute (FerryValidator  *self,
         GCancellable    *cancellable,
         GError         **error)
{
  g_autoptr(Outcome) outcome = g_new0 (Outcome, 1);
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };
  gboolean source_ok;
  gboolean target_ok;

  outcome->checks = g_ptr_array_new_with_free_func (g_object_unref);

  if (!self->fresh && !ferry_validator_prepare (self, cancellable, &local_error))
    {
      /* A source that cannot be read is the first failed check; any
       * other failure (cancellation, the analysis) is the run's. */
      if (self->source_error == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  self->fresh = FALSE;

  source_ok = self->prepared;
  target_ok = source_ok && self->target_error == NULL && self->target_catalog != NULL;

  run.self = self;
  run.config = self->config;
  run.source = self->source_catalog;
  run.target = target_ok ? self->target_catalog : NULL;
  run.cancellable = cancellable;
  run.outcome = outcome;
  run.existing = ferry_config_get_schema_mode (self->config) == FERRY_SCHEMA_MODE_EXISTING;

  if (source_ok)
    {
      GPtrArray *tables = ferry_catalog_get_tables (run.source);

      run.copied = g_ptr_array_new ();
      run.pairs = g_array_new (FALSE, TRUE, sizeof (Pair));
      run.pair_index = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < tables->len; i++)
        {
          FerryTable *table = g_ptr_array_index (tables, i);
          Pair pair = { 0 };

          if (!is_copied (table))
            continue;
          pair.source = table;
          if (run.target != NULL)
            pair.target = ferry_catalog_lookup (run.target, table->schema, table->name);
          if (pair.target != NULL)
            run.n_on_target++;
          if (table->kind != FERRY_TABLE_KIND_PARTITION)
            run.n_units++;
          g_ptr_array_add (run.copied, table);
          g_array_append_val (run.pairs, pair);
          g_hash_table_insert (run.pair_index, table, GUINT_TO_POINTER (run.pairs->len));
        }

      if (target_ok && !load_target_privileges (&run, &local_error))
        {
          /* The target answered a moment ago; treat this like losing it. */
          g_clear_error (&self->target_error);
          self->target_error = g_steal_pointer (&local_error);
          target_ok = FALSE;
          run.target = NULL;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (check_defs); i++)
    {
      FerryCheck *check = ferry_check_new (check_defs[i].id, check_defs[i].group,
                                           _(check_defs[i].title));

      g_ptr_array_add (outcome->checks, check);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          run_clear (&run);
          return NULL;
        }

      if (!source_ok)
        {
          if (i == 0)
            fail_source_reachable (self, check);
          else
            ferry_check_set_result (check, FERRY_CHECK_STATUS_SKIPPED,
                                    _("Skipped: the source could not be read"),
                                    _("This check needs the source's catalog. It runs once the "
                                      "source can be reached and read (see “Source is "
                                      "reachable”)."));
          continue;
        }

      if ((check_defs[i].needs & NEEDS_TARGET) && !target_ok)
        {
          ferry_check_set_result (check, FERRY_CHECK_STATUS_SKIPPED,
                                  _("Skipped: the target could not be reached"),
                                  _("This check needs to read the target database. It runs once "
                                    "the target can be reached (see “Target is reachable”)."));
          continue;
        }

      check_defs[i].func (&run, check);
    }

  run_clear (&run);
  return g_steal_pointer (&outcome);
}

static void
publish (FerryValidator *self,
         Outcome        *outcome)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->checks));

  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < outcome->checks->len; i++)
    {
      FerryCheck *check = g_ptr_array_index (outcome->checks, i);
      g_hash_table_insert (self->by_id, (gpointer)ferry_check_get_id (check), check);
    }

  g_list_store_splice (self->checks, 0, n_old, outcome->checks->pdata, outcome->checks->len);

  g_clear_pointer (&self->outcome, outcome_free);
  self->outcome = outcome;
}

/**
 * ferry_validator_run:
 *
 * Prepares again (so that the checks see the servers as they are now)
 * and runs every check. The checks replace the previous ones in
 * ferry_validator_get_checks(). Blocks: use a thread or
 * ferry_validator_run_async().
 *
 * Returns: %FALSE only on cancellation or an internal failure
 */
gboolean
ferry_validator_run (FerryValidator  *self,
                     GCancellable    *cancellable,
                     GError         **error)
{
  Outcome *outcome;

  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), FALSE);

  if (!g_atomic_int_compare_and_exchange (&self->running, FALSE, TRUE))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_STATE,
                           _("The readiness checks are already running"));
      return FALSE;
    }

  outcome = compute (self, cancellable, error);
  g_atomic_int_set (&self->running, FALSE);

  if (outcome == NULL)
    return FALSE;

  publish (self, outcome);
  return TRUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  FerryValidator *self = source_object;
  GError *error = NULL;
  Outcome *outcome;

  outcome = compute (self, cancellable, &error);
  g_atomic_int_set (&self->running, FALSE);
  if (outcome == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, outcome, (GDestroyNotify)outcome_free);
}

/**
 * ferry_validator_run_async:
 *
 * Runs ferry_validator_run() in a worker thread. Until @callback runs,
 * do not use the validator's connections, catalogs or plan. The checks
 * are published (ferry_validator_get_checks() changes) in
 * ferry_validator_run_finish(), in the caller's main context.
 */
void
ferry_validator_run_async (FerryValidator      *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_VALIDATOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_validator_run_async);
  g_task_set_name (task, "[ferry] readiness checks");
  g_task_set_return_on_cancel (task, FALSE);

  if (!g_atomic_int_compare_and_exchange (&self->running, FALSE, TRUE))
    {
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_STATE,
                               _("The readiness checks are already running"));
      return;
    }

  g_task_run_in_thread (task, run_thread);
}

gboolean
ferry_validator_run_finish (FerryValidator  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  Outcome *outcome;

  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ferry_validator_run_async, FALSE);

  outcome = g_task_propagate_pointer (G_TASK (result), error);
  if (outcome == NULL)
    return FALSE;

  publish (self, outcome);
  return TRUE;
}

/* Fixes */

static char *
find_pg_dump (int server_version)
{
  int major = server_version / 10000;
  const char *env = g_getenv ("FERRY_PG_DUMP");
  char *path;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  /* Debian and Ubuntu keep one directory per major version; pg_dump must
   * be at least as new as the server it dumps. Prefer the same major. */
  for (int v = major; v < major + 10; v++)
    {
      path = g_strdup_printf ("/usr/lib/postgresql/%d/bin/pg_dump", v);
      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return path;
      g_free (path);
    }

  return g_find_program_in_path ("pg_dump");
}

/* pg_dump since 17.6, 16.10, 15.14 … wraps its output in psql's
 * \restrict … \unrestrict: drop those two lines, which only psql knows. */
static char *
strip_restrict (const char *script)
{
  g_auto(GStrv) lines = g_strsplit (script, "\n", -1);
  GString *out = g_string_sized_new (strlen (script));
  guint n = g_strv_length (lines);
  int first = -1, last = -1;

  for (guint i = 0; i < n; i++)
    if (first < 0 && g_str_has_prefix (lines[i], "\\restrict "))
      first = i;
  for (int i = n - 1; i >= 0; i--)
    if (last < 0 && g_str_has_prefix (lines[i], "\\unrestrict "))
      last = i;

  for (guint i = 0; i < n; i++)
    {
      if ((int)i == first || (int)i == last)
        continue;
      g_string_append (out, lines[i]);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* Appends pg_dump's schema of the tables the copy-schema fix creates. */
static gboolean
append_pg_dump (FerryValidator  *self,
                GString         *script,
                GCancellable    *cancellable,
                GError         **error)
{
  Outcome *outcome = self->outcome;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *pg_dump = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *stripped = NULL;

  pg_dump = find_pg_dump (ferry_catalog_get_server_version (self->source_catalog));
  if (pg_dump == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                   _("pg_dump was not found (install the PostgreSQL client of the source's "
                     "version, or set FERRY_PG_DUMP)"));
      return FALSE;
    }

  g_ptr_array_add (argv, g_strdup (pg_dump));
  g_ptr_array_add (argv, g_strdup ("--schema-only"));
  g_ptr_array_add (argv, g_strdup ("--no-owner"));
  g_ptr_array_add (argv, g_strdup ("--no-privileges"));
  g_ptr_array_add (argv, g_strdup ("--no-publications"));
  g_ptr_array_add (argv, g_strdup ("--no-subscriptions"));
  if (outcome->copy_whole)
    {
      g_autofree char *journal = ferry_quote_ident (ferry_config_get_journal_schema (self->config));

      g_ptr_array_add (argv, g_strdup_printf ("--exclude-schema=%s", journal));
      for (guint i = 0; outcome->copy_exclude && outcome->copy_exclude[i]; i++)
        g_ptr_array_add (argv, g_strdup_printf ("--exclude-table=%s", outcome->copy_exclude[i]));
    }
  else
    {
      for (guint i = 0; outcome->copy_schemas[i]; i++)
        {
          g_autofree char *schema = ferry_quote_ident (outcome->copy_schemas[i]);
          g_string_append_printf (script, "CREATE SCHEMA IF NOT EXISTS %s;\n", schema);
        }
      /* Quoted names are patterns that match exactly that name. */
      for (guint i = 0; outcome->copy_tables[i]; i++)
        g_ptr_array_add (argv, g_strdup_printf ("--table=%s", outcome->copy_tables[i]));
    }
  /* The conninfo holds no password (the configuration refuses one): that
   * comes from ~/.pgpass or the environment, as for Ferry itself. */
  g_ptr_array_add (argv, g_strdup_printf ("--dbname=%s", ferry_connection_get_conninfo (self->source)));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               error);
  if (process == NULL)
    return FALSE;

  if (!g_subprocess_communicate_utf8 (process, NULL, cancellable, &out, &err, error))
    return FALSE;

  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   _("pg_dump failed: %s"), err ? g_strstrip (err) : _("no message"));
      return FALSE;
    }

  stripped = strip_restrict (out);
  g_string_append (script, stripped);
  return TRUE;
}

static gboolean
apply_copy_schema (FerryValidator  *self,
                   GCancellable    *cancellable,
                   GError         **error)
{
  Outcome *outcome = self->outcome;
  g_autoptr(GString) script = g_string_new ("BEGIN;\n");
  g_autoptr(FerryConnection) connection = NULL;

  if ((outcome->copy_whole || g_strv_length (outcome->copy_tables) > 0) &&
      !append_pg_dump (self, script, cancellable, error))
    return FALSE;

  /* After pg_dump's script, which empties search_path: the names are
   * qualified. */
  if (outcome->copy_partitions_sql != NULL)
    g_string_append_printf (script, "\n%s", outcome->copy_partitions_sql);
  g_string_append (script, "\nCOMMIT;\n");

  /* A connection of its own: pg_dump's script changes session settings. */
  connection = ferry_connection_new (ferry_connection_get_conninfo (self->target), _("target"));
  if (!ferry_connection_open (connection, ferry_config_get_connect_timeout (self->config), 0,
                              cancellable, error))
    return FALSE;

  if (!ferry_connection_exec (connection, script->str, error))
    {
      g_prefix_error (error, _("Could not create the schema on the target: "));
      return FALSE;
    }

  return TRUE;
}

static gboolean
apply_sql (FerryValidator  *self,
           const char      *sql,
           GError         **error)
{
  g_autofree char *script = g_strdup_printf ("BEGIN;\n%s;\nCOMMIT;", sql);

  if (!ferry_connection_exec (self->target, script, error))
    {
      ferry_connection_exec (self->target, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

/**
 * ferry_validator_apply_fix:
 * @fix_id: a FERRY_FIX_* that a check of the last run offered
 *
 * Carries out the fix on the target, as the target role. The checks are
 * not re-run: call ferry_validator_run() to see the effect. Blocks.
 */
gboolean
ferry_validator_apply_fix (FerryValidator  *self,
                           const char      *fix_id,
                           GCancellable    *cancellable,
                           GError         **error)
{
  gboolean offered = FALSE;
  gboolean ok;

  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), FALSE);
  g_return_val_if_fail (fix_id != NULL, FALSE);

  if (self->outcome != NULL)
    for (guint i = 0; i < self->outcome->checks->len; i++)
      if (g_strcmp0 (ferry_check_get_fix_id (g_ptr_array_index (self->outcome->checks, i)), fix_id) == 0)
        offered = TRUE;

  if (!offered)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_STATE,
                   _("No check of the last run offers the fix “%s”; run the checks first"), fix_id);
      return FALSE;
    }

  /* It changes the configuration, not the target, and needs a choice. */
  if (g_str_equal (fix_id, FERRY_FIX_CHOOSE_CYCLE_BREAKS))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_STATE,
                           _("Choose the foreign keys to break the cycles at first "
                             "(ferry_validator_apply_cycle_breaks())"));
      return FALSE;
    }

  if (self->target == NULL || !ferry_connection_is_open (self->target))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                           _("The target is not connected"));
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (g_str_equal (fix_id, FERRY_FIX_CREATE_JOURNAL_SCHEMA))
    ok = apply_sql (self, self->outcome->journal_sql, error);
  else if (g_str_equal (fix_id, FERRY_FIX_TRUNCATE_TARGET))
    ok = apply_sql (self, self->outcome->truncate_sql, error);
  else if (g_str_equal (fix_id, FERRY_FIX_CREATE_EXTENSIONS))
    ok = apply_sql (self, self->outcome->extensions_sql, error);
  else if (g_str_equal (fix_id, FERRY_FIX_COPY_SCHEMA))
    ok = apply_copy_schema (self, cancellable, error);
  else
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, _("Unknown fix “%s”"), fix_id);
      return FALSE;
    }

  if (!ok)
    g_prefix_error (error, _("Could not apply the fix: "));

  /* The target changed: the next run reads it again. */
  self->fresh = FALSE;
  return ok;
}

/**
 * ferry_validator_apply_cycle_breaks:
 * @foreign_keys: (nullable): the foreign keys to break cycles at, as
 *   "schema.table.constraint"; none to let Ferry choose
 * @error: a FERRY_ERROR_NOT_FOUND error naming a key that lies in no
 *   cycle of the last analysis
 *
 * The fix FERRY_FIX_CHOOSE_CYCLE_BREAKS: sets tables.break_cycles_at of
 * the validator's configuration to @foreign_keys, each of which must be
 * a key between the tables of one cycle (one of those the check's fix
 * data lists). Nothing changes on the servers; the next run (or
 * prepare) analyses the cycles again with the new choice.
 */
gboolean
ferry_validator_apply_cycle_breaks (FerryValidator      *self,
                                    const char * const  *foreign_keys,
                                    GError             **error)
{
  GPtrArray *cycles;
  g_autoptr(GPtrArray) candidates = NULL;

  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->analyzer == NULL || !ferry_analyzer_is_analyzed (self->analyzer))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_STATE,
                           _("The cycles are not known yet; run the checks first"));
      return FALSE;
    }

  cycles = ferry_analyzer_get_cycles (self->analyzer);
  candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < cycles->len; i++)
    g_ptr_array_add (candidates, ferry_analyzer_dup_cycle_foreign_keys (self->analyzer, i));

  for (guint n = 0; foreign_keys != NULL && foreign_keys[n] != NULL; n++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean found = FALSE;

      if (!ferry_config_check_foreign_key (foreign_keys[n], &local_error))
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG, "tables.break_cycles_at: %s",
                       local_error->message);
          return FALSE;
        }

      for (guint i = 0; i < candidates->len && !found; i++)
        {
          GPtrArray *fks = g_ptr_array_index (candidates, i);

          for (guint k = 0; k < fks->len && !found; k++)
            found = ferry_foreign_key_has_path (g_ptr_array_index (fks, k), foreign_keys[n]);
        }

      if (!found)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                       _("%s is not a foreign key between the tables of a cycle"), foreign_keys[n]);
          return FALSE;
        }
    }

  ferry_config_set_break_cycles_at (self->config, foreign_keys);
  /* The analysis must be made again with the new choice. */
  self->fresh = FALSE;
  return TRUE;
}

/* Results */

GListModel *
ferry_validator_get_checks (FerryValidator *self)
{
  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), NULL);
  return G_LIST_MODEL (self->checks);
}

FerryCheck *
ferry_validator_lookup_check (FerryValidator *self,
                              const char     *id)
{
  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return g_hash_table_lookup (self->by_id, id);
}

guint
ferry_validator_count (FerryValidator   *self,
                       FerryCheckStatus  status)
{
  guint n = 0;

  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), 0);

  for (guint i = 0; self->outcome != NULL && i < self->outcome->checks->len; i++)
    if (ferry_check_get_status (g_ptr_array_index (self->outcome->checks, i)) == status)
      n++;
  return n;
}

/**
 * ferry_validator_get_score:
 *
 * The share of the checks that ran and passed, in percent:
 * passed / (passed + warnings + failed) × 100. Skipped checks count
 * neither way; a warning counts as not passed. 0 before a run.
 */
double
ferry_validator_get_score (FerryValidator *self)
{
  guint passed, total;

  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), 0.0);

  passed = ferry_validator_count (self, FERRY_CHECK_STATUS_PASS);
  total = passed +
          ferry_validator_count (self, FERRY_CHECK_STATUS_WARNING) +
          ferry_validator_count (self, FERRY_CHECK_STATUS_FAIL);
  return total > 0 ? 100.0 * passed / total : 0.0;
}

/**
 * ferry_validator_is_ready:
 *
 * %TRUE when the checks have run and none failed (warnings allowed).
 */
gboolean
ferry_validator_is_ready (FerryValidator *self)
{
  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), FALSE);

  return self->outcome != NULL && self->outcome->checks->len > 0 &&
         ferry_validator_count (self, FERRY_CHECK_STATUS_FAIL) == 0;
}

FerryConnection *
ferry_validator_get_source (FerryValidator *self)
{
  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), NULL);
  return self->source;
}

FerryConnection *
ferry_validator_get_target (FerryValidator *self)
{
  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), NULL);
  return self->target;
}

FerryCatalog *
ferry_validator_get_source_catalog (FerryValidator *self)
{
  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), NULL);
  return self->source_catalog;
}

/* NULL when the target could not be reached or read. */
FerryCatalog *
ferry_validator_get_target_catalog (FerryValidator *self)
{
  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), NULL);
  return self->target_catalog;
}

FerryAnalyzer *
ferry_validator_get_analyzer (FerryValidator *self)
{
  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), NULL);
  return self->analyzer;
}

FerryPlan *
ferry_validator_get_plan (FerryValidator *self)
{
  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), NULL);
  return self->plan;
}

static void
add_server_json (JsonBuilder     *builder,
                 const char      *name,
                 FerryConnection *connection,
                 const char      *conninfo,
                 FerryCatalog    *catalog,
                 const GError    *error)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "display");
  if (connection != NULL)
    json_builder_add_string_value (builder, ferry_connection_get_display_name (connection));
  else
    {
      g_autofree char *masked = ferry_conninfo_mask (conninfo);
      json_builder_add_string_value (builder, masked);
    }

  json_builder_set_member_name (builder, "reachable");
  json_builder_add_boolean_value (builder, catalog != NULL);

  if (catalog != NULL)
    {
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, ferry_connection_get_server_version_string (connection));
      json_builder_set_member_name (builder, "version_num");
      json_builder_add_int_value (builder, ferry_catalog_get_server_version (catalog));
      json_builder_set_member_name (builder, "encoding");
      json_builder_add_string_value (builder, ferry_catalog_get_encoding (catalog));
      json_builder_set_member_name (builder, "database");
      json_builder_add_string_value (builder, ferry_catalog_get_database (catalog));
      json_builder_set_member_name (builder, "size_bytes");
      json_builder_add_int_value (builder, ferry_catalog_get_database_size (catalog));
    }
  if (error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error->message);
    }

  json_builder_end_object (builder);
}

/**
 * ferry_validator_to_json:
 *
 * {"format_version": 1, "ready", "score", "source": {display, reachable,
 * version, version_num, encoding, database, size_bytes[, error]},
 * "target": {…}, "checks": [ferry_check_to_json() …],
 * "counts": {pass, warning, fail, skipped}}. Connection strings are
 * masked.
 */
JsonNode *
ferry_validator_to_json (FerryValidator *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (FERRY_IS_VALIDATOR (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "ready");
  json_builder_add_boolean_value (builder, ferry_validator_is_ready (self));
  json_builder_set_member_name (builder, "score");
  json_builder_add_double_value (builder, ferry_validator_get_score (self));

  add_server_json (builder, "source", self->source, ferry_config_get_source (self->config),
                   self->source_catalog, self->source_error);
  add_server_json (builder, "target", self->target, ferry_config_get_target (self->config),
                   self->target_error == NULL ? self->target_catalog : NULL, self->target_error);

  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  for (guint i = 0; self->outcome != NULL && i < self->outcome->checks->len; i++)
    json_builder_add_value (builder, ferry_check_to_json (g_ptr_array_index (self->outcome->checks, i)));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pass");
  json_builder_add_int_value (builder, ferry_validator_count (self, FERRY_CHECK_STATUS_PASS));
  json_builder_set_member_name (builder, "warning");
  json_builder_add_int_value (builder, ferry_validator_count (self, FERRY_CHECK_STATUS_WARNING));
  json_builder_set_member_name (builder, "fail");
  json_builder_add_int_value (builder, ferry_validator_count (self, FERRY_CHECK_STATUS_FAIL));
  json_builder_set_member_name (builder, "skipped");
  json_builder_add_int_value (builder, ferry_validator_count (self, FERRY_CHECK_STATUS_SKIPPED));
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
