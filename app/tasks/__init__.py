"""The Celery worker: its app (`celery_app`, what `celery -A app.tasks.celery_app worker`
loads) and its tasks (`jobs`). A worker process is a composition root of its own: it builds
the same services as the API (`app.wiring.build_services`) and runs jobs with
`app.jobs.runner`; it imports no HTTP code (jobs store domain results, rendered on read).

May import: `app.wiring`, `app.container`, `app.jobs`, `app.idempotency`, `app.contract`,
`app.infra`, `app.settings`. Nothing in `app` imports it: the API sends tasks by name
(`app.infra.jobqueue`), so it never loads this package.
"""
