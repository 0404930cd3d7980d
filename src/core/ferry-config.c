/* ferry-config.c — the Configuration Manager
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A FerryConfig holds every setting of a migration. It loads them from a
 * YAML file, checks each value for its type and range, and writes a
 * complete, commented file back.
 *
 * The loader reads libyaml's events into a small tree of nodes that
 * remember where they started, then walks that tree against the table of
 * settings below. It reports every problem it finds, in document order,
 * each as "file:line:column: section.key: what is wrong", and returns no
 * configuration at all unless the whole file is good.
 *
 * The GParamSpecs are the single source of truth for types, ranges and
 * defaults: the loader, the writer and ferry_config_copy() all go through
 * the properties.
 */
#define G_LOG_DOMAIN "ferry-config"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <yaml.h>

#include "ferry-config.h"
#include "ferry-connection.h"
#include "ferry-enum-types.h"
#include "ferry-error.h"

/* A configuration file is a few kilobytes; anything much larger is
 * almost certainly the wrong file (a dump, a log), and not worth reading
 * into memory to find out. */
#define MAX_FILE_SIZE (4 * 1024 * 1024)

/* The loader keeps reporting problems after the first one, so that a
 * file can be fixed in one go, but not forever. */
#define MAX_REPORTED_PROBLEMS 20

/* Lists and mappings within lists and mappings; Ferry's own need 3. */
#define MAX_DEPTH 16

/* PostgreSQL's NAMEDATALEN - 1 */
#define MAX_IDENTIFIER_LENGTH 63

#define PASSWORD_HINT \
  N_("passwords are not allowed in the configuration file; put the password in ~/.pgpass, in the PGPASSWORD environment variable or in the desktop keyring")

struct _FerryConfig
{
  GObject     parent_instance;

  char       *filename;

  /* source: / target: — never NULL, "" for libpq's defaults */
  char       *source;
  char       *target;

  /* tables: — never NULL, possibly empty */
  GStrv       include;
  GStrv       exclude;
  GPtrArray  *include_specs;   /* GPatternSpec, compiled from include */
  GPtrArray  *exclude_specs;
  GStrv       break_cycles_at; /* "schema.table.constraint" */

  /* migration: */
  guint       batch_size;
  guint       max_parallel;
  guint       retry_attempts;
  guint       timeout_seconds;
  guint64     chunk_size;
  FerryConstraintStrategy constraints;
  FerrySchemaMode schema_mode;
  FerryValidationMode validation;
  FerryCopyFormat copy_format;
  gboolean    fire_triggers;

  /* monitoring: */
  guint       interval_seconds;
  gboolean    real_time_enabled;
  gboolean    dashboard_enabled;

  /* notifications: */
  gboolean    notifications_enabled;
  gboolean    email_enabled;
  gboolean    slack_enabled;
  GStrv       webhooks;

  /* database: */
  guint       connection_pool_size;
  guint       query_timeout;
  guint       connect_timeout;

  /* journal: */
  char       *journal_schema;

  /* reports: */
  char       *reports_directory;
};

G_DEFINE_FINAL_TYPE (FerryConfig, ferry_config, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_TARGET,
  PROP_INCLUDE,
  PROP_EXCLUDE,
  PROP_BREAK_CYCLES_AT,
  PROP_BATCH_SIZE,
  PROP_MAX_PARALLEL,
  PROP_RETRY_ATTEMPTS,
  PROP_TIMEOUT_SECONDS,
  PROP_CHUNK_SIZE,
  PROP_CONSTRAINTS,
  PROP_SCHEMA_MODE,
  PROP_VALIDATION,
  PROP_COPY_FORMAT,
  PROP_FIRE_TRIGGERS,
  PROP_INTERVAL_SECONDS,
  PROP_REAL_TIME_ENABLED,
  PROP_DASHBOARD_ENABLED,
  PROP_NOTIFICATIONS_ENABLED,
  PROP_EMAIL_ENABLED,
  PROP_SLACK_ENABLED,
  PROP_WEBHOOKS,
  PROP_CONNECTION_POOL_SIZE,
  PROP_QUERY_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
  PROP_JOURNAL_SCHEMA,
  PROP_REPORTS_DIRECTORY,
  PROP_FILENAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The file's layout
 *
 * Every key of the file, in the order ferry_config_to_yaml() writes them,
 * with the property it sets and the comment written above it. Types,
 * ranges and defaults come from the property's GParamSpec.
 */

typedef enum {
  KIND_UINT,
  KIND_SIZE,
  KIND_BOOLEAN,
  KIND_ENUM,
  KIND_CONNINFO,
  KIND_IDENTIFIER,
  KIND_PATTERNS,
  KIND_FOREIGN_KEYS,
  KIND_URLS,
  KIND_PATH,
} SettingKind;

typedef struct {
  const char  *section;   /* NULL for a top-level key */
  const char  *key;
  guint        prop_id;
  SettingKind  kind;
  const char  *help;
} Setting;

static const Setting settings[] = {
  { NULL, "source", PROP_SOURCE, KIND_CONNINFO,
    N_("The server to copy from, as a libpq connection string: key/value "
       "(\"host=db1 dbname=shop user=migrator\"), a URI "
       "(\"postgresql://migrator@db1/shop\") or a service (\"service=prod\"). "
       "It may also be a mapping of libpq options (host, port, dbname, user, "
       "sslmode, service, application_name ...). Empty: libpq's defaults from "
       "the environment (PGHOST, PGDATABASE ...).") },
  { NULL, "target", PROP_TARGET, KIND_CONNINFO,
    N_("The server to copy to, in the same forms as source.") },

  { "tables", "include", PROP_INCLUDE, KIND_PATTERNS,
    N_("Glob patterns (* and ?) matched against \"schema.table\": only the "
       "tables that match one of them are migrated. Empty: every table.") },
  { "tables", "exclude", PROP_EXCLUDE, KIND_PATTERNS,
    N_("Tables that match one of these patterns are left out, even when "
       "they match an include pattern.") },
  { "tables", "break_cycles_at", PROP_BREAK_CYCLES_AT, KIND_FOREIGN_KEYS,
    N_("Foreign keys to break cycles at, as \"schema.table.constraint\" "
       "(the table that holds the key). With constraints: keep, Ferry drops "
       "them before the load and adds them back NOT VALID, then validates "
       "them; it breaks whatever cycles they leave at as few other keys as "
       "it can. Empty: Ferry chooses, deferrable and nullable keys first.") },

  { "migration", "batch_size", PROP_BATCH_SIZE, KIND_UINT,
    N_("Tables per batch of the plan.") },
  { "migration", "max_parallel", PROP_MAX_PARALLEL, KIND_UINT,
    N_("Chunks copied at the same time. Each worker holds one connection "
       "to each server.") },
  { "migration", "retry_attempts", PROP_RETRY_ATTEMPTS, KIND_UINT,
    N_("Retries of a chunk that failed with a temporary error (a lost "
       "connection, a deadlock, a serialization failure), with exponential "
       "backoff and jitter.") },
  { "migration", "timeout_seconds", PROP_TIMEOUT_SECONDS, KIND_UINT,
    N_("A chunk that runs longer than this is cancelled, split in two and "
       "retried.") },
  { "migration", "chunk_size", PROP_CHUNK_SIZE, KIND_SIZE,
    N_("Large tables are split into chunks of about this size. Units: B, "
       "kB, MB, GB, TB, where 1 kB is 1024 bytes as in PostgreSQL's "
       "settings.") },
  { "migration", "constraints", PROP_CONSTRAINTS, KIND_ENUM,
    N_("keep: foreign keys stay on the target and tables load parents "
       "first; only the keys that close a cycle are dropped and added back. "
       "rebuild: foreign keys and secondary indexes are dropped, every "
       "table loads in parallel, and they are rebuilt as tables finish.") },
  { "migration", "schema", PROP_SCHEMA_MODE, KIND_ENUM,
    N_("existing: the tables exist on the target already and are checked "
       "against the source. copy: they are created from the source's "
       "definitions with pg_dump.") },
  { "migration", "validation", PROP_VALIDATION, KIND_ENUM,
    N_("What is compared after the copy: none, counts (row counts on both "
       "sides) or checksums (row counts and a checksum of every chunk).") },
  { "migration", "copy_format", PROP_COPY_FORMAT, KIND_ENUM,
    N_("binary is faster; text also works when a type's binary form "
       "differs between the servers.") },
  { "migration", "fire_triggers", PROP_FIRE_TRIGGERS, KIND_BOOLEAN,
    N_("Fire the target's triggers while rows are loaded. Usually false: "
       "the source's triggers have already run on this data.") },

  { "monitoring", "interval_seconds", PROP_INTERVAL_SECONDS, KIND_UINT,
    N_("How often progress and the health of both servers are sampled.") },
  { "monitoring", "real_time_enabled", PROP_REAL_TIME_ENABLED, KIND_BOOLEAN,
    N_("Push progress to the dashboard and to connected clients as it "
       "happens, not only once per interval.") },
  { "monitoring", "dashboard_enabled", PROP_DASHBOARD_ENABLED, KIND_BOOLEAN,
    N_("Show the live dashboard during a run.") },

  { "notifications", "enabled", PROP_NOTIFICATIONS_ENABLED, KIND_BOOLEAN,
    N_("Send notifications at all, on state changes and escalations.") },
  { "notifications", "email_enabled", PROP_EMAIL_ENABLED, KIND_BOOLEAN,
    N_("Send notifications by email.") },
  { "notifications", "slack_enabled", PROP_SLACK_ENABLED, KIND_BOOLEAN,
    N_("Send notifications to Slack.") },
  { "notifications", "webhooks", PROP_WEBHOOKS, KIND_URLS,
    N_("http:// or https:// URLs that receive a POST on every state change "
       "and escalation.") },

  { "database", "connection_pool_size", PROP_CONNECTION_POOL_SIZE, KIND_UINT,
    N_("Connections Ferry may open to each server. At least max_parallel + "
       "2: on the source, one for each worker, one for the coordinator and "
       "one that holds the snapshot every worker reads.") },
  { "database", "query_timeout", PROP_QUERY_TIMEOUT, KIND_UINT,
    N_("Seconds before one of Ferry's own queries is cancelled (the copy "
       "of a chunk is bounded by timeout_seconds instead); 0: no limit.") },
  { "database", "connect_timeout", PROP_CONNECT_TIMEOUT, KIND_UINT,
    N_("Seconds to wait for a server to accept a connection.") },

  { "journal", "schema", PROP_JOURNAL_SCHEMA, KIND_IDENTIFIER,
    N_("The schema in the target database that holds Ferry's journal: the "
       "migrations, their chunks, the constraints and indexes to restore "
       "and the audit trail. Lower-case letters, digits and underscores, at "
       "most 63 bytes.") },

  { "reports", "directory", PROP_REPORTS_DIRECTORY, KIND_PATH,
    N_("Where the completion report of every run is written, as HTML, and where "
       "\"ferry-cli report\" puts a report when no --output is given: an absolute "
       "path, or one that starts with ~/ for the home directory.") },
};

typedef struct {
  const char *name;
  const char *help;
} Section;

static const Section sections[] = {
  { "tables",        N_("Which tables to migrate.") },
  { "migration",     N_("How the data is copied.") },
  { "monitoring",    N_("Progress sampling and the live dashboard.") },
  { "notifications", N_("Who hears about state changes and escalations.") },
  { "database",      N_("Connections to both servers.") },
  { "journal",       N_("The durable record of the migration, kept in the target database.") },
  { "reports",       N_("The reports written for the change record.") },
};

static const Setting *
find_setting (const char *section,
              const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_strcmp0 (settings[i].section, section) == 0 &&
        g_str_equal (settings[i].key, key))
      return &settings[i];
  return NULL;
}

static const Setting *
find_setting_for_property (guint prop_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (settings[i].prop_id == prop_id)
      return &settings[i];
  g_assert_not_reached ();
}

static gboolean
is_section (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    if (g_str_equal (sections[i].name, name))
      return TRUE;
  return FALSE;
}

/* "migration.max_parallel", "source" */
static char *
setting_path (const Setting *setting)
{
  if (setting->section == NULL)
    return g_strdup (setting->key);
  return g_strconcat (setting->section, ".", setting->key, NULL);
}

/* Messages */

/* A value as a message shows it: in quotes, with control characters
 * escaped and long values cut short. */
static char *
quote_for_message (const char *text)
{
  GString *str = g_string_new ("“");
  guint n_chars = 0;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_string_append (str, _("(not valid UTF-8)"));
      g_string_append (str, "”");
      return g_string_free (str, FALSE);
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars++ == 60)
        {
          g_string_append (str, "…");
          break;
        }
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (str, "\\x%02X", c);
      else
        g_string_append_unichar (str, c);
    }
  g_string_append (str, "”");

  return g_string_free (str, FALSE);
}

/* Lower case, with '-' and ' ' as '_': "Max-Parallel" → "max_parallel" */
static char *
normalize_key (const char *key)
{
  char *norm = g_ascii_strdown (key, -1);

  for (char *p = norm; *p != '\0'; p++)
    if (*p == '-' || *p == ' ')
      *p = '_';
  return norm;
}

/* The optimal string alignment distance: insertions, deletions,
 * substitutions and transpositions of neighbours ("hots" → "host") */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  gsize width = lb + 1;
  g_autofree guint *d = g_new (guint, (la + 1) * width);

  for (gsize i = 0; i <= la; i++)
    d[i * width] = i;
  for (gsize j = 0; j <= lb; j++)
    d[j] = j;

  for (gsize i = 1; i <= la; i++)
    for (gsize j = 1; j <= lb; j++)
      {
        guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
        guint best = MIN (MIN (d[(i - 1) * width + j] + 1,
                               d[i * width + j - 1] + 1),
                          d[(i - 1) * width + j - 1] + cost);

        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          best = MIN (best, d[(i - 2) * width + j - 2] + 1);
        d[i * width + j] = best;
      }

  return d[la * width + lb];
}

