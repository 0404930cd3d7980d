/* ferry-coordinator-private.h — the coordinator's insides, for its own files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#ifndef FERRY_CORE_COMPILATION
# error "ferry-coordinator-private.h is for the core only"
#endif

#include "ferry-coordinator.h"
#include "ferry-copy.h"
#include "ferry-monitor.h"
#include "ferry-table-private.h"

G_BEGIN_DECLS

typedef enum {
  WORK_CHUNK,      /* copy one chunk */
  WORK_DDL,        /* restore a dropped index, constraint or trigger state */
  WORK_VALIDATE,   /* compare one heap (or key range) on both servers */
} WorkKind;

typedef enum {
  WORK_PENDING,
  WORK_RUNNING,
  WORK_DONE,
  WORK_FAILED,
  WORK_SKIPPED,
} WorkState;

/* A worker's pair of connections. At most max_parallel exist; each is
 * used by one job at a time. */
typedef struct {
  guint             id;
  FerryConnection  *source;
  FerryConnection  *target;
  gboolean          broken;          /* reconnect before the next job */
  gboolean          unbounded;       /* the target's statement_timeout is lifted (DDL) */
} Slot;

typedef struct {
  WorkKind          kind;
  WorkState         state;
  FerryTable       *table;           /* the unit */
  FerryTable       *heap;            /* what is read (chunks, validation) */
  FerryTable       *ref_table;       /* DDL: the other table of a foreign key */

  /* chunks */
  gint64            chunk_id;
  guint             number;
  FerryChunkKind    chunk_kind;
  char             *key_column;
  gboolean          has_lo;
  gboolean          has_hi;
  gint64            lo;
  gint64            hi;
  char             *predicate;
  guint64           est_bytes;
  guint64           rows;            /* committed */
  guint64           bytes;
  guint             attempts;        /* in this run: the retry budget */
  guint             prior_attempts;  /* journaled by the runs before this one */
  gint64            not_before;      /* monotonic µs: backoff */
  gboolean          wait_parents;    /* a 23503 while parents were loading */
  FerryCopyProgress live;            /* in flight, written by the worker */

  /* DDL */
  FerryJournalDdl  *ddl;
  GPtrArray        *wait_tables;     /* units whose data must be complete; NULL: table, ref_table */
  GPtrArray        *after;           /* Work* (DDL) to be done first */
  FerryTable       *locks[2];        /* the tables it alters (not units), or NULL */

  /* validation */
  char             *part;            /* "table" or "chunk N" */
  gint64            source_rows;
  gint64            target_rows;
  char             *source_checksum;
  char             *target_checksum;
  gboolean          matches;

  Slot             *slot;            /* while running */
  GError           *error;           /* the last failure */
} Work;

/* Per heap (a table, or one partition of a unit): its chunks, so that
 * a partition's indexes need not wait for its siblings. */
typedef struct {
  guint             n_chunks;
  guint             n_done;          /* done or skipped */
} HeapRun;

/* Per unit: how far its chunks got. */
typedef struct {
  FerryTable       *table;
  guint             n_chunks;
  guint             n_done;
  guint             n_running;
  guint             n_ddl_pending;   /* indexes and constraints of this table */
  guint64           rows_committed;
  guint64           bytes_committed;
  gboolean          complete;        /* every chunk done (or skipped) */
  gint64            started_at;
  gint64            finished_at;
  GError           *error;           /* why it failed */
  FerryErrorClass   error_class;
  Work             *failed_work;
} TableRun;

struct _FerryCoordinator
{
  GObject            parent_instance;

  FerryConfig       *config;
  FerryState         state;
  char              *phase;
  GError            *last_error;

  FerryValidator    *validator;
  FerryTableList    *tables;
  FerryErrorHandler *errors;
  FerryMonitor      *monitor;

  /* Control: the journal and the snapshot, used by one thread at a time
   * through the control queue. */
  GThreadPool       *control;
  FerryConnection   *control_source;
  FerryConnection   *control_target;
  FerryConnection   *snapshot;
  char              *snapshot_id;
  FerryJournal      *journal;
  gint64             migration_id;
  gboolean           resuming;
  char              *source_id;

  /* The run */
  GThreadPool       *pool;
  GPtrArray         *slots;          /* Slot*, all of them */
  GPtrArray         *idle_slots;
  GPtrArray         *work;           /* Work*, in load order */
  GHashTable        *runs;           /* FerryTable* → TableRun* */
  GHashTable        *heap_runs;      /* FerryTable* (heap) → HeapRun* */
  GHashTable        *ddl_locks;      /* FerryTable* → how many running DDL jobs alter it */
  GHashTable        *completed;      /* FerryTable* set, for the analyzer */
  guint              n_running;
  guint              n_chunks_total;
  guint              n_chunks_done;
  gboolean           main_work_done;  /* every chunk and every DDL item not kept for the end */
  gboolean           pause_requested;
  gboolean           stop_requested;
  gint               stop_from_journal;  /* atomic: a stop request taken by the finish job */
  gboolean           abort_requested;
  gboolean           finishing;
  gboolean           validating;
  guint              tick_id;
  guint              wakeup_id;
  gint64             wakeup_at;
  guint              request_poll_id;
  gint64             started_at;

