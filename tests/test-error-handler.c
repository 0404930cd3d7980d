/* test-error-handler.c — the Error Handler, without a server
 *
 * Classification follows the table in DESIGN.md ("Errors"); decide()
 * says what happens next; the backoff grows exponentially with jitter
 * between 0.5 and 1.5 times the nominal delay, capped at a minute.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "ferry-enum-types.h"
#include "ferry-error.h"
#include "ferry-error-handler.h"

static GError *
pg_error (const char *sqlstate)
{
  GError *error = g_error_new (FERRY_ERROR, FERRY_ERROR_QUERY, "server said %s", sqlstate);

  ferry_error_set_pg_fields (error, sqlstate, NULL, NULL, NULL);
  return error;
}

static void
assert_class (const char      *sqlstate,
              FerryErrorClass  expected)
{
  g_autoptr(GError) error = pg_error (sqlstate);
  FerryErrorClass got = ferry_error_handler_classify (error);

  if (got != expected)
    g_error ("SQLSTATE %s is %s, expected %s", sqlstate,
             ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, got),
             ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, expected));
}

static void
test_classify_design_table (void)
{
  /* TEMPORARY: 08xxx, 40001, 40P01, 53300, 55P03, 57P01–57P03 */
  static const char * const temporary[] = {
    "08000", "08001", "08003", "08004", "08006", "08007", "08P01",
    "40001", "40P01", "53300", "55P03", "57P01", "57P02", "57P03",
  };
  /* DATA: 22xxx, 23502, 23505, 23514 */
  static const char * const data[] = {
    "22000", "22001", "22003", "22007", "22008", "22012", "22021", "22P02", "22P05",
    "23502", "23505", "23514", "23P01", "23001",
  };
  /* CRITICAL: 28xxx, 3D000, 42501, 42P01, 53100, 58xxx, XX000 */
  static const char * const critical[] = {
    "28000", "28P01", "3D000", "42501", "42P01", "53100", "58000", "58030", "58P01",
    "XX000", "XX001", "XX002",
    /* and anything not known to be harmless */
    "42703", "42883", "0A000", "25P02", "P0001",
  };

  for (guint i = 0; i < G_N_ELEMENTS (temporary); i++)
    assert_class (temporary[i], FERRY_ERROR_CLASS_TEMPORARY);
  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    assert_class (data[i], FERRY_ERROR_CLASS_DATA);
  for (guint i = 0; i < G_N_ELEMENTS (critical); i++)
    assert_class (critical[i], FERRY_ERROR_CLASS_CRITICAL);

  assert_class ("23503", FERRY_ERROR_CLASS_DEPENDENCY);
  assert_class ("57014", FERRY_ERROR_CLASS_PERFORMANCE);
}

static void
test_classify_without_sqlstate (void)
{
  g_autoptr(GError) lost = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_CONNECTION,
                                                "server closed the connection unexpectedly");
  g_autoptr(GError) timeout = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_TIMEOUT, "timeout expired");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  g_autoptr(GError) other = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_FAILED, "something");
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk");
  g_autoptr(GError) query = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_QUERY, "no sqlstate");

  /* libpq reports a lost connection without a SQLSTATE. */
  g_assert_cmpint (ferry_error_handler_classify (lost), ==, FERRY_ERROR_CLASS_TEMPORARY);
  g_assert_cmpint (ferry_error_handler_classify (timeout), ==, FERRY_ERROR_CLASS_TEMPORARY);
  g_assert_cmpint (ferry_error_handler_classify (cancelled), ==, FERRY_ERROR_CLASS_TEMPORARY);
  /* Not known to be harmless: a human looks at it. */
  g_assert_cmpint (ferry_error_handler_classify (other), ==, FERRY_ERROR_CLASS_CRITICAL);
  g_assert_cmpint (ferry_error_handler_classify (io), ==, FERRY_ERROR_CLASS_CRITICAL);
  g_assert_cmpint (ferry_error_handler_classify (query), ==, FERRY_ERROR_CLASS_CRITICAL);

  /* A connection error that does carry a SQLSTATE goes by the SQLSTATE. */
  {
    g_autoptr(GError) with_state = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_CONNECTION, "auth");
    ferry_error_set_pg_fields (with_state, "28P01", NULL, NULL, NULL);
    g_assert_cmpint (ferry_error_handler_classify (with_state), ==, FERRY_ERROR_CLASS_CRITICAL);
  }
}