/* The candidate @name was probably meant to be, or NULL if none is close:
 * a different case, '-' for '_', or a typo or two. */
static const char *
closest_name (const char         *name,
              const char * const *candidates)
{
  g_autofree char *norm = NULL;
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  gsize length;

  if (strlen (name) > 100)
    return NULL;

  norm = normalize_key (name);
  for (guint i = 0; candidates[i] != NULL; i++)
    {
      guint distance = edit_distance (norm, candidates[i]);

      if (distance < best_distance)
        {
          best = candidates[i];
          best_distance = distance;
        }
    }

  if (best == NULL)
    return NULL;

  length = strlen (best);
  if (best_distance <= (length <= 4 ? 1u : length <= 8 ? 2u : 3u))
    return best;
  return NULL;
}

/* Sizes */

typedef struct {
  const char *name;
  guint       shift;
} SizeUnit;

static const SizeUnit size_units[] = {
  { "B",    0 },
  { "kB",  10 }, { "KB",  10 }, { "KiB", 10 },
  { "MB",  20 }, { "MiB", 20 },
  { "GB",  30 }, { "GiB", 30 },
  { "TB",  40 }, { "TiB", 40 },
};

static void
set_size_error (GError     **error,
                const char  *text)
{
  g_autofree char *quoted = quote_for_message (text);

  g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
               _("%s is not a size: write a number with an optional unit (B, kB, MB, GB, TB), such as “256MB”"),
               quoted);
}

/**
 * ferry_parse_size:
 * @text: a size such as "256MB", "1.5 GiB" or "65536"
 * @bytes: (out): the size in bytes
 * @error: a FERRY_ERROR_CONFIG error if @text is not a size
 *
 * Parses a size as PostgreSQL's settings write them: a number, optional
 * spaces and an optional unit, where 1 kB is 1024 bytes. A fraction is
 * allowed with a unit ("1.5GB") and rounded to the nearest byte.
 *
 * Returns: %TRUE if @text is a size that fits in 64 bits
 */
gboolean
ferry_parse_size (const char  *text,
                  guint64     *bytes,
                  GError     **error)
{
  const char *p = text;
  guint64 whole = 0;
  guint64 fraction = 0;
  guint fraction_digits = 0;
  g_autofree char *unit = NULL;
  const SizeUnit *found = NULL;
  guint64 result;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  while (g_ascii_isspace (*p))
    p++;

  if (*p == '\0')
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("the size is empty: write a number with an optional unit, such as “256MB”"));
      return FALSE;
    }

  if (*p == '-')
    {
      g_autofree char *quoted = quote_for_message (text);

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("a size cannot be negative (got %s)"), quoted);
      return FALSE;
    }

  if (*p == '+')
    p++;

  if (!g_ascii_isdigit (*p))
    {
      set_size_error (error, text);
      return FALSE;
    }

  for (; g_ascii_isdigit (*p); p++)
    {
      guint digit = *p - '0';

      if (whole > (G_MAXUINT64 - digit) / 10)
        goto too_large;
      whole = whole * 10 + digit;
    }

  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        {
          set_size_error (error, text);
          return FALSE;
        }
      for (; g_ascii_isdigit (*p); p++)
        {
          if (fraction_digits == 9)
            {
              g_autofree char *quoted = quote_for_message (text);

              g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("%s has too many decimal places (at most 9)"), quoted);
              return FALSE;
            }
          fraction = fraction * 10 + (guint64) (*p - '0');
          fraction_digits++;
        }
    }

  while (g_ascii_isspace (*p))
    p++;

  unit = g_strdup (p);
  g_strchomp (unit);

  if (*unit == '\0')
    found = &size_units[0];
  for (guint i = 0; found == NULL && i < G_N_ELEMENTS (size_units); i++)
    if (g_str_equal (unit, size_units[i].name))
      found = &size_units[i];

  if (found == NULL)
    {
      g_autofree char *quoted_unit = quote_for_message (unit);

      /* "1.5.5GB", "10 20MB": not a stray unit but a malformed number */
      if (strpbrk (unit, "0123456789.,") != NULL)
        set_size_error (error, text);
      else
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                     _("unknown unit %s; use B, kB, MB, GB or TB (1 kB = 1024 bytes)"),
                     quoted_unit);
      return FALSE;
    }

  if (whole > (G_MAXUINT64 >> found->shift))
    goto too_large;
  result = whole << found->shift;

  if (fraction != 0)
    {
      guint64 power_of_5 = 1;
      guint64 scaled;

      if (found->shift < fraction_digits)
        {
          g_autofree char *quoted = quote_for_message (text);

          /* Only "B" has fewer binary places than 9 decimal ones. */
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                       _("%s is not a whole number of bytes"), quoted);
          return FALSE;
        }

      /* fraction × 2^shift / 10^digits, exactly, as
       * fraction × 2^(shift - digits) / 5^digits, rounded to the nearest
       * byte: fraction < 10^9 < 2^30 and shift - digits ≤ 40 - 1, which
       * stays within 64 bits when the result does. */
      for (guint i = 0; i < fraction_digits; i++)
        power_of_5 *= 5;
      if (fraction > (G_MAXUINT64 >> (found->shift - fraction_digits)))
        goto too_large;
      scaled = fraction << (found->shift - fraction_digits);
      scaled = scaled / power_of_5 + (scaled % power_of_5 >= (power_of_5 + 1) / 2 ? 1 : 0);

      if (result > G_MAXUINT64 - scaled)
        goto too_large;
      result += scaled;
    }

  if (bytes != NULL)
    *bytes = result;
  return TRUE;

too_large:
  {
    g_autofree char *quoted = quote_for_message (text);

    g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                 _("%s is too large for a size"), quoted);
    return FALSE;
  }
}

/**
 * ferry_format_size:
 * @bytes: a number of bytes
 *
 * Formats a size for people and for the configuration file: "256 MB",
 * "1.5 GB", "65 B". The text is exact, so that ferry_parse_size() gives
 * back @bytes: when no unit shows the value exactly with three decimals
 * at most, a smaller unit is used, down to bytes.
 *
 * Returns: (transfer full): the size as text
 */
char *
ferry_format_size (guint64 bytes)
{
  static const SizeUnit units[] = {
    { "TB", 40 }, { "GB", 30 }, { "MB", 20 }, { "kB", 10 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      guint64 unit = G_GUINT64_CONSTANT (1) << units[i].shift;
      guint64 whole = bytes >> units[i].shift;
      guint64 rest = bytes & (unit - 1);
      guint64 scale = 1;

      if (whole == 0)
        continue;
      if (rest == 0)
        return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", whole, units[i].name);

      /* rest < 2^40, so rest × 1000 fits in 64 bits */
      for (guint digits = 1; digits <= 3; digits++)
        {
          scale *= 10;
          if ((rest * scale) % unit == 0)
            return g_strdup_printf ("%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT " %s",
                                    whole, (int) digits, rest * scale / unit,
                                    units[i].name);
        }
    }

  return g_strdup_printf ("%" G_GUINT64_FORMAT " B", bytes);
}

/* Checks of single values */

static gboolean
conninfo_has_password (const char *conninfo)
{
  PQconninfoOption *options;
  gboolean found = FALSE;

  options = PQconninfoParse (conninfo, NULL);
  if (options == NULL)
    return FALSE;

  for (PQconninfoOption *o = options; o->keyword != NULL && !found; o++)
    {
      if (o->val == NULL || o->val[0] == '\0')
        continue;

      /* password, sslpassword: anything libpq itself treats as secret */
      if (g_str_equal (o->keyword, "password") || o->dispchar[0] == '*')
        found = TRUE;

      /* libpq expands a dbname that is itself a connection string */
      else if (g_str_equal (o->keyword, "dbname") &&
               (strchr (o->val, '=') != NULL ||
                g_str_has_prefix (o->val, "postgresql://") ||
                g_str_has_prefix (o->val, "postgres://")))
        found = ferry_conninfo_has_password (o->val);
    }

  PQconninfoFree (options);
  return found;
}

/* Whether an invalid connection string might carry a password, so that
 * libpq's message, which quotes parts of the string, must not be shown. */
static gboolean
conninfo_might_hold_password (const char *conninfo)
{
  g_autofree char *lower = g_ascii_strdown (conninfo, -1);
  const char *scheme_end;

  if (strstr (lower, "password") != NULL)
    return TRUE;

  /* postgresql://user:secret@host */
  scheme_end = strstr (lower, "://");
  if (scheme_end != NULL)
    {
      const char *authority = scheme_end + 3;
      gsize length = strcspn (authority, "/?#");
      const char *at = g_strrstr_len (authority, length, "@");

      if (at != NULL && memchr (authority, ':', at - authority) != NULL)
        return TRUE;
    }

  return FALSE;
}

/**
 * ferry_config_check_conninfo:
 * @conninfo: a libpq connection string, a URI, or "" for the defaults
 * @error: a FERRY_ERROR_CONFIG error
 *
 * Checks that libpq can parse @conninfo and that it holds no password.
 * The message never quotes the string.
 */
gboolean
ferry_config_check_conninfo (const char  *conninfo,
                             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (conninfo == NULL || conninfo[0] == '\0')
    return TRUE;

  if (!g_utf8_validate (conninfo, -1, NULL))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("the connection string is not valid UTF-8"));
      return FALSE;
    }

  if (!ferry_conninfo_validate (conninfo, &local_error))
    {
      if (conninfo_might_hold_password (conninfo))
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                     _("not a valid connection string (libpq’s message is not shown because the string seems to hold a password); %s"),
                     _(PASSWORD_HINT));
      else
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                     _("not a valid connection string: %s"), local_error->message);
      return FALSE;
    }

  if (conninfo_has_password (conninfo))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG, _(PASSWORD_HINT));
      return FALSE;
    }

  return TRUE;
}

/**
 * ferry_config_check_reports_directory:
 *
 * Empty (the default place), an absolute path, "~" or a path that
 * starts with "~/"; no control characters; at most 4096 bytes.
 */
gboolean
ferry_config_check_reports_directory (const char  *directory,
                                      GError     **error)
{
  if (directory == NULL || *directory == '\0')
    return TRUE;

  if (!g_utf8_validate (directory, -1, NULL) || strlen (directory) > 4096)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("a directory is valid UTF-8 text of at most 4096 bytes"));
      return FALSE;
    }
  for (const char *p = directory; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                             _("a directory may not contain control characters"));
        return FALSE;
      }
  if (!g_path_is_absolute (directory) && !g_str_equal (directory, "~") &&
      !g_str_has_prefix (directory, "~/"))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("“%s” is not an absolute path: write it in full (/var/lib/ferry/reports) "
                     "or from the home directory (~/ferry-reports)"), directory);
      return FALSE;
    }
  return TRUE;
}

/**
 * ferry_config_check_journal_schema:
 * @schema: a schema name
 * @error: a FERRY_ERROR_CONFIG error
 *
 * Checks that @schema is a name the journal can use: an unquoted
 * PostgreSQL identifier in lower case ([a-z_][a-z0-9_$]*), at most 63
 * bytes, and not in the "pg_" namespace that PostgreSQL reserves.
 */
gboolean
ferry_config_check_journal_schema (const char  *schema,
                                   GError     **error)
{
  g_autofree char *quoted = NULL;
  gboolean valid;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (schema == NULL || schema[0] == '\0')
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("the journal schema name is empty"));
      return FALSE;
    }

  quoted = quote_for_message (schema);

  valid = schema[0] == '_' || g_ascii_islower (schema[0]);
  for (const char *p = schema + 1; valid && *p != '\0'; p++)
    valid = *p == '_' || *p == '$' || g_ascii_islower (*p) || g_ascii_isdigit (*p);

  if (!valid)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("%s is not a valid schema name: use lower-case letters, digits and underscores, starting with a letter or an underscore"),
                   quoted);
      return FALSE;
    }

  if (strlen (schema) > MAX_IDENTIFIER_LENGTH)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("the schema name is %u bytes long; PostgreSQL names have at most %u"),
                   (guint) strlen (schema), (guint) MAX_IDENTIFIER_LENGTH);
      return FALSE;
    }

  if (g_str_has_prefix (schema, "pg_"))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("%s cannot be used: names starting with “pg_” are reserved for PostgreSQL’s own schemas"),
                   quoted);
      return FALSE;
    }

  return TRUE;
}

/**
 * ferry_config_check_pattern:
 * @pattern: a glob pattern for tables.include or tables.exclude
 * @error: a FERRY_ERROR_CONFIG error
 *
 * Checks that @pattern can match a table: it is not empty, and it has a
 * schema part or a wildcard, since tables are matched as "schema.table".
 */
gboolean
ferry_config_check_pattern (const char  *pattern,
                            GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (pattern == NULL || pattern[0] == '\0')
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("empty pattern: it matches no table; write “*” for every table, or remove it"));
      return FALSE;
    }

  if (!g_utf8_validate (pattern, -1, NULL))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("the pattern is not valid UTF-8"));
      return FALSE;
    }

  if (strpbrk (pattern, ".*?") == NULL)
    {
      g_autofree char *quoted = quote_for_message (pattern);

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("the pattern %s can never match: tables are matched as “schema.table”, so write “*.%s” or “public.%s”"),
                   quoted, pattern, pattern);
      return FALSE;
    }

  return TRUE;
}

