/* ferry-error-handler.c
 *
 * Sorts failures by SQLSTATE into the five classes of DESIGN.md and
 * says what to do about each: retry transient failures with exponential
 * backoff and jitter, wait for parents, split chunks that run too long,
 * fail a table whose data the target rejects, escalate what no retry
 * can fix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-error-handler"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-error.h"
#include "ferry-error-handler.h"

/* First retry after about half a second, doubling up to a minute. */
#define BACKOFF_BASE_MS   500
#define BACKOFF_MAX_MS  60000

struct _FerryErrorHandler
{
  GObject  parent_instance;

  guint    retry_attempts;
  GRand   *rand;
  GMutex   lock;
  guint    counts[FERRY_ERROR_CLASS_LAST];
};

G_DEFINE_FINAL_TYPE (FerryErrorHandler, ferry_error_handler, G_TYPE_OBJECT)

static void
ferry_error_handler_finalize (GObject *object)
{
  FerryErrorHandler *self = (FerryErrorHandler *)object;

  g_clear_pointer (&self->rand, g_rand_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ferry_error_handler_parent_class)->finalize (object);
}

static void
ferry_error_handler_class_init (FerryErrorHandlerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_error_handler_finalize;
}

static void
ferry_error_handler_init (FerryErrorHandler *self)
{
  self->rand = g_rand_new ();
  g_mutex_init (&self->lock);
}

FerryErrorHandler *
ferry_error_handler_new (guint retry_attempts)
{
  FerryErrorHandler *self = g_object_new (FERRY_TYPE_ERROR_HANDLER, NULL);

  self->retry_attempts = retry_attempts;
  return self;
}

guint
ferry_error_handler_get_retry_attempts (FerryErrorHandler *self)
{
  g_return_val_if_fail (FERRY_IS_ERROR_HANDLER (self), 0);
  return self->retry_attempts;
}

static gboolean
sqlstate_in (const char         *sqlstate,
             const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (sqlstate, list[i]))
      return TRUE;
  return FALSE;
}

/**
 * ferry_error_handler_classify:
 *
 * TEMPORARY: connection failures (08xxx, and no SQLSTATE at all, which
 * is how libpq reports a lost connection), serialization failures and
 * deadlocks, too many connections, lock timeouts, the server shutting
 * down or restarting (57P01–57P03), and Ferry's own connection and
 * timeout errors while connecting.
 * DEPENDENCY: a foreign-key violation (23503).
 * DATA: data exceptions (22xxx) and integrity violations (23xxx).
 * PERFORMANCE: a statement cancelled by statement_timeout (57014).
 * CRITICAL: authentication (28xxx), missing database (3D000) or table
 * (42P01), privileges (42501), disk full (53100), system and internal
 * errors (58xxx, XX000) — and anything not known to be harmless.
 */
