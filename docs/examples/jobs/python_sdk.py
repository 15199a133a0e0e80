"""Start an async job (202 + Location), poll it until it finishes, read its result
(the generated Python SDK)."""

import os
import time

from spec_first_api_client import AuthenticatedClient
from spec_first_api_client.api.jobs import create_job, get_job
from spec_first_api_client.models import JobRecipeRequest, RecipeGenerateRequest
from spec_first_api_client.models.job_recipe_request_kind import JobRecipeRequestKind
from spec_first_api_client.models.job_status import JobStatus

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")
api = AuthenticatedClient(base_url=API_URL, token=os.environ["API_TOKEN"])

request = RecipeGenerateRequest(ingredients=["tomatoes", "onion", "garlic"])
job = create_job.sync(
    client=api, body=JobRecipeRequest(kind=JobRecipeRequestKind.RECIPE, recipe=request)
).data

# queued -> running -> succeeded | failed | cancelled
deadline = time.monotonic() + 30
while job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and time.monotonic() < deadline:
    time.sleep(0.2)
    job = get_job.sync(job.id, client=api).data
print("job", job.id, job.status)
# `result` is what POST /recipes/generate answers as `data`; `problem` says why one failed.
print("recipe:", job.result.to_dict()["recipe"]["title"])