/**
 * ferry_config_check_webhook:
 * @url: a webhook URL
 * @error: a FERRY_ERROR_CONFIG error
 *
 * Checks that @url is an absolute http:// or https:// URL with a host.
 * The message does not quote the URL: webhook URLs often carry a token.
 */
gboolean
ferry_config_check_webhook (const char  *url,
                            GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (url == NULL || url[0] == '\0')
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("empty URL: write an http:// or https:// address, such as “https://hooks.example.com/ferry”"));
      return FALSE;
    }

  for (const char *p = url; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      {
        /* xgettext:no-c-format */
        g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                             _("a URL cannot contain spaces or control characters; write a space as %20"));
        return FALSE;
      }

  if (g_utf8_validate (url, -1, NULL))
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("not a valid URL: write an http:// or https:// address, such as “https://hooks.example.com/ferry”"));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 &&
      g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_autofree char *quoted = quote_for_message (scheme);

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("only http:// and https:// URLs can receive webhooks (this one’s scheme is %s)"),
                   quoted);
      return FALSE;
    }

  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("the URL has no host name"));
      return FALSE;
    }

  return TRUE;
}

/**
 * ferry_config_check_foreign_key:
 * @name: an entry of tables.break_cycles_at
 * @error: a FERRY_ERROR_CONFIG error
 *
 * Checks that @name has the shape of a foreign key's name:
 * "schema.table.constraint", where a part may be double-quoted as Ferry
 * shows names. Whether the source has that key is for the readiness
 * checks to say.
 */
gboolean
ferry_config_check_foreign_key (const char  *name,
                                GError     **error)
{
  gboolean quoted = FALSE;
  guint dots = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("empty name: write a foreign key as “schema.table.constraint”, "
                             "such as “public.orders.orders_customer_id_fkey”"));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                           _("the name is not valid UTF-8"));
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == '.' && !quoted)
        dots++;
    }

  if (dots < 2)
    {
      g_autofree char *shown = quote_for_message (name);

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   dots == 0
                   ? _("%s does not name a foreign key: write it with the table that holds it, as “schema.table.%s”")
                   : _("%s does not name a foreign key: write it with the schema of its table, as “public.%s”"),
                   shown, name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
foreign_keys_are_valid (const char * const *names)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (!ferry_config_check_foreign_key (names[i], NULL))
      return FALSE;
  return TRUE;
}

static gboolean
patterns_are_valid (const char * const *patterns)
{
  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    if (!ferry_config_check_pattern (patterns[i], NULL))
      return FALSE;
  return TRUE;
}

static gboolean
webhooks_are_valid (const char * const *urls)
{
  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    if (!ferry_config_check_webhook (urls[i], NULL))
      return FALSE;
  return TRUE;
}

static GPtrArray *
compile_patterns (const char * const *patterns)
{
  GPtrArray *specs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_pattern_spec_free);

  for (guint i = 0; patterns[i] != NULL; i++)
    g_ptr_array_add (specs, g_pattern_spec_new (patterns[i]));

  return specs;
}

/* Cross-field checks, shared by ferry_config_validate() and the loader */

typedef struct {
  guint  prop_id;   /* where to report it */
  char  *message;
} Problem;

static void
problem_free (Problem *problem)
{
  g_free (problem->message);
  g_free (problem);
}

static void
add_problem (GPtrArray  *problems,
             guint       prop_id,
             char       *message)
{
  Problem *problem = g_new0 (Problem, 1);

  problem->prop_id = prop_id;
  problem->message = message;
  g_ptr_array_add (problems, problem);
}

/* @in_file: the properties the file set (the loader's), or NULL */
static GPtrArray *
config_find_problems (FerryConfig *self,
                      GHashTable  *in_file)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  g_autoptr(GError) error = NULL;

  if (self->connection_pool_size < self->max_parallel + FERRY_CONFIG_POOL_OVERHEAD)
    {
      guint needed = self->max_parallel + FERRY_CONFIG_POOL_OVERHEAD;
      guint allowed = self->connection_pool_size > FERRY_CONFIG_POOL_OVERHEAD
                      ? self->connection_pool_size - FERRY_CONFIG_POOL_OVERHEAD : 0;

      /* Report it where the file went wrong: at connection_pool_size,
       * unless only max_parallel was written. */
      if (in_file != NULL && allowed > 0 &&
          !g_hash_table_contains (in_file, properties[PROP_CONNECTION_POOL_SIZE]) &&
          g_hash_table_contains (in_file, properties[PROP_MAX_PARALLEL]))
        add_problem (problems, PROP_MAX_PARALLEL,
                     g_strdup_printf (_("must be at most database.connection_pool_size - 2 = %u, "
                                        "since on the source each worker holds a connection, the coordinator one "
                                        "and the snapshot the workers share one more; "
                                        "lower max_parallel to %u or raise database.connection_pool_size to %u"),
                                      allowed, allowed, needed));
      else if (allowed > 0)
        add_problem (problems, PROP_CONNECTION_POOL_SIZE,
                     g_strdup_printf (_("must be at least migration.max_parallel + 2 = %u (got %u), "
                                        "since on the source each worker holds a connection, the coordinator one "
                                        "and the snapshot the workers share one more; "
                                        "raise connection_pool_size to %u or lower migration.max_parallel to %u"),
                                      needed, self->connection_pool_size, needed, allowed));
      else
        add_problem (problems, PROP_CONNECTION_POOL_SIZE,
                     g_strdup_printf (_("must be at least migration.max_parallel + 2 = %u (got %u), "
                                        "since on the source each worker holds a connection, the coordinator one "
                                        "and the snapshot the workers share one more; "
                                        "raise connection_pool_size to %u"),
                                      needed, self->connection_pool_size, needed));
    }

  if (!ferry_config_check_conninfo (self->source, &error))
    add_problem (problems, PROP_SOURCE, g_strdup (error->message));
  g_clear_error (&error);

  if (!ferry_config_check_conninfo (self->target, &error))
    add_problem (problems, PROP_TARGET, g_strdup (error->message));
  g_clear_error (&error);

  if (self->source[0] != '\0' && g_str_equal (self->source, self->target))
    add_problem (problems, PROP_TARGET,
                 g_strdup (_("the target is the same connection string as the source; "
                             "Ferry copies from one database to another")));

  return problems;
}

/* GObject */

static const char * const empty_strv[] = { NULL };

static void
ferry_config_finalize (GObject *object)
{
  FerryConfig *self = (FerryConfig *)object;

  g_clear_pointer (&self->filename, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->target, g_free);
  g_clear_pointer (&self->include, g_strfreev);
  g_clear_pointer (&self->exclude, g_strfreev);
  g_clear_pointer (&self->break_cycles_at, g_strfreev);
  g_clear_pointer (&self->include_specs, g_ptr_array_unref);
  g_clear_pointer (&self->exclude_specs, g_ptr_array_unref);
  g_clear_pointer (&self->webhooks, g_strfreev);
  g_clear_pointer (&self->journal_schema, g_free);
  g_clear_pointer (&self->reports_directory, g_free);

  G_OBJECT_CLASS (ferry_config_parent_class)->finalize (object);
}

