/* ferry-report.c — the four reports of a migration
 *
 * A report is built in two steps. First the facts are gathered into one
 * JSON document (the JSON format is that document, as
 * data/report.schema.json describes it): from the journal in the target
 * database, which is all that is needed to regenerate a report for any
 * past migration; from a FerryValidator for the readiness report; from a
 * live FerryCoordinator for the progress of a running migration. Then the
 * document is rendered: as JSON, as one self-contained printable HTML
 * page (ferry-report-html.c) or as CSV with a row per table
 * (ferry-report-csv.c). The renderers read nothing but the document, so
 * the three formats never disagree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-report"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ferry-config.h"
#include "ferry-enum-types.h"
#include "ferry-monitor.h"
#include "ferry-report-private.h"

/* What the validator's "estimated-duration" check assumes a worker moves. */
#define ASSUMED_BYTES_PER_SECOND_PER_WORKER (40.0 * 1024 * 1024)
/* Points of the throughput chart. */
#define THROUGHPUT_POINTS 72
/* Rows of the "slowest tables" list. */
#define SLOWEST_TABLES 10
/* Retry events listed one by one; the causes summarise all of them. */
#define MAX_RETRY_EVENTS 200
/* Marks a chunk replaced by its halves after a timeout (ferry-journal.c). */
#define SPLIT_MARK "split after a timeout"

struct _FerryReport
{
  GObject           parent_instance;

  FerryJournal     *journal;
  gint64            migration_id;
  FerryValidator   *validator;
  FerryCoordinator *coordinator;
};

G_DEFINE_FINAL_TYPE (FerryReport, ferry_report, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_JOURNAL,
  PROP_MIGRATION_ID,
  PROP_VALIDATOR,
  PROP_COORDINATOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ferry_report_dispose (GObject *object)
{
  FerryReport *self = (FerryReport *)object;

  g_clear_object (&self->journal);
  g_clear_object (&self->validator);
  g_clear_object (&self->coordinator);

  G_OBJECT_CLASS (ferry_report_parent_class)->dispose (object);
}

static void
ferry_report_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FerryReport *self = FERRY_REPORT (object);

  switch (prop_id)
    {
    case PROP_JOURNAL:
      g_value_set_object (value, self->journal);
      break;
    case PROP_MIGRATION_ID:
      g_value_set_int64 (value, self->migration_id);
      break;
    case PROP_VALIDATOR:
      g_value_set_object (value, self->validator);
      break;
    case PROP_COORDINATOR:
      g_value_set_object (value, self->coordinator);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_report_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FerryReport *self = FERRY_REPORT (object);

  switch (prop_id)
    {
    case PROP_JOURNAL:
      ferry_report_set_journal (self, g_value_get_object (value), self->migration_id);
      break;
    case PROP_MIGRATION_ID:
      ferry_report_set_journal (self, self->journal, g_value_get_int64 (value));
      break;
    case PROP_VALIDATOR:
      ferry_report_set_validator (self, g_value_get_object (value));
      break;
    case PROP_COORDINATOR:
      ferry_report_set_coordinator (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_report_class_init (FerryReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ferry_report_dispose;
  object_class->get_property = ferry_report_get_property;
  object_class->set_property = ferry_report_set_property;

  /**
   * FerryReport:journal:
   *
   * The journal the progress, performance and completion reports are
   * read from. Its connection is used by the report while it builds.
   */
  properties[PROP_JOURNAL] =
    g_param_spec_object ("journal", NULL, NULL, FERRY_TYPE_JOURNAL, flags);

  /**
   * FerryReport:migration-id:
   *
   * The migration in the journal the reports are about.
   */
  properties[PROP_MIGRATION_ID] =
    g_param_spec_int64 ("migration-id", NULL, NULL, 0, G_MAXINT64, 0, flags);

  /**
   * FerryReport:validator:
   *
   * The readiness checks and the plan, for the readiness report; the
   * versions of both servers for the others.
   */
  properties[PROP_VALIDATOR] =
    g_param_spec_object ("validator", NULL, NULL, FERRY_TYPE_VALIDATOR, flags);

  /**
   * FerryReport:coordinator:
   *
   * A running (or finished) migration: the live figures of the progress
   * report. The other reports read the journal of its target through a
   * connection of their own.
   */
  properties[PROP_COORDINATOR] =
    g_param_spec_object ("coordinator", NULL, NULL, FERRY_TYPE_COORDINATOR, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_report_init (FerryReport *self)
{
}

FerryReport *
ferry_report_new (void)
{
  return g_object_new (FERRY_TYPE_REPORT, NULL);
}

/**
 * ferry_report_new_from_journal:
 * @journal: the journal of the target database
 * @migration_id: a migration in it, or 0 for the latest
 *
 * Returns: (transfer full): a report, or %NULL when the journal holds no
 *   such migration
 */
FerryReport *
ferry_report_new_from_journal (FerryJournal  *journal,
                               gint64         migration_id,
                               GError       **error)
{
  g_autoptr(JsonNode) migration = NULL;
  FerryReport *self;

  g_return_val_if_fail (FERRY_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (migration_id >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (migration_id == 0)
    {
      g_autoptr(GError) local_error = NULL;

      migration_id = ferry_journal_find_latest (journal, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (migration_id == 0)
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                               _("The journal holds no migration to report on"));
          return NULL;
        }
    }

  migration = ferry_journal_get_migration (journal, migration_id, error);
  if (migration == NULL)
    return NULL;

  self = ferry_report_new ();
  ferry_report_set_journal (self, journal, migration_id);
  return self;
}

/**
 * ferry_report_new_from_coordinator:
 *
 * A report on the coordinator's migration, with its validator.
 */
FerryReport *
ferry_report_new_from_coordinator (FerryCoordinator *coordinator)
{
  FerryReport *self;

  g_return_val_if_fail (FERRY_IS_COORDINATOR (coordinator), NULL);

  self = ferry_report_new ();
  ferry_report_set_coordinator (self, coordinator);
  if (ferry_coordinator_get_validator (coordinator) != NULL)
    ferry_report_set_validator (self, ferry_coordinator_get_validator (coordinator));
  return self;
}

FerryReport *
ferry_report_new_from_validator (FerryValidator *validator)
{
  FerryReport *self;

  g_return_val_if_fail (FERRY_IS_VALIDATOR (validator), NULL);

  self = ferry_report_new ();
  ferry_report_set_validator (self, validator);
  return self;
}

/**
 * ferry_report_set_journal:
 * @journal: (nullable): the journal
 * @migration_id: the migration in it
 */
void
ferry_report_set_journal (FerryReport  *self,
                          FerryJournal *journal,
                          gint64        migration_id)
{
  g_return_if_fail (FERRY_IS_REPORT (self));
  g_return_if_fail (journal == NULL || FERRY_IS_JOURNAL (journal));

  if (g_set_object (&self->journal, journal))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOURNAL]);
  if (self->migration_id != migration_id)
    {
      self->migration_id = migration_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIGRATION_ID]);
    }
}

FerryJournal *
ferry_report_get_journal (FerryReport *self)
{
  g_return_val_if_fail (FERRY_IS_REPORT (self), NULL);
  return self->journal;
}

gint64
ferry_report_get_migration_id (FerryReport *self)
{
  g_return_val_if_fail (FERRY_IS_REPORT (self), 0);

  if (self->migration_id == 0 && self->coordinator != NULL)
    return ferry_coordinator_get_migration_id (self->coordinator);
  return self->migration_id;
}

void
ferry_report_set_validator (FerryReport    *self,
                            FerryValidator *validator)
{
  g_return_if_fail (FERRY_IS_REPORT (self));
  g_return_if_fail (validator == NULL || FERRY_IS_VALIDATOR (validator));

  if (g_set_object (&self->validator, validator))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATOR]);
}

FerryValidator *
ferry_report_get_validator (FerryReport *self)
{
  g_return_val_if_fail (FERRY_IS_REPORT (self), NULL);
  return self->validator;
}

void
ferry_report_set_coordinator (FerryReport      *self,
                              FerryCoordinator *coordinator)
{
  g_return_if_fail (FERRY_IS_REPORT (self));
  g_return_if_fail (coordinator == NULL || FERRY_IS_COORDINATOR (coordinator));

  if (g_set_object (&self->coordinator, coordinator))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COORDINATOR]);
}

FerryCoordinator *
ferry_report_get_coordinator (FerryReport *self)
{
  g_return_val_if_fail (FERRY_IS_REPORT (self), NULL);
  return self->coordinator;
}

static gboolean
validator_has_run (FerryValidator *validator)
{
  return validator != NULL &&
         g_list_model_get_n_items (ferry_validator_get_checks (validator)) > 0;
}

/**
 * ferry_report_can_build:
 *
 * Whether the report has what @kind needs: the readiness report a
 * validator whose checks have run, the others a journal (or a
 * coordinator whose migration is in its journal).
 */
gboolean
ferry_report_can_build (FerryReport     *self,
                        FerryReportKind  kind)
{
  g_return_val_if_fail (FERRY_IS_REPORT (self), FALSE);

  switch (kind)
    {
    case FERRY_REPORT_KIND_READINESS:
      return validator_has_run (self->validator);
    case FERRY_REPORT_KIND_PROGRESS:
      return self->coordinator != NULL || (self->journal != NULL && self->migration_id > 0);
    case FERRY_REPORT_KIND_PERFORMANCE:
    case FERRY_REPORT_KIND_COMPLETION:
      return (self->journal != NULL && self->migration_id > 0) ||
             (self->coordinator != NULL && ferry_coordinator_get_migration_id (self->coordinator) > 0);
    default:
      return FALSE;
    }
}

/* ------------------------------------------------------------------ */
/* Formatting                                                         */
/* ------------------------------------------------------------------ */

/**
 * ferry_report_format_duration:
 *
 * "250 ms", "2.5 s", "12 s", "3 min 05 s", "2 h 04 min"; "—" when unknown (< 0).
 */
char *
ferry_report_format_duration (double seconds)
{
  guint64 s;

  if (seconds < 0 || isnan (seconds))
    return g_strdup ("—");
  if (seconds > 0 && seconds < 0.0005)
    return g_strdup (_("under 1 ms"));
  if (seconds < 1)
    /* Translators: a duration in milliseconds, e.g. "250 ms" */
    return g_strdup_printf (_("%.0f ms"), seconds * 1000);
  if (seconds < 10)
    /* Translators: a duration in seconds, e.g. "2.5 s" */
    return g_strdup_printf (_("%.1f s"), seconds);
  s = (guint64)(seconds + 0.5);
  if (s < 60)
    return g_strdup_printf (_("%u s"), (guint)s);
  if (s < 3600)
    /* Translators: minutes and seconds, e.g. "3 min 05 s" */
    return g_strdup_printf (_("%u min %02u s"), (guint)(s / 60), (guint)(s % 60));
  if (s < 86400)
    /* Translators: hours and minutes, e.g. "2 h 04 min" */
    return g_strdup_printf (_("%u h %02u min"), (guint)(s / 3600), (guint)((s / 60) % 60));
  /* Translators: days and hours, e.g. "3 d 07 h" */
  return g_strdup_printf (_("%u d %02u h"), (guint)(s / 86400), (guint)((s / 3600) % 24));
}

/**
 * ferry_report_format_count:
 *
 * 1234567 → "1 234 567", grouped by thousands with a thin no-break
 * space, the way the locale-independent reports write numbers.
 */
char *
ferry_report_format_count (gint64 value)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, value < 0 ? -value : value);
  GString *out = g_string_new (value < 0 ? "−" : "");
  gsize n = strlen (digits);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, "\u202f");
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
ferry_report_format_rate (double bytes_per_second)
{
  g_autofree char *size = NULL;

  if (bytes_per_second < 0 || isnan (bytes_per_second))
    return g_strdup ("—");
  size = ferry_format_bytes ((guint64)(bytes_per_second + 0.5));
  /* Translators: a throughput, e.g. "12 MB/s" */
  return g_strdup_printf (_("%s/s"), size);
}

/**
 * ferry_report_format_time:
 *
 * An ISO 8601 time from a document, for people: in the local time zone
 * of the machine that renders it, with the zone's name.
 */
char *
ferry_report_format_time (const char *iso8601)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso8601 == NULL)
    return g_strdup ("—");
  utc = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (utc == NULL)
    return g_strdup (iso8601);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S %Z");
}

const char *
ferry_report_phase_to_string (const char *phase)
{
  static const struct { const char *id; const char *label; } phases[] = {
    { "prepare",     N_("Preparation") },
    { "schema",      N_("Schema") },
    { "data",        N_("Data copy") },
    { "indexes",     N_("Indexes") },
    { "constraints", N_("Constraints and triggers") },
    { "sequences",   N_("Sequences") },
    { "validation",  N_("Validation") },
    { "done",        N_("Done") },
  };

  for (guint i = 0; phase != NULL && i < G_N_ELEMENTS (phases); i++)
    if (g_str_equal (phases[i].id, phase))
      return _(phases[i].label);
  return phase ? phase : "—";
}

const char *
ferry_report_kind_to_string (FerryReportKind kind)
{
  switch (kind)
    {
    case FERRY_REPORT_KIND_READINESS:   return _("Readiness report");
    case FERRY_REPORT_KIND_PROGRESS:    return _("Progress report");
    case FERRY_REPORT_KIND_PERFORMANCE: return _("Performance report");
    case FERRY_REPORT_KIND_COMPLETION:  return _("Completion report");
    default:                            return _("Report");
    }
}

const char *
ferry_report_format_get_extension (FerryReportFormat format)
{
  switch (format)
    {
    case FERRY_REPORT_FORMAT_HTML: return "html";
    case FERRY_REPORT_FORMAT_JSON: return "json";
    case FERRY_REPORT_FORMAT_CSV:  return "csv";
    default:                       return "txt";
    }
}

const char *
ferry_report_format_get_content_type (FerryReportFormat format)
{
  switch (format)
    {
    case FERRY_REPORT_FORMAT_HTML: return "text/html";
    case FERRY_REPORT_FORMAT_JSON: return "application/json";
    case FERRY_REPORT_FORMAT_CSV:  return "text/csv";
    default:                       return "text/plain";
    }
}

/* ------------------------------------------------------------------ */
/* JSON helpers                                                       */
/* ------------------------------------------------------------------ */

gboolean
ferry_report_has_value (JsonObject *object,
                        const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return FALSE;
  node = json_object_get_member (object, member);
  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

const char *
ferry_report_get_string (JsonObject *object,
                         const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
ferry_report_get_int (JsonObject *object,
                      const char *member,
                      gint64      fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64)json_node_get_double (node);
  return fallback;
}

double
ferry_report_get_double (JsonObject *object,
                         const char *member,
                         double      fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double)json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return fallback;
}

