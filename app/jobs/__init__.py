"""The `jobs` tag: async completion and recipe jobs. `service` takes requests, `runner`
runs a job and stores its domain result (`results`), `reaper` retries lost ones; `mapping`
renders a job when it is read. The worker (`app.tasks`) uses `runner` and `reaper` only.

May import: `app.contract`, `app.owned`, `app.http`, `app.ai`, `app.accounts`, `app.infra`,
`app.errors`, `generated`, and of other resources `app.completions.service`,
`app.completions.mapping`, `app.recipes.service`, `app.recipes.models`,
`app.recipes.mapping`, `app.auth.models`.
"""