static void
ferry_config_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FerryConfig *self = FERRY_CONFIG (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;
    case PROP_INCLUDE:
      g_value_set_boxed (value, self->include);
      break;
    case PROP_EXCLUDE:
      g_value_set_boxed (value, self->exclude);
      break;
    case PROP_BREAK_CYCLES_AT:
      g_value_set_boxed (value, self->break_cycles_at);
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, self->batch_size);
      break;
    case PROP_MAX_PARALLEL:
      g_value_set_uint (value, self->max_parallel);
      break;
    case PROP_RETRY_ATTEMPTS:
      g_value_set_uint (value, self->retry_attempts);
      break;
    case PROP_TIMEOUT_SECONDS:
      g_value_set_uint (value, self->timeout_seconds);
      break;
    case PROP_CHUNK_SIZE:
      g_value_set_uint64 (value, self->chunk_size);
      break;
    case PROP_CONSTRAINTS:
      g_value_set_enum (value, self->constraints);
      break;
    case PROP_SCHEMA_MODE:
      g_value_set_enum (value, self->schema_mode);
      break;
    case PROP_VALIDATION:
      g_value_set_enum (value, self->validation);
      break;
    case PROP_COPY_FORMAT:
      g_value_set_enum (value, self->copy_format);
      break;
    case PROP_FIRE_TRIGGERS:
      g_value_set_boolean (value, self->fire_triggers);
      break;
    case PROP_INTERVAL_SECONDS:
      g_value_set_uint (value, self->interval_seconds);
      break;
    case PROP_REAL_TIME_ENABLED:
      g_value_set_boolean (value, self->real_time_enabled);
      break;
    case PROP_DASHBOARD_ENABLED:
      g_value_set_boolean (value, self->dashboard_enabled);
      break;
    case PROP_NOTIFICATIONS_ENABLED:
      g_value_set_boolean (value, self->notifications_enabled);
      break;
    case PROP_EMAIL_ENABLED:
      g_value_set_boolean (value, self->email_enabled);
      break;
    case PROP_SLACK_ENABLED:
      g_value_set_boolean (value, self->slack_enabled);
      break;
    case PROP_WEBHOOKS:
      g_value_set_boxed (value, self->webhooks);
      break;
    case PROP_CONNECTION_POOL_SIZE:
      g_value_set_uint (value, self->connection_pool_size);
      break;
    case PROP_QUERY_TIMEOUT:
      g_value_set_uint (value, self->query_timeout);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_JOURNAL_SCHEMA:
      g_value_set_string (value, self->journal_schema);
      break;
    case PROP_REPORTS_DIRECTORY:
      g_value_set_string (value, self->reports_directory);
      break;
    case PROP_FILENAME:
      g_value_set_string (value, self->filename);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_config_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FerryConfig *self = FERRY_CONFIG (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      ferry_config_set_source (self, g_value_get_string (value));
      break;
    case PROP_TARGET:
      ferry_config_set_target (self, g_value_get_string (value));
      break;
    case PROP_INCLUDE:
      ferry_config_set_include (self, g_value_get_boxed (value));
      break;
    case PROP_EXCLUDE:
      ferry_config_set_exclude (self, g_value_get_boxed (value));
      break;
    case PROP_BREAK_CYCLES_AT:
      ferry_config_set_break_cycles_at (self, g_value_get_boxed (value));
      break;
    case PROP_BATCH_SIZE:
      ferry_config_set_batch_size (self, g_value_get_uint (value));
      break;
    case PROP_MAX_PARALLEL:
      ferry_config_set_max_parallel (self, g_value_get_uint (value));
      break;
    case PROP_RETRY_ATTEMPTS:
      ferry_config_set_retry_attempts (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT_SECONDS:
      ferry_config_set_timeout_seconds (self, g_value_get_uint (value));
      break;
    case PROP_CHUNK_SIZE:
      ferry_config_set_chunk_size (self, g_value_get_uint64 (value));
      break;
    case PROP_CONSTRAINTS:
      ferry_config_set_constraints (self, g_value_get_enum (value));
      break;
    case PROP_SCHEMA_MODE:
      ferry_config_set_schema_mode (self, g_value_get_enum (value));
      break;
    case PROP_VALIDATION:
      ferry_config_set_validation (self, g_value_get_enum (value));
      break;
    case PROP_COPY_FORMAT:
      ferry_config_set_copy_format (self, g_value_get_enum (value));
      break;
    case PROP_FIRE_TRIGGERS:
      ferry_config_set_fire_triggers (self, g_value_get_boolean (value));
      break;
    case PROP_INTERVAL_SECONDS:
      ferry_config_set_interval_seconds (self, g_value_get_uint (value));
      break;
    case PROP_REAL_TIME_ENABLED:
      ferry_config_set_real_time_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_DASHBOARD_ENABLED:
      ferry_config_set_dashboard_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_NOTIFICATIONS_ENABLED:
      ferry_config_set_notifications_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_EMAIL_ENABLED:
      ferry_config_set_email_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_SLACK_ENABLED:
      ferry_config_set_slack_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_WEBHOOKS:
      ferry_config_set_webhooks (self, g_value_get_boxed (value));
      break;
    case PROP_CONNECTION_POOL_SIZE:
      ferry_config_set_connection_pool_size (self, g_value_get_uint (value));
      break;
    case PROP_QUERY_TIMEOUT:
      ferry_config_set_query_timeout (self, g_value_get_uint (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      ferry_config_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_JOURNAL_SCHEMA:
      ferry_config_set_journal_schema (self, g_value_get_string (value));
      break;
    case PROP_REPORTS_DIRECTORY:
      ferry_config_set_reports_directory (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_config_class_init (FerryConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ferry_config_finalize;
  object_class->get_property = ferry_config_get_property;
  object_class->set_property = ferry_config_set_property;

  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, "", flags);
  properties[PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL, "", flags);
  properties[PROP_INCLUDE] =
    g_param_spec_boxed ("include", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_EXCLUDE] =
    g_param_spec_boxed ("exclude", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_BREAK_CYCLES_AT] =
    g_param_spec_boxed ("break-cycles-at", NULL, NULL, G_TYPE_STRV, flags);

  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", NULL, NULL,
                       FERRY_CONFIG_MIN_BATCH_SIZE, FERRY_CONFIG_MAX_BATCH_SIZE,
                       FERRY_CONFIG_DEFAULT_BATCH_SIZE, flags);
  properties[PROP_MAX_PARALLEL] =
    g_param_spec_uint ("max-parallel", NULL, NULL,
                       FERRY_CONFIG_MIN_MAX_PARALLEL, FERRY_CONFIG_MAX_MAX_PARALLEL,
                       FERRY_CONFIG_DEFAULT_MAX_PARALLEL, flags);
  properties[PROP_RETRY_ATTEMPTS] =
    g_param_spec_uint ("retry-attempts", NULL, NULL,
                       FERRY_CONFIG_MIN_RETRY_ATTEMPTS, FERRY_CONFIG_MAX_RETRY_ATTEMPTS,
                       FERRY_CONFIG_DEFAULT_RETRY_ATTEMPTS, flags);
  properties[PROP_TIMEOUT_SECONDS] =
    g_param_spec_uint ("timeout-seconds", NULL, NULL,
                       FERRY_CONFIG_MIN_TIMEOUT_SECONDS, FERRY_CONFIG_MAX_TIMEOUT_SECONDS,
                       FERRY_CONFIG_DEFAULT_TIMEOUT_SECONDS, flags);
  properties[PROP_CHUNK_SIZE] =
    g_param_spec_uint64 ("chunk-size", NULL, NULL,
                         FERRY_CONFIG_MIN_CHUNK_SIZE, FERRY_CONFIG_MAX_CHUNK_SIZE,
                         FERRY_CONFIG_DEFAULT_CHUNK_SIZE, flags);
  properties[PROP_CONSTRAINTS] =
    g_param_spec_enum ("constraints", NULL, NULL,
                       FERRY_TYPE_CONSTRAINT_STRATEGY, FERRY_CONFIG_DEFAULT_CONSTRAINTS, flags);
  properties[PROP_SCHEMA_MODE] =
    g_param_spec_enum ("schema-mode", NULL, NULL,
                       FERRY_TYPE_SCHEMA_MODE, FERRY_CONFIG_DEFAULT_SCHEMA_MODE, flags);
  properties[PROP_VALIDATION] =
    g_param_spec_enum ("validation", NULL, NULL,
                       FERRY_TYPE_VALIDATION_MODE, FERRY_CONFIG_DEFAULT_VALIDATION, flags);
  properties[PROP_COPY_FORMAT] =
    g_param_spec_enum ("copy-format", NULL, NULL,
                       FERRY_TYPE_COPY_FORMAT, FERRY_CONFIG_DEFAULT_COPY_FORMAT, flags);
  properties[PROP_FIRE_TRIGGERS] =
    g_param_spec_boolean ("fire-triggers", NULL, NULL, FALSE, flags);

  properties[PROP_INTERVAL_SECONDS] =
    g_param_spec_uint ("interval-seconds", NULL, NULL,
                       FERRY_CONFIG_MIN_INTERVAL_SECONDS, FERRY_CONFIG_MAX_INTERVAL_SECONDS,
                       FERRY_CONFIG_DEFAULT_INTERVAL_SECONDS, flags);
  properties[PROP_REAL_TIME_ENABLED] =
    g_param_spec_boolean ("real-time-enabled", NULL, NULL, TRUE, flags);
  properties[PROP_DASHBOARD_ENABLED] =
    g_param_spec_boolean ("dashboard-enabled", NULL, NULL, TRUE, flags);

  properties[PROP_NOTIFICATIONS_ENABLED] =
    g_param_spec_boolean ("notifications-enabled", NULL, NULL, TRUE, flags);
  properties[PROP_EMAIL_ENABLED] =
    g_param_spec_boolean ("email-enabled", NULL, NULL, FALSE, flags);
  properties[PROP_SLACK_ENABLED] =
    g_param_spec_boolean ("slack-enabled", NULL, NULL, FALSE, flags);
  properties[PROP_WEBHOOKS] =
    g_param_spec_boxed ("webhooks", NULL, NULL, G_TYPE_STRV, flags);

  properties[PROP_CONNECTION_POOL_SIZE] =
    g_param_spec_uint ("connection-pool-size", NULL, NULL,
                       FERRY_CONFIG_MIN_POOL_SIZE, FERRY_CONFIG_MAX_POOL_SIZE,
                       FERRY_CONFIG_DEFAULT_POOL_SIZE, flags);
  properties[PROP_QUERY_TIMEOUT] =
    g_param_spec_uint ("query-timeout", NULL, NULL,
                       FERRY_CONFIG_MIN_QUERY_TIMEOUT, FERRY_CONFIG_MAX_QUERY_TIMEOUT,
                       FERRY_CONFIG_DEFAULT_QUERY_TIMEOUT, flags);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       FERRY_CONFIG_MIN_CONNECT_TIMEOUT, FERRY_CONFIG_MAX_CONNECT_TIMEOUT,
                       FERRY_CONFIG_DEFAULT_CONNECT_TIMEOUT, flags);

  properties[PROP_JOURNAL_SCHEMA] =
    g_param_spec_string ("journal-schema", NULL, NULL,
                         FERRY_CONFIG_DEFAULT_JOURNAL_SCHEMA, flags);

  properties[PROP_REPORTS_DIRECTORY] =
    g_param_spec_string ("reports-directory", NULL, NULL, "", flags);

  properties[PROP_FILENAME] =
    g_param_spec_string ("filename", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Every property but the filename is a key of the file. */
  g_assert (G_N_ELEMENTS (settings) == N_PROPS - 2);
}

static void
ferry_config_init (FerryConfig *self)
{
  self->source = g_strdup ("");
  self->target = g_strdup ("");
  self->include = g_strdupv ((char **) empty_strv);
  self->exclude = g_strdupv ((char **) empty_strv);
  self->break_cycles_at = g_strdupv ((char **) empty_strv);
  self->include_specs = compile_patterns (empty_strv);
  self->exclude_specs = compile_patterns (empty_strv);

  self->batch_size = FERRY_CONFIG_DEFAULT_BATCH_SIZE;
  self->max_parallel = FERRY_CONFIG_DEFAULT_MAX_PARALLEL;
  self->retry_attempts = FERRY_CONFIG_DEFAULT_RETRY_ATTEMPTS;
  self->timeout_seconds = FERRY_CONFIG_DEFAULT_TIMEOUT_SECONDS;
  self->chunk_size = FERRY_CONFIG_DEFAULT_CHUNK_SIZE;
  self->constraints = FERRY_CONFIG_DEFAULT_CONSTRAINTS;
  self->schema_mode = FERRY_CONFIG_DEFAULT_SCHEMA_MODE;
  self->validation = FERRY_CONFIG_DEFAULT_VALIDATION;
  self->copy_format = FERRY_CONFIG_DEFAULT_COPY_FORMAT;
  self->fire_triggers = FALSE;

  self->interval_seconds = FERRY_CONFIG_DEFAULT_INTERVAL_SECONDS;
  self->real_time_enabled = TRUE;
  self->dashboard_enabled = TRUE;

  self->notifications_enabled = TRUE;
  self->email_enabled = FALSE;
  self->slack_enabled = FALSE;
  self->webhooks = g_strdupv ((char **) empty_strv);

  self->connection_pool_size = FERRY_CONFIG_DEFAULT_POOL_SIZE;
  self->query_timeout = FERRY_CONFIG_DEFAULT_QUERY_TIMEOUT;
  self->connect_timeout = FERRY_CONFIG_DEFAULT_CONNECT_TIMEOUT;

  self->journal_schema = g_strdup (FERRY_CONFIG_DEFAULT_JOURNAL_SCHEMA);

  self->reports_directory = g_strdup ("");
}

/**
 * ferry_config_new:
 *
 * Returns: (transfer full): a configuration with every setting at its default
 */
FerryConfig *
ferry_config_new (void)
{
  return g_object_new (FERRY_TYPE_CONFIG, NULL);
}

/* Setters: notify only on a real change */

static void
set_uint (FerryConfig *self,
          guint       *field,
          guint        value,
          guint        prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_boolean (FerryConfig *self,
             gboolean    *field,
             gboolean     value,
             guint        prop_id)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_string (FerryConfig *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static gboolean
set_strv (FerryConfig        *self,
          GStrv              *field,
          const char * const *value,
          guint               prop_id)
{
  if (value == NULL)
    value = empty_strv;
  if (g_strv_equal ((const char * const *) *field, value))
    return FALSE;

  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  return TRUE;
}

#define IN_RANGE(value, what) \
  ((value) >= FERRY_CONFIG_MIN_##what && (value) <= FERRY_CONFIG_MAX_##what)

guint
ferry_config_get_batch_size (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), 0);
  return self->batch_size;
}

void
ferry_config_set_batch_size (FerryConfig *self,
                             guint        value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (IN_RANGE (value, BATCH_SIZE));
  set_uint (self, &self->batch_size, value, PROP_BATCH_SIZE);
}

guint
ferry_config_get_max_parallel (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), 0);
  return self->max_parallel;
}

void
ferry_config_set_max_parallel (FerryConfig *self,
                               guint        value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (IN_RANGE (value, MAX_PARALLEL));
  set_uint (self, &self->max_parallel, value, PROP_MAX_PARALLEL);
}

guint
ferry_config_get_retry_attempts (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), 0);
  return self->retry_attempts;
}

void
ferry_config_set_retry_attempts (FerryConfig *self,
                                 guint        value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (value <= FERRY_CONFIG_MAX_RETRY_ATTEMPTS);
  set_uint (self, &self->retry_attempts, value, PROP_RETRY_ATTEMPTS);
}

guint
ferry_config_get_timeout_seconds (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), 0);
  return self->timeout_seconds;
}

void
ferry_config_set_timeout_seconds (FerryConfig *self,
                                  guint        value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (IN_RANGE (value, TIMEOUT_SECONDS));
  set_uint (self, &self->timeout_seconds, value, PROP_TIMEOUT_SECONDS);
}

guint64
ferry_config_get_chunk_size (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), 0);
  return self->chunk_size;
}

void
ferry_config_set_chunk_size (FerryConfig *self,
                             guint64      value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (IN_RANGE (value, CHUNK_SIZE));

  if (self->chunk_size == value)
    return;
  self->chunk_size = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHUNK_SIZE]);
}

FerryConstraintStrategy
ferry_config_get_constraints (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), FERRY_CONFIG_DEFAULT_CONSTRAINTS);
  return self->constraints;
}

void
ferry_config_set_constraints (FerryConfig             *self,
                              FerryConstraintStrategy  value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (ferry_enum_to_nick (FERRY_TYPE_CONSTRAINT_STRATEGY, value) != NULL);

  if (self->constraints == value)
    return;
  self->constraints = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONSTRAINTS]);
}

FerrySchemaMode
ferry_config_get_schema_mode (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), FERRY_CONFIG_DEFAULT_SCHEMA_MODE);
  return self->schema_mode;
}

void
ferry_config_set_schema_mode (FerryConfig     *self,
                              FerrySchemaMode  value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (ferry_enum_to_nick (FERRY_TYPE_SCHEMA_MODE, value) != NULL);

  if (self->schema_mode == value)
    return;
  self->schema_mode = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEMA_MODE]);
}

FerryValidationMode
ferry_config_get_validation (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), FERRY_CONFIG_DEFAULT_VALIDATION);
  return self->validation;
}

void
ferry_config_set_validation (FerryConfig         *self,
                             FerryValidationMode  value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (ferry_enum_to_nick (FERRY_TYPE_VALIDATION_MODE, value) != NULL);

  if (self->validation == value)
    return;
  self->validation = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATION]);
}

FerryCopyFormat
ferry_config_get_copy_format (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), FERRY_CONFIG_DEFAULT_COPY_FORMAT);
  return self->copy_format;
}

void
ferry_config_set_copy_format (FerryConfig     *self,
                              FerryCopyFormat  value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (ferry_enum_to_nick (FERRY_TYPE_COPY_FORMAT, value) != NULL);

  if (self->copy_format == value)
    return;
  self->copy_format = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COPY_FORMAT]);
}

gboolean
ferry_config_get_fire_triggers (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), FALSE);
  return self->fire_triggers;
}

void
ferry_config_set_fire_triggers (FerryConfig *self,
                                gboolean     value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  set_boolean (self, &self->fire_triggers, value, PROP_FIRE_TRIGGERS);
}

guint
ferry_config_get_interval_seconds (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), 0);
  return self->interval_seconds;
}

void
ferry_config_set_interval_seconds (FerryConfig *self,
                                   guint        value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (IN_RANGE (value, INTERVAL_SECONDS));
  set_uint (self, &self->interval_seconds, value, PROP_INTERVAL_SECONDS);
}

gboolean
ferry_config_get_real_time_enabled (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), FALSE);
  return self->real_time_enabled;
}

void
ferry_config_set_real_time_enabled (FerryConfig *self,
                                    gboolean     value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  set_boolean (self, &self->real_time_enabled, value, PROP_REAL_TIME_ENABLED);
}

gboolean
ferry_config_get_dashboard_enabled (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), FALSE);
  return self->dashboard_enabled;
}

void
ferry_config_set_dashboard_enabled (FerryConfig *self,
                                    gboolean     value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  set_boolean (self, &self->dashboard_enabled, value, PROP_DASHBOARD_ENABLED);
}

gboolean
ferry_config_get_notifications_enabled (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), FALSE);
  return self->notifications_enabled;
}

void
ferry_config_set_notifications_enabled (FerryConfig *self,
                                        gboolean     value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  set_boolean (self, &self->notifications_enabled, value, PROP_NOTIFICATIONS_ENABLED);
}

gboolean
ferry_config_get_email_enabled (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), FALSE);
  return self->email_enabled;
}

void
ferry_config_set_email_enabled (FerryConfig *self,
                                gboolean     value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  set_boolean (self, &self->email_enabled, value, PROP_EMAIL_ENABLED);
}

gboolean
ferry_config_get_slack_enabled (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), FALSE);
  return self->slack_enabled;
}