gboolean
ferry_report_get_boolean (JsonObject *object,
                          const char *member,
                          gboolean    fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

JsonObject *
ferry_report_get_object (JsonObject *object,
                         const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
ferry_report_get_array (JsonObject *object,
                        const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* g_set_str() is GLib 2.76. */
static void
replace_str (char       **slot,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*slot);
  *slot = copy;
}

static void
set_string (JsonObject *object,
            const char *member,
            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/* A number that may be unknown (NaN or negative): null. */
static void
set_double_or_null (JsonObject *object,
                    const char *member,
                    double      value)
{
  if (value < 0 || isnan (value) || isinf (value))
    json_object_set_null_member (object, member);
  else
    json_object_set_double_member (object, member, round (value * 1000.0) / 1000.0);
}

static char *
iso_from_epoch (double epoch)
{
  g_autoptr(GDateTime) base = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *seconds = NULL;
  gint64 whole = (gint64)floor (epoch);
  int ms = (int)((epoch - whole) * 1000.0 + 0.5);

  if (ms >= 1000)
    {
      whole++;
      ms -= 1000;
    }
  base = g_date_time_new_from_unix_utc (whole);
  if (base == NULL)
    return NULL;
  seconds = g_date_time_format (base, "%Y-%m-%dT%H:%M:%S");
  (void)time;
  return g_strdup_printf ("%s.%03dZ", seconds, ms);
}

/* A time (seconds since the epoch; ≤ 0: unknown) as ISO 8601 in UTC. */
static void
set_time (JsonObject *object,
          const char *member,
          double      epoch)
{
  g_autofree char *iso = epoch > 0 ? iso_from_epoch (epoch) : NULL;

  set_string (object, member, iso);
}

static JsonNode *
node_take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static void
array_add_object (JsonArray  *array,
                  JsonObject *object)
{
  json_array_add_object_element (array, object);
}

static JsonArray *
string_array (GPtrArray *strings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strings != NULL && i < strings->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (strings, i));
  return array;
}

static char *
display_name (const char *schema,
              const char *name)
{
  g_autoptr(FerryTable) table = ferry_table_new (schema, name);

  return g_strdup (ferry_table_get_display_name (table));
}

static char *
table_key (const char *schema,
           const char *name)
{
  return g_strconcat (schema, "\x1f", name, NULL);
}

/* ------------------------------------------------------------------ */
/* What lives in memory, read on the caller's thread                  */
/* ------------------------------------------------------------------ */

typedef struct
{
  FerryReportKind  kind;

  /* the validator */
  JsonNode        *readiness;    /* ferry_validator_to_json() */
  JsonNode        *plan;         /* ferry_plan_to_json() of its plan */
  guint            max_parallel;
  gboolean         has_config;

  /* a live coordinator */
  gboolean         live;
  JsonNode        *status;       /* ferry_coordinator_status() */
  JsonNode        *live_tables;
  double           average_bytes_per_second;
  double           elapsed;

  /* the journal, or how to open one */
  FerryJournal    *journal;
  gint64           migration_id;
  char            *target_conninfo;
  char            *journal_schema;
  guint            connect_timeout;
  guint            query_timeout;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->readiness, json_node_unref);
  g_clear_pointer (&snapshot->plan, json_node_unref);
  g_clear_pointer (&snapshot->status, json_node_unref);
  g_clear_pointer (&snapshot->live_tables, json_node_unref);
  g_clear_object (&snapshot->journal);
  g_free (snapshot->target_conninfo);
  g_free (snapshot->journal_schema);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static JsonNode *
live_tables_json (FerryCoordinator *coordinator)
{
  FerryTableList *tables = ferry_coordinator_get_tables (coordinator);
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tables)); i++)
    {
      FerryTable *table = ferry_table_list_get_table (tables, i);
      JsonObject *o = json_object_new ();

      if (ferry_table_get_status (table) == FERRY_TABLE_STATUS_EXCLUDED)
        continue;
      json_object_set_string_member (o, "name", ferry_table_get_display_name (table));
      json_object_set_string_member (o, "schema", ferry_table_get_schema (table));
      json_object_set_string_member (o, "table", ferry_table_get_name (table));
      json_object_set_string_member (o, "status", ferry_enum_to_nick (FERRY_TYPE_TABLE_STATUS,
                                                                      ferry_table_get_status (table)));
      json_object_set_int_member (o, "rows_done", ferry_table_get_rows_done (table));
      json_object_set_int_member (o, "bytes_done", ferry_table_get_bytes_done (table));
      json_object_set_int_member (o, "bytes_total", ferry_table_get_size_bytes (table));
      json_object_set_double_member (o, "percent", round (1000.0 * ferry_table_get_fraction (table)) / 10.0);
      json_object_set_int_member (o, "attempts", ferry_table_get_attempts (table));
      set_string (o, "last_error", ferry_table_get_last_error (table));
      array_add_object (array, o);
    }

  json_node_take_array (node, array);
  return node;
}

static Snapshot *
snapshot_new (FerryReport     *self,
              FerryReportKind  kind)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  FerryConfig *config = NULL;

  snapshot->kind = kind;
  snapshot->migration_id = self->migration_id;
  if (self->journal != NULL)
    snapshot->journal = g_object_ref (self->journal);

  if (self->validator != NULL)
    {
      config = ferry_validator_get_config (self->validator);
      if (validator_has_run (self->validator))
        snapshot->readiness = ferry_validator_to_json (self->validator);
      if (ferry_validator_get_plan (self->validator) != NULL)
        snapshot->plan = ferry_plan_to_json (ferry_validator_get_plan (self->validator));
    }

  if (self->coordinator != NULL)
    {
      FerryMonitor *monitor = ferry_coordinator_get_monitor (self->coordinator);
      GArray *samples = ferry_monitor_get_samples (monitor);

      config = ferry_coordinator_get_config (self->coordinator);
      if (snapshot->migration_id == 0)
        snapshot->migration_id = ferry_coordinator_get_migration_id (self->coordinator);
      snapshot->live = TRUE;
      snapshot->status = ferry_coordinator_status (self->coordinator);
      snapshot->live_tables = live_tables_json (self->coordinator);
      snapshot->average_bytes_per_second = ferry_monitor_get_average_bytes_per_second (monitor);
      if (samples->len > 0)
        snapshot->elapsed = g_array_index (samples, FerrySample, samples->len - 1).elapsed;
      if (snapshot->plan == NULL && ferry_coordinator_get_plan (self->coordinator) != NULL)
        snapshot->plan = ferry_plan_to_json (ferry_coordinator_get_plan (self->coordinator));
    }

  if (config != NULL)
    {
      snapshot->has_config = TRUE;
      snapshot->max_parallel = ferry_config_get_max_parallel (config);
      snapshot->target_conninfo = g_strdup (ferry_config_get_target (config));
      snapshot->journal_schema = g_strdup (ferry_config_get_journal_schema (config));
      snapshot->connect_timeout = ferry_config_get_connect_timeout (config);
      snapshot->query_timeout = ferry_config_get_query_timeout (config);
    }

  return snapshot;
}

/* The journal to read: the report's own, or one on a connection of the
 * report's to the coordinator's target (the coordinator's connections
 * belong to its threads). */
static FerryJournal *
snapshot_open_journal (Snapshot  *snapshot,
                       GError   **error)
{
  g_autoptr(FerryConnection) connection = NULL;

  if (snapshot->journal != NULL)
    return g_object_ref (snapshot->journal);

  if (snapshot->target_conninfo == NULL || snapshot->migration_id <= 0)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                           _("This report is read from the journal, and no migration has been "
                             "recorded in it yet"));
      return NULL;
    }

  connection = ferry_connection_new (snapshot->target_conninfo, _("target"));
  if (!ferry_connection_open (connection, snapshot->connect_timeout, snapshot->query_timeout,
                              NULL, error))
    return NULL;
  return ferry_journal_new (connection, snapshot->journal_schema);
}

/* ------------------------------------------------------------------ */
/* The journal                                                        */
/* ------------------------------------------------------------------ */

typedef struct
{
  char     *schema;
  char     *table;
  guint     number;
  gint64    est_bytes;
  gboolean  done;
  gint64    rows;
  gint64    bytes;
  guint     attempts;
  double    started;
  double    finished;
  double    seconds;
  gboolean  skipped;
  gboolean  split;
  char     *last_error;
} Chunk;

typedef struct
{
  gint64  id;
  double  at;
  char   *actor;
  char   *db_user;
  char   *host;
  int     pid;
  char   *action;
  char   *detail;
} Event;

typedef struct
{
  char     *kind;
  char     *schema;
  char     *table;
  char     *object;
  char     *ref_schema;
  char     *ref_name;
  double    dropped;
  double    restored;
  double    validated;
  gboolean  needs_validation;
} Ddl;

typedef struct
{
  char     *schema;
  char     *table;
  char     *part;
  gint64    source_rows;
  gint64    target_rows;
  gboolean  has_checksum;
  gboolean  matches;
} Check;

/* Everything about one table, gathered from the plan and the journal. */
typedef struct
{
  char       *name;          /* display name */
  char       *schema;
  char       *table;
  int         level;
  int         batch;
  gint64      est_rows;
  gint64      est_bytes;
  guint       chunks;
  guint       chunks_done;
  gint64      rows;
  gint64      bytes;
  guint       max_attempts;
  guint       retries;
  double      first_start;
  double      last_finish;
  double      busy;
  gboolean    skipped;
  gboolean    failed;
  char       *failure;
  char       *last_error;
  guint       parts;
  guint       mismatches;
  gboolean    has_checksum;
  gint64      source_rows;
  gint64      target_rows;
  GPtrArray  *resolutions;
} TableStat;

typedef struct
{
  JsonNode   *migration_node;
  JsonObject *migration;     /* ferry_journal_get_migration() */
  JsonNode   *plan_node;
  JsonObject *plan;          /* may be NULL */
  JsonNode   *config_node;
  JsonObject *config;        /* {source, target, yaml}, masked */
  double      created;
  double      started;
  double      finished;
  double      now;
  GArray     *chunks;        /* Chunk */
  GArray     *events;        /* Event */
  GArray     *ddl;           /* Ddl */
  GArray     *checks;        /* Check */
  GPtrArray  *tables;        /* TableStat*, in load order */
  GHashTable *by_key;        /* table_key() → TableStat* */
  GHashTable *by_name;       /* display name → TableStat* */
  GPtrArray  *sequences;     /* JsonObject* {name, last_value} on the target */
  /* Large objects: the journal's batches and their validation row */
  gint64      lo_batches;
  gint64      lo_objects;
  gint64      lo_bytes;
  gboolean    lo_validated;
  gboolean    lo_matches;
  gint64      lo_source_objects;
  gint64      lo_target_objects;
} JournalData;

static void
chunk_clear (Chunk *chunk)
{
  g_free (chunk->schema);
  g_free (chunk->table);
  g_free (chunk->last_error);
}

static void
event_clear (Event *event)
{
  g_free (event->actor);
  g_free (event->db_user);
  g_free (event->host);
  g_free (event->action);
  g_free (event->detail);
}

static void
ddl_clear (Ddl *ddl)
{
  g_free (ddl->kind);
  g_free (ddl->schema);
  g_free (ddl->table);
  g_free (ddl->object);
  g_free (ddl->ref_schema);
  g_free (ddl->ref_name);
}

static void
check_clear (Check *check)
{
  g_free (check->schema);
  g_free (check->table);
  g_free (check->part);
}

static void
table_stat_free (TableStat *stat)
{
  g_free (stat->name);
  g_free (stat->schema);
  g_free (stat->table);
  g_free (stat->failure);
  g_free (stat->last_error);
  g_clear_pointer (&stat->resolutions, g_ptr_array_unref);
  g_free (stat);
}

