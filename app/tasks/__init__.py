"""The Celery worker: its app (`celery_app`, what `celery -A app.tasks.celery_app worker`
loads) and its tasks (`jobs`). A worker process is a composition root of its own: it builds
the same services as the API (`app.wiring.build_services`) and calls the job service.

May import: anything (like `app.main`); nothing in `app` imports it. The API sends tasks by
name (`app.infra.jobqueue`), so it never loads this package.
"""
