/**
 * Messages of the operator's Jobs page (queue depths, failed jobs, retry) and the field-error keys of
 * services/src/operations (English and French side by side; the French record is typed against the
 * English keys).
 */
export const operationsEn = {
  "jobs.nav": "Jobs",
  "jobs.title": "Jobs and queues",
  "jobs.intro":
    "What the worker has to do, per queue: jobs waiting, running, scheduled for later, failed and recently completed, and the changes still in the outbox that have not reached the queues yet.",
  "jobs.redisDown": "Redis cannot be reached right now: the queue figures are unknown. Changes are kept in the outbox (below) and reach the queues once Redis is back.",
  "jobs.checkedAt": "Figures as of {date}",
  "jobs.refresh": "Refresh",

  "jobs.queues.title": "Queues",
  "jobs.queues.caption": "Jobs per queue, and the outbox rows waiting to be queued",
  "jobs.queues.queue": "Queue",
  "jobs.queues.waiting": "Waiting",
  "jobs.queues.active": "Running",
  "jobs.queues.delayed": "Retrying later",
  "jobs.queues.failed": "Failed",
  "jobs.queues.completed": "Completed (24 h)",
  "jobs.queues.outbox": "Outbox: to queue",
  "jobs.queues.outboxScheduled": "Outbox: scheduled",
  "jobs.queues.outboxParked": "Outbox: parked",
  "jobs.queues.oldest": "oldest {age}",
  "jobs.queues.unknown": "unknown",
  "jobs.queues.otherTopics": "Outbox rows for no known job: {count} (parked; see the worker's log).",
  "jobs.queues.help":
    "Outbox rows “to queue” are changes committed in the database that the worker's relay has not handed to Redis yet; a growing number or an old age means the relay or Redis is in trouble. Scheduled rows wait for their time (an RFQ's deadline). Parked rows can never be queued as they stand and need a developer.",

  "jobs.queue.notifications": "E-mails",
  "jobs.queue.events": "Domain events",
  "jobs.queue.search": "Search index",
  "jobs.queue.imports": "Catalogue imports",
  "jobs.queue.rfqs": "RFQ deadlines",
  "jobs.queue.settlement": "Settlement and payouts",

  "jobs.age.seconds": "{n} s",
  "jobs.age.minutes": "{n} min",
  "jobs.age.hours": "{n} h",
  "jobs.age.days": "{n} d",

  "jobs.failed.title": "Failed jobs",
  "jobs.failed.intro":
    "Jobs that failed for good: their retries are spent, or they can never succeed as they stand (a missing commission rule, say). Fix the cause, then retry: every job is safe to run again, it never does its work twice.",
  "jobs.failed.caption": "Failed jobs, most recent failure first",
  "jobs.failed.empty": "No failed job.",
  "jobs.failed.emptyQueue": "No failed job in this queue.",
  "jobs.failed.unavailable": "The failed jobs cannot be listed while Redis is unreachable.",
  "jobs.failed.beyond": "Across every queue only the {pages} first pages are listed: choose a queue to see older failures.",
  "jobs.failed.pagination": "Pages of failed jobs",
  "jobs.failed.when": "Failed",
  "jobs.failed.job": "Job",
  "jobs.failed.reason": "Reason",
  "jobs.failed.attempts": "Tries",
  "jobs.failed.attemptsValue": "{made} of {allowed}",
  "jobs.failed.payload": "Payload (ids)",
  "jobs.failed.noPayload": "no ids",
  "jobs.failed.added": "added {date}",
  "jobs.failed.retry": "Retry",
  "jobs.failed.retryLabel": "Retry job {id} of the {queue} queue",
  "jobs.filter.label": "Filter the failed jobs",
  "jobs.filter.queue": "Queue",
  "jobs.filter.anyQueue": "Every queue",
  "jobs.filter.apply": "Show",
  "jobs.filter.clear": "Clear",
  "jobs.filter.ignored": "Some filters could not be used and were left out:",
  "flash.jobRetried": "The job is back in its queue and will run again shortly.",

  // Field errors of services/src/operations
  "jobs.queue_invalid": "Choose one of the queues.",
  "jobs.page_invalid": "This page does not exist.",
  "jobs.job_invalid": "This job does not exist.",
  "jobs.job_gone": "This job no longer exists: it was removed after a week, or retried and finished meanwhile.",
  "jobs.not_failed": "This job is no longer failed: someone retried it already.",
  "jobs.redis_unavailable": "Redis cannot be reached right now. Try again in a moment.",

  // Audit log
  "audit.group.job": "All job actions",
  "audit.action.job.retried": "Failed job retried",
} as const satisfies Record<string, string>;