static void
journal_data_free (JournalData *data)
{
  g_clear_pointer (&data->migration_node, json_node_unref);
  g_clear_pointer (&data->plan_node, json_node_unref);
  g_clear_pointer (&data->config_node, json_node_unref);
  g_clear_pointer (&data->chunks, g_array_unref);
  g_clear_pointer (&data->events, g_array_unref);
  g_clear_pointer (&data->ddl, g_array_unref);
  g_clear_pointer (&data->checks, g_array_unref);
  g_clear_pointer (&data->tables, g_ptr_array_unref);
  g_clear_pointer (&data->by_key, g_hash_table_unref);
  g_clear_pointer (&data->by_name, g_hash_table_unref);
  g_clear_pointer (&data->sequences, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JournalData, journal_data_free)

static PGresult *
journal_query (FerryJournal  *journal,
               const char    *sql_template,
               int            n_params,
               const char   **params,
               GError       **error)
{
  g_autofree char *schema = ferry_quote_ident (ferry_journal_get_schema (journal));
  g_auto(GStrv) parts = g_strsplit (sql_template, "@S", -1);
  g_autofree char *text = g_strjoinv (schema, parts);
  FerryConnection *connection = ferry_journal_get_connection (journal);
  PGresult *result;

  result = ferry_connection_query_params (connection, text, n_params, params, error);
  if (result == NULL)
    g_prefix_error (error, _("Could not read the journal: "));
  return result;
}

static double
pq_epoch (PGresult *result,
          int       row,
          int       column)
{
  return PQgetisnull (result, row, column) ? 0 : g_ascii_strtod (PQgetvalue (result, row, column), NULL);
}

static gint64
pq_int64 (PGresult *result,
          int       row,
          int       column,
          gint64    fallback)
{
  return PQgetisnull (result, row, column) ? fallback
                                           : g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

static char *
pq_dup (PGresult *result,
        int       row,
        int       column)
{
  return PQgetisnull (result, row, column) ? NULL : g_strdup (PQgetvalue (result, row, column));
}

static gboolean
pq_bool (PGresult *result,
         int       row,
         int       column)
{
  return !PQgetisnull (result, row, column) && PQgetvalue (result, row, column)[0] == 't';
}

static JsonNode *
parse_json (const char  *text,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static TableStat *
table_stat_new (const char *schema,
                const char *table,
                const char *name)
{
  TableStat *stat = g_new0 (TableStat, 1);

  stat->schema = g_strdup (schema);
  stat->table = g_strdup (table);
  stat->name = name ? g_strdup (name) : display_name (schema, table);
  stat->level = -1;
  stat->batch = -1;
  stat->est_rows = -1;
  stat->source_rows = -1;
  stat->target_rows = -1;
  stat->resolutions = g_ptr_array_new_with_free_func (g_free);
  return stat;
}

static TableStat *
lookup_table (JournalData *data,
              const char  *schema,
              const char  *table)
{
  g_autofree char *key = table_key (schema, table);
  TableStat *stat = g_hash_table_lookup (data->by_key, key);

  if (stat == NULL)
    {
      stat = table_stat_new (schema, table, NULL);
      g_ptr_array_add (data->tables, stat);
      g_hash_table_insert (data->by_key, g_steal_pointer (&key), stat);
      g_hash_table_insert (data->by_name, stat->name, stat);
    }
  return stat;
}

/* The tables of the plan, in load order, before the journal's chunks. */
static void
add_plan_tables (JournalData *data,
                 JsonObject  *plan)
{
  JsonArray *tables = ferry_report_get_array (plan, "tables");

  for (guint i = 0; tables != NULL && i < json_array_get_length (tables); i++)
    {
      JsonObject *t = json_array_get_object_element (tables, i);
      const char *schema = ferry_report_get_string (t, "schema");
      const char *name = ferry_report_get_string (t, "table");
      TableStat *stat;

      if (schema == NULL || name == NULL)
        continue;
      stat = table_stat_new (schema, name, ferry_report_get_string (t, "name"));
      stat->level = ferry_report_get_int (t, "level", -1);
      stat->batch = ferry_report_get_int (t, "batch", -1);
      stat->est_rows = ferry_report_get_int (t, "rows", -1);
      stat->est_bytes = ferry_report_get_int (t, "size_bytes", 0);
      g_ptr_array_add (data->tables, stat);
      g_hash_table_insert (data->by_key, table_key (schema, name), stat);
      g_hash_table_insert (data->by_name, stat->name, stat);
    }
}

/* "NAME #3 attempt 2 [temporary]: message" (ferry-coordinator.c) */
static TableStat *
event_table (JournalData *data,
             const char  *detail,
             const char **rest)
{
  const char *p;

  if (detail == NULL)
    return NULL;

  /* The longest display name that the detail starts with, followed by
   * " #" or ": ". Names may contain either. */
  for (p = detail + strlen (detail); p > detail; p--)
    if ((p[0] == ' ' && p[1] == '#') || (p[0] == ':' && p[1] == ' '))
      {
        g_autofree char *name = g_strndup (detail, p - detail);
        TableStat *stat = g_hash_table_lookup (data->by_name, name);

        if (stat != NULL)
          {
            if (rest != NULL)
              *rest = p;
            return stat;
          }
      }
  return NULL;
}

static void
aggregate (JournalData *data)
{
  for (guint i = 0; i < data->chunks->len; i++)
    {
      Chunk *c = &g_array_index (data->chunks, Chunk, i);
      TableStat *stat = lookup_table (data, c->schema, c->table);

      if (c->split)
        {
          stat->retries += c->attempts;
          continue;
        }
      stat->chunks++;
      stat->max_attempts = MAX (stat->max_attempts, c->attempts);
      if (c->attempts > 1)
        stat->retries += c->attempts - 1;
      if (c->skipped)
        stat->skipped = TRUE;
      if (!c->done)
        {
          if (c->last_error != NULL)
            replace_str (&stat->last_error, c->last_error);
          continue;
        }
      stat->chunks_done++;
      stat->rows += c->rows;
      stat->bytes += c->bytes;
      stat->busy += c->seconds;
      if (c->started > 0 && (stat->first_start == 0 || c->started < stat->first_start))
        stat->first_start = c->started;
      stat->last_finish = MAX (stat->last_finish, c->finished);
    }

  for (guint i = 0; i < data->checks->len; i++)
    {
      Check *check = &g_array_index (data->checks, Check, i);
      TableStat *stat = lookup_table (data, check->schema, check->table);

      if (stat->parts == 0)
        stat->source_rows = stat->target_rows = 0;
      stat->parts++;
      stat->source_rows += check->source_rows;
      stat->target_rows += check->target_rows;
      stat->has_checksum |= check->has_checksum;
      if (!check->matches)
        stat->mismatches++;
    }

  /* Failures and resolutions, in order: a resolution after a failure
   * clears it (the table was retried, skipped or truncated). */
  for (guint i = 0; i < data->events->len; i++)
    {
      Event *e = &g_array_index (data->events, Event, i);
      const char *rest = NULL;
      TableStat *stat;

      if (g_str_equal (e->action, "table-failed") && (stat = event_table (data, e->detail, &rest)))
        {
          const char *colon = strstr (rest, "]: ");

          stat->failed = TRUE;
          replace_str (&stat->failure, colon ? colon + 3 : rest);
        }
      else if (g_str_equal (e->action, "resolve") && (stat = event_table (data, e->detail, &rest)))
        {
          if (g_str_has_prefix (rest, ": "))
            g_ptr_array_add (stat->resolutions, g_strdup (rest + 2));
          stat->failed = FALSE;
        }
      else if (g_str_equal (e->action, "table-completed") &&
               (stat = g_hash_table_lookup (data->by_name, e->detail ? e->detail : "")))
        stat->failed = FALSE;
    }
}

static JournalData *
journal_data_load (FerryJournal  *journal,
                   gint64         migration_id,
                   GError       **error)
{
  g_autoptr(JournalData) data = g_new0 (JournalData, 1);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, migration_id);
  const char *params[] = { id };
  g_autoptr(PGresult) times = NULL;
  g_autoptr(PGresult) chunks = NULL;
  g_autoptr(PGresult) events = NULL;
  g_autoptr(PGresult) ddl = NULL;
  g_autoptr(PGresult) checks = NULL;
  g_autoptr(PGresult) sequences = NULL;
  g_autoptr(GPtrArray) schemas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen_schemas = g_hash_table_new (g_str_hash, g_str_equal);

  data->migration_node = ferry_journal_get_migration (journal, migration_id, error);
  if (data->migration_node == NULL)
    return NULL;
  data->migration = json_node_get_object (data->migration_node);
  data->config = ferry_report_get_object (data->migration, "config");

  times = journal_query (journal,
                         "SELECT extract(epoch FROM created_at), extract(epoch FROM started_at),"
                         "       extract(epoch FROM finished_at), extract(epoch FROM clock_timestamp()),"
                         "       plan::text"
                         " FROM @S.migration WHERE migration_id = $1",
                         1, params, error);
  if (times == NULL)
    return NULL;
  if (PQntuples (times) == 1)
    {
      data->created = pq_epoch (times, 0, 0);
      data->started = pq_epoch (times, 0, 1);
      data->finished = pq_epoch (times, 0, 2);
      data->now = pq_epoch (times, 0, 3);
      if (!PQgetisnull (times, 0, 4))
        {
          data->plan_node = parse_json (PQgetvalue (times, 0, 4), error);
          if (data->plan_node == NULL)
            return NULL;
          if (JSON_NODE_HOLDS_OBJECT (data->plan_node))
            data->plan = json_node_get_object (data->plan_node);
        }
    }

  chunks = journal_query (journal,
                          "SELECT table_schema, table_name, number, est_bytes, finished_at IS NOT NULL,"
                          "       rows, bytes, attempts, extract(epoch FROM started_at),"
                          "       extract(epoch FROM finished_at), duration_ms, skipped_at IS NOT NULL,"
                          "       last_error"
                          " FROM @S.chunk WHERE migration_id = $1 ORDER BY chunk_id",
                          1, params, error);
  events = chunks ? journal_query (journal,
                                   "SELECT event_id, extract(epoch FROM at), actor, db_user, host, pid,"
                                   "       action, detail"
                                   " FROM @S.event WHERE migration_id = $1 ORDER BY at, event_id",
                                   1, params, error) : NULL;
  ddl = events ? journal_query (journal,
                                "SELECT kind, table_schema, table_name, object_name, ref_schema, ref_name,"
                                "       extract(epoch FROM dropped_at), extract(epoch FROM restored_at),"
                                "       extract(epoch FROM validated_at), validate_sql IS NOT NULL"
                                " FROM @S.deferred_ddl d WHERE migration_id = $1"
                                /* schema: copy's post-data items were created, not put
                                 * back (to_jsonb: a journal older than the column has none) */
                                "   AND (pg_catalog.to_jsonb(d) ->> 'section') IS DISTINCT FROM 'post-data'"
                                " ORDER BY ddl_id",
                                1, params, error) : NULL;
  checks = ddl ? journal_query (journal,
                                "SELECT table_schema, table_name, part, source_rows, target_rows,"
                                "       source_checksum IS NOT NULL OR target_checksum IS NOT NULL, matches"
                                " FROM @S.validation WHERE migration_id = $1"
                                " ORDER BY table_schema, table_name, part",
                                1, params, error) : NULL;
  if (checks == NULL)
    return NULL;

  data->chunks = g_array_new (FALSE, TRUE, sizeof (Chunk));
  g_array_set_clear_func (data->chunks, (GDestroyNotify)chunk_clear);
  for (int r = 0; r < PQntuples (chunks); r++)
    {
      Chunk c = { 0 };

      c.schema = pq_dup (chunks, r, 0);
      c.table = pq_dup (chunks, r, 1);
      c.number = pq_int64 (chunks, r, 2, 0);
      c.est_bytes = pq_int64 (chunks, r, 3, 0);
      c.done = pq_bool (chunks, r, 4);
      c.rows = pq_int64 (chunks, r, 5, 0);
      c.bytes = pq_int64 (chunks, r, 6, 0);
      c.attempts = pq_int64 (chunks, r, 7, 0);
      c.started = pq_epoch (chunks, r, 8);
      c.finished = pq_epoch (chunks, r, 9);
      c.seconds = pq_int64 (chunks, r, 10, 0) / 1000.0;
      c.skipped = pq_bool (chunks, r, 11);
      c.last_error = pq_dup (chunks, r, 12);
      c.split = c.skipped && !c.done && g_strcmp0 (c.last_error, SPLIT_MARK) == 0;
      g_array_append_val (data->chunks, c);
    }

  data->events = g_array_new (FALSE, TRUE, sizeof (Event));
  g_array_set_clear_func (data->events, (GDestroyNotify)event_clear);
  for (int r = 0; r < PQntuples (events); r++)
    {
      Event e = { 0 };

      e.id = pq_int64 (events, r, 0, 0);
      e.at = pq_epoch (events, r, 1);
      e.actor = pq_dup (events, r, 2);
      e.db_user = pq_dup (events, r, 3);
      e.host = pq_dup (events, r, 4);
      e.pid = pq_int64 (events, r, 5, 0);
      e.action = pq_dup (events, r, 6);
      e.detail = pq_dup (events, r, 7);
      g_array_append_val (data->events, e);
    }

  data->ddl = g_array_new (FALSE, TRUE, sizeof (Ddl));
  g_array_set_clear_func (data->ddl, (GDestroyNotify)ddl_clear);
  for (int r = 0; r < PQntuples (ddl); r++)
    {
      Ddl d = { 0 };

      d.kind = pq_dup (ddl, r, 0);
      d.schema = pq_dup (ddl, r, 1);
      d.table = pq_dup (ddl, r, 2);
      d.object = pq_dup (ddl, r, 3);
      d.ref_schema = pq_dup (ddl, r, 4);
      d.ref_name = pq_dup (ddl, r, 5);
      d.dropped = pq_epoch (ddl, r, 6);
      d.restored = pq_epoch (ddl, r, 7);
      d.validated = pq_epoch (ddl, r, 8);
      d.needs_validation = pq_bool (ddl, r, 9);
      g_array_append_val (data->ddl, d);
    }

  data->checks = g_array_new (FALSE, TRUE, sizeof (Check));
  g_array_set_clear_func (data->checks, (GDestroyNotify)check_clear);
  for (int r = 0; r < PQntuples (checks); r++)
    {
      Check c = { 0 };

      /* The large objects' row is not a table's. */
      if (g_str_equal (PQgetvalue (checks, r, 0), "pg_catalog") &&
          g_str_equal (PQgetvalue (checks, r, 1), "pg_largeobject"))
        {
          data->lo_validated = TRUE;
          data->lo_source_objects = pq_int64 (checks, r, 3, 0);
          data->lo_target_objects = pq_int64 (checks, r, 4, 0);
          data->lo_matches = pq_bool (checks, r, 6);
          continue;
        }

      c.schema = pq_dup (checks, r, 0);
      c.table = pq_dup (checks, r, 1);
      c.part = pq_dup (checks, r, 2);
      c.source_rows = pq_int64 (checks, r, 3, 0);
      c.target_rows = pq_int64 (checks, r, 4, 0);
      c.has_checksum = pq_bool (checks, r, 5);
      c.matches = pq_bool (checks, r, 6);
      g_array_append_val (data->checks, c);
    }

  /* A journal older than large_object_batch has none. */
  {
    g_autoptr(GError) local_error = NULL;
    g_autoptr(PGresult) batches = journal_query (journal,
                                                 "SELECT count(*), coalesce(sum(objects), 0), coalesce(sum(bytes), 0)"
                                                 " FROM @S.large_object_batch WHERE migration_id = $1",
                                                 1, params, &local_error);
    if (batches == NULL)
      g_debug ("No large object batches: %s", local_error->message);
    else
      {
        data->lo_batches = pq_int64 (batches, 0, 0, 0);
        data->lo_objects = pq_int64 (batches, 0, 1, 0);
        data->lo_bytes = pq_int64 (batches, 0, 2, 0);
      }
  }

  data->tables = g_ptr_array_new_with_free_func ((GDestroyNotify)table_stat_free);
  data->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  if (data->plan != NULL)
    add_plan_tables (data, data->plan);
  aggregate (data);

  /* The sequences in the migrated schemas, as the target has them now. */
  for (guint i = 0; i < data->tables->len; i++)
    {
      TableStat *stat = g_ptr_array_index (data->tables, i);

      if (!g_hash_table_contains (seen_schemas, stat->schema))
        {
          g_hash_table_add (seen_schemas, stat->schema);
          g_ptr_array_add (schemas, g_strdup (stat->schema));
        }
    }
  data->sequences = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  if (schemas->len > 0)
    {
      g_autoptr(JsonArray) array = string_array (schemas);
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), array);
      g_autofree char *list = json_to_string (node, FALSE);
      const char *p[] = { list, ferry_journal_get_schema (journal) };
      g_autoptr(GError) local_error = NULL;

      sequences = ferry_connection_query_params (ferry_journal_get_connection (journal),
                                                 "SELECT schemaname, sequencename, last_value"
                                                 " FROM pg_catalog.pg_sequences"
                                                 " WHERE schemaname IN (SELECT pg_catalog.json_array_elements_text($1::json))"
                                                 "   AND schemaname <> $2"
                                                 " ORDER BY schemaname, sequencename",
                                                 2, p, &local_error);
      if (sequences == NULL)
        g_debug ("Could not list the target's sequences: %s", local_error->message);
      for (int r = 0; sequences != NULL && r < PQntuples (sequences); r++)
        {
          JsonObject *o = json_object_new ();
          g_autofree char *name = display_name (PQgetvalue (sequences, r, 0), PQgetvalue (sequences, r, 1));

          json_object_set_string_member (o, "name", name);
          if (PQgetisnull (sequences, r, 2))
            json_object_set_null_member (o, "last_value");
          else
            json_object_set_int_member (o, "last_value", pq_int64 (sequences, r, 2, 0));
          g_ptr_array_add (data->sequences, o);
        }
    }

  return g_steal_pointer (&data);
}

/* ------------------------------------------------------------------ */
/* Parts shared by the documents                                      */
/* ------------------------------------------------------------------ */

static JsonObject *
document_new (FerryReportKind kind)
{
  JsonObject *document = json_object_new ();
  JsonObject *by = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *generated = iso_from_epoch (g_date_time_to_unix (now) +
                                               g_date_time_get_microsecond (now) / 1e6);
  g_autofree char *generator = g_strdup_printf ("Ferry %s", PACKAGE_VERSION);

  json_object_set_string_member (document, "format", "ferry-report");
  json_object_set_int_member (document, "format_version", FERRY_REPORT_FORMAT_VERSION);
  json_object_set_string_member (document, "kind", ferry_enum_to_nick (FERRY_TYPE_REPORT_KIND, kind));
  json_object_set_string_member (document, "title", ferry_report_kind_to_string (kind));
  json_object_set_string_member (document, "generated_at", generated);
  json_object_set_string_member (document, "generator", generator);
  json_object_set_string_member (by, "user", g_get_user_name ());
  json_object_set_string_member (by, "host", g_get_host_name ());
  json_object_set_object_member (document, "generated_by", by);
  return document;
}

static void
add_migration (JsonObject  *document,
               JournalData *data)
{
  JsonObject *m = json_object_new ();
  double end = data->finished > 0 ? data->finished : data->now;

  json_object_set_int_member (m, "id", ferry_report_get_int (data->migration, "migration_id", 0));
  set_string (m, "state", ferry_report_get_string (data->migration, "state"));
  set_string (m, "source", ferry_report_get_string (data->migration, "source"));
  set_string (m, "target", ferry_report_get_string (data->migration, "target"));
  set_time (m, "created_at", data->created);
  set_time (m, "started_at", data->started);
  set_time (m, "finished_at", data->finished);
  set_double_or_null (m, "duration_seconds", data->started > 0 ? end - data->started : -1);
  set_string (m, "run_by_host", ferry_report_get_string (data->migration, "owner_host"));
  json_object_set_object_member (document, "migration", m);
}