static void
test_decide (void)
{
  g_autoptr(FerryErrorHandler) handler = ferry_error_handler_new (3);
  g_autoptr(FerryErrorHandler) never = ferry_error_handler_new (0);

  g_assert_cmpuint (ferry_error_handler_get_retry_attempts (handler), ==, 3);

  /* TEMPORARY: retried up to retry_attempts times, then the table fails. */
  for (guint attempt = 1; attempt <= 3; attempt++)
    g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_TEMPORARY, attempt, TRUE, TRUE),
                     ==, FERRY_ERROR_ACTION_RETRY);
  g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_TEMPORARY, 4, TRUE, TRUE),
                   ==, FERRY_ERROR_ACTION_FAIL_TABLE);
  g_assert_cmpint (ferry_error_handler_decide (never, FERRY_ERROR_CLASS_TEMPORARY, 1, TRUE, TRUE),
                   ==, FERRY_ERROR_ACTION_FAIL_TABLE);

  /* DEPENDENCY: wait while parents load; with parents complete it is bad data. */
  g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_DEPENDENCY, 1, FALSE, TRUE),
                   ==, FERRY_ERROR_ACTION_WAIT_PARENTS);
  g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_DEPENDENCY, 9, FALSE, FALSE),
                   ==, FERRY_ERROR_ACTION_WAIT_PARENTS);
  g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_DEPENDENCY, 1, TRUE, TRUE),
                   ==, FERRY_ERROR_ACTION_FAIL_TABLE);

  /* DATA: the table fails at once, however many retries are allowed. */
  g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_DATA, 1, TRUE, TRUE),
                   ==, FERRY_ERROR_ACTION_FAIL_TABLE);
  g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_DATA, 1, FALSE, FALSE),
                   ==, FERRY_ERROR_ACTION_FAIL_TABLE);

  /* PERFORMANCE: split while it can; then retry, then fail. */
  g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_PERFORMANCE, 1, TRUE, TRUE),
                   ==, FERRY_ERROR_ACTION_SPLIT);
  g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_PERFORMANCE, 7, TRUE, TRUE),
                   ==, FERRY_ERROR_ACTION_SPLIT);
  g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_PERFORMANCE, 1, TRUE, FALSE),
                   ==, FERRY_ERROR_ACTION_RETRY);
  g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_PERFORMANCE, 4, TRUE, FALSE),
                   ==, FERRY_ERROR_ACTION_FAIL_TABLE);

  /* CRITICAL: stop everything and ask. */
  for (guint attempt = 1; attempt <= 5; attempt++)
    g_assert_cmpint (ferry_error_handler_decide (handler, FERRY_ERROR_CLASS_CRITICAL, attempt, TRUE, TRUE),
                     ==, FERRY_ERROR_ACTION_ESCALATE);
}

static void
test_backoff (void)
{
  g_autoptr(FerryErrorHandler) handler = ferry_error_handler_new (10);
  const guint draws = 2000;
  double previous_mean = 0;

  for (guint attempt = 1; attempt <= 12; attempt++)
    {
      double nominal = MIN (500.0 * pow (2, attempt - 1), 60000.0);
      double sum = 0, sum2 = 0, mean, sd;
      guint lo = G_MAXUINT, hi = 0;

      for (guint i = 0; i < draws; i++)
        {
          guint ms = ferry_error_handler_backoff_ms (handler, attempt);

          /* Jitter keeps it between half and one and a half times the
           * nominal delay. */
          g_assert_cmpfloat (ms, >=, floor (nominal * 0.5));
          g_assert_cmpfloat (ms, <=, ceil (nominal * 1.5));
          lo = MIN (lo, ms);
          hi = MAX (hi, ms);
          sum += ms;
          sum2 += (double)ms * ms;
        }

      mean = sum / draws;
      sd = sqrt (sum2 / draws - mean * mean);

      /* Centred on the nominal delay, spread as a uniform factor in
       * [0.5, 1.5] is (sd = nominal / sqrt(12)), using most of the range. */
      g_assert_cmpfloat (fabs (mean - nominal), <, nominal * 0.05);
      g_assert_cmpfloat (sd, >, nominal * 0.25);
      g_assert_cmpfloat (sd, <, nominal * 0.33);
      g_assert_cmpfloat (lo, <, nominal * 0.6);
      g_assert_cmpfloat (hi, >, nominal * 1.4);

      /* Doubling until the cap. */
      if (attempt > 1 && nominal < 60000)
        g_assert_cmpfloat (fabs (mean / previous_mean - 2.0), <, 0.15);
      previous_mean = mean;
    }

  /* Far beyond the cap, and the first attempt. */
  for (guint i = 0; i < 100; i++)
    {
      g_assert_cmpuint (ferry_error_handler_backoff_ms (handler, 1000), <=, 90000);
      g_assert_cmpuint (ferry_error_handler_backoff_ms (handler, 1000), >=, 30000);
      g_assert_cmpuint (ferry_error_handler_backoff_ms (handler, 1), <=, 750);
      g_assert_cmpuint (ferry_error_handler_backoff_ms (handler, 1), >=, 250);
    }
}

typedef struct {
  FerryErrorHandler *handler;
  FerryErrorClass    error_class;
} CountData;

static gpointer
count_thread (gpointer user_data)
{
  CountData *data = user_data;

  for (guint i = 0; i < 10000; i++)
    {
      ferry_error_handler_record (data->handler, data->error_class);
      (void)ferry_error_handler_backoff_ms (data->handler, 3);
    }
  return NULL;
}

static void
test_counts (void)
{
  g_autoptr(FerryErrorHandler) handler = ferry_error_handler_new (3);
  CountData data[FERRY_ERROR_CLASS_LAST * 2];
  GThread *threads[FERRY_ERROR_CLASS_LAST * 2];

  g_assert_cmpuint (ferry_error_handler_get_total (handler), ==, 0);

  /* Workers record from their own threads. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      data[i].handler = handler;
      data[i].error_class = i % FERRY_ERROR_CLASS_LAST;
      threads[i] = g_thread_new ("count", count_thread, &data[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  for (guint c = 0; c < FERRY_ERROR_CLASS_LAST; c++)
    {
      g_assert_cmpuint (ferry_error_handler_get_count (handler, c), ==, 20000);
      g_assert_nonnull (ferry_error_class_to_string (c));
      g_assert_cmpstr (ferry_error_class_to_string (c), !=, "");
    }
  g_assert_cmpuint (ferry_error_handler_get_total (handler), ==, 20000 * FERRY_ERROR_CLASS_LAST);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error-handler/classify/design-table", test_classify_design_table);
  g_test_add_func ("/error-handler/classify/without-sqlstate", test_classify_without_sqlstate);
  g_test_add_func ("/error-handler/decide", test_decide);
  g_test_add_func ("/error-handler/backoff", test_backoff);
  g_test_add_func ("/error-handler/counts", test_counts);

  return g_test_run ();
}