export const operationsFr: Record<keyof typeof operationsEn, string> = {
  "jobs.nav": "Tâches",
  "jobs.title": "Tâches et files d'attente",
  "jobs.intro":
    "Ce que le worker a à faire, par file : tâches en attente, en cours, reportées, en échec et terminées récemment, et les changements encore dans l'outbox qui n'ont pas encore rejoint les files.",
  "jobs.redisDown":
    "Redis est injoignable pour le moment : les chiffres des files sont inconnus. Les changements sont conservés dans l'outbox (ci-dessous) et rejoignent les files dès le retour de Redis.",
  "jobs.checkedAt": "Chiffres au {date}",
  "jobs.refresh": "Actualiser",

  "jobs.queues.title": "Files d'attente",
  "jobs.queues.caption": "Tâches par file, et lignes de l'outbox en attente de mise en file",
  "jobs.queues.queue": "File",
  "jobs.queues.waiting": "En attente",
  "jobs.queues.active": "En cours",
  "jobs.queues.delayed": "Reprise plus tard",
  "jobs.queues.failed": "En échec",
  "jobs.queues.completed": "Terminées (24 h)",
  "jobs.queues.outbox": "Outbox : à mettre en file",
  "jobs.queues.outboxScheduled": "Outbox : programmées",
  "jobs.queues.outboxParked": "Outbox : mises de côté",
  "jobs.queues.oldest": "la plus ancienne : {age}",
  "jobs.queues.unknown": "inconnu",
  "jobs.queues.otherTopics": "Lignes de l'outbox sans tâche connue : {count} (mises de côté ; voir le journal du worker).",
  "jobs.queues.help":
    "Les lignes de l'outbox « à mettre en file » sont des changements enregistrés en base que le relais du worker n'a pas encore transmis à Redis ; un nombre qui grandit ou une ancienneté élevée signalent un problème du relais ou de Redis. Les lignes programmées attendent leur heure (l'échéance d'une demande de prix). Les lignes mises de côté ne pourront jamais être mises en file telles quelles et demandent un développeur.",

  "jobs.queue.notifications": "E-mails",
  "jobs.queue.events": "Événements métier",
  "jobs.queue.search": "Index de recherche",
  "jobs.queue.imports": "Imports de catalogue",
  "jobs.queue.rfqs": "Échéances des demandes de prix",
  "jobs.queue.settlement": "Règlements et versements",

  "jobs.age.seconds": "{n} s",
  "jobs.age.minutes": "{n} min",
  "jobs.age.hours": "{n} h",
  "jobs.age.days": "{n} j",

  "jobs.failed.title": "Tâches en échec",
  "jobs.failed.intro":
    "Tâches en échec définitif : leurs nouvelles tentatives sont épuisées, ou elles ne peuvent pas aboutir en l'état (une règle de commission manquante, par exemple). Corrigez la cause, puis relancez : toute tâche peut être rejouée sans jamais faire son travail deux fois.",
  "jobs.failed.caption": "Tâches en échec, de l'échec le plus récent au plus ancien",
  "jobs.failed.empty": "Aucune tâche en échec.",
  "jobs.failed.emptyQueue": "Aucune tâche en échec dans cette file.",
  "jobs.failed.unavailable": "Les tâches en échec ne peuvent pas être listées tant que Redis est injoignable.",
  "jobs.failed.beyond": "Toutes files confondues, seules les {pages} premières pages sont listées : choisissez une file pour voir les échecs plus anciens.",
  "jobs.failed.pagination": "Pages des tâches en échec",
  "jobs.failed.when": "Échec",
  "jobs.failed.job": "Tâche",
  "jobs.failed.reason": "Motif",
  "jobs.failed.attempts": "Tentatives",
  "jobs.failed.attemptsValue": "{made} sur {allowed}",
  "jobs.failed.payload": "Contenu (identifiants)",
  "jobs.failed.noPayload": "aucun identifiant",
  "jobs.failed.added": "ajoutée le {date}",
  "jobs.failed.retry": "Relancer",
  "jobs.failed.retryLabel": "Relancer la tâche {id} de la file {queue}",
  "jobs.filter.label": "Filtrer les tâches en échec",
  "jobs.filter.queue": "File",
  "jobs.filter.anyQueue": "Toutes les files",
  "jobs.filter.apply": "Afficher",
  "jobs.filter.clear": "Effacer",
  "jobs.filter.ignored": "Certains filtres n'ont pas pu être appliqués et ont été ignorés :",
  "flash.jobRetried": "La tâche a rejoint sa file et sera bientôt exécutée de nouveau.",

  "jobs.queue_invalid": "Choisissez l'une des files.",
  "jobs.page_invalid": "Cette page n'existe pas.",
  "jobs.job_invalid": "Cette tâche n'existe pas.",
  "jobs.job_gone": "Cette tâche n'existe plus : elle a été supprimée au bout d'une semaine, ou relancée et terminée entre-temps.",
  "jobs.not_failed": "Cette tâche n'est plus en échec : quelqu'un l'a déjà relancée.",
  "jobs.redis_unavailable": "Redis est injoignable pour le moment. Réessayez dans un instant.",

  "audit.group.job": "Toutes les actions sur les tâches",
  "audit.action.job.retried": "Tâche en échec relancée",
};