/* Both servers: what the validator knows, else what the journal says. */
static void
add_servers (JsonObject  *document,
             JsonNode    *readiness,
             JournalData *data)
{
  JsonObject *servers = json_object_new ();
  JsonObject *from_validator = readiness ? json_node_get_object (readiness) : NULL;

  for (guint i = 0; i < 2; i++)
    {
      const char *which = i == 0 ? "source" : "target";
      JsonObject *known = ferry_report_get_object (from_validator, which);
      JsonObject *s = json_object_new ();
      const char *display = known ? ferry_report_get_string (known, "display") : NULL;
      g_autofree char *masked = NULL;

      if (display == NULL && data != NULL)
        display = ferry_report_get_string (data->migration, which);
      /* The journal stores masked strings; mask again all the same. */
      masked = display ? ferry_conninfo_mask (display) : NULL;
      set_string (s, "display", masked && *masked ? masked : display);
      /* What only the validator knows is null without it. */
      if (known != NULL)
        json_object_set_boolean_member (s, "reachable", ferry_report_get_boolean (known, "reachable", FALSE));
      else
        json_object_set_null_member (s, "reachable");
      set_string (s, "version", ferry_report_get_string (known, "version"));
      set_string (s, "encoding", ferry_report_get_string (known, "encoding"));
      set_string (s, "database", ferry_report_get_string (known, "database"));
      if (ferry_report_has_value (known, "size_bytes"))
        json_object_set_int_member (s, "size_bytes", ferry_report_get_int (known, "size_bytes", 0));
      else
        json_object_set_null_member (s, "size_bytes");
      set_string (s, "error", ferry_report_get_string (known, "error"));
      json_object_set_object_member (servers, which, s);
    }

  json_object_set_object_member (document, "servers", servers);
}

/* The dependency graph, for the picture: units by level and the foreign
 * keys between them. */
static void
add_graph (JsonObject *document,
           JsonObject *plan)
{
  JsonObject *graph = json_object_new ();
  JsonArray *nodes = json_array_new ();
  JsonArray *edges = json_array_new ();
  JsonArray *tables = ferry_report_get_array (plan, "tables");
  JsonArray *fks = ferry_report_get_array (plan, "foreign_keys");
  JsonArray *breaking = ferry_report_get_array (plan, "breaking_edges");
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) breaking_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) drawn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 levels = 0;

  for (guint i = 0; tables != NULL && i < json_array_get_length (tables); i++)
    {
      JsonObject *t = json_array_get_object_element (tables, i);
      JsonObject *n = json_object_new ();
      const char *name = ferry_report_get_string (t, "name");

      if (name == NULL)
        continue;
      g_hash_table_add (names, (gpointer)name);
      json_object_set_string_member (n, "name", name);
      set_string (n, "schema", ferry_report_get_string (t, "schema"));
      set_string (n, "table", ferry_report_get_string (t, "table"));
      json_object_set_int_member (n, "level", ferry_report_get_int (t, "level", 0));
      levels = MAX (levels, ferry_report_get_int (t, "level", 0) + 1);
      array_add_object (nodes, n);
    }

  for (guint i = 0; breaking != NULL && i < json_array_get_length (breaking); i++)
    {
      JsonObject *e = json_array_get_object_element (breaking, i);
      const char *child = ferry_report_get_string (e, "child");
      const char *name = ferry_report_get_string (e, "name");

      if (child != NULL && name != NULL)
        g_hash_table_add (breaking_names, g_strconcat (child, "\x1f", name, NULL));
    }

  for (guint i = 0; fks != NULL && i < json_array_get_length (fks); i++)
    {
      JsonObject *fk = json_array_get_object_element (fks, i);
      const char *child = ferry_report_get_string (fk, "child");
      const char *parent = ferry_report_get_string (fk, "parent");
      const char *name = ferry_report_get_string (fk, "name");
      g_autofree char *fk_key = g_strconcat (child ? child : "", "\x1f", name ? name : "", NULL);
      g_autofree char *pair = NULL;
      const char *kind;
      JsonObject *e;

      if (child == NULL || parent == NULL)
        continue;
      if (g_str_equal (child, parent))
        kind = "self";
      else if (!g_hash_table_contains (names, parent) || !g_hash_table_contains (names, child))
        kind = "external";
      else if (g_hash_table_contains (breaking_names, fk_key))
        kind = "breaking";
      else
        kind = "kept";

      pair = g_strconcat (parent, "\x1f", child, "\x1f", kind, NULL);
      if (g_hash_table_contains (drawn, pair))
        continue;
      g_hash_table_add (drawn, g_steal_pointer (&pair));

      e = json_object_new ();
      json_object_set_string_member (e, "parent", parent);
      json_object_set_string_member (e, "child", child);
      json_object_set_string_member (e, "kind", kind);
      array_add_object (edges, e);
    }

  json_object_set_int_member (graph, "levels", levels);
  json_object_set_array_member (graph, "nodes", nodes);
  json_object_set_array_member (graph, "edges", edges);
  json_object_set_object_member (document, "graph", graph);
}

static void
add_plan_summary (JsonObject *document,
                  JsonObject *plan)
{
  JsonObject *p = json_object_new ();
  JsonObject *totals = ferry_report_get_object (plan, "totals");
  JsonArray *cycles = ferry_report_get_array (plan, "cycles");
  JsonArray *breaking = ferry_report_get_array (plan, "breaking_edges");
  JsonArray *self_refs = ferry_report_get_array (plan, "self_references");
  JsonArray *batches = ferry_report_get_array (plan, "batches");
  JsonArray *edges = json_array_new ();
  JsonArray *batch_list = json_array_new ();
  JsonArray *cycle_list = json_array_new ();

  set_string (p, "strategy", ferry_report_get_string (plan, "strategy"));
  json_object_set_int_member (p, "chunk_size", ferry_report_get_int (plan, "chunk_size", 0));
  json_object_set_int_member (p, "batch_size", ferry_report_get_int (plan, "batch_size", 0));
  json_object_set_int_member (p, "tables", ferry_report_get_int (totals, "tables", 0));
  json_object_set_int_member (p, "chunks", ferry_report_get_int (totals, "chunks", 0));
  json_object_set_int_member (p, "batches", ferry_report_get_int (totals, "batches", 0));
  json_object_set_int_member (p, "levels", ferry_report_get_int (totals, "levels", 0));
  json_object_set_int_member (p, "bytes", ferry_report_get_int (totals, "bytes", 0));
  json_object_set_int_member (p, "rows", ferry_report_get_int (totals, "rows", 0));
  json_object_set_int_member (p, "self_references", self_refs ? json_array_get_length (self_refs) : 0);

  for (guint i = 0; cycles != NULL && i < json_array_get_length (cycles); i++)
    json_array_add_element (cycle_list, json_node_copy (json_array_get_element (cycles, i)));
  json_object_set_array_member (p, "cycles", cycle_list);

  for (guint i = 0; breaking != NULL && i < json_array_get_length (breaking); i++)
    {
      JsonObject *e = json_array_get_object_element (breaking, i);
      JsonObject *o = json_object_new ();

      set_string (o, "name", ferry_report_get_string (e, "name"));
      set_string (o, "child", ferry_report_get_string (e, "child"));
      set_string (o, "parent", ferry_report_get_string (e, "parent"));
      set_string (o, "action", ferry_report_get_string (e, "action"));
      array_add_object (edges, o);
    }
  json_object_set_array_member (p, "breaking_edges", edges);

  for (guint i = 0; batches != NULL && i < json_array_get_length (batches); i++)
    {
      JsonObject *b = json_array_get_object_element (batches, i);
      JsonArray *names = ferry_report_get_array (b, "tables");
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "number", ferry_report_get_int (b, "number", i + 1));
      json_object_set_int_member (o, "level", ferry_report_get_int (b, "level", 0));
      json_object_set_int_member (o, "tables", names ? json_array_get_length (names) : 0);
      array_add_object (batch_list, o);
    }
  json_object_set_array_member (p, "batch_list", batch_list);

  json_object_set_object_member (document, "plan", p);
}

/* ------------------------------------------------------------------ */
/* Readiness                                                          */
/* ------------------------------------------------------------------ */

static JsonObject *
build_readiness (Snapshot  *snapshot,
                 GError   **error)
{
  JsonObject *document;
  JsonObject *readiness;
  JsonObject *r;
  JsonObject *counts;
  JsonObject *estimate;
  JsonArray *checks;
  JsonArray *tables;
  JsonObject *plan;
  gint64 bytes, n_chunks;
  guint workers;

  if (snapshot->readiness == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_STATE,
                           _("The readiness report needs the readiness checks: run them first"));
      return NULL;
    }

  document = document_new (FERRY_REPORT_KIND_READINESS);
  readiness = json_node_get_object (snapshot->readiness);
  plan = snapshot->plan ? json_node_get_object (snapshot->plan) : NULL;

  if (snapshot->migration_id > 0)
    {
      JsonObject *m = json_object_new ();
      json_object_set_int_member (m, "id", snapshot->migration_id);
      json_object_set_object_member (document, "migration", m);
    }
  else
    json_object_set_null_member (document, "migration");

  add_servers (document, snapshot->readiness, NULL);

  r = json_object_new ();
  counts = json_object_new ();
  json_object_set_boolean_member (r, "ready", ferry_report_get_boolean (readiness, "ready", FALSE));
  json_object_set_double_member (r, "score",
                                 round (ferry_report_get_double (readiness, "score", 0) * 10.0) / 10.0);
  {
    JsonObject *c = ferry_report_get_object (readiness, "counts");
    gint64 total = 0;

    for (guint i = 0; i < 4; i++)
      {
        const char *k = (const char *[]) { "pass", "warning", "fail", "skipped" }[i];
        json_object_set_int_member (counts, k, ferry_report_get_int (c, k, 0));
        total += ferry_report_get_int (c, k, 0);
      }
    json_object_set_int_member (counts, "total", total);
  }
  json_object_set_object_member (r, "counts", counts);

  checks = json_array_new ();
  {
    JsonArray *from = ferry_report_get_array (readiness, "checks");

    for (guint i = 0; from != NULL && i < json_array_get_length (from); i++)
      {
        JsonObject *c = json_array_get_object_element (from, i);
        JsonObject *o = json_object_new ();
        JsonArray *items = ferry_report_get_array (c, "items");
        JsonArray *item_list = json_array_new ();
        int group = 0;

        set_string (o, "id", ferry_report_get_string (c, "id"));
        set_string (o, "group", ferry_report_get_string (c, "group"));
        if (ferry_enum_from_nick (FERRY_TYPE_CHECK_GROUP, ferry_report_get_string (c, "group"), &group))
          json_object_set_string_member (o, "group_label", ferry_check_group_to_string (group));
        else
          set_string (o, "group_label", ferry_report_get_string (c, "group"));
        set_string (o, "title", ferry_report_get_string (c, "title"));
        set_string (o, "status", ferry_report_get_string (c, "status"));
        set_string (o, "summary", ferry_report_get_string (c, "summary"));
        set_string (o, "explanation", ferry_report_get_string (c, "explanation"));
        set_string (o, "fix", ferry_report_get_string (c, "fix"));
        for (guint j = 0; items != NULL && j < json_array_get_length (items); j++)
          json_array_add_string_element (item_list, json_array_get_string_element (items, j));
        json_object_set_array_member (o, "items", item_list);
        array_add_object (checks, o);
      }
  }
  json_object_set_array_member (r, "checks", checks);
  json_object_set_object_member (document, "readiness", r);

  if (plan != NULL)
    add_plan_summary (document, plan);
  else
    json_object_set_null_member (document, "plan");

  /* The estimate the "estimated-duration" check makes. */
  estimate = json_object_new ();
  bytes = ferry_report_get_int (ferry_report_get_object (plan, "totals"), "bytes", 0);
  n_chunks = ferry_report_get_int (ferry_report_get_object (plan, "totals"), "chunks", 0);
  workers = MAX (1, MIN (snapshot->max_parallel ? snapshot->max_parallel : 1, (guint)MAX (n_chunks, 1)));
  json_object_set_int_member (estimate, "bytes", bytes);
  json_object_set_int_member (estimate, "rows", ferry_report_get_int (ferry_report_get_object (plan, "totals"), "rows", 0));
  json_object_set_int_member (estimate, "workers", workers);
  json_object_set_double_member (estimate, "bytes_per_second", ASSUMED_BYTES_PER_SECOND_PER_WORKER * workers);
  json_object_set_double_member (estimate, "seconds",
                                 round (bytes / (ASSUMED_BYTES_PER_SECOND_PER_WORKER * workers)));
  json_object_set_object_member (document, "estimate", estimate);

  tables = json_array_new ();
  {
    JsonArray *from = ferry_report_get_array (plan, "tables");

    for (guint i = 0; from != NULL && i < json_array_get_length (from); i++)
      {
        JsonObject *t = json_array_get_object_element (from, i);
        JsonObject *o = json_object_new ();
        JsonArray *parents = ferry_report_get_array (t, "parents");
        JsonArray *chunks = ferry_report_get_array (t, "chunks");
        JsonArray *parent_list = json_array_new ();

        set_string (o, "name", ferry_report_get_string (t, "name"));
        set_string (o, "schema", ferry_report_get_string (t, "schema"));
        set_string (o, "table", ferry_report_get_string (t, "table"));
        set_string (o, "kind", ferry_report_get_string (t, "kind"));
        json_object_set_int_member (o, "level", ferry_report_get_int (t, "level", 0));
        json_object_set_int_member (o, "batch", ferry_report_get_int (t, "batch", 0));
        json_object_set_int_member (o, "size_bytes", ferry_report_get_int (t, "size_bytes", 0));
        if (ferry_report_get_int (t, "rows", -1) >= 0)
          json_object_set_int_member (o, "rows", ferry_report_get_int (t, "rows", -1));
        else
          json_object_set_null_member (o, "rows");
        json_object_set_int_member (o, "chunks", chunks ? json_array_get_length (chunks) : 0);
        for (guint j = 0; parents != NULL && j < json_array_get_length (parents); j++)
          json_array_add_string_element (parent_list, json_array_get_string_element (parents, j));
        json_object_set_array_member (o, "parents", parent_list);
        array_add_object (tables, o);
      }
  }
  json_object_set_array_member (document, "tables", tables);

  if (plan != NULL)
    add_graph (document, plan);
  else
    json_object_set_null_member (document, "graph");

  return document;
}

/* ------------------------------------------------------------------ */
/* Timings: phases and throughput, from events and chunks             */
/* ------------------------------------------------------------------ */

typedef struct
{
  const char *phase;
  double      start;
  double      end;
} Interval;

static void
add_interval (GArray     *intervals,
              const char *phase,
              double      start,
              double      end)
{
  Interval interval = { phase, start, MAX (start, end) };

  if (start > 0)
    g_array_append_val (intervals, interval);
}

static const char *
state_target (const char *detail)
{
  const char *arrow = detail ? strstr (detail, "→ ") : NULL;

  return arrow ? arrow + strlen ("→ ") : NULL;
}

static const char *
intern_phase (const char *phase)
{
  static const char * const known[] = { "prepare", "schema", "data", "indexes", "constraints",
                                        "sequences", "validation", NULL };

  for (guint i = 0; known[i] != NULL; i++)
    if (g_str_equal (known[i], phase))
      return known[i];
  return g_intern_string (phase);
}

/* The phases of every run of the migration, from the audit trail: a
 * "phase" event starts one and ends the one before; a run starts with
 * "start" or "resume-start", and a state other than running ends it. */