FerryErrorClass
ferry_error_handler_classify (const GError *error)
{
  static const char * const temporary[] = {
    "40001", "40P01", "53300", "55P03", "57P01", "57P02", "57P03", "53400", NULL
  };
  const char *sqlstate;

  g_return_val_if_fail (error != NULL, FERRY_ERROR_CLASS_CRITICAL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FERRY_ERROR_CLASS_TEMPORARY;

  /* Only Ferry's own errors carry a SQLSTATE (the accessor is not for
   * other domains): a GIOError, a GSpawnError… is not known to be
   * harmless. */
  if (error->domain != FERRY_ERROR)
    return FERRY_ERROR_CLASS_CRITICAL;

  sqlstate = ferry_error_get_sqlstate (error);

  if (sqlstate == NULL)
    {
      if (error->domain == FERRY_ERROR &&
          (error->code == FERRY_ERROR_CONNECTION || error->code == FERRY_ERROR_TIMEOUT))
        return FERRY_ERROR_CLASS_TEMPORARY;
      return FERRY_ERROR_CLASS_CRITICAL;
    }

  if (g_str_has_prefix (sqlstate, "08") || sqlstate_in (sqlstate, temporary))
    return FERRY_ERROR_CLASS_TEMPORARY;
  if (g_str_equal (sqlstate, "23503"))
    return FERRY_ERROR_CLASS_DEPENDENCY;
  if (g_str_equal (sqlstate, "57014"))
    return FERRY_ERROR_CLASS_PERFORMANCE;
  if (g_str_has_prefix (sqlstate, "22") || g_str_has_prefix (sqlstate, "23"))
    return FERRY_ERROR_CLASS_DATA;

  return FERRY_ERROR_CLASS_CRITICAL;
}

/**
 * ferry_error_handler_decide:
 * @attempts: how many times the chunk has been tried, this one included
 * @parents_complete: whether every parent of the chunk's table is complete
 * @can_split: whether the chunk can be split further
 */
FerryErrorAction
ferry_error_handler_decide (FerryErrorHandler *self,
                            FerryErrorClass    error_class,
                            guint              attempts,
                            gboolean           parents_complete,
                            gboolean           can_split)
{
  g_return_val_if_fail (FERRY_IS_ERROR_HANDLER (self), FERRY_ERROR_ACTION_ESCALATE);

  switch (error_class)
    {
    case FERRY_ERROR_CLASS_TEMPORARY:
      return attempts <= self->retry_attempts ? FERRY_ERROR_ACTION_RETRY
                                              : FERRY_ERROR_ACTION_FAIL_TABLE;

    case FERRY_ERROR_CLASS_DEPENDENCY:
      /* A missing parent row is only a matter of time while the parent
       * is still loading; once it is complete, the data is wrong. */
      return parents_complete ? FERRY_ERROR_ACTION_FAIL_TABLE
                              : FERRY_ERROR_ACTION_WAIT_PARENTS;

    case FERRY_ERROR_CLASS_DATA:
      return FERRY_ERROR_ACTION_FAIL_TABLE;

    case FERRY_ERROR_CLASS_PERFORMANCE:
      if (can_split)
        return FERRY_ERROR_ACTION_SPLIT;
      return attempts <= self->retry_attempts ? FERRY_ERROR_ACTION_RETRY
                                              : FERRY_ERROR_ACTION_FAIL_TABLE;

    case FERRY_ERROR_CLASS_CRITICAL:
    default:
      return FERRY_ERROR_ACTION_ESCALATE;
    }
}

/**
 * ferry_error_handler_backoff_ms:
 * @attempt: the attempt that failed, from 1
 *
 * Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to a minute,
 * each multiplied by a random factor between 0.5 and 1.5 so that
 * workers that failed together do not retry together.
 */
guint
ferry_error_handler_backoff_ms (FerryErrorHandler *self,
                                guint              attempt)
{
  guint64 delay = BACKOFF_BASE_MS;
  double factor;

  g_return_val_if_fail (FERRY_IS_ERROR_HANDLER (self), BACKOFF_BASE_MS);

  for (guint i = 1; i < attempt && delay < BACKOFF_MAX_MS; i++)
    delay *= 2;
  delay = MIN (delay, BACKOFF_MAX_MS);

  g_mutex_lock (&self->lock);
  factor = g_rand_double_range (self->rand, 0.5, 1.5);
  g_mutex_unlock (&self->lock);

  return (guint)(delay * factor);
}

void
ferry_error_handler_record (FerryErrorHandler *self,
                            FerryErrorClass    error_class)
{
  g_return_if_fail (FERRY_IS_ERROR_HANDLER (self));
  g_return_if_fail (error_class < FERRY_ERROR_CLASS_LAST);

  g_mutex_lock (&self->lock);
  self->counts[error_class]++;
  g_mutex_unlock (&self->lock);
}

guint
ferry_error_handler_get_count (FerryErrorHandler *self,
                               FerryErrorClass    error_class)
{
  guint count;

  g_return_val_if_fail (FERRY_IS_ERROR_HANDLER (self), 0);
  g_return_val_if_fail (error_class < FERRY_ERROR_CLASS_LAST, 0);

  g_mutex_lock (&self->lock);
  count = self->counts[error_class];
  g_mutex_unlock (&self->lock);

  return count;
}

guint
ferry_error_handler_get_total (FerryErrorHandler *self)
{
  guint total = 0;

  g_return_val_if_fail (FERRY_IS_ERROR_HANDLER (self), 0);

  for (guint i = 0; i < FERRY_ERROR_CLASS_LAST; i++)
    total += ferry_error_handler_get_count (self, i);
  return total;
}

const char *
ferry_error_class_to_string (FerryErrorClass error_class)
{
  switch (error_class)
    {
    case FERRY_ERROR_CLASS_TEMPORARY:   return _("Temporary");
    case FERRY_ERROR_CLASS_DEPENDENCY:  return _("Dependency");
    case FERRY_ERROR_CLASS_DATA:        return _("Data");
    case FERRY_ERROR_CLASS_PERFORMANCE: return _("Performance");
    case FERRY_ERROR_CLASS_CRITICAL:    return _("Critical");
    default:                            return _("Unknown");
    }
}
