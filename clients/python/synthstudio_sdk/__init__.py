"""Synth Studio's Python SDK: a typed client over the services' gRPC APIs.

```python
from synthstudio_sdk import Client, job_result

with Client() as client:
    dataset = client.datasets.upload("cps.csv")
    job = client.jobs.wait(client.synthesizers.train(dataset, kind="gaussian_copula"),
                           progress=True)
    sample = client.sample(job_result(job)["synthesizer_id"], rows=1000, out="synthetic.csv")
```

Resources come back as the generated protobuf messages (`Dataset`, `Job`, `Report`, …);
`to_dict` turns one into JSON-able data. Failures raise `ApiError` subclasses carrying the
server's code and reason, `JobFailed`/`JobCancelled` for jobs, `UsageError` for bad arguments.
"""

from synthstudio_sdk.client import (
    Artifact,
    Between,
    Client,
    Dataset,
    PrivacyBudget,
    Report,
    Sample,
    ScanDatasetResult,
    Synthesizer,
    synthesizer_kinds,
)
from synthstudio_sdk.credentials import CredentialStore, StoredLogin
from synthstudio_sdk.endpoints import Endpoints
from synthstudio_sdk.errors import (
    AlreadyExists,
    ApiError,
    DataLoss,
    DeadlineExceeded,
    FailedPrecondition,
    InvalidArgument,
    JobCancelled,
    JobFailed,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    ServerError,
    SynthStudioError,
    Unauthenticated,
    Unavailable,
    Unimplemented,
    UsageError,
)
from synthstudio_sdk.jobs import Job, job_result, state_name
from synthstudio_sdk.messages import to_dict

__all__ = [
    "AlreadyExists",
    "ApiError",
    "Artifact",
    "Between",
    "Client",
    "CredentialStore",
    "DataLoss",
    "Dataset",
    "DeadlineExceeded",
    "Endpoints",
    "FailedPrecondition",
    "InvalidArgument",
    "Job",
    "JobCancelled",
    "JobFailed",
    "NotFound",
    "PermissionDenied",
    "PrivacyBudget",
    "Report",
    "ResourceExhausted",
    "Sample",
    "ScanDatasetResult",
    "ServerError",
    "StoredLogin",
    "SynthStudioError",
    "Synthesizer",
    "Unauthenticated",
    "Unavailable",
    "Unimplemented",
    "UsageError",
    "job_result",
    "state_name",
    "synthesizer_kinds",
    "to_dict",
]