static GArray *
compute_intervals (JournalData *data)
{
  GArray *intervals = g_array_new (FALSE, FALSE, sizeof (Interval));
  const char *current = NULL;
  const char *last = NULL;
  double since = 0;
  double end_of_time = data->finished > 0 ? data->finished : data->now;
  double pre_data = 0;
  double sequences_set = 0;

  for (guint i = 0; i < data->events->len; i++)
    {
      Event *e = &g_array_index (data->events, Event, i);

      if (g_str_equal (e->action, "start") || g_str_equal (e->action, "resume-start"))
        {
          if (current == NULL)
            {
              current = "prepare";
              since = g_str_equal (e->action, "start") && data->created > 0 ? MIN (data->created, e->at) : e->at;
            }
        }
      else if (g_str_equal (e->action, "phase") && e->detail != NULL)
        {
          /* The phase that "start" opened, recorded again: go on. */
          if (current != NULL && g_str_equal (current, e->detail))
            continue;
          if (current != NULL)
            add_interval (intervals, current, since, e->at);
          current = g_str_equal (e->detail, "done") ? NULL : intern_phase (e->detail);
          last = current ? current : last;
          since = e->at;
        }
      else if (g_str_equal (e->action, "state"))
        {
          const char *to = state_target (e->detail);

          if (to != NULL && !g_str_equal (to, "running") && current != NULL)
            {
              add_interval (intervals, current, since, e->at);
              last = current;
              current = NULL;
            }
          else if (to != NULL && g_str_equal (to, "running") && current == NULL && last != NULL &&
                   g_str_has_prefix (e->detail, "paused"))
            {
              current = last;
              since = e->at;
            }
        }
      else if (g_str_equal (e->action, "schema-pre-data"))
        pre_data = e->at;
      else if (g_str_equal (e->action, "sequences"))
        sequences_set = e->at;
      else if (g_str_equal (e->action, "schema-post-data") && sequences_set > 0)
        {
          /* pg_restore --section=post-data ran inside the sequences phase. */
          add_interval (intervals, "schema", sequences_set, e->at);
        }
    }

  if (current != NULL)
    add_interval (intervals, current, since, end_of_time);

  /* pg_restore --section=pre-data ran at the start of the preparation. */
  if (pre_data > 0)
    for (guint i = 0; i < intervals->len; i++)
      {
        Interval *interval = &g_array_index (intervals, Interval, i);

        if (interval->phase == (const char *)"prepare" &&
            pre_data >= interval->start && pre_data <= interval->end)
          {
            Interval schema = { "schema", interval->start, pre_data };

            interval->start = pre_data;
            g_array_append_val (intervals, schema);
            break;
          }
      }

  /* Indexes and constraints are put back while the data phase goes on,
   * each as soon as its table is complete: their window runs from the
   * first such table to the last object restored. */
  for (guint pass = 0; pass < 2; pass++)
    {
      const char *phase = pass == 0 ? "indexes" : "constraints";
      double first = 0, finish = 0;

      for (guint i = 0; i < data->ddl->len; i++)
        {
          Ddl *d = &g_array_index (data->ddl, Ddl, i);
          gboolean is_index = g_strcmp0 (d->kind, "index") == 0;
          double done = MAX (d->restored, d->validated);
          g_autofree char *key = NULL;
          TableStat *stat;
          double ready;

          if (is_index != (pass == 0) || done <= 0)
            continue;
          key = table_key (d->schema ? d->schema : "", d->table ? d->table : "");
          stat = g_hash_table_lookup (data->by_key, key);
          ready = stat && stat->last_finish > 0 ? MIN (stat->last_finish, d->restored) : d->restored;
          if (ready > 0 && (first == 0 || ready < first))
            first = ready;
          finish = MAX (finish, done);
        }
      if (first > 0)
        add_interval (intervals, phase, first, finish);
    }

  return intervals;
}

static double
migration_origin (JournalData *data)
{
  double origin = data->started > 0 ? data->started : data->created;

  if (data->created > 0 && data->created < origin)
    origin = data->created;
  return origin;
}

static JsonArray *
phases_json (JournalData *data,
             GArray      *intervals,
             JsonArray  **timeline_out)
{
  static const char * const order[] = { "schema", "prepare", "data", "indexes", "constraints",
                                        "sequences", "validation" };
  JsonArray *phases = json_array_new ();
  JsonArray *timeline = json_array_new ();
  double origin = migration_origin (data);

  for (guint p = 0; p < G_N_ELEMENTS (order); p++)
    {
      double seconds = 0, first = 0, finish = 0;
      guint n = 0;
      JsonObject *o;

      for (guint i = 0; i < intervals->len; i++)
        {
          Interval *interval = &g_array_index (intervals, Interval, i);

          if (!g_str_equal (interval->phase, order[p]))
            continue;
          n++;
          seconds += interval->end - interval->start;
          if (first == 0 || interval->start < first)
            first = interval->start;
          finish = MAX (finish, interval->end);
        }

      o = json_object_new ();
      json_object_set_string_member (o, "phase", order[p]);
      json_object_set_string_member (o, "label", ferry_report_phase_to_string (order[p]));
      json_object_set_boolean_member (o, "ran", n > 0);
      set_time (o, "started_at", first);
      set_time (o, "finished_at", finish);
      set_double_or_null (o, "seconds", n > 0 ? seconds : -1);
      json_object_set_int_member (o, "runs", n);
      json_object_set_boolean_member (o, "overlaps_data",
                                      g_str_equal (order[p], "indexes") || g_str_equal (order[p], "constraints"));
      array_add_object (phases, o);
    }

  for (guint i = 0; i < intervals->len; i++)
    {
      Interval *interval = &g_array_index (intervals, Interval, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "phase", interval->phase);
      json_object_set_double_member (o, "start_seconds", round ((interval->start - origin) * 1000) / 1000);
      json_object_set_double_member (o, "end_seconds", round ((interval->end - origin) * 1000) / 1000);
      array_add_object (timeline, o);
    }

  *timeline_out = timeline;
  return phases;
}

static double
intervals_seconds (GArray     *intervals,
                   const char *phase)
{
  double seconds = 0;

  for (guint i = 0; i < intervals->len; i++)
    {
      Interval *interval = &g_array_index (intervals, Interval, i);

      if (g_str_equal (interval->phase, phase))
        seconds += interval->end - interval->start;
    }
  return seconds;
}

/* Throughput over time: each chunk's rows and bytes spread evenly over
 * the time it ran, summed in buckets; and the chunks in flight. */
static JsonObject *
throughput_json (JournalData *data,
                 double      *peak_out,
                 double      *peak_running_out,
                 double      *data_start_out,
                 double      *data_end_out)
{
  JsonObject *throughput = json_object_new ();
  JsonArray *points = json_array_new ();
  double first = 0, finish = 0, bucket, origin = migration_origin (data);
  g_autofree double *bytes = NULL;
  g_autofree double *rows = NULL;
  g_autofree double *busy = NULL;
  double peak = 0, peak_running = 0;

  for (guint i = 0; i < data->chunks->len; i++)
    {
      Chunk *c = &g_array_index (data->chunks, Chunk, i);

      if (!c->done || c->started <= 0)
        continue;
      if (first == 0 || c->started < first)
        first = c->started;
      finish = MAX (finish, c->finished);
    }

  *data_start_out = first;
  *data_end_out = finish;

  if (first <= 0 || finish <= first)
    {
      json_object_set_double_member (throughput, "bucket_seconds", 0);
      json_object_set_array_member (throughput, "points", points);
      *peak_out = 0;
      *peak_running_out = 0;
      return throughput;
    }

  bucket = MAX ((finish - first) / THROUGHPUT_POINTS, 0.05);
  bytes = g_new0 (double, THROUGHPUT_POINTS + 1);
  rows = g_new0 (double, THROUGHPUT_POINTS + 1);
  busy = g_new0 (double, THROUGHPUT_POINTS + 1);

  for (guint i = 0; i < data->chunks->len; i++)
    {
      Chunk *c = &g_array_index (data->chunks, Chunk, i);
      double span;

      if (!c->done || c->started <= 0)
        continue;
      span = MAX (c->finished - c->started, 1e-6);
      for (int b = (int)((c->started - first) / bucket); b <= THROUGHPUT_POINTS; b++)
        {
          double lo = first + b * bucket, hi = lo + bucket;
          double overlap = MIN (hi, c->finished) - MAX (lo, c->started);

          if (lo > c->finished)
            break;
          if (overlap <= 0)
            continue;
          bytes[b] += c->bytes * overlap / span;
          rows[b] += c->rows * overlap / span;
          busy[b] += overlap;
        }
    }

  for (int b = 0; b <= THROUGHPUT_POINTS; b++)
    {
      JsonObject *o;
      double lo = first + b * bucket;
      double width = MIN (bucket, finish - lo);

      if (width <= bucket * 0.01)
        break;
      o = json_object_new ();
      json_object_set_double_member (o, "offset_seconds", round ((lo - origin) * 1000) / 1000);
      json_object_set_double_member (o, "bytes_per_second", round (bytes[b] / width));
      json_object_set_double_member (o, "rows_per_second", round (rows[b] / width));
      json_object_set_double_member (o, "running", round (100 * busy[b] / width) / 100);
      peak = MAX (peak, bytes[b] / width);
      peak_running = MAX (peak_running, busy[b] / width);
      array_add_object (points, o);
    }

  json_object_set_double_member (throughput, "bucket_seconds", round (bucket * 1000) / 1000);
  json_object_set_array_member (throughput, "points", points);
  *peak_out = peak;
  *peak_running_out = peak_running;
  return throughput;
}

/* The journal's state column changes when a run starts and ends; a run
 * that waits for the user (paused, or in error until a failed table is
 * resolved) says so in the audit trail. */
static const char *
effective_state (JournalData *data)
{
  const char *state = ferry_report_get_string (data->migration, "state");

  if (g_strcmp0 (state, "running") != 0)
    return state;
  for (guint i = data->events->len; i > 0; i--)
    {
      Event *e = &g_array_index (data->events, Event, i - 1);

      if (g_str_equal (e->action, "state"))
        {
          const char *to = state_target (e->detail);
          return to != NULL && (g_str_equal (to, "paused") || g_str_equal (to, "error")) ? to : state;
        }
    }
  return state;
}

static const char *
table_status (TableStat *stat,
              const char *migration_state)
{
  gboolean running = g_strcmp0 (migration_state, "running") == 0 ||
                     g_strcmp0 (migration_state, "paused") == 0 ||
                     g_strcmp0 (migration_state, "initializing") == 0;

  if (stat->chunks > 0 && stat->chunks_done == stat->chunks)
    return "completed";
  if (stat->skipped)
    return "skipped";
  if (stat->failed)
    return "failed";
  if (stat->chunks == 0)
    return "pending";
  if (running)
    return stat->chunks_done > 0 ? "running" : "pending";
  return stat->chunks_done > 0 ? "incomplete" : "pending";
}

/* ------------------------------------------------------------------ */
/* Progress                                                           */
/* ------------------------------------------------------------------ */

static void
add_error_counts (JsonObject  *errors,
                  JournalData *data,
                  JsonArray   *recent)
{
  static const char * const classes[] = { "temporary", "dependency", "data", "performance", "critical" };
  JsonObject *by_class = json_object_new ();
  guint counts[G_N_ELEMENTS (classes)] = { 0 };
  guint total = 0;
  g_autoptr(GRegex) regex = g_regex_new ("\\[([a-z]+)\\]: ", 0, 0, NULL);

  for (guint i = 0; i < data->events->len; i++)
    {
      Event *e = &g_array_index (data->events, Event, i);
      g_autoptr(GMatchInfo) match = NULL;

      if (!g_str_equal (e->action, "chunk-error") && !g_str_equal (e->action, "ddl-error"))
        continue;
      total++;
      if (e->detail != NULL && g_regex_match (regex, e->detail, 0, &match))
        {
          g_autofree char *cls = g_match_info_fetch (match, 1);
          for (guint c = 0; c < G_N_ELEMENTS (classes); c++)
            if (g_str_equal (cls, classes[c]))
              counts[c]++;
        }
    }

  for (guint c = 0; c < G_N_ELEMENTS (classes); c++)
    json_object_set_int_member (by_class, classes[c], counts[c]);
  json_object_set_int_member (errors, "total", total);
  json_object_set_object_member (errors, "by_class", by_class);

  /* The last few things that went wrong. */
  for (guint i = data->events->len; i > 0 && json_array_get_length (recent) < 10; i--)
    {
      Event *e = &g_array_index (data->events, Event, i - 1);
      static const char * const wrong[] = { "chunk-error", "ddl-error", "table-failed", "escalated",
                                            "validation-mismatch", "restore-failed", "left-not-valid", NULL };
      JsonObject *o;

      if (!g_strv_contains (wrong, e->action))
        continue;
      o = json_object_new ();
      set_time (o, "at", e->at);
      json_object_set_string_member (o, "action", e->action);
      set_string (o, "detail", e->detail);
      array_add_object (recent, o);
    }
}