void
ferry_config_set_slack_enabled (FerryConfig *self,
                                gboolean     value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  set_boolean (self, &self->slack_enabled, value, PROP_SLACK_ENABLED);
}

/**
 * ferry_config_get_webhooks:
 *
 * Returns: (transfer none): the webhook URLs, possibly none; never %NULL
 */
const char * const *
ferry_config_get_webhooks (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);
  return (const char * const *) self->webhooks;
}

/**
 * ferry_config_set_webhooks:
 * @urls: (nullable): http:// or https:// URLs (see ferry_config_check_webhook())
 */
void
ferry_config_set_webhooks (FerryConfig        *self,
                           const char * const *urls)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (webhooks_are_valid (urls));
  set_strv (self, &self->webhooks, urls, PROP_WEBHOOKS);
}

guint
ferry_config_get_connection_pool_size (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), 0);
  return self->connection_pool_size;
}

/* Whether it covers max_parallel is a question for ferry_config_validate():
 * the GUI changes one at a time. */
void
ferry_config_set_connection_pool_size (FerryConfig *self,
                                       guint        value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (IN_RANGE (value, POOL_SIZE));
  set_uint (self, &self->connection_pool_size, value, PROP_CONNECTION_POOL_SIZE);
}

guint
ferry_config_get_query_timeout (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), 0);
  return self->query_timeout;
}

void
ferry_config_set_query_timeout (FerryConfig *self,
                                guint        value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (value <= FERRY_CONFIG_MAX_QUERY_TIMEOUT);
  set_uint (self, &self->query_timeout, value, PROP_QUERY_TIMEOUT);
}

guint
ferry_config_get_connect_timeout (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), 0);
  return self->connect_timeout;
}

void
ferry_config_set_connect_timeout (FerryConfig *self,
                                  guint        value)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (IN_RANGE (value, CONNECT_TIMEOUT));
  set_uint (self, &self->connect_timeout, value, PROP_CONNECT_TIMEOUT);
}

/**
 * ferry_config_get_source:
 *
 * Returns: (transfer none): the source's connection string; "" for
 *   libpq's defaults, never %NULL
 */
const char *
ferry_config_get_source (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);
  return self->source;
}

/**
 * ferry_config_set_source:
 * @conninfo: (nullable): a connection string without a password
 *
 * An invalid string is accepted (the GUI edits it a character at a time)
 * and reported by ferry_config_validate(); a password is refused.
 */
void
ferry_config_set_source (FerryConfig *self,
                         const char  *conninfo)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (conninfo == NULL || g_utf8_validate (conninfo, -1, NULL));
  g_return_if_fail (conninfo == NULL || !conninfo_has_password (conninfo));
  set_string (self, &self->source, conninfo ? conninfo : "", PROP_SOURCE);
}

/**
 * ferry_config_get_target:
 *
 * Returns: (transfer none): the target's connection string; "" for
 *   libpq's defaults, never %NULL
 */
const char *
ferry_config_get_target (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);
  return self->target;
}

/**
 * ferry_config_set_target:
 * @conninfo: (nullable): a connection string without a password
 *
 * See ferry_config_set_source().
 */
void
ferry_config_set_target (FerryConfig *self,
                         const char  *conninfo)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (conninfo == NULL || g_utf8_validate (conninfo, -1, NULL));
  g_return_if_fail (conninfo == NULL || !conninfo_has_password (conninfo));
  set_string (self, &self->target, conninfo ? conninfo : "", PROP_TARGET);
}

/**
 * ferry_config_get_include:
 *
 * Returns: (transfer none): the include patterns; empty for every table
 */
const char * const *
ferry_config_get_include (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);
  return (const char * const *) self->include;
}

/**
 * ferry_config_set_include:
 * @patterns: (nullable): glob patterns (see ferry_config_check_pattern())
 */
void
ferry_config_set_include (FerryConfig        *self,
                          const char * const *patterns)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (patterns_are_valid (patterns));

  if (set_strv (self, &self->include, patterns, PROP_INCLUDE))
    {
      g_clear_pointer (&self->include_specs, g_ptr_array_unref);
      self->include_specs = compile_patterns ((const char * const *) self->include);
    }
}

/**
 * ferry_config_get_exclude:
 *
 * Returns: (transfer none): the exclude patterns, possibly none
 */
const char * const *
ferry_config_get_exclude (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);
  return (const char * const *) self->exclude;
}

/**
 * ferry_config_set_exclude:
 * @patterns: (nullable): glob patterns (see ferry_config_check_pattern())
 */
void
ferry_config_set_exclude (FerryConfig        *self,
                          const char * const *patterns)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (patterns_are_valid (patterns));

  if (set_strv (self, &self->exclude, patterns, PROP_EXCLUDE))
    {
      g_clear_pointer (&self->exclude_specs, g_ptr_array_unref);
      self->exclude_specs = compile_patterns ((const char * const *) self->exclude);
    }
}

/**
 * ferry_config_get_break_cycles_at:
 *
 * Returns: (transfer none): the foreign keys to break cycles at, as
 *   "schema.table.constraint"; empty when Ferry chooses
 */
const char * const *
ferry_config_get_break_cycles_at (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);
  return (const char * const *) self->break_cycles_at;
}

/**
 * ferry_config_set_break_cycles_at:
 * @foreign_keys: (nullable): names as "schema.table.constraint" (see
 *   ferry_config_check_foreign_key())
 *
 * Which foreign keys break the cycles: the analysis breaks them first
 * and whatever cycles they leave automatically.
 */
void
ferry_config_set_break_cycles_at (FerryConfig        *self,
                                  const char * const *foreign_keys)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (foreign_keys_are_valid (foreign_keys));

  set_strv (self, &self->break_cycles_at, foreign_keys, PROP_BREAK_CYCLES_AT);
}

static gboolean
matches_any (GPtrArray  *specs,
             const char *text)
{
  for (guint i = 0; i < specs->len; i++)
    if (g_pattern_spec_match_string (g_ptr_array_index (specs, i), text))
      return TRUE;
  return FALSE;
}

/**
 * ferry_config_table_is_included:
 * @schema: the table's schema, unquoted
 * @name: the table's name, unquoted
 *
 * Matches "schema.name" against the include patterns (none: every table
 * is included), then against the exclude patterns.
 *
 * Returns: whether the table is part of the migration
 */
gboolean
ferry_config_table_is_included (FerryConfig *self,
                                const char  *schema,
                                const char  *name)
{
  g_autofree char *qualified = NULL;

  g_return_val_if_fail (FERRY_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  qualified = g_strconcat (schema, ".", name, NULL);

  if (self->include_specs->len > 0 && !matches_any (self->include_specs, qualified))
    return FALSE;

  return !matches_any (self->exclude_specs, qualified);
}

const char *
ferry_config_get_journal_schema (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);
  return self->journal_schema;
}

/**
 * ferry_config_set_journal_schema:
 * @schema: a schema name (see ferry_config_check_journal_schema())
 */
void
ferry_config_set_journal_schema (FerryConfig *self,
                                 const char  *schema)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (ferry_config_check_journal_schema (schema, NULL));
  set_string (self, &self->journal_schema, schema, PROP_JOURNAL_SCHEMA);
}

/**
 * ferry_config_get_reports_directory:
 *
 * Returns: the reports.directory setting as written: empty for the
 *   default (see ferry_config_dup_reports_path())
 */
const char *
ferry_config_get_reports_directory (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);
  return self->reports_directory;
}

/**
 * ferry_config_set_reports_directory:
 * @directory: (nullable): an absolute path, one that starts with ~/,
 *   or empty (or %NULL) for the default; see
 *   ferry_config_check_reports_directory()
 */
void
ferry_config_set_reports_directory (FerryConfig *self,
                                    const char  *directory)
{
  g_return_if_fail (FERRY_IS_CONFIG (self));
  g_return_if_fail (directory == NULL || ferry_config_check_reports_directory (directory, NULL));
  set_string (self, &self->reports_directory, directory ? directory : "", PROP_REPORTS_DIRECTORY);
}

/**
 * ferry_config_dup_reports_path:
 *
 * Where reports go: reports.directory with ~ expanded, or by default
 * $XDG_DATA_HOME/ferry/reports (g_get_user_data_dir()). The directory
 * may not exist yet.
 *
 * Returns: (transfer full): an absolute path
 */
char *
ferry_config_dup_reports_path (FerryConfig *self)
{
  const char *dir;

  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);

  dir = self->reports_directory;
  if (dir == NULL || *dir == '\0')
    return g_build_filename (g_get_user_data_dir (), "ferry", "reports", NULL);
  if (g_str_equal (dir, "~"))
    return g_strdup (g_get_home_dir ());
  if (g_str_has_prefix (dir, "~/"))
    return g_build_filename (g_get_home_dir (), dir + 2, NULL);
  return g_strdup (dir);
}

/**
 * ferry_config_get_filename:
 *
 * Returns: (nullable): the file this configuration was last loaded from
 *   or saved to
 */
const char *
ferry_config_get_filename (FerryConfig *self)
{
  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);
  return self->filename;
}

static void
config_set_filename (FerryConfig *self,
                     const char  *filename)
{
  set_string (self, &self->filename, filename, PROP_FILENAME);
}

/**
 * ferry_config_copy:
 *
 * Returns: (transfer full): a new configuration with the same settings
 *   and filename
 */
FerryConfig *
ferry_config_copy (FerryConfig *self)
{
  FerryConfig *copy;

  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);

  copy = ferry_config_new ();
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      GParamSpec *pspec = properties[settings[i].prop_id];
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (self), pspec->name, &value);
      g_object_set_property (G_OBJECT (copy), pspec->name, &value);
    }
  copy->filename = g_strdup (self->filename);

  return copy;
}

/**
 * ferry_config_validate:
 * @error: a FERRY_ERROR_CONFIG error listing every problem, one a line
 *
 * Checks what the setters cannot check one value at a time: that the
 * connection pool covers max_parallel, that both connection strings are
 * valid, and that source and target differ.
 *
 * Returns: %TRUE if the configuration can be used for a migration
 */
gboolean
ferry_config_validate (FerryConfig  *self,
                       GError      **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) message = NULL;

  g_return_val_if_fail (FERRY_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  problems = config_find_problems (self, NULL);
  if (problems->len == 0)
    return TRUE;

  message = g_string_new (NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      Problem *problem = g_ptr_array_index (problems, i);
      g_autofree char *path = setting_path (find_setting_for_property (problem->prop_id));

      if (message->len > 0)
        g_string_append_c (message, '\n');
      if (self->filename != NULL)
        g_string_append_printf (message, "%s: ", self->filename);
      g_string_append_printf (message, "%s: %s", path, problem->message);
    }

  g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG, message->str);
  return FALSE;
}

/* Loading
 *
 * libyaml's events become a tree of Nodes; aliases point at the node
 * their anchor named (an anchor is usable once its node is complete, so
 * the tree has no cycles). The walk over the tree then reports each
 * problem with the position of the node that caused it.
 */

typedef enum {
  NODE_SCALAR,
  NODE_SEQUENCE,
  NODE_MAPPING,
} NodeKind;

typedef struct {
  NodeKind   kind;
  guint      line;      /* 1-based */
  guint      column;    /* 1-based, in characters */
  char      *anchor;
  char      *value;     /* NODE_SCALAR */
  gboolean   plain;     /* an untagged, unquoted scalar: its text decides its type */
  GPtrArray *items;     /* NODE_SEQUENCE: the items; NODE_MAPPING: key, value, key, value … */
} Node;

typedef enum {
  SCALAR_NULL,
  SCALAR_BOOLEAN,
  SCALAR_INTEGER,
  SCALAR_FLOAT,
  SCALAR_STRING,
} ScalarType;

typedef struct {
  const char  *display_name;  /* the file's name in messages */
  const char  *data;
  gsize        length;
  GPtrArray   *nodes;         /* owns every Node */
  GHashTable  *anchors;       /* anchor → Node */
  GPtrArray   *messages;      /* the problems found, in document order */
  guint        n_problems;    /* including those not kept in messages */
  GHashTable  *in_file;       /* GParamSpec → the Node that set it */
  FerryConfig *config;
} Loader;

static void
node_free (Node *node)
{
  g_free (node->anchor);
  g_free (node->value);
  g_clear_pointer (&node->items, g_ptr_array_unref);
  g_free (node);
}

static Node *
loader_new_node (Loader            *self,
                 NodeKind           kind,
                 const yaml_mark_t *mark)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->line = mark->line + 1;
  node->column = mark->column + 1;
  if (kind != NODE_SCALAR)
    node->items = g_ptr_array_new ();
  g_ptr_array_add (self->nodes, node);

  return node;
}

static void
loader_add_message (Loader     *self,
                    guint       line,
                    guint       column,
                    const char *path,
                    const char *message)
{
  GString *str;

  self->n_problems++;
  if (self->messages->len >= MAX_REPORTED_PROBLEMS)
    return;

  str = g_string_new (self->display_name);
  if (line > 0)
    g_string_append_printf (str, ":%u:%u", line, column);
  g_string_append (str, ": ");
  if (path != NULL)
    g_string_append_printf (str, "%s: ", path);
  g_string_append (str, message);

  g_ptr_array_add (self->messages, g_string_free (str, FALSE));
}

G_GNUC_PRINTF (4, 5)
static void
loader_error (Loader     *self,
              const Node *node,
              const char *path,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  loader_add_message (self,
                      node != NULL ? node->line : 0,
                      node != NULL ? node->column : 0,
                      path, message);
}