  guint64            rows_done;
  guint64            bytes_done;
  guint64            rows_resumed;   /* committed by the runs before this one */
  guint64            bytes_resumed;
  GPtrArray         *validation;     /* Work* of kind VALIDATE, done */
  GCancellable      *cancellable;
  GPtrArray         *early_events;   /* EventData*: before the journal has the migration */

  /* A server that went away is one outage, not a failure of every job
   * that tries during it: nothing starts until hold_until (monotonic
   * µs); outage_failures counts the holds since the last success. */
  gint64             hold_until;
  guint              outage_failures;

  /* The exported snapshot's id is read by workers and replaced by the
   * control thread; a worker that finds it gone raises snapshot_lost. */
  GMutex             snapshot_lock;
  gint               snapshot_lost;
  gboolean           renewing_snapshot;

  guint              readiness_running;
};

/* An event for the journal's audit trail. */
typedef struct {
  char   *action;
  char   *detail;
  gint64  migration_id;
  char   *actor;    /* NULL: the operating-system user */
  char   *host;     /* NULL: this host */
} EventData;

void      event_data_free                    (EventData           *data);

typedef void (*ControlFunc) (FerryCoordinator *self,
                             GTask            *task);

void      ferry_coordinator_control_async    (FerryCoordinator    *self,
                                              ControlFunc          func,
                                              gpointer             data,
                                              GDestroyNotify       data_free,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean  ferry_coordinator_ensure_control   (FerryCoordinator    *self,
                                              GError             **error);
void      ferry_coordinator_record_event     (FerryCoordinator    *self,
                                              const char          *action,
                                              const char          *detail);

/* ferry-coordinator-jobs.c: what runs on worker and control threads */
void      ferry_job_prepare                  (FerryCoordinator    *self,
                                              GTask               *task);
void      ferry_job_finish                   (FerryCoordinator    *self,
                                              GTask               *task);
void      ferry_job_release                  (FerryCoordinator    *self,
                                              GTask               *task);
void      ferry_job_abort_restore            (FerryCoordinator    *self,
                                              GTask               *task);
void      ferry_job_run_work                 (FerryCoordinator    *self,
                                              Work                *work,
                                              GTask               *task);
void      ferry_job_split                    (FerryCoordinator    *self,
                                              GTask               *task);
void      ferry_job_truncate                 (FerryCoordinator    *self,
                                              GTask               *task);
void      ferry_job_skip                     (FerryCoordinator    *self,
                                              GTask               *task);
void      ferry_job_probe                    (FerryCoordinator    *self,
                                              GTask               *task);
void      ferry_job_snapshot                 (FerryCoordinator    *self,
                                              GTask               *task);
void      ferry_job_chunk_error              (FerryCoordinator    *self,
                                              GTask               *task);

gboolean  ferry_coordinator_import_snapshot  (FerryCoordinator    *self,
                                              FerryConnection     *source,
                                              gboolean            *imported,
                                              gboolean            *gone,
                                              GError             **error);

/* ferry-large-objects.c: in the finish job */
gboolean  ferry_large_objects_copy           (FerryCoordinator    *self,
                                              GError             **error);

typedef struct {
  FerryTable      *table;
  FerryResolution  resolution;
  FerryJournalDdl *triggers;   /* truncate: the triggers it disabled, to enable after the reload */
} ResolveData;

void      ferry_resolve_data_free            (ResolveData         *data);

typedef struct {
  FerryState  state;
  char       *journal_state;
} ReleaseData;

/* A chunk's failed attempt, for its journal row. */
typedef struct {
  gint64  chunk_id;
  guint   attempts;
  char   *message;
} ChunkErrorData;

void      ferry_chunk_error_data_free        (ChunkErrorData      *data);

typedef struct {
  guint64  rows;
  guint64  bytes;
  gboolean already_done;
} WorkResult;

typedef struct {
  GPtrArray *chunks;   /* FerryJournalChunk* */
  GPtrArray *ddl;      /* FerryJournalDdl* */
} PrepareResult;

void      prepare_result_free                (PrepareResult       *result);

void      work_free                          (Work                *work);
char    **ferry_table_dup_copy_columns       (FerryTable          *table);

G_END_DECLS