static JsonObject *
build_progress_from_journal (Snapshot     *snapshot,
                             JournalData  *data)
{
  JsonObject *document = document_new (FERRY_REPORT_KIND_PROGRESS);
  JsonObject *p = json_object_new ();
  JsonObject *by_status = json_object_new ();
  JsonObject *errors = json_object_new ();
  JsonArray *recent = json_array_new ();
  JsonArray *tables = json_array_new ();
  JsonArray *failed = json_array_new ();
  const char *state = effective_state (data);
  gint64 rows_done = 0, bytes_done = 0, bytes_total = 0, rows_total = 0;
  guint chunks_done = 0, chunks_total = 0;
  guint status_counts[7] = { 0 };
  static const char * const statuses[] = { "pending", "running", "completed", "failed", "skipped",
                                           "incomplete", NULL };
  double now = data->finished > 0 ? data->finished : data->now;
  double recent_bytes = 0, recent_rows = 0, first = 0, busy_span = 0;
  g_autoptr(GArray) intervals = compute_intervals (data);
  const char *phase = NULL;

  add_migration (document, data);
  add_servers (document, snapshot->readiness, data);

  for (guint i = 0; i < data->tables->len; i++)
    {
      TableStat *stat = g_ptr_array_index (data->tables, i);
      const char *status = table_status (stat, state);
      JsonObject *o = json_object_new ();
      rows_done += stat->rows;
      bytes_done += stat->bytes;
      chunks_done += stat->chunks_done;
      chunks_total += stat->chunks;
      if (stat->est_rows > 0)
        rows_total += stat->est_rows;
      for (guint s = 0; statuses[s] != NULL; s++)
        if (g_str_equal (statuses[s], status))
          status_counts[s]++;

      json_object_set_string_member (o, "name", stat->name);
      json_object_set_string_member (o, "schema", stat->schema);
      json_object_set_string_member (o, "table", stat->table);
      json_object_set_string_member (o, "status", status);
      json_object_set_int_member (o, "chunks_done", stat->chunks_done);
      json_object_set_int_member (o, "chunks_total", stat->chunks);
      json_object_set_int_member (o, "rows_done", stat->rows);
      json_object_set_int_member (o, "bytes_done", stat->bytes);
      array_add_object (tables, o);

      if (g_str_equal (status, "failed"))
        {
          JsonObject *f = json_object_new ();
          json_object_set_string_member (f, "table", stat->name);
          set_string (f, "message", stat->failure);
          array_add_object (failed, f);
        }
    }

  /* Sizes per table, from the chunks' estimates. */
  {
    g_autoptr(GHashTable) est = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint c = 0; c < data->chunks->len; c++)
      {
        Chunk *chunk = &g_array_index (data->chunks, Chunk, c);
        g_autofree char *key = NULL;
        gint64 sum;

        if (chunk->split)
          continue;
        key = table_key (chunk->schema, chunk->table);
        sum = GPOINTER_TO_SIZE (g_hash_table_lookup (est, key)) + chunk->est_bytes;
        g_hash_table_insert (est, g_steal_pointer (&key), GSIZE_TO_POINTER ((gsize)sum));
        bytes_total += chunk->est_bytes;

        if (chunk->done && chunk->finished > now - 60)
          {
            recent_bytes += chunk->bytes;
            recent_rows += chunk->rows;
          }
        if (chunk->done && chunk->started > 0 && (first == 0 || chunk->started < first))
          first = chunk->started;
      }

    for (guint i = 0; i < json_array_get_length (tables); i++)
      {
        JsonObject *o = json_array_get_object_element (tables, i);
        g_autofree char *key = table_key (ferry_report_get_string (o, "schema"),
                                          ferry_report_get_string (o, "table"));
        gint64 total = GPOINTER_TO_SIZE (g_hash_table_lookup (est, key));
        gint64 done = ferry_report_get_int (o, "chunks_done", 0);
        gint64 n = ferry_report_get_int (o, "chunks_total", 0);

        json_object_set_int_member (o, "bytes_total", total);
        json_object_set_double_member (o, "percent", n > 0 ? round (1000.0 * done / n) / 10.0 : 0);
      }
  }

  for (guint i = 0; i < data->tables->len; i++)
    {
      TableStat *stat = g_ptr_array_index (data->tables, i);
      JsonObject *o = json_array_get_object_element (tables, i);

      json_object_set_int_member (o, "attempts", stat->max_attempts);
      set_string (o, "last_error", stat->failure ? stat->failure : stat->last_error);
    }

  busy_span = intervals_seconds (intervals, "data");
  if (intervals->len > 0)
    phase = g_array_index (intervals, Interval, intervals->len - 1).phase;
  if (g_strcmp0 (state, "completed") == 0)
    phase = "done";

  json_object_set_string_member (p, "source", "journal");
  set_string (p, "state", state);
  set_string (p, "phase", phase);
  json_object_set_double_member (p, "percent",
                                 chunks_total > 0 ? round (1000.0 * chunks_done / chunks_total) / 10.0 : 0);
  json_object_set_int_member (p, "rows_done", rows_done);
  json_object_set_int_member (p, "rows_total", rows_total);
  json_object_set_int_member (p, "bytes_done", bytes_done);
  json_object_set_int_member (p, "bytes_total", bytes_total);
  json_object_set_int_member (p, "chunks_done", chunks_done);
  json_object_set_int_member (p, "chunks_total", chunks_total);
  set_double_or_null (p, "elapsed_seconds", data->started > 0 ? now - data->started : -1);
  {
    gboolean running = g_strcmp0 (state, "running") == 0;
    double average = busy_span > 0 ? bytes_done / busy_span : 0;
    double average_rows = busy_span > 0 ? rows_done / busy_span : 0;

    set_double_or_null (p, "bytes_per_second", running ? recent_bytes / 60.0 : -1);
    set_double_or_null (p, "rows_per_second", running ? recent_rows / 60.0 : -1);
    json_object_set_double_member (p, "average_bytes_per_second", round (average));
    json_object_set_double_member (p, "average_rows_per_second", round (average_rows));
    if (g_strcmp0 (state, "completed") == 0)
      json_object_set_double_member (p, "eta_seconds", 0);
    else
      set_double_or_null (p, "eta_seconds",
                          running && average > 1 ? MAX (bytes_total - bytes_done, 0) / average : -1);
  }
  (void)first;

  json_object_set_int_member (by_status, "total", data->tables->len);
  for (guint s = 0; statuses[s] != NULL; s++)
    json_object_set_int_member (by_status, statuses[s], status_counts[s]);
  json_object_set_object_member (p, "tables", by_status);
  json_object_set_array_member (p, "running", json_array_new ());
  json_object_set_boolean_member (p, "running_known", FALSE);
  add_error_counts (errors, data, recent);
  json_object_set_object_member (p, "errors", errors);
  json_object_set_array_member (p, "recent_errors", recent);
  json_object_set_array_member (p, "failed_tables", failed);
  set_string (p, "last_error", NULL);

  json_object_set_object_member (document, "progress", p);
  json_object_set_array_member (document, "tables", tables);
  return document;
}

static JsonObject *
build_progress_live (Snapshot     *snapshot,
                     JournalData  *data)
{
  JsonObject *document = document_new (FERRY_REPORT_KIND_PROGRESS);
  JsonObject *status = json_node_get_object (snapshot->status);
  JsonObject *p = json_object_new ();
  JsonObject *by_status = json_object_new ();
  JsonObject *errors = json_object_new ();
  JsonObject *by_class = json_object_new ();
  JsonObject *live_counts = ferry_report_get_object (status, "tables");
  JsonObject *live_errors = ferry_report_get_object (status, "errors");
  JsonArray *running = json_array_new ();
  JsonArray *failed = json_array_new ();
  JsonArray *recent = json_array_new ();
  JsonArray *tables = json_array_new ();
  JsonArray *from;
  gint64 error_total = 0;
  const char *state = ferry_report_get_string (status, "state");

  if (data != NULL)
    add_migration (document, data);
  else if (snapshot->migration_id > 0)
    {
      JsonObject *m = json_object_new ();
      json_object_set_int_member (m, "id", snapshot->migration_id);
      set_string (m, "state", state);
      json_object_set_object_member (document, "migration", m);
    }
  else
    json_object_set_null_member (document, "migration");
  add_servers (document, snapshot->readiness, data);

  json_object_set_string_member (p, "source", "live");
  set_string (p, "state", state);
  set_string (p, "phase", ferry_report_get_string (status, "phase"));
  json_object_set_double_member (p, "percent", round (ferry_report_get_double (status, "percent", 0) * 10) / 10);
  for (guint i = 0; i < 6; i++)
    {
      const char *k = (const char *[]) { "rows_done", "rows_total", "bytes_done", "bytes_total",
                                          "chunks_done", "chunks_total" }[i];
      json_object_set_int_member (p, k, MAX (ferry_report_get_int (status, k, 0), 0));
    }
  set_double_or_null (p, "elapsed_seconds", snapshot->elapsed > 0 ? snapshot->elapsed : -1);
  set_double_or_null (p, "bytes_per_second", ferry_report_get_double (status, "bytes_per_second", -1));
  set_double_or_null (p, "rows_per_second", ferry_report_get_double (status, "rows_per_second", -1));
  json_object_set_double_member (p, "average_bytes_per_second", round (snapshot->average_bytes_per_second));
  json_object_set_double_member (p, "average_rows_per_second",
                                 snapshot->elapsed > 0
                                   ? round (ferry_report_get_int (status, "rows_done", 0) / snapshot->elapsed) : 0);
  set_double_or_null (p, "eta_seconds", ferry_report_get_double (status, "eta_seconds", -1));

  json_object_set_int_member (by_status, "total", ferry_report_get_int (live_counts, "total", 0) -
                                                  ferry_report_get_int (live_counts, "excluded", 0));
  json_object_set_int_member (by_status, "pending", ferry_report_get_int (live_counts, "pending", 0) +
                                                    ferry_report_get_int (live_counts, "waiting", 0));
  for (guint i = 0; i < 4; i++)
    {
      const char *k = (const char *[]) { "running", "completed", "failed", "skipped" }[i];
      json_object_set_int_member (by_status, k, ferry_report_get_int (live_counts, k, 0));
    }
  json_object_set_int_member (by_status, "incomplete", 0);
  json_object_set_object_member (p, "tables", by_status);

  from = ferry_report_get_array (status, "running");
  for (guint i = 0; from != NULL && i < json_array_get_length (from); i++)
    {
      JsonObject *r = json_array_get_object_element (from, i);
      JsonObject *o = json_object_new ();

      set_string (o, "kind", ferry_report_get_string (r, "kind"));
      set_string (o, "table", ferry_report_get_string (r, "table"));
      json_object_set_int_member (o, "chunk", ferry_report_get_int (r, "chunk", 0));
      json_object_set_int_member (o, "rows", ferry_report_get_int (r, "rows", 0));
      json_object_set_int_member (o, "bytes", ferry_report_get_int (r, "bytes", 0));
      array_add_object (running, o);
    }
  json_object_set_array_member (p, "running", running);
  json_object_set_boolean_member (p, "running_known", TRUE);

  if (live_errors != NULL)
    {
      GList *members = json_object_get_members (live_errors);

      for (GList *l = members; l != NULL; l = l->next)
        {
          gint64 n = ferry_report_get_int (live_errors, l->data, 0);
          json_object_set_int_member (by_class, l->data, n);
          error_total += n;
        }
      g_list_free (members);
    }
  json_object_set_int_member (errors, "total", error_total);
  json_object_set_object_member (errors, "by_class", by_class);
  json_object_set_object_member (p, "errors", errors);

  if (data != NULL)
    {
      g_autoptr(JsonObject) scratch = json_object_new ();
      add_error_counts (scratch, data, recent);
    }
  json_object_set_array_member (p, "recent_errors", recent);

  from = ferry_report_get_array (status, "failed_tables");
  for (guint i = 0; from != NULL && i < json_array_get_length (from); i++)
    {
      JsonObject *f = json_array_get_object_element (from, i);
      JsonObject *o = json_object_new ();

      set_string (o, "table", ferry_report_get_string (f, "table"));
      set_string (o, "message", ferry_report_get_string (f, "message"));
      set_string (o, "class", ferry_report_get_string (f, "class"));
      set_string (o, "sqlstate", ferry_report_get_string (f, "sqlstate"));
      array_add_object (failed, o);
    }
  json_object_set_array_member (p, "failed_tables", failed);
  set_string (p, "last_error", ferry_report_get_string (status, "last_error"));
  json_object_set_object_member (document, "progress", p);

  from = json_node_get_array (snapshot->live_tables);
  for (guint i = 0; i < json_array_get_length (from); i++)
    {
      JsonObject *t = json_array_get_object_element (from, i);
      JsonObject *o = json_object_new ();
      const char *st = ferry_report_get_string (t, "status");

      set_string (o, "name", ferry_report_get_string (t, "name"));
      set_string (o, "schema", ferry_report_get_string (t, "schema"));
      set_string (o, "table", ferry_report_get_string (t, "table"));
      json_object_set_string_member (o, "status", g_strcmp0 (st, "waiting") == 0 ? "pending" : st);
      if (data != NULL)
        {
          g_autofree char *key = table_key (ferry_report_get_string (t, "schema"),
                                            ferry_report_get_string (t, "table"));
          TableStat *stat = g_hash_table_lookup (data->by_key, key);

          json_object_set_int_member (o, "chunks_done", stat ? stat->chunks_done : 0);
          json_object_set_int_member (o, "chunks_total", stat ? stat->chunks : 0);
        }
      else
        {
          json_object_set_int_member (o, "chunks_done", 0);
          json_object_set_int_member (o, "chunks_total", 0);
        }
      json_object_set_int_member (o, "rows_done", ferry_report_get_int (t, "rows_done", 0));
      json_object_set_int_member (o, "bytes_done", ferry_report_get_int (t, "bytes_done", 0));
      json_object_set_int_member (o, "bytes_total", ferry_report_get_int (t, "bytes_total", 0));
      json_object_set_double_member (o, "percent", ferry_report_get_double (t, "percent", 0));
      json_object_set_int_member (o, "attempts", ferry_report_get_int (t, "attempts", 0));
      set_string (o, "last_error", ferry_report_get_string (t, "last_error"));
      array_add_object (tables, o);
    }
  json_object_set_array_member (document, "tables", tables);

  return document;
}

/* ------------------------------------------------------------------ */
/* Performance                                                        */
/* ------------------------------------------------------------------ */

typedef struct
{
  char       *cls;
  char       *message;
  guint       count;
  GPtrArray  *tables;
} Cause;

static void
cause_free (Cause *cause)
{
  g_free (cause->cls);
  g_free (cause->message);
  g_ptr_array_unref (cause->tables);
  g_free (cause);
}

static int
compare_causes (gconstpointer a,
                gconstpointer b)
{
  const Cause *x = *(const Cause **)a;
  const Cause *y = *(const Cause **)b;

  return (int)y->count - (int)x->count;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  const TableStat *x = *(const TableStat **)a;
  const TableStat *y = *(const TableStat **)b;

  return strcmp (x->name, y->name);
}

/* The tables by name: the order of the completion and performance
 * documents, stable from one run to the next. */
static GPtrArray *
tables_by_name (JournalData *data)
{
  GPtrArray *sorted = g_ptr_array_new ();

  for (guint i = 0; i < data->tables->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (data->tables, i));
  g_ptr_array_sort (sorted, compare_names);
  return sorted;
}

static int
compare_busy (gconstpointer a,
              gconstpointer b)
{
  const TableStat *x = *(const TableStat **)a;
  const TableStat *y = *(const TableStat **)b;
  double dx = x->last_finish - x->first_start;
  double dy = y->last_finish - y->first_start;

  if (x->busy != y->busy)
    return x->busy < y->busy ? 1 : -1;
  return dx < dy ? 1 : dx > dy ? -1 : 0;
}

static JsonObject *
retries_json (JournalData *data)
{
  JsonObject *retries = json_object_new ();
  JsonObject *by_class = json_object_new ();
  JsonArray *causes = json_array_new ();
  JsonArray *events = json_array_new ();
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)cause_free);
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GRegex) regex = g_regex_new ("^ #([0-9]+) attempt ([0-9]+) \\[([a-z]+)\\]: (.*)$",
                                         G_REGEX_DOTALL, 0, NULL);
  guint counts[5] = { 0 };
  static const char * const classes[] = { "temporary", "dependency", "data", "performance", "critical" };
  guint total = 0, splits = 0, retried = 0;

  for (guint i = 0; i < data->events->len; i++)
    {
      Event *e = &g_array_index (data->events, Event, i);
      const char *rest = NULL;
      TableStat *stat;
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *number = NULL;
      g_autofree char *attempt = NULL;
      g_autofree char *cls = NULL;
      g_autofree char *message = NULL;
      g_autofree char *key = NULL;
      g_autofree char *first_line = NULL;
      Cause *cause;

      if (g_str_equal (e->action, "split"))
        splits++;
      if (g_str_equal (e->action, "retry"))
        retried++;
      if (!g_str_equal (e->action, "chunk-error"))
        continue;

      total++;
      stat = event_table (data, e->detail, &rest);
      if (stat == NULL || !g_regex_match (regex, rest, 0, &match))
        {
          cls = g_strdup ("unknown");
          message = g_strdup (e->detail ? e->detail : "");
        }
      else
        {
          number = g_match_info_fetch (match, 1);
          attempt = g_match_info_fetch (match, 2);
          cls = g_match_info_fetch (match, 3);
          message = g_match_info_fetch (match, 4);
        }

      for (guint c = 0; c < G_N_ELEMENTS (classes); c++)
        if (g_str_equal (cls, classes[c]))
          counts[c]++;

      /* Causes: one per class and first line of the message. */
      first_line = g_strndup (message, strcspn (message, "\n"));
      if (g_utf8_strlen (first_line, -1) > 200)
        {
          char *end = g_utf8_offset_to_pointer (first_line, 200);
          *end = '\0';
        }
      key = g_strconcat (cls, "\x1f", first_line, NULL);
      cause = g_hash_table_lookup (by_key, key);
      if (cause == NULL)
        {
          cause = g_new0 (Cause, 1);
          cause->cls = g_strdup (cls);
          cause->message = g_strdup (first_line);
          cause->tables = g_ptr_array_new ();
          g_ptr_array_add (list, cause);
          g_hash_table_insert (by_key, g_steal_pointer (&key), cause);
        }
      cause->count++;
      if (stat != NULL && !g_ptr_array_find (cause->tables, stat->name, NULL))
        g_ptr_array_add (cause->tables, stat->name);

      if (json_array_get_length (events) < MAX_RETRY_EVENTS)
        {
          JsonObject *o = json_object_new ();

          set_time (o, "at", e->at);
          set_string (o, "table", stat ? stat->name : NULL);
          json_object_set_int_member (o, "chunk", number ? g_ascii_strtoll (number, NULL, 10) : 0);
          json_object_set_int_member (o, "attempt", attempt ? g_ascii_strtoll (attempt, NULL, 10) : 0);
          json_object_set_string_member (o, "class", cls);
          json_object_set_string_member (o, "message", message);
          array_add_object (events, o);
        }
    }

  g_ptr_array_sort (list, compare_causes);
  for (guint i = 0; i < list->len; i++)
    {
      Cause *cause = g_ptr_array_index (list, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "class", cause->cls);
      json_object_set_string_member (o, "message", cause->message);
      json_object_set_int_member (o, "count", cause->count);
      json_object_set_array_member (o, "tables", string_array (cause->tables));
      array_add_object (causes, o);
    }

  for (guint c = 0; c < G_N_ELEMENTS (classes); c++)
    json_object_set_int_member (by_class, classes[c], counts[c]);
  json_object_set_int_member (retries, "errors", total);
  json_object_set_int_member (retries, "retries", retried);
  json_object_set_int_member (retries, "splits", splits);
  json_object_set_object_member (retries, "by_class", by_class);
  json_object_set_array_member (retries, "causes", causes);
  json_object_set_array_member (retries, "events", events);
  json_object_set_boolean_member (retries, "events_truncated", total > MAX_RETRY_EVENTS);
  return retries;
}