/* The line and the column, in characters, of a byte offset into the data */
static void
loader_position_of_offset (Loader *self,
                           gsize   offset,
                           guint  *line,
                           guint  *column)
{
  const char *line_start = self->data;
  const char *end = self->data + MIN (offset, self->length);

  *line = 1;
  for (const char *p = self->data; p < end; p++)
    if (*p == '\n')
      {
        (*line)++;
        line_start = p + 1;
      }

  /* Only the bytes before the offset are known to be valid UTF-8. */
  *column = 1;
  for (const char *p = line_start; p < end; p++)
    if (((guchar) *p & 0xc0) != 0x80)
      (*column)++;
}

/* The character at a 1-based line and column, or 0 */
static gunichar
loader_char_at (Loader *self,
                guint   line,
                guint   column)
{
  const char *p = self->data;
  const char *end = self->data + self->length;

  for (guint l = 1; l < line && p < end; p++)
    if (*p == '\n')
      l++;
  for (guint c = 1; c < column && p < end; c++)
    p = g_utf8_next_char (p);

  return p < end ? g_utf8_get_char (p) : 0;
}

static void
loader_syntax_error (Loader              *self,
                     const yaml_parser_t *parser)
{
  g_autoptr(GString) message = g_string_new (NULL);
  guint line;
  guint column;

  if (parser->error == YAML_MEMORY_ERROR)
    {
      loader_add_message (self, 0, 0, NULL, _("out of memory while reading the file"));
      return;
    }

  if (parser->error == YAML_READER_ERROR)
    {
      loader_position_of_offset (self, parser->problem_offset, &line, &column);
      g_string_append_printf (message, _("invalid YAML: %s"), parser->problem);
      if (parser->problem_value >= 0 && parser->problem_value < 0x20)
        g_string_append_printf (message, " (0x%02X)", (guint) parser->problem_value);
      loader_add_message (self, line, column, NULL, message->str);
      return;
    }

  line = parser->problem_mark.line + 1;
  column = parser->problem_mark.column + 1;

  g_string_append_printf (message, _("invalid YAML: %s"),
                          parser->problem != NULL ? parser->problem : _("unknown problem"));
  if (parser->context != NULL)
    g_string_append_printf (message, _(" (%s at line %u, column %u)"),
                            parser->context,
                            (guint) parser->context_mark.line + 1,
                            (guint) parser->context_mark.column + 1);

  if (loader_char_at (self, line, column) == '\t')
    g_string_append (message, _("; YAML does not allow tabs for indentation, use spaces"));

  loader_add_message (self, line, column, NULL, message->str);
}

static gboolean
loader_check_tag (Loader            *self,
                  const yaml_mark_t *mark,
                  const yaml_char_t *tag,
                  const char        *allowed)
{
  g_autofree char *quoted = NULL;
  g_autofree char *message = NULL;

  if (tag == NULL ||
      g_str_equal ((const char *) tag, "!") ||
      g_str_equal ((const char *) tag, allowed))
    return TRUE;

  /* "tag:yaml.org,2002:int" was written "!!int" */
  if (g_str_has_prefix ((const char *) tag, "tag:yaml.org,2002:"))
    {
      g_autofree char *shorthand = g_strconcat ("!!", (const char *) tag + strlen ("tag:yaml.org,2002:"), NULL);

      quoted = quote_for_message (shorthand);
    }
  else
    quoted = quote_for_message ((const char *) tag);
  message = g_strdup_printf (_("YAML tags such as %s are not supported; remove the tag"), quoted);
  loader_add_message (self, mark->line + 1, mark->column + 1, NULL, message);
  return FALSE;
}

/* Reads the events into nodes. Returns FALSE after a problem that stops
 * the reading (bad YAML, a second document, an unknown alias). */
static gboolean
loader_compose (Loader  *self,
                Node   **root_out)
{
  yaml_parser_t parser;
  g_autoptr(GPtrArray) open = g_ptr_array_new ();
  Node *root = NULL;
  guint n_documents = 0;
  gboolean done = FALSE;
  gboolean ok = TRUE;

  *root_out = NULL;

  if (!yaml_parser_initialize (&parser))
    {
      loader_add_message (self, 0, 0, NULL, _("out of memory while reading the file"));
      return FALSE;
    }
  yaml_parser_set_input_string (&parser, (const unsigned char *) self->data, self->length);
  yaml_parser_set_encoding (&parser, YAML_UTF8_ENCODING);

  while (ok && !done)
    {
      yaml_event_t event;
      Node *node = NULL;
      gboolean opens = FALSE;

      if (!yaml_parser_parse (&parser, &event))
        {
          loader_syntax_error (self, &parser);
          ok = FALSE;
          break;
        }

      switch (event.type)
        {
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
          break;

        case YAML_STREAM_END_EVENT:
          done = TRUE;
          break;

        case YAML_DOCUMENT_START_EVENT:
          if (++n_documents > 1)
            {
              loader_add_message (self, event.start_mark.line + 1, event.start_mark.column + 1, NULL,
                                  _("only one YAML document is allowed; remove this “---” and what follows it, or merge the documents"));
              ok = FALSE;
            }
          break;

        case YAML_ALIAS_EVENT:
          node = g_hash_table_lookup (self->anchors, event.data.alias.anchor);
          if (node == NULL)
            {
              g_autofree char *message =
                g_strdup_printf (_("the alias “*%s” names no anchor defined before it"),
                                 (const char *) event.data.alias.anchor);

              loader_add_message (self, event.start_mark.line + 1, event.start_mark.column + 1,
                                  NULL, message);
              ok = FALSE;
            }
          break;

        case YAML_SCALAR_EVENT:
          if (!loader_check_tag (self, &event.start_mark, event.data.scalar.tag, YAML_STR_TAG))
            {
              ok = FALSE;
              break;
            }
          if (memchr (event.data.scalar.value, '\0', event.data.scalar.length) != NULL)
            {
              loader_add_message (self, event.start_mark.line + 1, event.start_mark.column + 1, NULL,
                                  _("the value contains a NUL character"));
              ok = FALSE;
              break;
            }
          node = loader_new_node (self, NODE_SCALAR, &event.start_mark);
          node->value = g_strndup ((const char *) event.data.scalar.value, event.data.scalar.length);
          node->plain = event.data.scalar.tag == NULL &&
                        event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
          if (event.data.scalar.anchor != NULL)
            {
              node->anchor = g_strdup ((const char *) event.data.scalar.anchor);
              g_hash_table_replace (self->anchors, node->anchor, node);
            }
          break;

        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
          {
            gboolean sequence = event.type == YAML_SEQUENCE_START_EVENT;
            const yaml_char_t *tag = sequence ? event.data.sequence_start.tag : event.data.mapping_start.tag;
            const yaml_char_t *anchor = sequence ? event.data.sequence_start.anchor : event.data.mapping_start.anchor;

            if (!loader_check_tag (self, &event.start_mark, tag, sequence ? YAML_SEQ_TAG : YAML_MAP_TAG))
              {
                ok = FALSE;
                break;
              }
            /* Ferry's file is three levels deep; libyaml takes time
             * quadratic in the depth, so refuse early. */
            if (open->len >= MAX_DEPTH)
              {
                loader_add_message (self, event.start_mark.line + 1, event.start_mark.column + 1, NULL,
                                    _("the lists and mappings are nested too deeply"));
                ok = FALSE;
                break;
              }
            node = loader_new_node (self, sequence ? NODE_SEQUENCE : NODE_MAPPING, &event.start_mark);
            node->anchor = g_strdup ((const char *) anchor);
            opens = TRUE;
          }
          break;

        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          {
            Node *closed = g_ptr_array_steal_index (open, open->len - 1);

            if (closed->anchor != NULL)
              g_hash_table_replace (self->anchors, closed->anchor, closed);
          }
          break;

        default:
          g_assert_not_reached ();
        }

      if (node != NULL)
        {
          if (open->len == 0)
            root = node;
          else
            g_ptr_array_add (((Node *) g_ptr_array_index (open, open->len - 1))->items, node);

          if (opens)
            g_ptr_array_add (open, node);
        }

      yaml_event_delete (&event);
    }

  yaml_parser_delete (&parser);

  *root_out = root;
  return ok;
}