static JsonObject *
build_performance (Snapshot     *snapshot,
                   JournalData  *data)
{
  JsonObject *document = document_new (FERRY_REPORT_KIND_PERFORMANCE);
  JsonObject *summary = json_object_new ();
  JsonObject *workers = json_object_new ();
  JsonArray *tables = json_array_new ();
  JsonArray *slowest = json_array_new ();
  JsonArray *timeline = NULL;
  JsonArray *phases;
  JsonObject *throughput;
  g_autoptr(GArray) intervals = compute_intervals (data);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GPtrArray) by_name = NULL;
  double peak = 0, peak_running = 0, data_start = 0, data_end = 0;
  double busy = 0, data_seconds, wall;
  gint64 rows = 0, bytes = 0;
  guint max_parallel = snapshot->max_parallel;
  JsonObject *config = data->config;
  double end = data->finished > 0 ? data->finished : data->now;

  add_migration (document, data);
  add_servers (document, snapshot->readiness, data);

  /* The workers the run had: from the configuration it was started with. */
  if (config != NULL && ferry_report_get_string (config, "yaml") != NULL)
    {
      g_autoptr(FerryConfig) used = ferry_config_new_from_data (ferry_report_get_string (config, "yaml"),
                                                                -1, "journal", NULL);
      if (used != NULL)
        max_parallel = ferry_config_get_max_parallel (used);
    }
  if (max_parallel == 0)
    max_parallel = FERRY_CONFIG_DEFAULT_MAX_PARALLEL;

  phases = phases_json (data, intervals, &timeline);
  throughput = throughput_json (data, &peak, &peak_running, &data_start, &data_end);
  by_name = tables_by_name (data);

  for (guint i = 0; i < by_name->len; i++)
    {
      TableStat *stat = g_ptr_array_index (by_name, i);
      JsonObject *o = json_object_new ();
      double elapsed = stat->first_start > 0 ? stat->last_finish - stat->first_start : -1;

      rows += stat->rows;
      bytes += stat->bytes;
      busy += stat->busy;

      json_object_set_string_member (o, "name", stat->name);
      json_object_set_string_member (o, "schema", stat->schema);
      json_object_set_string_member (o, "table", stat->table);
      json_object_set_int_member (o, "chunks", stat->chunks);
      json_object_set_int_member (o, "rows", stat->rows);
      json_object_set_int_member (o, "bytes", stat->bytes);
      set_time (o, "started_at", stat->first_start);
      set_time (o, "finished_at", stat->last_finish);
      set_double_or_null (o, "elapsed_seconds", elapsed);
      json_object_set_double_member (o, "busy_seconds", round (stat->busy * 1000) / 1000);
      set_double_or_null (o, "bytes_per_second", stat->busy > 0 ? stat->bytes / stat->busy : -1);
      set_double_or_null (o, "rows_per_second", stat->busy > 0 ? stat->rows / stat->busy : -1);
      json_object_set_int_member (o, "attempts", stat->max_attempts);
      json_object_set_int_member (o, "retries", stat->retries);
      set_double_or_null (o, "start_offset_seconds",
                          stat->first_start > 0 ? stat->first_start - migration_origin (data) : -1);
      array_add_object (tables, o);

      if (stat->chunks_done > 0)
        g_ptr_array_add (sorted, stat);
    }

  g_ptr_array_sort (sorted, compare_busy);
  for (guint i = 0; i < sorted->len && i < SLOWEST_TABLES; i++)
    {
      TableStat *stat = g_ptr_array_index (sorted, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "name", stat->name);
      json_object_set_double_member (o, "busy_seconds", round (stat->busy * 1000) / 1000);
      set_double_or_null (o, "elapsed_seconds", stat->last_finish - stat->first_start);
      json_object_set_int_member (o, "chunks", stat->chunks);
      json_object_set_int_member (o, "rows", stat->rows);
      json_object_set_int_member (o, "bytes", stat->bytes);
      set_double_or_null (o, "bytes_per_second", stat->busy > 0 ? stat->bytes / stat->busy : -1);
      json_object_set_double_member (o, "share", busy > 0 ? round (1000.0 * stat->busy / busy) / 10.0 : 0);
      array_add_object (slowest, o);
    }

  data_seconds = intervals_seconds (intervals, "data");
  if (data_seconds <= 0 && data_end > data_start)
    data_seconds = data_end - data_start;
  wall = data->started > 0 ? end - migration_origin (data) : -1;

  set_time (summary, "started_at", data->started);
  set_time (summary, "finished_at", data->finished);
  set_double_or_null (summary, "wall_seconds", wall);
  set_double_or_null (summary, "data_seconds", data_seconds > 0 ? data_seconds : -1);
  json_object_set_int_member (summary, "rows", rows);
  json_object_set_int_member (summary, "bytes", bytes);
  json_object_set_int_member (summary, "tables", data->tables->len);
  json_object_set_int_member (summary, "chunks", data->chunks->len);
  json_object_set_double_member (summary, "average_bytes_per_second",
                                 data_seconds > 0 ? round (bytes / data_seconds) : 0);
  json_object_set_double_member (summary, "average_rows_per_second",
                                 data_seconds > 0 ? round (rows / data_seconds) : 0);
  json_object_set_double_member (summary, "peak_bytes_per_second", round (peak));

  json_object_set_int_member (workers, "max_parallel", max_parallel);
  json_object_set_double_member (workers, "busy_seconds", round (busy * 1000) / 1000);
  json_object_set_double_member (workers, "capacity_seconds", round (max_parallel * data_seconds * 1000) / 1000);
  json_object_set_double_member (workers, "utilisation_percent",
                                 data_seconds > 0 ? MIN (100.0, round (1000.0 * busy / (max_parallel * data_seconds)) / 10.0) : 0);
  json_object_set_double_member (workers, "average_running", data_seconds > 0 ? round (100 * busy / data_seconds) / 100 : 0);
  json_object_set_double_member (workers, "peak_running", round (peak_running * 100) / 100);

  json_object_set_object_member (document, "summary", summary);
  json_object_set_array_member (document, "phases", phases);
  json_object_set_array_member (document, "timeline", timeline);
  json_object_set_object_member (document, "throughput", throughput);
  json_object_set_object_member (document, "workers", workers);
  json_object_set_array_member (document, "slowest", slowest);
  json_object_set_object_member (document, "retries", retries_json (data));
  json_object_set_array_member (document, "tables", tables);
  return document;
}

/* ------------------------------------------------------------------ */
/* Completion                                                         */
/* ------------------------------------------------------------------ */

static gboolean
is_audit_event (const char *action)
{
  /* What people did and what changed the course of the run; the rest
   * (each table, chunk, error and restored object) is in the tables. */
  static const char * const noise[] = { "table-completed", "restored", "chunk-error", "retry",
                                        "split", "ddl-error", NULL };

  return !g_strv_contains (noise, action);
}

/* The configuration without its comments: "section.key" = value. */
static void
add_config (JsonObject  *document,
            JournalData *data)
{
  JsonObject *config = json_object_new ();
  JsonArray *settings = json_array_new ();
  const char *yaml = ferry_report_get_string (data->config, "yaml");
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GString) clean = g_string_new (NULL);
  g_autofree char *section = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *last = NULL;

  if (ferry_report_get_string (data->config, "source") != NULL)
    source = ferry_conninfo_mask (ferry_report_get_string (data->config, "source"));
  if (ferry_report_get_string (data->config, "target") != NULL)
    target = ferry_conninfo_mask (ferry_report_get_string (data->config, "target"));
  set_string (config, "source", source);
  set_string (config, "target", target);

  lines = g_strsplit (yaml ? yaml : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *text = line + strspn (line, " ");
      gboolean indented = text != line;
      const char *colon;
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (*text == '\0' || *text == '#')
        continue;
      g_string_append (clean, line);
      g_string_append_c (clean, '\n');

      if (g_str_has_prefix (text, "- ") && last != NULL)
        {
          /* An item of a block list: appended to the previous setting. */
          const char *before = ferry_report_get_string (last, "value");
          g_autofree char *joined = g_strdup_printf ("%s%s%s", before && !g_str_equal (before, "") ? before : "",
                                                     before && !g_str_equal (before, "") ? ", " : "", text + 2);
          json_object_set_string_member (last, "value", joined);
          continue;
        }

      colon = strstr (text, ":");
      if (colon == NULL)
        continue;
      key = g_strndup (text, colon - text);
      value = g_strstrip (g_strdup (colon + 1));

      if (!indented && *value == '\0')
        {
          replace_str (&section, key);
          continue;
        }
      if (!indented)
        g_clear_pointer (&section, g_free);

      last = json_object_new ();
      {
        g_autofree char *path = section ? g_strconcat (section, ".", key, NULL) : g_strdup (key);
        /* Connection strings: masked once more, whatever the file said. */
        if (g_str_equal (path, "source") || g_str_equal (path, "target"))
          {
            g_autofree char *unquoted = g_shell_unquote (value, NULL);
            g_autofree char *masked = ferry_conninfo_mask (unquoted ? unquoted : value);
            replace_str (&value, masked && *masked ? masked : "***");
          }
        if (g_str_has_prefix (value, "\"") && g_str_has_suffix (value, "\"") && strlen (value) >= 2)
          {
            g_autofree char *inner = g_strndup (value + 1, strlen (value) - 2);
            replace_str (&value, inner);
          }
        json_object_set_string_member (last, "key", path);
        json_object_set_string_member (last, "value", g_str_equal (value, "[]") ? "" : value);
      }
      array_add_object (settings, last);
    }

  json_object_set_array_member (config, "settings", settings);
  json_object_set_object_member (document, "config", config);
}