/* YAML 1.1's words for true and false */
static gboolean
parse_boolean_word (const char *text,
                    gboolean   *value)
{
  static const char * const true_words[] = { "true", "yes", "on" };
  static const char * const false_words[] = { "false", "no", "off" };

  for (guint i = 0; i < G_N_ELEMENTS (true_words); i++)
    {
      if (g_ascii_strcasecmp (text, true_words[i]) == 0)
        {
          if (value != NULL)
            *value = TRUE;
          return TRUE;
        }
      if (g_ascii_strcasecmp (text, false_words[i]) == 0)
        {
          if (value != NULL)
            *value = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
is_integer_text (const char *text)
{
  const char *p = text;

  if (*p == '-' || *p == '+')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  return *p == '\0';
}

/* [-+]? (digits . digits* | . digits | digits) ([eE] [-+]? digits)?, with
 * a dot or an exponent; or .inf, .nan */
static gboolean
is_float_text (const char *text)
{
  const char *p = text;
  gboolean digits = FALSE;
  gboolean dot = FALSE;
  gboolean exponent = FALSE;

  if (*p == '-' || *p == '+')
    p++;
  if (g_ascii_strcasecmp (p, ".inf") == 0 || g_ascii_strcasecmp (text, ".nan") == 0)
    return TRUE;

  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    {
      dot = TRUE;
      for (p++; g_ascii_isdigit (*p); p++)
        digits = TRUE;
    }
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '-' || *p == '+')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
      exponent = TRUE;
    }
  return *p == '\0' && (dot || exponent);
}

static ScalarType
node_scalar_type (const Node *node)
{
  const char *text = node->value;

  g_assert (node->kind == NODE_SCALAR);

  if (!node->plain)
    return SCALAR_STRING;
  if (text[0] == '\0' || g_str_equal (text, "~") || g_ascii_strcasecmp (text, "null") == 0)
    return SCALAR_NULL;
  if (parse_boolean_word (text, NULL))
    return SCALAR_BOOLEAN;
  if (is_integer_text (text))
    return SCALAR_INTEGER;
  if (is_float_text (text))
    return SCALAR_FLOAT;
  return SCALAR_STRING;
}

static gboolean
node_is_null (const Node *node)
{
  return node->kind == NODE_SCALAR && node_scalar_type (node) == SCALAR_NULL;
}

/* What a node is, for "expected …, not %s" */
static char *
describe_node (const Node *node)
{
  g_autofree char *quoted = NULL;

  switch (node->kind)
    {
    case NODE_SEQUENCE:
      return g_strdup (_("a list"));
    case NODE_MAPPING:
      return g_strdup (_("a mapping"));
    case NODE_SCALAR:
    default:
      break;
    }

  quoted = quote_for_message (node->value);
  switch (node_scalar_type (node))
    {
    case SCALAR_NULL:
      return g_strdup (_("an empty value"));
    case SCALAR_BOOLEAN:
      return g_strdup_printf (_("the boolean %s"), node->value);
    case SCALAR_INTEGER:
    case SCALAR_FLOAT:
      return g_strdup (node->value);
    case SCALAR_STRING:
    default:
      if (!node->plain && (is_integer_text (node->value) || is_float_text (node->value) ||
                           parse_boolean_word (node->value, NULL)))
        return g_strdup_printf (_("the string %s (remove the quotes)"), quoted);
      return g_steal_pointer (&quoted);
    }
}

/* Values */

static gboolean
loader_get_integer (Loader     *self,
                    const Node *node,
                    const char *path,
                    guint64     min,
                    guint64     max,
                    guint64    *out)
{
  g_autofree char *min_text = g_strdup_printf ("%" G_GUINT64_FORMAT, min);
  g_autofree char *max_text = g_strdup_printf ("%" G_GUINT64_FORMAT, max);
  g_autofree char *what = describe_node (node);
  const char *p;
  gboolean negative;
  guint64 value = 0;

  if (node->kind != NODE_SCALAR || node_scalar_type (node) != SCALAR_INTEGER)
    {
      if (node_is_null (node))
        loader_error (self, node, path, _("missing value: expected a whole number from %s to %s"),
                      min_text, max_text);
      else
        loader_error (self, node, path, _("expected a whole number from %s to %s, not %s"),
                      min_text, max_text, what);
      return FALSE;
    }

  p = node->value;
  negative = *p == '-';
  if (*p == '-' || *p == '+')
    p++;

  for (; *p != '\0'; p++)
    {
      guint digit = *p - '0';

      if (value > (G_MAXUINT64 - digit) / 10)
        {
          loader_error (self, node, path, _("%s is far too large: must be between %s and %s"),
                        node->value, min_text, max_text);
          return FALSE;
        }
      value = value * 10 + digit;
    }

  if ((negative && value != 0) || value < min || value > max)
    {
      loader_error (self, node, path, _("must be between %s and %s (got %s)"),
                    min_text, max_text, node->value);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static gboolean
loader_get_boolean (Loader     *self,
                    const Node *node,
                    const char *path,
                    gboolean   *out)
{
  g_autofree char *what = NULL;

  if (node->kind == NODE_SCALAR && node->plain && parse_boolean_word (node->value, out))
    return TRUE;

  if (node_is_null (node))
    {
      loader_error (self, node, path, _("missing value: expected true or false"));
      return FALSE;
    }

  what = describe_node (node);
  loader_error (self, node, path, _("expected true or false (or yes/no, on/off), not %s"), what);
  return FALSE;
}

/* Any scalar but an empty value or a boolean, as text. Numbers are fine:
 * "port: 5432" means the text 5432. */
static gboolean
loader_get_text (Loader      *self,
                 const Node  *node,
                 const char  *path,
                 const char  *expected,
                 const char **out)
{
  g_autofree char *what = NULL;

  if (node->kind == NODE_SCALAR)
    {
      ScalarType type = node_scalar_type (node);

      if (type != SCALAR_NULL && type != SCALAR_BOOLEAN)
        {
          *out = node->value;
          return TRUE;
        }
      if (type == SCALAR_NULL)
        {
          loader_error (self, node, path, _("missing value: expected %s"), expected);
          return FALSE;
        }
      if (type == SCALAR_BOOLEAN)
        {
          loader_error (self, node, path, _("expected %s, not the boolean %s; put it in quotes if you mean the word"),
                        expected, node->value);
          return FALSE;
        }
    }

  what = describe_node (node);
  loader_error (self, node, path, _("expected %s, not %s"), expected, what);
  return FALSE;
}

static gboolean
loader_get_size (Loader     *self,
                 const Node *node,
                 const char *path,
                 guint64     min,
                 guint64     max,
                 guint64    *out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *min_text = ferry_format_size (min);
  g_autofree char *max_text = ferry_format_size (max);
  const char *text;
  guint64 bytes;

  if (!loader_get_text (self, node, path, _("a size such as “256MB”"), &text))
    return FALSE;

  if (!ferry_parse_size (text, &bytes, &error))
    {
      loader_error (self, node, path, "%s", error->message);
      return FALSE;
    }

  if (bytes < min || bytes > max)
    {
      loader_error (self, node, path, _("must be between %s and %s (got %s)"),
                    min_text, max_text, text);
      return FALSE;
    }

  *out = bytes;
  return TRUE;
}

static gboolean
loader_get_enum (Loader     *self,
                 const Node *node,
                 const char *path,
                 GType       enum_type,
                 int        *out)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autofree char *expected = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *quoted = NULL;
  const char *text;

  for (guint i = 0; i < klass->n_values; i++)
    {
      if (i > 0)
        g_string_append (allowed, ", ");
      g_string_append (allowed, klass->values[i].value_nick);
    }

  expected = g_strdup_printf (_("one of %s"), allowed->str);
  if (!loader_get_text (self, node, path, expected, &text))
    return FALSE;

  lower = g_ascii_strdown (text, -1);
  if (ferry_enum_from_nick (enum_type, lower, out))
    return TRUE;

  quoted = quote_for_message (text);
  loader_error (self, node, path, _("unknown value %s; expected one of: %s"), quoted, allowed->str);
  return FALSE;
}

typedef gboolean (*TextCheck) (const char *text, GError **error);

/* A list of strings, each checked by @check. An empty value is an empty
 * list. */
static gboolean
loader_get_list (Loader      *self,
                 const Node  *node,
                 const char  *path,
                 const char  *example,
                 const char  *item_expected,
                 TextCheck    check,
                 GStrv       *out)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  gboolean ok = TRUE;

  if (node_is_null (node))
    {
      *out = g_new0 (char *, 1);
      return TRUE;
    }

  if (node->kind != NODE_SEQUENCE)
    {
      g_autofree char *what = describe_node (node);

      loader_error (self, node, path, _("expected a list such as %s, not %s"), example, what);
      return FALSE;
    }

  builder = g_strv_builder_new ();
  for (guint i = 0; i < node->items->len; i++)
    {
      const Node *item = g_ptr_array_index (node->items, i);
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
      g_autoptr(GError) error = NULL;
      const char *text;

      if (!loader_get_text (self, item, item_path, item_expected, &text))
        ok = FALSE;
      else if (!check (text, &error))
        {
          loader_error (self, item, item_path, "%s", error->message);
          ok = FALSE;
        }
      else
        g_strv_builder_add (builder, text);
    }

  if (!ok)
    return FALSE;

  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* Mappings */

typedef void (*PairFunc) (Loader     *self,
                          const char *path,
                          const Node *key,
                          const Node *value,
                          gpointer    user_data);

/* Calls @func for each key of @mapping, after checking that the key is a
 * name and that it is not a duplicate. */
static void
loader_each_pair (Loader     *self,
                  const Node *mapping,
                  const char *parent_path,
                  PairFunc    func,
                  gpointer    user_data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert (mapping->kind == NODE_MAPPING);
  g_assert (mapping->items->len % 2 == 0);

  for (guint i = 0; i < mapping->items->len; i += 2)
    {
      const Node *key = g_ptr_array_index (mapping->items, i);
      const Node *value = g_ptr_array_index (mapping->items, i + 1);
      g_autofree char *path = NULL;
      const Node *first;

      if (key->kind != NODE_SCALAR || node_is_null (key))
        {
          g_autofree char *what = describe_node (key);

          loader_error (self, key, parent_path, _("a key must be a name, not %s"), what);
          continue;
        }

      if (key->plain && g_str_equal (key->value, "<<"))
        {
          loader_error (self, key, parent_path,
                        _("merge keys (“<<”) are not supported; write the settings out in full"));
          continue;
        }

      path = parent_path != NULL ? g_strconcat (parent_path, ".", key->value, NULL)
                                 : g_strdup (key->value);

      first = g_hash_table_lookup (seen, key->value);
      if (first != NULL)
        {
          loader_error (self, key, path, _("duplicate key: it was already set at line %u, column %u"),
                        first->line, first->column);
          continue;
        }
      g_hash_table_insert (seen, key->value, (gpointer) key);

      func (self, path, key, value, user_data);
    }
}

static void
loader_unknown_key (Loader     *self,
                    const char *section,
                    const Node *key,
                    const char *path)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  g_autofree char *norm = normalize_key (key->value);
  g_autoptr(GPtrArray) elsewhere = g_ptr_array_new ();
  g_autofree char *known = NULL;
  const char *suggestion;

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_strcmp0 (settings[i].section, section) == 0)
      g_ptr_array_add (candidates, (gpointer) settings[i].key);
  if (section == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
      g_ptr_array_add (candidates, (gpointer) sections[i].name);
  g_ptr_array_add (candidates, NULL);

  suggestion = closest_name (key->value, (const char * const *) candidates->pdata);
  if (suggestion != NULL)
    {
      loader_error (self, key, path, _("unknown key; did you mean %s?"), suggestion);
      return;
    }

  /* A key of another section: an indentation slip, or the wrong section */
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (settings[i].section != NULL &&
        g_strcmp0 (settings[i].section, section) != 0 &&
        g_str_equal (settings[i].key, norm))
      g_ptr_array_add (elsewhere, (gpointer) settings[i].section);

  if (elsewhere->len > 0)
    {
      g_autofree char *where = NULL;

      g_ptr_array_add (elsewhere, NULL);
      where = g_strjoinv (_(" or "), (char **) elsewhere->pdata);
      if (section == NULL && elsewhere->len == 2)
        loader_error (self, key, path, _("unknown top-level key; %s is a setting of the %s section: indent it under “%s:”"),
                      norm, where, where);
      else if (section == NULL)
        loader_error (self, key, path, _("unknown top-level key; %s is a setting of the %s sections: indent it under the right one"),
                      norm, where);
      else
        loader_error (self, key, path, _("unknown key in %s; %s belongs in the %s section"),
                      section, norm, where);
      return;
    }

  g_ptr_array_remove_index (candidates, candidates->len - 1);
  g_ptr_array_add (candidates, NULL);
  known = g_strjoinv (", ", (char **) candidates->pdata);
  if (section == NULL)
    loader_error (self, key, path, _("unknown key; the top-level keys are: %s"), known);
  else
    loader_error (self, key, path, _("unknown key; the keys of %s are: %s"), section, known);
}

/* source: {host: db1, port: 5432, …} */

typedef struct {
  GString          *conninfo;
  PQconninfoOption *options;
  gboolean          ok;
} ConninfoBuilder;

static void
loader_conninfo_pair (Loader     *self,
                      const char *path,
                      const Node *key,
                      const Node *value,
                      gpointer    user_data)
{
  ConninfoBuilder *builder = user_data;
  PQconninfoOption *option = NULL;
  const char *text;

  for (PQconninfoOption *o = builder->options; o->keyword != NULL && option == NULL; o++)
    if (g_str_equal (o->keyword, key->value))
      option = o;

  if (g_ascii_strcasecmp (key->value, "password") == 0 ||
      (option != NULL && option->dispchar[0] == '*'))
    {
      loader_error (self, key, path, "%s", _(PASSWORD_HINT));
      builder->ok = FALSE;
      return;
    }

  if (option == NULL)
    {
      g_autoptr(GPtrArray) keywords = g_ptr_array_new ();
      const char *suggestion;

      for (PQconninfoOption *o = builder->options; o->keyword != NULL; o++)
        if (o->dispchar[0] != '*')
          g_ptr_array_add (keywords, o->keyword);
      g_ptr_array_add (keywords, NULL);

      suggestion = closest_name (key->value, (const char * const *) keywords->pdata);
      if (suggestion != NULL)
        loader_error (self, key, path, _("unknown connection option; did you mean %s?"), suggestion);
      else
        loader_error (self, key, path,
                      _("unknown connection option; the options are libpq’s: host, port, dbname, user, sslmode, service, application_name …"));
      builder->ok = FALSE;
      return;
    }

  if (!loader_get_text (self, value, path, _("a value for the connection option"), &text))
    {
      builder->ok = FALSE;
      return;
    }

  if (builder->conninfo->len > 0)
    g_string_append_c (builder->conninfo, ' ');
  g_string_append_printf (builder->conninfo, "%s=", option->keyword);
  ferry_conninfo_append_value (builder->conninfo, text);
}

static gboolean
loader_get_conninfo (Loader      *self,
                     const Node  *node,
                     const char  *path,
                     char       **out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) conninfo = NULL;

  if (node_is_null (node))
    {
      *out = g_strdup ("");
      return TRUE;
    }

  if (node->kind == NODE_MAPPING)
    {
      ConninfoBuilder builder = { g_string_new (NULL), PQconninfoParse ("", NULL), TRUE };

      g_assert (builder.options != NULL);
      loader_each_pair (self, node, path, loader_conninfo_pair, &builder);
      PQconninfoFree (builder.options);
      conninfo = builder.conninfo;
      if (!builder.ok)
        return FALSE;
    }
  else
    {
      const char *text;

      if (!loader_get_text (self, node, path,
                            _("a connection string or a mapping of connection options"), &text))
        return FALSE;
      conninfo = g_string_new (text);
    }

  if (!ferry_config_check_conninfo (conninfo->str, &error))
    {
      loader_error (self, node, path, "%s", error->message);
      return FALSE;
    }

  *out = g_string_free (g_steal_pointer (&conninfo), FALSE);
  return TRUE;
}

/* Settings and sections */