static JsonObject *
build_completion (Snapshot     *snapshot,
                  JournalData  *data)
{
  JsonObject *document = document_new (FERRY_REPORT_KIND_COMPLETION);
  JsonObject *outcome = json_object_new ();
  JsonObject *totals = json_object_new ();
  JsonObject *sequences = json_object_new ();
  JsonObject *ddl_totals = json_object_new ();
  JsonArray *tables = json_array_new ();
  JsonArray *ddl = json_array_new ();
  JsonArray *audit = json_array_new ();
  JsonArray *sequence_list = json_array_new ();
  JsonObject *omitted = json_object_new ();
  const char *state = effective_state (data);
  guint n_completed = 0, n_failed = 0, n_skipped = 0, n_other = 0;
  guint parts = 0, mismatched_parts = 0, mismatched_tables = 0, validated_tables = 0;
  gint64 source_rows = 0, target_rows = 0, rows = 0, bytes = 0;
  guint ddl_restored = 0, ddl_validated = 0, ddl_pending = 0, ddl_not_valid = 0;
  const char *status;
  const char *mode = NULL;
  g_autofree char *summary = NULL;
  const char *sequences_detail = NULL;
  g_autoptr(GPtrArray) by_name = tables_by_name (data);

  add_migration (document, data);
  add_servers (document, snapshot->readiness, data);

  for (guint i = 0; i < by_name->len; i++)
    {
      TableStat *stat = g_ptr_array_index (by_name, i);
      const char *st = table_status (stat, state);
      JsonObject *o = json_object_new ();
      const char *checksum;

      if (g_str_equal (st, "completed"))
        n_completed++;
      else if (g_str_equal (st, "failed"))
        n_failed++;
      else if (g_str_equal (st, "skipped"))
        n_skipped++;
      else
        n_other++;
      rows += stat->rows;
      bytes += stat->bytes;
      parts += stat->parts;
      mismatched_parts += stat->mismatches;
      if (stat->parts > 0)
        {
          validated_tables++;
          source_rows += stat->source_rows;
          target_rows += stat->target_rows;
          if (stat->mismatches > 0)
            mismatched_tables++;
        }

      if (stat->parts == 0)
        checksum = "not-checked";
      else if (!stat->has_checksum)
        checksum = stat->mismatches > 0 ? "count-mismatch" : "count-only";
      else
        checksum = stat->mismatches > 0 ? "mismatch" : "match";

      json_object_set_string_member (o, "name", stat->name);
      json_object_set_string_member (o, "schema", stat->schema);
      json_object_set_string_member (o, "table", stat->table);
      json_object_set_string_member (o, "status", st);
      if (stat->parts > 0)
        {
          json_object_set_int_member (o, "source_rows", stat->source_rows);
          json_object_set_int_member (o, "target_rows", stat->target_rows);
          json_object_set_boolean_member (o, "rows_match", stat->source_rows == stat->target_rows);
        }
      else
        {
          json_object_set_null_member (o, "source_rows");
          json_object_set_null_member (o, "target_rows");
          json_object_set_null_member (o, "rows_match");
        }
      json_object_set_int_member (o, "rows_copied", stat->rows);
      json_object_set_int_member (o, "bytes", stat->bytes);
      json_object_set_string_member (o, "checksum", checksum);
      json_object_set_int_member (o, "validated_parts", stat->parts);
      json_object_set_int_member (o, "mismatched_parts", stat->mismatches);
      set_double_or_null (o, "duration_seconds",
                          stat->first_start > 0 ? stat->last_finish - stat->first_start : -1);
      json_object_set_int_member (o, "chunks", stat->chunks);
      json_object_set_int_member (o, "attempts", stat->max_attempts);
      json_object_set_int_member (o, "retries", stat->retries);
      json_object_set_array_member (o, "resolutions", string_array (stat->resolutions));
      set_string (o, "error", g_str_equal (st, "completed") ? NULL
                              : stat->failure ? stat->failure : stat->last_error);
      array_add_object (tables, o);
    }

  /* The validation mode the run used. */
  {
    JsonArray *settings = NULL;

    add_config (document, data);
    settings = ferry_report_get_array (ferry_report_get_object (document, "config"), "settings");
    for (guint i = 0; settings != NULL && i < json_array_get_length (settings); i++)
      {
        JsonObject *s = json_array_get_object_element (settings, i);
        if (g_strcmp0 (ferry_report_get_string (s, "key"), "migration.validation") == 0)
          mode = ferry_report_get_string (s, "value");
      }
  }

  /* "NAME stays NOT VALID: why" (ferry-journal.c): a few at most. */
  {
    g_autoptr(GPtrArray) not_valid = g_ptr_array_new ();

    for (guint e = 0; e < data->events->len; e++)
      {
        Event *ev = &g_array_index (data->events, Event, e);

        if (g_str_equal (ev->action, "left-not-valid") && ev->detail != NULL)
          g_ptr_array_add (not_valid, ev->detail);
      }

  for (guint i = 0; i < data->ddl->len; i++)
    {
      Ddl *d = &g_array_index (data->ddl, Ddl, i);
      JsonObject *o = json_object_new ();
      g_autofree char *table = d->schema && d->table ? display_name (d->schema, d->table) : NULL;
      g_autofree char *ref = d->ref_schema && d->ref_name ? display_name (d->ref_schema, d->ref_name) : NULL;
      const char *st;
      gboolean left_not_valid = FALSE;

      for (guint e = 0; e < not_valid->len && d->object != NULL && *d->object != '\0'; e++)
        {
          const char *detail = g_ptr_array_index (not_valid, e);
          left_not_valid |= g_str_has_prefix (detail, d->object) && detail[strlen (d->object)] == ' ';
        }

      if (d->restored <= 0)
        st = "pending", ddl_pending++;
      else if (d->needs_validation && d->validated <= 0)
        st = left_not_valid ? "not-valid" : "restored", ddl_not_valid += left_not_valid ? 1 : 0,
        ddl_restored++;
      else if (d->needs_validation)
        st = "validated", ddl_validated++, ddl_restored++;
      else
        st = "restored", ddl_restored++;

      set_string (o, "kind", d->kind);
      set_string (o, "table", table);
      set_string (o, "object", d->object && *d->object ? d->object : NULL);
      set_string (o, "references", ref);
      set_time (o, "dropped_at", d->dropped);
      set_time (o, "restored_at", d->restored);
      set_time (o, "validated_at", d->validated);
      json_object_set_string_member (o, "status", st);
      array_add_object (ddl, o);
    }
  }
  json_object_set_int_member (ddl_totals, "total", data->ddl->len);
  json_object_set_int_member (ddl_totals, "restored", ddl_restored);
  json_object_set_int_member (ddl_totals, "validated", ddl_validated);
  json_object_set_int_member (ddl_totals, "pending", ddl_pending);
  json_object_set_int_member (ddl_totals, "not_valid", ddl_not_valid);

  for (guint i = 0; i < data->events->len; i++)
    {
      Event *e = &g_array_index (data->events, Event, i);
      JsonObject *o;

      if (g_str_equal (e->action, "sequences"))
        sequences_detail = e->detail;
      if (!is_audit_event (e->action))
        {
          json_object_set_int_member (omitted, e->action, ferry_report_get_int (omitted, e->action, 0) + 1);
          continue;
        }
      o = json_object_new ();
      set_time (o, "at", e->at);
      set_string (o, "actor", e->actor);
      set_string (o, "db_user", e->db_user);
      set_string (o, "host", e->host);
      json_object_set_int_member (o, "pid", e->pid);
      set_string (o, "action", e->action);
      set_string (o, "detail", e->detail);
      array_add_object (audit, o);
    }

  /* "54 of 54 sequences set …": the two numbers, whatever the language. */
  {
    gint64 numbers[2] = { -1, -1 };
    guint n = 0;

    for (const char *p = sequences_detail; p != NULL && *p != '\0' && n < 2; p++)
      if (g_ascii_isdigit (*p))
        {
          char *end = NULL;
          numbers[n++] = g_ascii_strtoll (p, &end, 10);
          p = end - 1;
        }
    if (n == 2)
      {
        json_object_set_int_member (sequences, "set", numbers[0]);
        json_object_set_int_member (sequences, "total", numbers[1]);
      }
    else
      {
        json_object_set_null_member (sequences, "set");
        json_object_set_null_member (sequences, "total");
      }
    set_string (sequences, "detail", sequences_detail);
    for (guint i = 0; i < data->sequences->len; i++)
      json_array_add_object_element (sequence_list,
                                     json_object_ref (g_ptr_array_index (data->sequences, i)));
    json_object_set_array_member (sequences, "on_target", sequence_list);
  }

  /* The outcome, in one word and one sentence. */
  if (g_strcmp0 (state, "completed") == 0 && n_failed == 0 && mismatched_parts == 0 && n_skipped == 0 &&
      ddl_pending == 0 && ddl_not_valid == 0)
    {
      status = "success";
      summary = g_strdup_printf (validated_tables > 0
                                   ? _("Every table was copied and validated: %u tables, the row counts%s match.")
                                   : _("Every table was copied: %u tables%s. No validation was configured."),
                                 n_completed,
                                 validated_tables == 0 ? ""
                                 : g_strcmp0 (mode, "checksums") == 0 ? _(" and checksums") : "");
    }
  else if (g_strcmp0 (state, "completed") == 0 && n_failed == 0 && mismatched_parts == 0)
    {
      status = "warning";
      summary = g_strdup_printf (_("Completed with exceptions: %u tables skipped, %u constraints or indexes "
                                   "not restored or not valid."),
                                 n_skipped, ddl_pending + ddl_not_valid);
    }
  else if (g_strcmp0 (state, "running") == 0 || g_strcmp0 (state, "paused") == 0 ||
           g_strcmp0 (state, "initializing") == 0)
    {
      status = "running";
      summary = g_strdup_printf (_("The migration is still %s: %u of %u tables are complete."),
                                 state, n_completed, data->tables->len);
    }
  else if (g_strcmp0 (state, "stopped") == 0 || g_strcmp0 (state, "aborted") == 0)
    {
      status = "stopped";
      summary = g_strdup_printf (_("The migration was %s before the end: %u of %u tables are complete."),
                                 state, n_completed, data->tables->len);
    }
  else
    {
      status = "failed";
      if (mismatched_parts > 0)
        summary = g_strdup_printf (_("The validation found differences in %u tables; %u tables failed."),
                                   mismatched_tables, n_failed);
      else
        summary = g_strdup_printf (_("The migration did not complete: %u tables failed, %u are not complete."),
                                   n_failed, n_other);
    }

  json_object_set_string_member (outcome, "status", status);
  set_string (outcome, "state", state);
  json_object_set_string_member (outcome, "summary", summary);

  json_object_set_int_member (totals, "tables", data->tables->len);
  json_object_set_int_member (totals, "completed", n_completed);
  json_object_set_int_member (totals, "failed", n_failed);
  json_object_set_int_member (totals, "skipped", n_skipped);
  json_object_set_int_member (totals, "not_complete", n_other);
  json_object_set_int_member (totals, "rows_copied", rows);
  json_object_set_int_member (totals, "bytes_copied", bytes);
  json_object_set_int_member (totals, "validated_tables", validated_tables);
  json_object_set_int_member (totals, "mismatched_tables", mismatched_tables);
  json_object_set_int_member (totals, "validated_parts", parts);
  json_object_set_int_member (totals, "mismatched_parts", mismatched_parts);
  json_object_set_int_member (totals, "source_rows", source_rows);
  json_object_set_int_member (totals, "target_rows", target_rows);
  set_string (totals, "validation", mode);

  json_object_set_object_member (document, "outcome", outcome);
  json_object_set_object_member (document, "totals", totals);
  json_object_set_array_member (document, "tables", tables);
  json_object_set_object_member (document, "sequences", sequences);
  {
    JsonObject *large_objects = json_object_new ();

    json_object_set_int_member (large_objects, "copied", data->lo_objects);
    json_object_set_int_member (large_objects, "bytes", data->lo_bytes);
    json_object_set_int_member (large_objects, "batches", data->lo_batches);
    json_object_set_boolean_member (large_objects, "validated", data->lo_validated);
    if (data->lo_validated)
      {
        json_object_set_boolean_member (large_objects, "matches", data->lo_matches);
        json_object_set_int_member (large_objects, "source_objects", data->lo_source_objects);
        json_object_set_int_member (large_objects, "target_objects", data->lo_target_objects);
      }
    else
      {
        json_object_set_null_member (large_objects, "matches");
        json_object_set_null_member (large_objects, "source_objects");
        json_object_set_null_member (large_objects, "target_objects");
      }
    json_object_set_object_member (document, "large_objects", large_objects);
  }
  json_object_set_array_member (document, "ddl", ddl);
  json_object_set_object_member (document, "ddl_totals", ddl_totals);
  json_object_set_array_member (document, "audit", audit);
  json_object_set_object_member (document, "audit_omitted", omitted);

  if (data->plan != NULL)
    add_graph (document, data->plan);
  else
    json_object_set_null_member (document, "graph");

  /* add_config() ran above, for the validation mode. */
  return document;
}

/* ------------------------------------------------------------------ */
/* Building and rendering                                             */
/* ------------------------------------------------------------------ */

static JsonNode *
build (Snapshot  *snapshot,
       GError   **error)
{
  g_autoptr(FerryJournal) journal = NULL;
  g_autoptr(JournalData) data = NULL;
  JsonObject *document = NULL;

  if (snapshot->kind == FERRY_REPORT_KIND_READINESS)
    document = build_readiness (snapshot, error);
  else if (snapshot->kind == FERRY_REPORT_KIND_PROGRESS && snapshot->live)
    {
      /* Live figures; the journal adds the chunk counts and the recent
       * errors when it can be read. */
      if (snapshot->migration_id > 0)
        {
          g_autoptr(GError) local_error = NULL;

          journal = snapshot_open_journal (snapshot, &local_error);
          if (journal != NULL)
            data = journal_data_load (journal, snapshot->migration_id, &local_error);
          if (local_error != NULL)
            g_debug ("Progress without the journal: %s", local_error->message);
        }
      document = build_progress_live (snapshot, data);
    }
  else
    {
      if (snapshot->migration_id <= 0)
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                               _("This report is read from the journal, and no migration has been "
                                 "recorded in it yet"));
          return NULL;
        }
      journal = snapshot_open_journal (snapshot, error);
      if (journal == NULL)
        return NULL;
      data = journal_data_load (journal, snapshot->migration_id, error);
      if (data == NULL)
        return NULL;

      switch (snapshot->kind)
        {
        case FERRY_REPORT_KIND_PROGRESS:
          document = build_progress_from_journal (snapshot, data);
          break;
        case FERRY_REPORT_KIND_PERFORMANCE:
          document = build_performance (snapshot, data);
          break;
        case FERRY_REPORT_KIND_COMPLETION:
          document = build_completion (snapshot, data);
          break;
        case FERRY_REPORT_KIND_READINESS:
        default:
          g_assert_not_reached ();
        }
    }

  return document ? node_take_object (document) : NULL;
}

/**
 * ferry_report_build:
 *
 * Returns: (transfer full): the report as a JSON object node, in the
 *   shape data/report.schema.json describes; %NULL with @error set
 */
JsonNode *
ferry_report_build (FerryReport      *self,
                    FerryReportKind   kind,
                    GError          **error)
{
  g_autoptr(Snapshot) snapshot = NULL;

  g_return_val_if_fail (FERRY_IS_REPORT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  snapshot = snapshot_new (self, kind);
  return build (snapshot, error);
}

/**
 * ferry_report_render_document:
 * @document: what ferry_report_build() returned
 *
 * Returns: (transfer full): the report in @format, UTF-8
 */
GBytes *
ferry_report_render_document (JsonNode           *document,
                              FerryReportFormat   format,
                              GError            **error)
{
  g_return_val_if_fail (document != NULL && JSON_NODE_HOLDS_OBJECT (document), NULL);

  switch (format)
    {
    case FERRY_REPORT_FORMAT_JSON:
      {
        g_autoptr(JsonGenerator) generator = json_generator_new ();
        gsize length = 0;
        char *text;
        GString *out;

        json_generator_set_root (generator, document);
        json_generator_set_pretty (generator, TRUE);
        json_generator_set_indent (generator, 2);
        text = json_generator_to_data (generator, &length);
        out = g_string_new_len (text, length);
        g_string_append_c (out, '\n');
        g_free (text);
        return g_string_free_to_bytes (out);
      }
    case FERRY_REPORT_FORMAT_HTML:
      return ferry_report_render_html (json_node_get_object (document));
    case FERRY_REPORT_FORMAT_CSV:
      return ferry_report_render_csv (json_node_get_object (document), error);
    default:
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED, _("Unknown report format %d"), format);
      return NULL;
    }
}

GBytes *
ferry_report_render (FerryReport        *self,
                     FerryReportKind     kind,
                     FerryReportFormat   format,
                     GError            **error)
{
  g_autoptr(JsonNode) document = NULL;

  g_return_val_if_fail (FERRY_IS_REPORT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  document = ferry_report_build (self, kind, error);
  if (document == NULL)
    return NULL;
  return ferry_report_render_document (document, format, error);
}

/**
 * ferry_report_write:
 * @path: the file to write; its directory is created when missing
 *
 * Renders the report and writes it atomically: a reader never sees half
 * a report.
 */
gboolean
ferry_report_write (FerryReport        *self,
                    FerryReportKind     kind,
                    FerryReportFormat   format,
                    const char         *path,
                    GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;
  gsize length = 0;
  const char *text;

  g_return_val_if_fail (FERRY_IS_REPORT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bytes = ferry_report_render (self, kind, format, error);
  if (bytes == NULL)
    return FALSE;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_IO, _("Could not create the directory %s: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }

  text = g_bytes_get_data (bytes, &length);
  if (!g_file_set_contents_full (path, text, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    {
      g_prefix_error (error, _("Could not write the report: "));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  Snapshot          *snapshot;
  FerryReportFormat  format;
} RenderData;

static void
render_data_free (RenderData *data)
{
  snapshot_free (data->snapshot);
  g_free (data);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderData *data = task_data;
  g_autoptr(JsonNode) document = NULL;
  GError *error = NULL;
  GBytes *bytes;

  document = build (data->snapshot, &error);
  if (document == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  bytes = ferry_report_render_document (document, data->format, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
}

void
ferry_report_render_async (FerryReport        *self,
                           FerryReportKind     kind,
                           FerryReportFormat   format,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  RenderData *data;

  g_return_if_fail (FERRY_IS_REPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_report_render_async);
  data = g_new0 (RenderData, 1);
  data->snapshot = snapshot_new (self, kind);
  data->format = format;
  g_task_set_task_data (task, data, (GDestroyNotify)render_data_free);
  g_task_run_in_thread (task, render_thread);
}

GBytes *
ferry_report_render_finish (FerryReport   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (FERRY_IS_REPORT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ferry_report_render_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_report_suggest_filename:
 *
 * "ferry-completion-12-20240601-1430.html": the kind, the migration and
 * the time, so that the reports of several runs sort and never collide.
 */
char *
ferry_report_suggest_filename (FerryReport       *self,
                               FerryReportKind    kind,
                               FerryReportFormat  format)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  gint64 id;

  g_return_val_if_fail (FERRY_IS_REPORT (self), NULL);

  id = ferry_report_get_migration_id (self);
  if (id > 0)
    return g_strdup_printf ("ferry-%s-%" G_GINT64_FORMAT "-%s.%s",
                            ferry_enum_to_nick (FERRY_TYPE_REPORT_KIND, kind), id, stamp,
                            ferry_report_format_get_extension (format));
  return g_strdup_printf ("ferry-%s-%s.%s", ferry_enum_to_nick (FERRY_TYPE_REPORT_KIND, kind), stamp,
                          ferry_report_format_get_extension (format));
}