static void
loader_load_setting (Loader        *self,
                     const Setting *setting,
                     const char    *path,
                     const Node    *node)
{
  GParamSpec *pspec = properties[setting->prop_id];
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);

  switch (setting->kind)
    {
    case KIND_UINT:
      {
        GParamSpecUInt *uint_spec = G_PARAM_SPEC_UINT (pspec);
        guint64 number;

        if (!loader_get_integer (self, node, path, uint_spec->minimum, uint_spec->maximum, &number))
          return;
        g_value_set_uint (&value, (guint) number);
      }
      break;

    case KIND_SIZE:
      {
        GParamSpecUInt64 *uint64_spec = G_PARAM_SPEC_UINT64 (pspec);
        guint64 bytes;

        if (!loader_get_size (self, node, path, uint64_spec->minimum, uint64_spec->maximum, &bytes))
          return;
        g_value_set_uint64 (&value, bytes);
      }
      break;

    case KIND_BOOLEAN:
      {
        gboolean flag;

        if (!loader_get_boolean (self, node, path, &flag))
          return;
        g_value_set_boolean (&value, flag);
      }
      break;

    case KIND_ENUM:
      {
        int nick_value;

        if (!loader_get_enum (self, node, path, pspec->value_type, &nick_value))
          return;
        g_value_set_enum (&value, nick_value);
      }
      break;

    case KIND_CONNINFO:
      {
        char *conninfo;

        if (!loader_get_conninfo (self, node, path, &conninfo))
          return;
        g_value_take_string (&value, conninfo);
      }
      break;

    case KIND_IDENTIFIER:
      {
        g_autoptr(GError) error = NULL;
        const char *text;

        if (!loader_get_text (self, node, path, _("a schema name"), &text))
          return;
        if (!ferry_config_check_journal_schema (text, &error))
          {
            loader_error (self, node, path, "%s", error->message);
            return;
          }
        g_value_set_string (&value, text);
      }
      break;

    case KIND_PATH:
      {
        g_autoptr(GError) error = NULL;
        const char *text;

        if (!loader_get_text (self, node, path, _("a directory"), &text))
          return;
        if (!ferry_config_check_reports_directory (text, &error))
          {
            loader_error (self, node, path, "%s", error->message);
            return;
          }
        g_value_set_string (&value, text);
      }
      break;

    case KIND_PATTERNS:
      {
        GStrv patterns;

        if (!loader_get_list (self, node, path, "[\"sales.*\", \"public.orders\"]",
                              _("a pattern such as “sales.*”"),
                              ferry_config_check_pattern, &patterns))
          return;
        g_value_take_boxed (&value, patterns);
      }
      break;

    case KIND_FOREIGN_KEYS:
      {
        GStrv names;

        if (!loader_get_list (self, node, path, "[\"public.orders.orders_customer_id_fkey\"]",
                              _("a foreign key such as “public.orders.orders_customer_id_fkey”"),
                              ferry_config_check_foreign_key, &names))
          return;
        g_value_take_boxed (&value, names);
      }
      break;

    case KIND_URLS:
      {
        GStrv urls;

        if (!loader_get_list (self, node, path, "[\"https://hooks.example.com/ferry\"]",
                              _("a URL"), ferry_config_check_webhook, &urls))
          return;
        g_value_take_boxed (&value, urls);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  g_object_set_property (G_OBJECT (self->config), pspec->name, &value);
  g_hash_table_insert (self->in_file, pspec, (gpointer) node);
}

static void
loader_section_pair (Loader     *self,
                     const char *path,
                     const Node *key,
                     const Node *value,
                     gpointer    user_data)
{
  const char *section = user_data;
  const Setting *setting = find_setting (section, key->value);

  if (setting != NULL)
    loader_load_setting (self, setting, path, value);
  else
    loader_unknown_key (self, section, key, path);
}

static void
loader_root_pair (Loader     *self,
                  const char *path,
                  const Node *key,
                  const Node *value,
                  gpointer    user_data)
{
  const Setting *setting = find_setting (NULL, key->value);

  if (setting != NULL)
    {
      loader_load_setting (self, setting, path, value);
      return;
    }

  if (!is_section (key->value))
    {
      loader_unknown_key (self, NULL, key, path);
      return;
    }

  /* "migration:" with every setting commented out */
  if (node_is_null (value))
    return;

  if (value->kind != NODE_MAPPING)
    {
      g_autofree char *what = describe_node (value);

      loader_error (self, value, path, _("expected a mapping of settings (“key: value” lines indented under “%s:”), not %s"),
                    key->value, what);
      return;
    }

  loader_each_pair (self, value, path, loader_section_pair, (gpointer) key->value);
}

static void
loader_load (Loader *self)
{
  const char *invalid;
  Node *root = NULL;

  if (!g_utf8_validate_len (self->data, self->length, &invalid))
    {
      guint line, column;
      g_autofree char *message = NULL;

      loader_position_of_offset (self, invalid - self->data, &line, &column);
      if (*invalid == '\0')
        message = g_strdup (_("the file contains a NUL byte; is it a text file?"));
      else
        message = g_strdup_printf (_("the file is not valid UTF-8 text (byte 0x%02X); save it as UTF-8"),
                                   (guint) (guchar) *invalid);
      loader_add_message (self, line, column, NULL, message);
      return;
    }

  if (!loader_compose (self, &root))
    return;

  /* An empty file, or only comments: every setting at its default */
  if (root == NULL || node_is_null (root))
    return;

  if (root->kind != NODE_MAPPING)
    {
      g_autofree char *what = describe_node (root);

      loader_error (self, root, NULL,
                    _("the file must be a mapping of sections such as “migration:” and “source:”, not %s"),
                    what);
      return;
    }

  loader_each_pair (self, root, NULL, loader_root_pair, NULL);

  /* Cross-field checks, once every value is good on its own */
  if (self->n_problems == 0)
    {
      g_autoptr(GPtrArray) problems = config_find_problems (self->config, self->in_file);

      for (guint i = 0; i < problems->len; i++)
        {
          Problem *problem = g_ptr_array_index (problems, i);
          const Setting *setting = find_setting_for_property (problem->prop_id);
          g_autofree char *path = setting_path (setting);

          loader_error (self, g_hash_table_lookup (self->in_file, properties[problem->prop_id]),
                        path, "%s", problem->message);
        }
    }
}

static FerryConfig *
config_load (const char  *data,
             gsize        length,
             const char  *display_name,
             const char  *filename,
             GError     **error)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  Loader loader = {
    .display_name = display_name,
    .data = data,
    .length = length,
    .nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free),
    .anchors = g_hash_table_new (g_str_hash, g_str_equal),
    .messages = g_ptr_array_new_with_free_func (g_free),
    .in_file = g_hash_table_new (NULL, NULL),
    .config = config,
  };

  loader_load (&loader);

  if (loader.n_problems > 0)
    {
      g_autoptr(GString) message = g_string_new (NULL);

      for (guint i = 0; i < loader.messages->len; i++)
        {
          if (i > 0)
            g_string_append_c (message, '\n');
          g_string_append (message, g_ptr_array_index (loader.messages, i));
        }
      if (loader.n_problems > loader.messages->len)
        {
          guint more = loader.n_problems - loader.messages->len;

          g_string_append_c (message, '\n');
          g_string_append_printf (message,
                                  g_dngettext (GETTEXT_PACKAGE, "%s: and %u more problem",
                                               "%s: and %u more problems", more),
                                  display_name, more);
        }
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG, message->str);
      g_clear_object (&config);
    }
  else
    config->filename = g_strdup (filename);

  g_ptr_array_unref (loader.nodes);
  g_hash_table_unref (loader.anchors);
  g_ptr_array_unref (loader.messages);
  g_hash_table_unref (loader.in_file);

  return g_steal_pointer (&config);
}

/**
 * ferry_config_new_from_data:
 * @data: the YAML text
 * @length: its length in bytes, or -1 if it is nul-terminated
 * @filename: (nullable): the name to show in messages and to keep as the
 *   configuration's filename
 * @error: a FERRY_ERROR_CONFIG error listing every problem, one a line,
 *   each as "file:line:column: section.key: message"
 *
 * Returns: (transfer full) (nullable): the configuration, or %NULL if the
 *   text has any problem
 */
FerryConfig *
ferry_config_new_from_data (const char  *data,
                            gssize       length,
                            const char  *filename,
                            GError     **error)
{
  g_return_val_if_fail (data != NULL || length <= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  if (length < 0)
    length = strlen (data);

  return config_load (data, length, filename != NULL ? filename : "<data>", filename, error);
}

/**
 * ferry_config_new_from_file:
 * @path: a YAML file
 * @error: a FERRY_ERROR_IO error if the file cannot be read, or a
 *   FERRY_ERROR_CONFIG error listing its problems
 *
 * Returns: (transfer full) (nullable): the configuration, or %NULL
 */
FerryConfig *
ferry_config_new_from_file (const char  *path,
                            GError     **error)
{
  g_autofree char *display_name = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display_name = g_filename_display_name (path);

  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > MAX_FILE_SIZE)
    {
      g_autofree char *size = g_format_size_full (st.st_size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *limit = g_format_size_full (MAX_FILE_SIZE, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("%s: the file is too large to be a configuration file (%s; at most %s)"),
                   display_name, size, limit);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_IO, local_error->message);
      return NULL;
    }

  return config_load (contents, length, display_name, path, error);
}

/* Writing */

/* A YAML double-quoted scalar that loads back as exactly @text: quotes
 * and backslashes escaped, and everything YAML would not read back
 * verbatim (control characters, line and paragraph separators, a byte
 * order mark, non-characters) written as an escape. */
static void
append_yaml_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
            g_string_append_printf (out, "\\x%02X", c);
          else if (c == 0x2028 || c == 0x2029 || c == 0xfeff || c == 0xfffe || c == 0xffff)
            g_string_append_printf (out, "\\u%04X", c);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
  g_string_append_c (out, '"');
}

/* @text as "# " comment lines indented by @indent, wrapped at 78 columns */
static void
append_comment (GString    *out,
                const char *indent,
                const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  gsize width = strlen (indent) + 2;
  gsize column = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize length = g_utf8_strlen (words[i], -1);

      if (length == 0)
        continue;

      if (column > 0 && column + 1 + length > 78)
        {
          g_string_append_c (out, '\n');
          column = 0;
        }
      if (column == 0)
        {
          g_string_append_printf (out, "%s#", indent);
          column = width - 1;
        }
      g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
      column += 1 + length;
    }

  if (column > 0)
    g_string_append_c (out, '\n');
}

/* "From 1 to 64; default 5." and the like, from the property */
static char *
describe_range (const Setting *setting)
{
  GParamSpec *pspec = properties[setting->prop_id];

  switch (setting->kind)
    {
    case KIND_UINT:
      {
        GParamSpecUInt *spec = G_PARAM_SPEC_UINT (pspec);

        return g_strdup_printf (_("From %u to %u; default %u."),
                                spec->minimum, spec->maximum, spec->default_value);
      }

    case KIND_SIZE:
      {
        GParamSpecUInt64 *spec = G_PARAM_SPEC_UINT64 (pspec);
        g_autofree char *min = ferry_format_size (spec->minimum);
        g_autofree char *max = ferry_format_size (spec->maximum);
        g_autofree char *def = ferry_format_size (spec->default_value);

        return g_strdup_printf (_("From %s to %s; default %s."), min, max, def);
      }

    case KIND_BOOLEAN:
      return g_strdup_printf (_("true or false; default %s."),
                              G_PARAM_SPEC_BOOLEAN (pspec)->default_value ? "true" : "false");

    case KIND_ENUM:
      {
        GParamSpecEnum *spec = G_PARAM_SPEC_ENUM (pspec);
        g_autoptr(GString) values = g_string_new (NULL);

        for (guint i = 0; i < spec->enum_class->n_values; i++)
          {
            if (i > 0)
              g_string_append (values, ", ");
            g_string_append (values, spec->enum_class->values[i].value_nick);
          }
        return g_strdup_printf (_("One of %s; default %s."), values->str,
                                ferry_enum_to_nick (pspec->value_type, spec->default_value));
      }

    case KIND_IDENTIFIER:
      return g_strdup_printf (_("Default %s."), G_PARAM_SPEC_STRING (pspec)->default_value);

    case KIND_PATH:
      return g_strdup (_("Empty: the default, $XDG_DATA_HOME/ferry/reports (usually "
                         "~/.local/share/ferry/reports)."));

    case KIND_CONNINFO:
    case KIND_PATTERNS:
    case KIND_FOREIGN_KEYS:
    case KIND_URLS:
    default:
      return NULL;
    }
}

static void
append_setting (GString       *out,
                FerryConfig   *self,
                const Setting *setting,
                const char    *indent)
{
  GParamSpec *pspec = properties[setting->prop_id];
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *range = describe_range (setting);
  g_autofree char *help = NULL;

  help = range != NULL ? g_strconcat (_(setting->help), " ", range, NULL)
                       : g_strdup (_(setting->help));
  append_comment (out, indent, help);

  g_value_init (&value, pspec->value_type);
  g_object_get_property (G_OBJECT (self), pspec->name, &value);

  g_string_append_printf (out, "%s%s:", indent, setting->key);

  switch (setting->kind)
    {
    case KIND_UINT:
      g_string_append_printf (out, " %u\n", g_value_get_uint (&value));
      break;

    case KIND_SIZE:
      {
        g_autofree char *size = ferry_format_size (g_value_get_uint64 (&value));

        g_string_append_printf (out, " %s\n", size);
      }
      break;

    case KIND_BOOLEAN:
      g_string_append (out, g_value_get_boolean (&value) ? " true\n" : " false\n");
      break;

    case KIND_ENUM:
      g_string_append_printf (out, " %s\n",
                              ferry_enum_to_nick (pspec->value_type, g_value_get_enum (&value)));
      break;

    case KIND_CONNINFO:
    case KIND_IDENTIFIER:
    case KIND_PATH:
      g_string_append_c (out, ' ');
      append_yaml_string (out, g_value_get_string (&value));
      g_string_append_c (out, '\n');
      break;

    case KIND_PATTERNS:
    case KIND_FOREIGN_KEYS:
    case KIND_URLS:
      {
        const char * const *items = g_value_get_boxed (&value);

        if (items == NULL || items[0] == NULL)
          {
            g_string_append (out, " []\n");
            break;
          }

        g_string_append_c (out, '\n');
        for (guint i = 0; items[i] != NULL; i++)
          {
            g_string_append_printf (out, "%s  - ", indent);
            append_yaml_string (out, items[i]);
            g_string_append_c (out, '\n');
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * ferry_config_to_yaml:
 *
 * Writes every setting, in block style, each with a comment that says
 * what it does, its range and its default. Loading the text gives back
 * the same settings.
 *
 * Returns: (transfer full): the YAML text
 */
char *
ferry_config_to_yaml (FerryConfig *self)
{
  GString *out;
  const char *section = NULL;

  g_return_val_if_fail (FERRY_IS_CONFIG (self), NULL);

  out = g_string_new (NULL);
  append_comment (out, "", _("Ferry migration configuration."));
  append_comment (out, "", _("Passwords never go in this file: put them in ~/.pgpass, in the PGPASSWORD environment variable or in the desktop keyring."));

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const Setting *setting = &settings[i];

      if (g_strcmp0 (setting->section, section) != 0)
        {
          section = setting->section;
          g_string_append_c (out, '\n');
          for (guint j = 0; j < G_N_ELEMENTS (sections); j++)
            if (g_str_equal (sections[j].name, section))
              append_comment (out, "", _(sections[j].help));
          g_string_append_printf (out, "%s:\n", section);
        }
      else if (section == NULL || i > 0)
        g_string_append_c (out, '\n');

      append_setting (out, self, setting, section != NULL ? "  " : "");
    }

  return g_string_free (out, FALSE);
}

/**
 * ferry_config_save:
 * @path: where to write
 * @error: a FERRY_ERROR_CONFIG error if the configuration does not
 *   validate, or a FERRY_ERROR_IO error
 *
 * Writes ferry_config_to_yaml() to @path atomically (a crash leaves the
 * old file or the new one, never half of one), readable by its owner
 * only. A configuration that does not validate is not written, so that
 * every saved file loads again.
 */
gboolean
ferry_config_save (FerryConfig  *self,
                   const char   *path,
                   GError      **error)
{
  g_autofree char *yaml = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (FERRY_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ferry_config_validate (self, error))
    return FALSE;

  yaml = ferry_config_to_yaml (self);
  if (!g_file_set_contents_full (path, yaml, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_IO, local_error->message);
      return FALSE;
    }

  config_set_filename (self, path);
  return TRUE;
}
